"""SHACL Core compiled to SPARQL over an Oxigraph store: pySHACL's results, without rdflib.

pySHACL walks every focus node and value node in Python over an rdflib graph; at 10,000
articles (millions of triples) that costs minutes and gigabytes before it starts. Here each
constraint of a shape becomes a SPARQL SELECT run by Oxigraph on the data where it lies (the
built store's union of named graphs, or a faithful copy of data files), returning only the
*candidate* violating (focus, value) rows: those for which a conservative test that provably
implies conformance (a typed integer in canonical form that SPARQL finds ``>= 0``, a string
literal of the right datatype, ...) does not hold. Each candidate is then judged in Python by
the rule pySHACL applies (same term equality, same regex engine, same literal comparison), so
the result multiset, severities, paths, values and messages are pySHACL's.

:func:`compile_shapes` returns a plan only when *every* constraint of the (core) shapes graph
is one of the components below, on shapes whose messages are given (pySHACL's generated
messages are not reproduced), and the shapes are well formed in the ways pySHACL checks;
anything else returns ``None`` and the caller validates with pySHACL. A data graph the plan
cannot judge exactly (a blank node where pySHACL stops with an error, a shape recursion)
raises :class:`NotCompiled` while running, with the same consequence.

Compiled: ``sh:property``, ``minCount``, ``maxCount``, ``datatype``, ``class`` (with
``rdfs:subClassOf*`` of the data), ``nodeKind``, ``pattern`` (+ ``flags``), ``minLength``,
``maxLength``, ``minInclusive``/``minExclusive``/``maxInclusive``/``maxExclusive``,
``hasValue`` (IRIs), ``in``, ``languageIn``, ``uniqueLang``, ``lessThan``, ``disjoint``,
``equals``, ``node``, ``or``, ``and``, ``not``, ``qualifiedValueShape`` with
``qualifiedMinCount``/``qualifiedMaxCount`` (not disjoint), targets ``targetClass`` (and
implicit class targets), ``targetNode`` (IRIs), ``targetSubjectsOf``, ``targetObjectsOf``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier, Node

from kg.errors import InputError
from kg.namespaces import SH
from kg.validate.results import PathExpr, RawResult, path_expr, path_sparql
from kg.validate.sparql import to_rdflib

__all__ = ["NotCompiled", "Plan", "Select", "compile_shapes", "run_plan", "store_select"]

#: runs a SELECT query on the data, giving solutions whose terms are pyoxigraph's
Select = Callable[[str], Iterable[ox.QuerySolution]]

_SUPPORTED = {  # constraint parameter -> the component that reads it (pySHACL's map, for the ones compiled)
    SH.property: "property", SH.minCount: "minCount", SH.maxCount: "maxCount", SH.datatype: "datatype",
    SH["class"]: "class", SH.nodeKind: "nodeKind", SH.pattern: "pattern", SH.minLength: "minLength",
    SH.maxLength: "maxLength", SH.minInclusive: "range", SH.minExclusive: "range", SH.maxInclusive: "range",
    SH.maxExclusive: "range", SH.hasValue: "hasValue", SH["in"]: "in", SH.languageIn: "languageIn",
    SH.uniqueLang: "uniqueLang", SH.lessThan: "lessThan", SH.disjoint: "disjoint", SH.equals: "equals",
    SH.node: "node", SH["or"]: "or", SH["and"]: "and", SH["not"]: "not", SH.qualifiedValueShape: "qualified",
    SH.qualifiedMinCount: "qualified", SH.qualifiedMaxCount: "qualified",
}
_REFUSED = {SH.sparql, SH.xone, SH.closed, SH.ignoredProperties, SH.lessThanOrEquals, SH.qualifiedValueShapesDisjoint,
            SH.expression, SH.target, SH.rule, SH.js, SH.flags}
_COMPONENT = {
    "minCount": SH.MinCountConstraintComponent, "maxCount": SH.MaxCountConstraintComponent,
    "datatype": SH.DatatypeConstraintComponent, "class": SH.ClassConstraintComponent,
    "nodeKind": SH.NodeKindConstraintComponent, "pattern": SH.PatternConstraintComponent,
    "minLength": SH.MinLengthConstraintComponent, "maxLength": SH.MaxLengthConstraintComponent,
    "hasValue": SH.HasValueConstraintComponent, "in": SH.InConstraintComponent,
    "languageIn": SH.LanguageInConstraintComponent, "uniqueLang": SH.UniqueLangConstraintComponent,
    "lessThan": SH.LessThanConstraintComponent, "disjoint": SH.DisjointConstraintComponent,
    "equals": SH.EqualsConstraintComponent, "node": SH.NodeConstraintComponent, "or": SH.OrConstraintComponent,
    "and": SH.AndConstraintComponent, "not": SH.NotConstraintComponent,
}
_RANGE = {SH.minInclusive: (SH.MinInclusiveConstraintComponent, ">="),
          SH.minExclusive: (SH.MinExclusiveConstraintComponent, ">"),
          SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, "<="),
          SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, "<")}
_NODE_KINDS = {SH.IRI: "isIRI(?value)", SH.BlankNode: "isBlank(?value)", SH.Literal: "isLiteral(?value)",
               SH.BlankNodeOrIRI: "!isLiteral(?value)", SH.BlankNodeOrLiteral: "!isIRI(?value)",
               SH.IRIOrLiteral: "!isBlank(?value)"}
_INTEGER = '^[+-]?[0-9]+$'
_DECIMAL = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$'
#: a test that, when true, proves the value has the datatype as pySHACL checks it
_SURE_DATATYPE = {
    XSD.string: "isLiteral(?value) && DATATYPE(?value) = xsd:string",
    RDF.langString: "isLiteral(?value) && LANG(?value) != \"\"",
    XSD.integer: f"isLiteral(?value) && DATATYPE(?value) = xsd:integer && REGEX(STR(?value), \"{_INTEGER}\")",
    XSD.decimal: f"isLiteral(?value) && DATATYPE(?value) = xsd:decimal && REGEX(STR(?value), \"{_DECIMAL}\")",
    XSD.boolean: "isLiteral(?value) && DATATYPE(?value) = xsd:boolean && STR(?value) IN (\"true\", \"false\")",
}
_PREFIXES = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
             "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


class NotCompiled(Exception):
    """The compiled plan cannot judge these shapes or this data exactly: use pySHACL."""


@dataclass
class _Shape:
    node: Identifier
    path: PathExpr | None  # None for a node shape
    severity: Identifier
    messages: tuple[Literal, ...]
    params: dict[Any, list[Any]] = field(default_factory=dict)
    deactivated: bool = False


@dataclass
class Plan:
    """The compiled shapes: the targeted shapes with their focus-node subqueries."""

    shapes: dict[Identifier, _Shape]
    roots: list[tuple[Identifier, list[tuple[str, Identifier]]]]  # (shape, its targets)
    graph: Graph


def store_select(store: ox.Store, *, union: bool) -> Select:
    """Queries on ``store``: its default graph, or (``union``) the union of its named graphs."""
    def select(query: str) -> Iterable[ox.QuerySolution]:
        return store.query(query, use_default_graph_as_union=union)  # type: ignore[return-value]
    return select


def _items(graph: Graph, node: Node) -> list[Node]:
    try:
        return list(Collection(graph, node))
    except Exception as exc:  # rdflib raises bare errors for a broken list
        raise NotCompiled(f"not a well-formed RDF list: {exc}") from exc


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise NotCompiled("a blank node where the query needs a constant")
    return str(term.n3())


def _load_shape(graph: Graph, node: Identifier) -> _Shape:
    path_node = graph.value(node, SH.path)
    path = path_expr(graph, path_node) if path_node is not None else None
    severities = set(graph.objects(node, SH.severity))
    deactivated = set(graph.objects(node, SH.deactivated))
    if len(severities) > 1 or len(deactivated) > 1 or len(set(graph.objects(node, SH.path))) > 1:
        raise NotCompiled("a shape with several severities, paths or sh:deactivated")
    messages = tuple(sorted((m for m in graph.objects(node, SH.message) if isinstance(m, Literal)), key=str))
    flag = next(iter(deactivated), None)
    shape = _Shape(node=node, path=path, severity=next(iter(severities), SH.Violation),  # type: ignore[arg-type]
                   messages=messages, deactivated=bool(isinstance(flag, Literal) and flag.value))
    for key, value in graph.predicate_objects(node):
        if key in _REFUSED:
            raise NotCompiled(f"{key} is not compiled")
        if key in _SUPPORTED:
            shape.params.setdefault(key, []).append(value)
    return shape


def _check_shape(graph: Graph, shape: _Shape) -> None:
    """Refuse (NotCompiled) what pySHACL would load differently or refuse itself."""
    params = shape.params
    if shape.deactivated:
        return
    for key in (SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.minLength, SH.maxLength, SH["in"],
                SH.uniqueLang, SH.languageIn):
        if len(params.get(key, ())) > 1:
            raise NotCompiled(f"several {key}")
    for key in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength, SH.qualifiedMinCount, SH.qualifiedMaxCount):
        for value in params.get(key, ()):
            if not (isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int)
                    and value.value >= 0):
                raise NotCompiled(f"{key} is not a non-negative xsd:integer")
    if shape.path is None and set(params) & {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape}:
        raise NotCompiled("a cardinality constraint on a node shape")
    _check_terms(graph, shape)


def _check_terms(graph: Graph, shape: _Shape) -> None:
    """The kinds of term each parameter must have (as pySHACL reads them)."""
    params = shape.params
    for value in params.get(SH.hasValue, ()):
        if not isinstance(value, URIRef):
            raise NotCompiled("sh:hasValue that is not an IRI")
    for value in params.get(SH.uniqueLang, ()):
        if not (isinstance(value, Literal) and isinstance(value.value, bool)):
            raise NotCompiled("sh:uniqueLang that is not a boolean")
    for key in (SH.lessThan, SH.disjoint, SH.equals):
        for value in params.get(key, ()):
            if not isinstance(value, URIRef):
                raise NotCompiled(f"{key} that is not an IRI")
    for value in params.get(SH.pattern, ()):
        if not isinstance(value, Literal):
            raise NotCompiled("sh:pattern that is not a literal")
    for value in [*params.get(SH.datatype, ()), *params.get(SH["class"], ())]:
        if not isinstance(value, URIRef):
            raise NotCompiled("sh:datatype or sh:class that is not an IRI")
    for key in _RANGE:
        for value in params.get(key, ()):
            if not isinstance(value, Literal):
                raise NotCompiled(f"{key} that is not a literal")
    for value in params.get(SH.nodeKind, ()):
        if value not in _NODE_KINDS:
            raise NotCompiled("an unknown sh:nodeKind")
    qualified = set(params) & {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
    if qualified and (len(params.get(SH.qualifiedValueShape, ())) != 1
                      or not (set(params) & {SH.qualifiedMinCount, SH.qualifiedMaxCount})
                      or any(len(params.get(k, ())) > 1 for k in (SH.qualifiedMinCount, SH.qualifiedMaxCount))):
        raise NotCompiled("a qualified value shape pySHACL would refuse or read otherwise")
    for key in (SH["or"], SH["and"]):
        for value in params.get(key, ()):
            if not _items(graph, value):
                raise NotCompiled(f"an empty {key} list")
    for value in params.get(SH["in"], ()):
        _items(graph, value)


def _targets(graph: Graph, node: Identifier) -> list[tuple[str, Identifier]]:
    """The targets of ``node`` as (kind, term): "class", "node", "subjectsOf", "objectsOf"."""
    found: list[tuple[str, Identifier]] = []
    classes = list(graph.objects(node, SH.targetClass))
    class_kinds = set(graph.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    if set(graph.objects(node, RDF.type)) & class_kinds:
        classes.append(node)
    for key, kind in ((SH.targetNode, "node"), (SH.targetSubjectsOf, "subjectsOf"), (SH.targetObjectsOf, "objectsOf")):
        for term in graph.objects(node, key):
            if isinstance(term, BNode):
                raise NotCompiled(f"a blank node as {key}")
            found.append((kind, term))  # type: ignore[arg-type]
    for cls in classes:
        if isinstance(cls, BNode):
            raise NotCompiled("a blank node as a target class")
        found.append(("class", cls))  # type: ignore[arg-type]
    return found


def compile_shapes(shapes: Graph) -> Plan | None:
    """The plan for ``shapes`` (a core shapes graph: SPARQL constraints split off), or None
    when some constraint is not compiled (see the module's documentation)."""
    try:
        return _compile(shapes)
    except (NotCompiled, InputError):
        return None


def _compile(graph: Graph) -> Plan:
    # a constraint component is whatever declares parameters (typed by any subclass, or not at all)
    used = {p for c in set(graph.subjects(SH.parameter, None)) for param in graph.objects(c, SH.parameter)
            for p in graph.objects(param, SH.path)}
    if any(True for p in used for _ in graph.subject_objects(p)):
        raise NotCompiled("a constraint component of the shapes graph in use")
    for key in _REFUSED:
        if any(True for _ in graph.subject_objects(key)):
            raise NotCompiled(f"{key} is not compiled")
    nodes: set[Identifier] = set()  # the shapes pySHACL finds (shapes_graph._build_node_shape_cache)
    for key in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.node):
        nodes.update(graph.subjects(key, None))  # type: ignore[arg-type]
    nodes.update(graph.subjects(RDF.type, SH.NodeShape))  # type: ignore[arg-type]
    nodes.update(graph.subjects(RDF.type, SH.PropertyShape))  # type: ignore[arg-type]
    if any((node, SH.path, None) in graph for node in graph.subjects(RDF.type, SH.NodeShape)):
        raise NotCompiled("a sh:NodeShape with a sh:path")
    for key in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
        nodes.update(graph.objects(None, key))  # type: ignore[arg-type]
    for key in (SH["or"], SH["and"]):
        for value in graph.objects(None, key):
            nodes.update(_items(graph, value))  # type: ignore[arg-type]
    shapes = {node: _load_shape(graph, node) for node in nodes}
    for shape in shapes.values():
        _check_shape(graph, shape)
        if shape.path is None and (shape.node, RDF.type, SH.PropertyShape) in graph:
            raise NotCompiled("a sh:PropertyShape without a sh:path")
    for shape in shapes.values():
        for key in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
            for value in shape.params.get(key, ()):
                if value not in shapes:
                    raise NotCompiled("a nested shape that is not a shape")
        if SH.property in shape.params and any(shapes[v].path is None for v in shape.params[SH.property]):
            raise NotCompiled("sh:property pointing to a shape without a path")
        if SH.node in shape.params and any(shapes[v].path is not None for v in shape.params[SH.node]):
            raise NotCompiled("sh:node pointing to a property shape")
    _check_recursion(shapes, graph)
    roots = []
    for node in sorted(shapes, key=str):
        targets = _targets(graph, node)
        if targets:
            roots.append((node, targets))
    _check_messages(shapes, [node for node, _targets in roots])
    return Plan(shapes=shapes, roots=roots, graph=graph)


