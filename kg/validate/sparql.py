"""SHACL-SPARQL: the shapes' queries checked as the spec says, and a fast path where it is exact.

Every SPARQL constraint and SPARQL-based component validator of the shapes is parsed first;
one that breaks the pre-binding rules (:mod:`kg.validate.prebinding`) makes the whole
shapes graph refused with :class:`ShapesRefused`, as the spec requires.

A conforming engine runs a constraint once per focus node with ``$this`` pre-bound (pySHACL
does, through rdflib: on a large graph nearly all its time). Where the pre-bound variables
occur only in the query's top-level group (:func:`kg.validate.prebinding.top_level_only`),
joining all focus nodes in front of that group gives the same rows, so such a constraint
runs here as one query over the whole graph. Any other constraint stays with pySHACL, per
focus node. Only constraints of shapes validated for their own targets are split off (a
shape reached through ``sh:node``, ``sh:or`` & co. keeps its SPARQL), so the split never
changes what is checked.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Identifier, Node

from kg.errors import InputError
from kg.namespaces import SH, compact
from kg.validate.prebinding import ALWAYS_PREBOUND, parse, refusal, top_level_only
from kg.validate.results import PathExpr, RawResult, path_expr, path_sparql

__all__ = ["SHAPES_GRAPH", "Rows", "ShapesRefused", "SparqlCheck", "check_queries", "core_shapes", "oxigraph_rows",
           "rdflib_rows", "restricted", "run_checks", "run_per_node", "sparql_checks", "to_rdflib"]

_NESTING = (SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.qualifiedValueShape)
_VALIDATORS = (SH.validator, SH.nodeValidator, SH.propertyValidator)
_TARGET_PATTERNS = {
    SH.targetClass: "{{ ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {node} }}",
    SH.targetNode: "{{ VALUES ?this {{ {node} }} }}",
    SH.targetSubjectsOf: "{{ ?this {node} ?vjkgAnyObject }}",
    SH.targetObjectsOf: "{{ ?vjkgAnySubject {node} ?this }}",
}
_TARGETS_START, _TARGETS_END = "{ SELECT DISTINCT ?this WHERE { ", " } }"  # the subquery of a shape's focus nodes
_BRACE = re.compile(r"[{}]")
_SHAPES_GRAPH = re.compile(r"[?$]shapesGraph\b")
_OTHER_PREBOUND = re.compile(r"[?$](shapesGraph|currentShape)\b")
#: the name the shapes graph has in the dataset a ``$shapesGraph`` query runs on
SHAPES_GRAPH = URIRef("urn:x-vjkg:shapes-graph")
_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')

#: A way to run a SELECT query on the data: the query text -> rows of variable -> rdflib term.
Rows = Callable[[str], Iterator[dict[str, Identifier]]]


class ShapesRefused(InputError):
    """The shapes graph is ill-formed in a way SHACL says an engine must refuse."""


@dataclass(frozen=True)
class SparqlCheck:
    """A SPARQL constraint (or SPARQL-based component use) with the query that runs it on all targets."""

    shape: Identifier  # the shape that owns the constraint (node shape, or property shape for a component)
    severity: Identifier
    component: Identifier
    source_constraint: Identifier | None
    path: PathExpr | None  # the property shape's path, for components
    query: str
    messages: tuple[Literal, ...]
    bound: tuple[tuple[str, Identifier], ...]  # parameter values, for the messages
    focus: str = ""  # for a per-node check: the subquery of its focus nodes (``query`` is then the constraint's own)
    own: str = ""  # the constraint's query without its focus nodes (for :func:`kg.validate.reach.query_reach`)
    local: bool = False  # its focus nodes are found from their own triples (no sh:targetObjectsOf)


def _name(term: object) -> str:
    return compact(term) if isinstance(term, URIRef) else "a blank node"


def prefixes(shapes: Graph, node: Node) -> str:
    """The PREFIX lines of ``node``'s ``sh:prefixes``, following ``owl:imports``."""
    lines: set[str] = set()
    seen: set[Node] = set()
    frontier = list(shapes.objects(node, SH.prefixes))
    while frontier:
        holder = frontier.pop()
        if holder in seen:
            continue
        seen.add(holder)
        frontier.extend(shapes.objects(holder, OWL.imports))
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.add(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines))


