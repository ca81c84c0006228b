"""The SPARQL-based part of the shapes, run as one query per constraint over the whole graph.

pySHACL runs an ``sh:sparql`` constraint (or a SPARQL-based constraint component such as
``vjsh:partialDate``) once per focus node, through rdflib's SPARQL engine: on a large graph
that is nearly all of its time. The same constraint, with the shape's targets joined in
front of its body, is one Oxigraph query that finds the results of every focus node at
once. This module splits those constraints off the shapes graph (the rest, the core
constraints, stays with pySHACL) and reports what they find as :class:`RawResult` rows with
the same focus node, path, value, source shape, constraint and messages pySHACL would give.

Only constraints of shapes that are validated for their own targets are split off; a shape
reached through ``sh:node``, ``sh:or`` & co. keeps its SPARQL constraints in pySHACL, so the
split never changes what is checked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kg.errors import InputError
from kg.namespaces import SH

__all__ = ["RawResult", "SparqlCheck", "sparql_checks", "core_shapes", "run_checks", "to_rdflib"]

_NESTING = (SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.qualifiedValueShape)
_TARGET_PATTERNS = {
    SH.targetClass: "{{ ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {node} }}",
    SH.targetNode: "{{ VALUES ?this {{ {node} }} }}",
    SH.targetSubjectsOf: "{{ ?this {node} ?vjkgAnyObject }}",
    SH.targetObjectsOf: "{{ ?vjkgAnySubject {node} ?this }}",
}
_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class RawResult:
    """One validation result in pySHACL's terms (rdflib terms; ``None`` when absent)."""

    severity: URIRef
    source_shape: object
    component: object
    focus: object
    path: object | None
    value: object | None
    source_constraint: object | None
    messages: tuple[str, ...]


@dataclass(frozen=True)
class SparqlCheck:
    """A SPARQL constraint (or SPARQL-based component use) with the query that runs it on all targets."""

    shape: object  # the shape that owns the constraint (node shape, or property shape for a component)
    severity: URIRef
    component: object
    source_constraint: object | None
    path: object | None  # the property shape's path, for components
    query: str
    shape_messages: tuple[str, ...]
    constraint_messages: tuple[str, ...]
    bound: tuple[tuple[str, object], ...]  # parameter values, for the messages


def _n3(term: object) -> str:
    if isinstance(term, BNode):
        raise InputError(f"a SPARQL-checked shape refers to a blank node ({term}) where an IRI or literal is needed")
    return term.n3()  # type: ignore[attr-defined]


def sparql_path(shapes: Graph, path: object) -> str:
    """The SPARQL property path of a SHACL path."""
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in shapes:
        return "/".join(sparql_path(shapes, p) for p in Collection(shapes, path))
    for key, template in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                          (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = shapes.value(path, key)
        if inner is not None:
            return template.format(sparql_path(shapes, inner))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(f"({sparql_path(shapes, p)})" for p in Collection(shapes, alternatives))
    raise InputError(f"unsupported SHACL path {path}")


def _prefixes(shapes: Graph, constraint: object) -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _targets(shapes: Graph, node_shape: object) -> str | None:
    patterns = [template.format(node=_n3(node))
                for key, template in _TARGET_PATTERNS.items() for node in shapes.objects(node_shape, key)]
    if not patterns:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(sorted(patterns)) + " } }"


def _with_focus(select: str, focus: str, values: str = "") -> str:
    """``select`` with the focus nodes (and parameter values) joined at the start of its body."""
    brace = select.find("{")
    if brace < 0:
        raise InputError("a sh:select query without a WHERE block")
    return select[:brace + 1] + f"\n{focus}\n{values}\n" + select[brace + 1:]


def _messages(shapes: Graph, node: object) -> tuple[str, ...]:
    return tuple(str(m) for m in shapes.objects(node, SH.message))


def _severity(shapes: Graph, shape: object) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


def _is_active(shapes: Graph, node: object) -> bool:
    return shapes.value(node, SH.deactivated) != Literal(True)


def _nested_shapes(shapes: Graph) -> set[object]:
    """Shapes used inside other shapes (their SPARQL constraints stay with pySHACL)."""
    nested: set[object] = set()
    for key in _NESTING:
        for _shape, value in shapes.subject_objects(key):
            if (value, RDF.first, None) in shapes:
                nested.update(Collection(shapes, value))
            else:
                nested.add(value)
    return nested


def _components(shapes: Graph) -> dict[object, tuple[object, list[object], object]]:
    """SPARQL-based constraint components: parameter path -> (component, parameters, property validator)."""
    found: dict[object, tuple[object, list[object], object]] = {}
    for component in shapes.subjects(RDF.type, SH.ConstraintComponent):
        validator = shapes.value(component, SH.propertyValidator) or shapes.value(component, SH.validator)
        parameters = [shapes.value(p, SH.path) for p in shapes.objects(component, SH.parameter)]
        if validator is None or shapes.value(validator, SH.select) is None or len(parameters) != 1:
            continue
        found[parameters[0]] = (component, parameters, validator)
    return found


def sparql_checks(shapes: Graph) -> list[SparqlCheck]:
    """Every SPARQL constraint and SPARQL-based component use that can run on all targets at once."""
    nested = _nested_shapes(shapes)
    components = _components(shapes)
    checks: list[SparqlCheck] = []
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)) - nested, key=str):
        focus = _targets(shapes, node_shape)
        if focus is None or not _is_active(shapes, node_shape):
            continue
        for constraint in sorted(shapes.objects(node_shape, SH.sparql), key=str):
            select = shapes.value(constraint, SH.select)
            if select is None or not _is_active(shapes, constraint):
                continue
            checks.append(SparqlCheck(
                shape=node_shape, severity=_severity(shapes, node_shape), component=SH.SPARQLConstraintComponent,
                source_constraint=constraint, path=None,
                query=_prefixes(shapes, constraint) + "\n" + _with_focus(str(select), focus),
                shape_messages=_messages(shapes, node_shape), constraint_messages=_messages(shapes, constraint),
                bound=()))
        for prop in sorted(shapes.objects(node_shape, SH.property), key=str):
            if prop in nested or not _is_active(shapes, prop):
                continue
            for parameter, (component, _params, validator) in components.items():
                argument = shapes.value(prop, parameter)
                if argument is None:
                    continue
                path = shapes.value(prop, SH.path)
                name = str(parameter).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                select = str(shapes.value(validator, SH.select)).replace("$PATH", sparql_path(shapes, path))
                values = f"VALUES ?{name} {{ {_n3(argument)} }}"
                checks.append(SparqlCheck(
                    shape=prop, severity=_severity(shapes, prop), component=component, source_constraint=None,
                    path=path, query=_prefixes(shapes, validator) + "\n" + _with_focus(select, focus, values),
                    shape_messages=_messages(shapes, prop), constraint_messages=_messages(shapes, validator),
                    bound=((name, argument),)))
    return checks