def _check_messages(shapes: dict[Identifier, _Shape], roots: list[Identifier]) -> None:
    """Every shape whose results reach the report has its own sh:message (pySHACL's generated
    messages are not reproduced); nested shapes only decide conformance."""
    frontier, seen = list(roots), set(roots)
    while frontier:
        shape = shapes[frontier.pop()]
        if not shape.deactivated and set(shape.params) - {SH.property} and not shape.messages:
            raise NotCompiled("a shape without sh:message")
        for child in shape.params.get(SH.property, ()):
            if child not in seen:
                seen.add(child)
                frontier.append(child)


def _children(shape: _Shape, graph: Graph) -> list[Identifier]:
    found: list[Identifier] = []
    for key in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
        found += shape.params.get(key, [])
    for key in (SH["or"], SH["and"]):
        for value in shape.params.get(key, ()):
            found += _items(graph, value)  # type: ignore[arg-type]
    return found


def _check_recursion(shapes: dict[Identifier, _Shape], graph: Graph) -> None:
    state: dict[Identifier, int] = {}

    def visit(node: Identifier) -> None:
        if state.get(node) == 1:
            raise NotCompiled("recursive shapes")
        if state.get(node) == 2:
            return
        state[node] = 1
        for child in _children(shapes[node], graph):
            visit(child)
        state[node] = 2
    for node in shapes:
        visit(node)