def _components(shapes: Graph) -> dict[Identifier, tuple[list[Identifier], list[Identifier]]]:
    """Declared constraint components: component -> (parameter paths, validators)."""
    found = {}
    for component in shapes.subjects(RDF.type, SH.ConstraintComponent):
        parameters = [shapes.value(p, SH.path) for p in shapes.objects(component, SH.parameter)]
        validators = [v for key in _VALIDATORS for v in shapes.objects(component, key)]
        found[component] = ([p for p in parameters if p is not None], validators)
    return found  # type: ignore[return-value]


def _local(parameter: Identifier) -> str:
    return re.split(r"[#/:]", str(parameter))[-1]


def check_queries(shapes: Graph) -> None:
    """Refuse (ShapesRefused) a shapes graph with a query that does not parse or breaks the
    pre-binding rules; the message names the shape or component and the construct."""
    for shape, constraint in shapes.subject_objects(SH.sparql):
        for key in (SH.select, SH.ask):
            text = shapes.value(constraint, key)
            if text is not None:
                _check(shapes, constraint, str(text), ALWAYS_PREBOUND, f"shape {_name(shape)}")
    for component, (parameters, validators) in _components(shapes).items():
        names = ALWAYS_PREBOUND + tuple(_local(p) for p in parameters)
        for validator in validators:
            for key, extra in ((SH.select, ()), (SH.ask, ("value",))):
                text = shapes.value(validator, key)
                if text is not None:
                    _check(shapes, validator, str(text).replace("$PATH", "<urn:vjkg:path>"), names + extra,
                           f"constraint component {_name(component)}")


def _check(shapes: Graph, holder: Node, text: str, prebound: tuple[str, ...], owner: str) -> None:
    try:
        query = parse(prefixes(shapes, holder) + "\n" + text)
    except SyntaxError as exc:
        raise ShapesRefused(f"{owner}: its SPARQL query is refused: {exc}") from exc
    construct = refusal(query, prebound)
    if construct is not None:
        raise ShapesRefused(f"{owner}: its SPARQL query uses {construct}, which SHACL forbids where "
                            f"variables are pre-bound")


def _n3(term: Node) -> str:
    return str(term.n3())


def _targets(shapes: Graph, node_shape: Node) -> str | None:
    """A subquery giving the focus nodes of ``node_shape``; None when it has none or one this
    module does not translate (SPARQL-based ``sh:target``)."""
    if (node_shape, SH.target, None) in shapes:
        return None
    patterns = [template.format(node=_n3(node))
                for key, template in _TARGET_PATTERNS.items() for node in shapes.objects(node_shape, key)
                if not isinstance(node, BNode)]
    if (node_shape, RDF.type, RDFS.Class) in shapes and isinstance(node_shape, URIRef):
        patterns.append(_TARGET_PATTERNS[SH.targetClass].format(node=_n3(node_shape)))
    if not patterns:
        return None
    return _TARGETS_START + " UNION ".join(sorted(patterns)) + _TARGETS_END


def _where(select: str) -> int:
    """Where the WHERE group of ``select`` opens (the first brace outside strings, IRIs and comments)."""
    position = 0
    while True:
        skip = _SKIP.search(select, position)
        brace = select.find("{", position)
        if brace < 0:
            raise InputError("a SELECT query without a WHERE group")
        if skip is None or brace < skip.start():
            return brace
        position = skip.end()


def _with_focus(select: str, block: str) -> str:
    """``select`` with ``block`` joined at the start of its WHERE group."""
    brace = _where(select)
    return select[:brace + 1] + f"\n{block}\n" + select[brace + 1:]