def core_shapes(shapes: Graph, checks: Iterable[SparqlCheck]) -> Graph:
    """``shapes`` without the constraints ``checks`` run, for pySHACL to check the rest."""
    split_constraints = {(c.shape, c.source_constraint) for c in checks if c.source_constraint is not None}
    split_components = {(c.shape, c.component) for c in checks if c.source_constraint is None}
    parameters = {}
    for component in {component for _shape, component in split_components}:
        for parameter in shapes.objects(component, SH.parameter):
            parameters.setdefault(component, []).append(shapes.value(parameter, SH.path))
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    dropped = {(shape, SH.sparql, constraint) for shape, constraint in split_constraints}
    dropped |= {(shape, parameter, value)
                for shape, component in split_components for parameter in parameters[component]
                for value in shapes.objects(shape, parameter)}
    for triple in shapes:
        if triple not in dropped:
            core.add(triple)
    return core


def to_rdflib(term: object) -> object:
    """The rdflib form of a pyoxigraph term (lexical forms kept as they are)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"not an RDF term: {term!r}")


def _format(message: str, bound: dict[str, object]) -> str:
    """pySHACL's message templating: ``{?var}`` / ``{$var}`` -> the value's string form."""
    def fill(match: re.Match[str]) -> str:
        value = bound.get(match.group(1))
        return match.group(0) if value is None else str(value)
    return _PLACEHOLDER.sub(fill, message)


def _rows(data: ox.Store, check: SparqlCheck) -> Iterator[dict[str, object]]:
    try:
        solutions = data.query(check.query)
    except SyntaxError as exc:
        raise InputError(f"the SPARQL of {check.source_constraint or check.shape} does not parse: {exc}") from exc
    variables = [v.value for v in solutions.variables]
    seen: set[tuple[object, ...]] = set()
    for solution in solutions:
        row = {name: to_rdflib(solution[name]) for name in variables if solution[name] is not None}
        key = tuple(sorted((k, v) for k, v in row.items()))
        if key not in seen:  # pySHACL drops duplicate rows of one focus node
            seen.add(key)
            yield row


def run_checks(data: ox.Store, checks: Iterable[SparqlCheck]) -> list[RawResult]:
    """The results of ``checks`` on the default graph of ``data``."""
    results: list[RawResult] = []
    for check in checks:
        for row in _rows(data, check):
            focus = row.get("this")
            if focus is None:
                continue
            path = row.get("path", check.path)
            value = row.get("value")
            if value is None and check.path is None:
                value = focus  # a node shape's constraint without ?value reports the focus node
            bound = {**dict(check.bound), **row, "this": focus, "value": value}
            if path is not None:
                bound["path"] = path
            bound = {k: v for k, v in bound.items() if v is not None}
            messages = tuple(dict.fromkeys(_format(m, bound) for m in check.shape_messages + check.constraint_messages))
            results.append(RawResult(
                severity=check.severity, source_shape=check.shape, component=check.component, focus=focus,
                path=path, value=value, source_constraint=check.source_constraint, messages=messages))
    return results