# --- running -------------------------------------------------------------------------------

Row = tuple[Identifier, Identifier | None]  # (focus, value)


@dataclass(frozen=True, eq=False)
class _Focus:
    """A set of focus nodes: ``str()`` is a subquery enumerating them as ``?this``;
    :meth:`member` a group pattern true of a bound variable in the set (for FILTER EXISTS,
    so a query can start from the triples of a path and test membership last)."""

    enum: str
    test: Callable[[str], str]

    def __str__(self) -> str:
        return self.enum

    def member(self, variable: str) -> str:
        return self.test(variable)


@dataclass
class _Run:
    plan: Plan
    select: Select
    small: bool = False  # few focus nodes: queries start from them, never from a predicate's triples
    cache: dict[tuple[Identifier, str], list[tuple[Identifier, Identifier, Row]]] = field(default_factory=dict)
    fresh: Iterator[int] = field(default_factory=lambda: iter(range(1, 1 << 30)))

    def variable(self, stem: str) -> str:
        return f"?vjkg{stem}{next(self.fresh)}"

    def subclasses(self, cls: Node) -> list[Identifier] | None:
        """``cls`` and its rdfs:subClassOf* descendants in the data; None if one is a blank node."""
        found = [r[0] for r in self.rows(f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* {_n3(cls)} }}", ("c",))]
        if any(not isinstance(c, URIRef) for c in found):
            return None
        return sorted({cls, *found}, key=str)

    def rows(self, query: str, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        for solution in self.select(_PREFIXES + query):
            yield tuple(None if solution[n] is None else to_rdflib(solution[n]) for n in names)


def run_plan(plan: Plan, select: Select, *, only: str | None = None, workers: int = 1) -> list[RawResult]:
    """The results of ``plan`` on the data ``select`` queries; ``only``: a group pattern that
    further restricts the focus nodes of the targeted shapes (binding ``?this``). With
    ``workers`` > 1 the targeted shapes run in threads (Oxigraph evaluates queries without
    Python's lock); the results keep the plan's order either way."""
    run = _Run(plan, select, small=only is not None)

    def root(item: tuple[Identifier, list[tuple[str, Identifier]]]) -> list[RawResult]:
        node, targets = item
        focus = _root_focus(run, targets)
        if only is not None:
            given = _given(run, focus, only)
            if given is None:
                return []
            focus = given
        found = []
        for component, shape_node, (f, v) in _shape_results(run, plan.shapes[node], focus):
            shape = plan.shapes[shape_node]
            found.append(RawResult(severity=shape.severity, source_shape=shape.node, component=component,
                                   focus=f, path=shape.path, value=v, source_constraint=None,
                                   messages=shape.messages))
        return found
    if workers > 1 and len(plan.roots) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(root, plan.roots))
    else:
        parts = [root(item) for item in plan.roots]
    return [result for part in parts for result in part]