def _constraint_messages(shapes: Graph, constraint: Node, shape: Node) -> tuple[Literal, ...]:
    """A SPARQL constraint's result messages as pySHACL gives them: the shape's own
    ``sh:message`` values, then the constraint's that are not among them (both templated)."""
    own = tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
    return own + tuple(m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal) and m not in own)


def _messages(shapes: Graph, *nodes: Node) -> tuple[Literal, ...]:
    for node in nodes:
        found = tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal))
        if found:
            return found
    return ()


def _severity(shapes: Graph, shape: Node) -> Identifier:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


def _is_active(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) != Literal(True)


def _nested_shapes(shapes: Graph) -> set[Node]:
    """Shapes used inside other shapes (their SPARQL constraints stay with pySHACL)."""
    nested: set[Node] = set()
    for key in _NESTING:
        for _shape, value in shapes.subject_objects(key):
            if (value, RDF.first, None) in shapes:
                nested.update(Collection(shapes, value))
            else:
                nested.add(value)
    return nested


def _fast(query_text: str, prebound: tuple[str, ...]) -> bool:
    """True when one whole-graph query gives what pre-binding would (``$currentShape`` and
    ``$shapesGraph`` are not joined in: a query naming them runs per focus node)."""
    if _OTHER_PREBOUND.search(query_text):
        return False
    try:
        return top_level_only(parse(query_text), prebound)
    except SyntaxError:
        return False


def _constraint_checks(shapes: Graph, node_shape: Node, focus: str) -> Iterator[SparqlCheck]:
    for constraint in sorted(shapes.objects(node_shape, SH.sparql), key=str):
        select = shapes.value(constraint, SH.select)
        if select is None or not _is_active(shapes, constraint):
            continue
        text = prefixes(shapes, constraint) + "\n" + str(select)
        if not _fast(text, ALWAYS_PREBOUND):
            if _SHAPES_GRAPH.search(str(select)):  # pySHACL cannot run these: kg runs them per focus node
                yield SparqlCheck(
                    shape=node_shape, severity=_severity(shapes, node_shape),  # type: ignore[arg-type]
                    component=SH.SPARQLConstraintComponent, source_constraint=constraint,  # type: ignore[arg-type]
                    path=None, query=text, messages=_constraint_messages(shapes, constraint, node_shape), bound=(), focus=focus)
            continue
        yield SparqlCheck(
            shape=node_shape, severity=_severity(shapes, node_shape),  # type: ignore[arg-type]
            component=SH.SPARQLConstraintComponent, source_constraint=constraint,  # type: ignore[arg-type]
            path=None, query=_with_focus(text, focus), messages=_constraint_messages(shapes, constraint, node_shape), bound=(),
            own=text)


def _component_checks(shapes: Graph, node_shape: Node, focus: str) -> Iterator[SparqlCheck]:
    """Uses of single-parameter SPARQL SELECT property validators by the shape's property shapes."""
    for component, (parameters, validators) in _components(shapes).items():
        validator = shapes.value(component, SH.propertyValidator)
        if len(parameters) != 1 or validator is None or shapes.value(validator, SH.select) is None:
            continue
        if shapes.value(component, SH.validator) is not None or shapes.value(component, SH.nodeValidator):
            continue
        parameter, name = parameters[0], _local(parameters[0])
        for prop in sorted(shapes.objects(node_shape, SH.property), key=str):
            argument = shapes.value(prop, parameter)
            path_node = shapes.value(prop, SH.path)
            if argument is None or path_node is None or not _is_active(shapes, prop) or isinstance(argument, BNode):
                continue
            path = path_expr(shapes, path_node)
            text = prefixes(shapes, validator) + "\n" + str(shapes.value(validator, SH.select)).replace(
                "$PATH", path_sparql(path))
            if not _fast(text, ALWAYS_PREBOUND + (name,)):
                continue
            block = f"{focus}\nVALUES ?{name} {{ {_n3(argument)} }}"
            yield SparqlCheck(
                shape=prop, severity=_severity(shapes, prop), component=component,  # type: ignore[arg-type]
                source_constraint=None, path=path, query=_with_focus(text, block),
                messages=_messages(shapes, prop, validator, component), bound=((name, argument),),  # type: ignore[arg-type]
                own=text)