def _given(run: _Run, focus: _Focus, only: str) -> _Focus | None:
    """The nodes of ``focus`` among those ``only`` gives (None if there are none), listed
    once: each given node is tested for membership here (ms, not a scan), and every query of
    the shape then starts from a constant list instead of testing each node again; a shape
    that targets none of them runs no query at all."""
    query = "SELECT DISTINCT ?this WHERE { " + only + " FILTER EXISTS { " + focus.member("?this") + " } }"
    nodes = sorted({_n3(row[0]) for row in run.rows(query, ("this",)) if row[0] is not None})
    if not nodes:
        return None
    listed = ", ".join(nodes)
    return _Focus("{ VALUES ?this { " + " ".join(nodes) + " } }", lambda v: f"FILTER ({v} IN ({listed}))")


def _root_focus(run: _Run, targets: list[tuple[str, Identifier]]) -> _Focus:
    enums: list[str] = []
    templates: list[str] = []  # membership of "$V"; "$F" stands for a fresh variable
    for kind, term in targets:
        node = _n3(term)
        if kind == "class":
            classes = run.subclasses(term)
            if classes is None:
                enums.append(f"{{ ?this rdf:type/rdfs:subClassOf* {node} }}")
                templates.append(f"$V rdf:type/rdfs:subClassOf* {node}")
            else:
                values = " ".join(_n3(c) for c in classes)
                enums.append(f"{{ VALUES ?vjkgType {{ {values} }} ?this rdf:type ?vjkgType }}")
                templates.append(f"VALUES $F {{ {values} }} $V rdf:type $F")
        elif kind == "node":
            enums.append(f"{{ VALUES ?this {{ {node} }} }}")
            templates.append(f"FILTER (sameTerm($V, {node}))")
        elif kind == "subjectsOf":
            enums.append(f"{{ ?this {node} ?vjkgObject }}")
            templates.append(f"$V {node} $F")
        else:
            enums.append(f"{{ ?vjkgSubject {node} ?this }}")
            templates.append(f"$F {node} $V")
    enum = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(enums) + " } }"

    def test(v: str) -> str:
        return " UNION ".join("{ " + t.replace("$F", run.variable("T")).replace("$V", v) + " }" for t in templates)
    return _Focus(enum, test)


def _values_focus(run: _Run, shape: _Shape, focus: _Focus) -> _Focus:
    """The value nodes of ``shape`` from ``focus``, as focus nodes."""
    if shape.path is None:
        return focus
    path = path_sparql(shape.path)
    enum = ("{ SELECT DISTINCT ?this WHERE { { SELECT (?this AS ?vjkgParent) WHERE { " + focus.enum + " } } "
            f"?vjkgParent {path} ?this }} }}")

    def test(v: str) -> str:
        parent = run.variable("Parent")
        return f"{parent} {path} {v} . {focus.member(parent)}"
    return _Focus(enum, test)


def _matching(run: _Run, shape: _Shape, focus: _Focus, extra: str = "") -> str:
    """The group pattern of (?this, ?value) pairs of ``shape`` on ``focus`` that ``extra`` keeps:
    for a plain predicate, from the predicate's triples, membership of ?this tested last
    (unless the run has few focus nodes)."""
    if isinstance(shape.path, URIRef) and not run.small:  # the subquery makes Oxigraph test membership only on what ``extra`` keeps
        return (f"{{ SELECT * WHERE {{ ?this {_n3(shape.path)} ?value . {extra} }} }} "
                f"FILTER EXISTS {{ {focus.member('?this')} }}")
    return f"{focus} {_value_pattern(shape)} {extra}"


def _value_pattern(shape: _Shape) -> str:
    """Binds ?value to each value node of ?this."""
    if shape.path is None:
        return "BIND (?this AS ?value)"
    return f"?this {path_sparql(shape.path)} ?value ."


def _shape_results(run: _Run, shape: _Shape, focus: _Focus) -> list[tuple[Identifier, Identifier, Row]]:
    """(component, source shape, (focus, value)) of every result of ``shape`` on ``focus``."""
    key = (shape.node, str(focus))
    if key in run.cache:
        return run.cache[key]
    found: list[tuple[Identifier, Identifier, Row]] = []
    if not shape.deactivated:
        for kind in sorted({_SUPPORTED[p] for p in shape.params}):
            for component, row in _constraint(run, shape, focus, kind):
                found.append((component, shape.node, row))
            if kind == "property":
                for child in shape.params[SH.property]:
                    found += _shape_results(run, run.plan.shapes[child], _values_focus(run, shape, focus))
    run.cache[key] = found
    return found


def _failing(run: _Run, shape_node: Node, focus: _Focus) -> set[Identifier]:
    """The focus nodes (of ``focus``) that do not conform to ``shape_node``."""
    return {row[0] for _c, _s, row in _shape_results(run, run.plan.shapes[shape_node], focus)}  # type: ignore[index]


def _pairs(run: _Run, shape: _Shape, focus: _Focus, extra: str = "", distinct: bool = True) -> list[Row]:
    query = f"SELECT {'DISTINCT ' if distinct else ''}?this ?value WHERE {{ {_matching(run, shape, focus, extra)} }}"
    return [(r[0], r[1]) for r in run.rows(query, ("this", "value")) if r[0] is not None]


def _pairs_with_values(run: _Run, shape: _Shape, focus: _Focus, values: set[Identifier]) -> list[Row]:
    """The (focus, value) pairs whose value is one of ``values``."""
    if not values:
        return []
    if any(isinstance(v, BNode) for v in values):
        return [row for row in _pairs(run, shape, focus) if row[1] in values]
    block = "VALUES ?value { " + " ".join(_n3(v) for v in sorted(values, key=str)) + " }"
    return [row for row in _pairs(run, shape, focus, block) if row[1] in values]


def _by_value(run: _Run, shape: _Shape, focus: _Focus, sure: str, judge: Callable[[Identifier], bool]) -> list[Row]:
    """Value-only components: distinct candidate values (those ``sure`` does not clear),
    judged by ``judge`` (True: a violation), then the pairs of the failing values."""
    query = f"SELECT DISTINCT ?value WHERE {{ {_matching(run, shape, focus, f'FILTER (!COALESCE({sure}, false))')} }}"
    failing = {r[0] for r in run.rows(query, ("value",)) if r[0] is not None and judge(r[0])}
    return _pairs_with_values(run, shape, focus, failing)