def sparql_checks(shapes: Graph) -> list[SparqlCheck]:
    """The SPARQL constraints and component uses that one whole-graph query runs exactly."""
    nested = _nested_shapes(shapes)
    checks: list[SparqlCheck] = []
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.sparql, None))
    for node_shape in sorted(shape_nodes - nested, key=str):
        if (node_shape, SH.path, None) in shapes or not _is_active(shapes, node_shape):
            continue
        focus = _targets(shapes, node_shape)
        if focus is None:
            continue
        local = (node_shape, SH.targetObjectsOf, None) not in shapes
        checks += [replace(c, local=local) for c in _constraint_checks(shapes, node_shape, focus)]
        checks += [replace(c, local=local) for c in _component_checks(shapes, node_shape, focus) if c.shape not in nested]
    return checks


def restricted(check: SparqlCheck, focus_nodes: Iterable[str]) -> str:
    """``check``'s whole-graph query with its focus nodes limited to ``focus_nodes`` (IRIs in
    N-Triples form): the same rows for those nodes, since the query joins them at its top.

    Where the query starts with the subquery of its targets (:func:`_targets`, as
    :func:`sparql_checks` writes it), the nodes go inside, each tested for membership
    (FILTER EXISTS): Oxigraph evaluates a subquery on its own, and the subquery would list
    every target of the graph first, a cost that grows with the graph."""
    values = "VALUES ?this { " + " ".join(sorted(focus_nodes)) + " }"
    query = check.query
    start = _where(query) + 2  # after the brace and the line break _with_focus puts
    if not check.focus and query.startswith(_TARGETS_START, start):
        end = _group_end(query, start)
        if query.endswith(_TARGETS_END, start, end):
            targets = query[start + len(_TARGETS_START):end - len(_TARGETS_END)]
            return (query[:start] + _TARGETS_START + values + " FILTER EXISTS { " + targets + " }" + _TARGETS_END
                    + query[end:])
    return _with_focus(query, values)


def _group_end(text: str, start: int) -> int:
    """Where the group that opens at ``start`` ends (just after its brace; braces inside
    strings, IRIs and comments do not count)."""
    depth, position = 0, start
    while True:
        brace = _BRACE.search(text, position)
        if brace is None:
            raise InputError("a query whose groups do not close")
        skip = _SKIP.search(text, position)
        if skip is not None and skip.start() <= brace.start():
            position = skip.end()
            continue
        depth += 1 if brace.group() == "{" else -1
        position = brace.end()
        if depth == 0:
            return position


def core_shapes(shapes: Graph, checks: Iterable[SparqlCheck]) -> Graph:
    """``shapes`` without the constraints ``checks`` run, for pySHACL to check the rest."""
    dropped: set[tuple[Node, Node, Node]] = set()
    for check in checks:
        if check.source_constraint is not None:
            dropped.add((check.shape, SH.sparql, check.source_constraint))
        else:
            for parameter in shapes.objects(check.component, SH.parameter):
                key = shapes.value(parameter, SH.path)
                if key is None:
                    continue
                dropped.update((check.shape, key, value) for value in shapes.objects(check.shape, key))
    # only "true" turns sh:uniqueLang on (W3C core/property/uniqueLang-002: "1"^^xsd:boolean does not)
    dropped.update((s, p, o) for s, p, o in shapes.triples((None, SH.uniqueLang, None))
                   if not (isinstance(o, Literal) and o.datatype == XSD.boolean and str(o) == "true"))
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes:
        if triple not in dropped:
            core.add(triple)
    return core


def to_rdflib(term: object) -> Identifier:
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