def _count(run: _Run, shape: _Shape, focus: _Focus, test: str) -> list[Row]:
    """Focus nodes whose number of distinct value nodes ``?n`` passes ``test``."""
    assert shape.path is not None
    if isinstance(shape.path, URIRef) and "?n >" in test and not run.small:  # only nodes with values can have too many
        query = (f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {_n3(shape.path)} ?value }} GROUP BY ?this "
                 f"HAVING ({test.replace('?n', 'COUNT(DISTINCT ?value)')}) }} "
                 f"FILTER EXISTS {{ {focus.member('?this')} }} }}")
    else:
        query = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                 f"OPTIONAL {{ ?this {path_sparql(shape.path)} ?value }} }} GROUP BY ?this }} FILTER ({test}) }}")
    return [(r[0], None) for r in run.rows(query, ("this",)) if r[0] is not None]


def _without(run: _Run) -> str:
    """How a query drops the focus nodes that match a pattern binding ``?this``: MINUS reads the
    pattern once for all (fast for many nodes), NOT EXISTS per node (for few); the same rows."""
    return "FILTER NOT EXISTS" if run.small else "MINUS"


def _constraint(run: _Run, shape: _Shape, focus: _Focus, kind: str) -> Iterator[tuple[Identifier, Row]]:
    params = shape.params
    if kind == "property":
        return
    if kind == "minCount":
        low = int(params[SH.minCount][0].value)
        if low > 0:
            if low == 1:
                query = (f"SELECT ?this WHERE {{ {focus} {_without(run)} {{ ?this {path_sparql(shape.path)} "  # type: ignore[arg-type]
                         "?value } }")
                rows: list[Row] = [(r[0], None) for r in run.rows(query, ("this",))]
            else:
                rows = _count(run, shape, focus, f"?n < {low}")
            yield from ((_COMPONENT[kind], row) for row in rows)
    elif kind == "maxCount":
        high = int(params[SH.maxCount][0].value)
        if high == 0:
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} {_value_pattern(shape)} }}"
            yield from ((_COMPONENT[kind], (r[0], None)) for r in run.rows(query, ("this",)))
            return
        yield from ((_COMPONENT[kind], row) for row in _count(run, shape, focus, f"?n > {high}"))
    elif kind == "class":
        for cls in params[SH["class"]]:
            classes = run.subclasses(cls)
            test = (f"FILTER NOT EXISTS {{ ?value rdf:type/rdfs:subClassOf* {_n3(cls)} }}" if classes is None else
                    f"{_without(run)} {{ VALUES ?vjkgClass {{ {' '.join(_n3(c) for c in classes)} }} "
                    "?value rdf:type ?vjkgClass }")
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {_matching(run, shape, focus, test)} }}")
            yield from ((_COMPONENT[kind], (r[0], r[1])) for r in run.rows(query, ("this", "value")))
    elif kind == "nodeKind":
        test = _NODE_KINDS[params[SH.nodeKind][0]]
        yield from ((_COMPONENT[kind], row) for row in _pairs(run, shape, focus, f"FILTER (!({test}))"))
    elif kind in _BY_VALUE:
        yield from _value_constraint(run, shape, focus, kind)
    elif kind == "hasValue":
        for value in set(params[SH.hasValue]):
            query = (f"SELECT ?this WHERE {{ {focus} {_without(run)} {{ "
                     f"{_value_pattern(shape).replace('?value', _n3(value))} }} }}")
            if shape.path is None:
                query = f"SELECT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {_n3(value)})) }}"
            yield from ((_COMPONENT[kind], (r[0], None)) for r in run.rows(query, ("this",)))
    elif kind == "uniqueLang":
        if params[SH.uniqueLang][0].value is True:
            extra = ("FILTER EXISTS { ?this " + path_sparql(shape.path) + " ?other "  # type: ignore[arg-type]
                     "FILTER (!sameTerm(?other, ?value) && LANG(?value) != \"\" "
                     "&& LCASE(LANG(?value)) = LCASE(LANG(?other))) }")
            languages: dict[Identifier, Counter[str]] = defaultdict(Counter)
            for f, v in _pairs(run, shape, focus, extra):
                if isinstance(v, Literal) and v.language:
                    languages[f][v.language.lower()] += 1
            for f, counts in languages.items():
                for _language in (lang for lang, n in counts.items() if n > 1):
                    yield _COMPONENT[kind], (f, None)
    elif kind in ("lessThan", "disjoint", "equals"):
        yield from _pair_constraint(run, shape, focus, kind)
    elif kind in ("node", "or", "and", "not"):
        yield from _logical(run, shape, focus, kind)
    elif kind == "qualified":
        yield from _qualified(run, shape, focus)
    else:  # pragma: no cover - _SUPPORTED and this function list the same kinds
        raise NotCompiled(kind)


_BY_VALUE = {"datatype", "pattern", "minLength", "maxLength", "range", "in", "languageIn"}


def _value_constraint(run: _Run, shape: _Shape, focus: _Focus, kind: str) -> Iterator[tuple[Identifier, Row]]:
    """The components that judge each value node alone (:func:`_by_value`)."""
    params = shape.params
    if kind == "datatype":
        datatype = params[SH.datatype][0]
        sure = _SURE_DATATYPE.get(datatype, "false")
        yield from ((_COMPONENT[kind], row) for row in _by_value(
            run, shape, focus, sure, lambda v: not _datatype_ok(v, datatype)))
    elif kind == "pattern":
        for pattern in params[SH.pattern]:
            matcher = _regex(pattern)
            yield from ((_COMPONENT[kind], row) for row in _by_value(
                run, shape, focus, "false", partial(_pattern_fails, matcher)))
    elif kind in ("minLength", "maxLength"):
        limit = int(params[SH.minLength if kind == "minLength" else SH.maxLength][0].value)
        op = ">=" if kind == "minLength" else "<="
        sure = f"!isBlank(?value) && STRLEN(STR(?value)) {op} {limit}"
        if kind == "minLength" and limit == 0:
            return

        def judge(v: Identifier, limit: int = limit, kind: str = kind) -> bool:
            if isinstance(v, BNode):
                return True
            size = len(_string(v))
            return size < limit if kind == "minLength" else size > limit
        yield from ((_COMPONENT[kind], row) for row in _by_value(run, shape, focus, sure, judge))
    elif kind == "range":
        for key, (component, op) in _RANGE.items():
            for bound in params.get(key, ()):
                sure = _sure_range(bound, op)
                yield from ((component, row) for row in _by_value(
                    run, shape, focus, sure, lambda v, b=bound, o=op: not _in_range(v, b, o)))  # type: ignore[misc]
    elif kind == "in":
        allowed = set(_items(run.plan.graph, params[SH["in"]][0]))
        yield from ((_COMPONENT[kind], row) for row in _by_value(
            run, shape, focus, "false", lambda v: v not in allowed))
    elif kind == "languageIn":
        wanted = {str(getattr(x, "value", x)).lower() for x in _items(run.plan.graph, params[SH.languageIn][0])}
        yield from ((_COMPONENT[kind], row) for row in _by_value(
            run, shape, focus, "false", lambda v: not _language_ok(v, wanted)))


def _pair_constraint(run: _Run, shape: _Shape, focus: _Focus, kind: str) -> Iterator[tuple[Identifier, Row]]:
    key = {"lessThan": SH.lessThan, "disjoint": SH.disjoint, "equals": SH.equals}[kind]
    for other in set(shape.params[key]):
        if kind == "disjoint":
            yield from ((_COMPONENT[kind], row) for row in _pairs(run, shape, focus, f"?this {_n3(other)} ?value ."))
        elif kind == "equals":
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ {_value_pattern(shape)} "
                     f"FILTER NOT EXISTS {{ ?this {_n3(other)} ?value }} }} UNION {{ ?this {_n3(other)} ?value "
                     f"FILTER NOT EXISTS {{ {_value_pattern(shape)} }} }} }}")
            yield from ((_COMPONENT[kind], (r[0], r[1])) for r in run.rows(query, ("this", "value")))
        else:
            # Oxigraph compares two xsd:integer only when both lexical forms are integers, which
            # Python's int() reads too: then pySHACL's comparison agrees
            sure = "DATATYPE(?value) = xsd:integer && DATATYPE(?other) = xsd:integer && ?value < ?other"
            extra = f"?this {_n3(other)} ?other FILTER (!COALESCE({sure}, false))"
            query = f"SELECT DISTINCT ?this ?value ?other WHERE {{ {_matching(run, shape, focus, extra)} }}"
            if isinstance(shape.path, URIRef) and not run.small:
                # the two predicates' triples hash-joined, not one lookup per row (1,000 articles'
                # oa:start < oa:end: 1.4 s -> 0.4 s); the same pairs as _matching's pattern
                pairs = (f"{{ SELECT * WHERE {{ ?this {_n3(shape.path)} ?value }} }} "
                         f"{{ SELECT * WHERE {{ ?this {_n3(other)} ?other }} }}")
                query = (f"SELECT DISTINCT ?this ?value ?other WHERE {{ {{ SELECT * WHERE {{ {pairs} "
                         f"FILTER (!COALESCE({sure}, false)) }} }} FILTER EXISTS {{ {focus.member('?this')} }} }}")
            for f, v, c in run.rows(query, ("this", "value", "other")):
                if _not_less(v, c):
                    yield _COMPONENT[kind], (f, v)


def _logical(run: _Run, shape: _Shape, focus: _Focus, kind: str) -> Iterator[tuple[Identifier, Row]]:
    values = _values_focus(run, shape, focus)
    key = {"node": SH.node, "or": SH["or"], "and": SH["and"], "not": SH["not"]}[kind]
    for argument in shape.params[key]:
        if kind == "node":
            bad = _failing(run, argument, values)
        elif kind == "not":
            candidates = {r[1] for r in _pairs(run, shape, focus) if r[1] is not None}
            bad = candidates - _failing(run, argument, values)
        else:
            members = list(dict.fromkeys(_items(run.plan.graph, argument)))
            failing = [_failing(run, member, values) for member in members]
            bad = set.intersection(*failing) if kind == "or" else set.union(*failing)
        yield from ((_COMPONENT[kind], row) for row in _pairs_with_values(run, shape, focus, bad))