def oxigraph_rows(store: ox.Store, *, union: bool = False) -> Rows:
    """Run queries on the default graph of ``store`` (only for data whose literals the store
    keeps as written: it rewrites "01"^^xsd:integer as "1"), or on the union of its named
    graphs (the built store, whose literals are its own)."""
    def rows(query: str) -> Iterator[dict[str, Identifier]]:
        solutions = store.query(query, use_default_graph_as_union=union)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for solution in solutions:  # type: ignore[union-attr]
            yield {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
    return rows


def rdflib_rows(graph: Graph) -> Rows:
    """Run queries with rdflib's engine on ``graph`` (terms exactly as parsed)."""
    def rows(query: str) -> Iterator[dict[str, Identifier]]:
        for row in graph.query(query):
            yield {str(k): v for k, v in row.asdict().items() if v is not None}  # type: ignore[union-attr]
    return rows


def _format(message: Literal, bound: dict[str, Identifier]) -> Literal:
    """pySHACL's message templating: ``{?var}`` / ``{$var}`` -> the value's string form."""
    def fill(match: re.Match[str]) -> str:
        value = bound.get(match.group(1))
        return match.group(0) if value is None else str(value)
    return Literal(_PLACEHOLDER.sub(fill, str(message)), lang=message.language)


def run_per_node(data: Graph, shapes: Graph, checks: Iterable[SparqlCheck]) -> list[RawResult]:
    """The results of per-node ``checks``: each query once per focus node with ``$this``,
    ``$currentShape`` and ``$shapesGraph`` pre-bound, on a dataset whose default graph is
    ``data`` and whose graph :data:`SHAPES_GRAPH` is ``shapes``."""
    checks = list(checks)
    if not checks:
        return []
    dataset = Dataset()
    for triple in data:
        dataset.add(triple)
    named = dataset.graph(SHAPES_GRAPH)
    for triple in shapes:
        named.add(triple)
    results: list[RawResult] = []
    for check in checks:
        focus_nodes = [row["this"] for row in rdflib_rows(data)("SELECT ?this WHERE { " + check.focus + " }")]

        def rows(query: str, check: SparqlCheck = check, focus_nodes: list[Identifier] = focus_nodes
                 ) -> Iterator[dict[str, Identifier]]:
            for focus in focus_nodes:
                bindings = {"this": focus, "currentShape": check.shape, "shapesGraph": SHAPES_GRAPH}
                for row in dataset.query(query, initBindings=bindings):
                    yield {**{str(k): v for k, v in row.asdict().items() if v is not None}, "this": focus}  # type: ignore[union-attr]
        results += run_checks(rows, [check], per_node=True)
    return results


def run_checks(rows: Rows, checks: Iterable[SparqlCheck], *, per_node: bool = False) -> list[RawResult]:
    """The results of ``checks`` (the whole-graph ones, unless ``per_node``) on the data ``rows`` queries."""
    results: list[RawResult] = []
    for check in checks:
        if bool(check.focus) != per_node:
            continue
        seen: set[tuple[tuple[str, Identifier], ...]] = set()
        for row in rows(check.query):
            key = tuple(sorted(row.items()))
            focus = row.get("this")
            if focus is None or key in seen:  # a conforming engine drops duplicate rows of one focus node
                continue
            seen.add(key)
            path: PathExpr | None = check.path
            if check.path is None and isinstance(row.get("path"), URIRef):
                path = row["path"]  # type: ignore[assignment]
            value = row.get("value")
            if value is None and check.path is None:
                value = focus  # a node shape's constraint without ?value reports the focus node
            bound = {**dict(check.bound), **row, "this": focus}
            if value is not None:
                bound["value"] = value
            if path is not None and isinstance(path, URIRef):
                bound["path"] = path
            results.append(RawResult(
                severity=check.severity, source_shape=check.shape, component=check.component, focus=focus,
                path=path, value=value, source_constraint=check.source_constraint,
                messages=tuple(dict.fromkeys(_format(m, bound) for m in check.messages))))
    return results