def _qualified(run: _Run, shape: _Shape, focus: _Focus) -> Iterator[tuple[Identifier, Row]]:
    params = shape.params
    low = int(params[SH.qualifiedMinCount][0].value) if SH.qualifiedMinCount in params else None
    high = int(params[SH.qualifiedMaxCount][0].value) if SH.qualifiedMaxCount in params else None
    bad = _failing(run, params[SH.qualifiedValueShape][0], _values_focus(run, shape, focus))
    counts: Counter[Identifier] = Counter()
    if bad:
        pairs = _pairs(run, shape, focus)
        every = {f for f, _v in pairs}
        for f, v in pairs:
            if v not in bad:
                counts[f] += 1
    else:
        query = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                 f"OPTIONAL {{ {_value_pattern(shape)} }} }} GROUP BY ?this")
        every = set()
        for f, n in run.rows(query, ("this", "n")):
            every.add(f)
            counts[f] = int(n.value) if n is not None else 0
    if low is not None and low > 0:
        every |= {r[0] for r in run.rows(f"SELECT ?this WHERE {{ {focus} }}", ("this",))}
    for f in sorted(every, key=str):
        if high is not None and counts[f] > high:
            yield SH.QualifiedMaxCountConstraintComponent, (f, None)
        if low is not None and counts[f] < low:
            yield SH.QualifiedMinCountConstraintComponent, (f, None)


# --- pySHACL's rules for one value ----------------------------------------------------------

def _string(value: Identifier) -> str:
    """pySHACL's string form of a value node (for sh:pattern and the length constraints)."""
    if isinstance(value, Literal) and value.value is not None and value.datatype in (None, RDF.langString, XSD.string):
        return str(value.value)
    return str(value)


def _pattern_fails(matcher: re.Pattern[str], value: Identifier) -> bool:
    return isinstance(value, BNode) or not matcher.search(_string(value))


def _regex(pattern: Literal) -> re.Pattern[str]:
    text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    return re.compile(text)


def _datatype_ok(value: Identifier, datatype: URIRef) -> bool:
    """pySHACL's DatatypeConstraintComponent on one value node."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual_datatype(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _actual_datatype(value, datatype)
    if datatype == RDF.langString and value.language:
        return _actual_datatype(value, datatype)
    return False


def _actual_datatype(value: Literal, datatype: URIRef) -> bool:
    from datetime import date, datetime, time
    python = value.value
    checks: dict[URIRef, Callable[[object], bool]] = {
        XSD.string: lambda x: isinstance(x, (str, bytes)), RDF.langString: lambda x: isinstance(x, (str, bytes)),
        XSD.integer: lambda x: isinstance(x, int), XSD.float: lambda x: isinstance(x, float),
        XSD.decimal: lambda x: isinstance(x, Decimal), XSD.boolean: lambda x: isinstance(x, bool),
        XSD.date: lambda x: isinstance(x, date), XSD.time: lambda x: isinstance(x, time),
        XSD.dateTime: lambda x: isinstance(x, datetime)}
    check = checks.get(datatype)
    return True if check is None else check(python)


def _sure_range(bound: Literal, op: str) -> str:
    if bound.datatype == XSD.integer and isinstance(bound.value, int):
        return f"isLiteral(?value) && DATATYPE(?value) = xsd:integer && ?value {op} {int(bound.value)}"
    return "false"


def _in_range(value: Identifier, bound: Literal, op: str) -> bool:
    """pySHACL's value-range components on one value node."""
    from pyshacl.rdfutil.compare import compare_literal
    if not isinstance(value, Literal):
        return False
    bound_is_string = isinstance(bound.value, str)
    if bound_is_string != isinstance(value.value, str):
        return False
    try:
        cmp = compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return False
    return {">=": cmp >= 0, ">": cmp > 0, "<=": cmp <= 0, "<": cmp < 0}[op]


def _language_ok(value: Identifier, wanted: set[str]) -> bool:
    if not isinstance(value, Literal) or not value.language:
        return False
    language = str(value.language).lower()
    return "*" in wanted or language in wanted or language.split("-")[0] in wanted


def _not_less(value: Identifier, other: Identifier) -> bool:
    """pySHACL's sh:lessThan on one pair: True when it gives a result."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise NotCompiled("sh:lessThan on a blank node (pySHACL stops with an error)")
    left: object = value
    right: object = other
    left_string = right_string = False
    if isinstance(value, URIRef) or (isinstance(value, Literal) and isinstance(value.value, str)):
        left, left_string = (str(value) if isinstance(value, URIRef) else value.value), True
    if isinstance(other, URIRef) or (isinstance(other, Literal) and isinstance(other.value, str)):
        right, right_string = (str(other) if isinstance(other, URIRef) else other.value), True
    if left_string != right_string:
        return True
    try:
        return not left < right  # type: ignore[operator]
    except TypeError as exc:
        raise NotCompiled(f"sh:lessThan cannot compare {value!r} and {other!r}") from exc
