"""How far from a focus node a set of shapes reads: what makes splitting the graph exact.

A shape whose paths only go forward reads a bounded set of triples around each focus node:
``ex:p`` reads the focus node's own triples (reach 1), ``ex:p/ex:q`` also those of its
``ex:p`` values (reach 2), ``sh:class`` on a value also the value's ``rdf:type`` triples
(one more) and the ``rdfs:subClassOf`` triples (kept whole in every part), ``sh:node`` on a
value whatever the nested shape reads from there. :func:`reach` computes that bound for a
whole shapes graph, or None when there is none: an inverse or ``*``/``+`` path, SPARQL
(constraints, components, targets), a target that is not a triple of the focus node
(``sh:targetNode``, ``sh:targetObjectsOf``), a cycle of shapes, or any term of the SHACL
vocabulary this module does not know. With a bound ``k``, the results of a set of focus
nodes are the same on the triples of every node within ``k - 1`` forward hops of them as
on the whole graph, which :mod:`kg.validate.core` uses to validate parts in parallel.
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import SH
from kg.validate.results import PathExpr, path_expr

__all__ = ["query_reach", "reach"]

_VALUE_CHECKS = {  # read nothing beyond the value nodes themselves
    "minCount", "maxCount", "datatype", "nodeKind", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "in", "hasValue",
    "qualifiedMinCount", "qualifiedMaxCount",
}
_FOCUS_CHECKS = {"equals", "disjoint", "lessThan", "lessThanOrEquals", "closed", "ignoredProperties"}
_NESTED = {"node", "and", "or", "not", "xone", "qualifiedValueShape", "property"}
_INERT = {  # descriptive, structural or target terms that read no data beyond the focus node
    "name", "description", "message", "severity", "deactivated", "order", "group", "defaultValue", "path",
    "targetClass", "targetSubjectsOf", "declare", "prefixes", "prefix", "namespace", "labelTemplate",
    "resultAnnotation", "suggestedShapesGraph", "shapesGraph", "entailment",
    # the nodes of a path (read through sh:path, never as shapes)
    "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
    # parts of a constraint component's declaration (a use of one makes the reach unbounded)
    "parameter", "validator", "nodeValidator", "propertyValidator", "select", "ask", "optional",
}
_UNBOUNDED_PATHS = {"inverse", "zeroOrMore", "oneOrMore"}


class _Unbounded(Exception):
    """The shapes read without bound (or in a way this module does not follow)."""


def _path_reach(path: PathExpr) -> int:
    if isinstance(path, URIRef):
        return 1
    kind, inner = path
    if kind in _UNBOUNDED_PATHS:
        raise _Unbounded(kind)
    if kind == "sequence":
        total = 0
        for member in inner:  # type: ignore[attr-defined]
            total += _path_reach(member)
        return total
    if kind == "alternative":
        return max(_path_reach(p) for p in inner)  # type: ignore[attr-defined]
    return _path_reach(inner)  # type: ignore[arg-type]  # zeroOrOne


def _members(shapes: Graph, value: Node) -> list[Node]:
    return list(Collection(shapes, value)) if (value, RDF.first, None) in shapes else [value]


def _shape_reach(shapes: Graph, shape: Node, stack: tuple[Node, ...]) -> int:
    """How far from its focus node ``shape`` reads (1: the focus node's own triples)."""
    if shape in stack:
        raise _Unbounded("a cycle of shapes")
    stack += (shape,)
    path_node = shapes.value(shape, SH.path)
    hops = _path_reach(path_expr(shapes, path_node)) if path_node is not None else 0
    farthest = max(hops, 1)
    for key, value in shapes.predicate_objects(shape):
        if not isinstance(key, URIRef) or not str(key).startswith(str(SH)):
            continue
        name = str(key)[len(str(SH)):]
        if name in _INERT or name in _VALUE_CHECKS:
            continue
        if name in _FOCUS_CHECKS or name == "class":
            farthest = max(farthest, hops + 1)
        elif name in _NESTED:
            for member in _members(shapes, value):
                farthest = max(farthest, hops + _shape_reach(shapes, member, stack))
        else:
            raise _Unbounded(f"sh:{name}")
    return farthest


def reach(shapes: Graph) -> int | None:
    """The reach of ``shapes`` (see the module's documentation), or None when it is unbounded."""
    try:
        if any(True for _ in shapes.subjects(RDF.type, SH.ConstraintComponent)):
            used = [p for c in shapes.subjects(RDF.type, SH.ConstraintComponent)
                    for param in shapes.objects(c, SH.parameter) for p in shapes.objects(param, SH.path)]
            if any(True for p in used for _ in shapes.subject_objects(p)):
                raise _Unbounded("a constraint component")
        for key in (SH.targetNode, SH.targetObjectsOf, SH.target, SH.sparql):
            if any(True for _ in shapes.subject_objects(key)):
                raise _Unbounded(str(key))
        roots = {s for s, p in shapes.subject_predicates() if str(p).startswith(str(SH))}
        return max([1] + [_shape_reach(shapes, shape, ()) for shape in roots])
    except (_Unbounded, InputError):
        return None


# --- SPARQL constraints ------------------------------------------------------------------------

def _hops(path: object) -> int:
    """Forward hops of a predicate or property path (IRIs, sequences, alternatives only)."""
    from rdflib.paths import AlternativePath, SequencePath
    if isinstance(path, URIRef):
        return 1
    if isinstance(path, SequencePath):
        return sum(_hops(p) for p in path.args)
    if isinstance(path, AlternativePath):
        return max(_hops(p) for p in path.args)
    raise _Unbounded(f"the path {path}")


class _QueryReach:
    """The deepest subject a query reads, as forward hops from ``$this`` (0: its own triples)."""

    def __init__(self) -> None:
        self.deepest = 0

    def triples(self, triples: list[tuple[object, object, object]], known: dict[str, int]) -> dict[str, int]:
        """A basic graph pattern: every subject must be ``$this`` or a variable reached from it."""
        from rdflib.term import Variable
        depth = dict(known)
        left = list(triples)
        while left:
            ready = [t for t in left if isinstance(t[0], Variable) and str(t[0]) in depth]
            if not ready:
                raise _Unbounded("a triple pattern whose subject is not reached from $this")
            for s, p, o in ready:
                left.remove((s, p, o))
                self.deepest = max(self.deepest, depth[str(s)] + _hops(p) - 1)
                if isinstance(o, Variable):
                    depth[str(o)] = min(depth.get(str(o), 1 << 30), depth[str(s)] + _hops(p))
        return depth

    def pattern(self, node: object, known: dict[str, int]) -> dict[str, int]:
        """The depths of the variables bound in every solution of ``node`` (an algebra node)."""
        from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
        from rdflib.plugins.sparql.parserutils import CompValue
        if not isinstance(node, CompValue):
            raise _Unbounded(f"a query part {type(node).__name__}")
        name = node.name
        if name == "GroupGraphPatternSub":
            return self.pattern(translateGroupGraphPattern(node), known)
        if name == "BGP":
            return self.triples([tuple(t) for t in node["triples"]], known)
        if name in ("Join", "LeftJoin"):
            first = self.pattern(node["p1"], known)
            second = self.pattern(node["p2"], {**known, **first})
            if name == "LeftJoin":
                self.expression(dict.get(node, "expr"), {**known, **first, **second})
                return first
            return {**first, **second}
        if name == "Union":
            one, other = self.pattern(node["p1"], known), self.pattern(node["p2"], known)
            return {v: max(one[v], other[v]) for v in set(one) & set(other)}
        if name == "Filter":
            inner = self.pattern(node["p"], known)
            self.expression(node["expr"], {**known, **inner})
            return inner
        if name == "Extend":
            inner = self.pattern(node["p"], known)
            self.expression(node["expr"], {**known, **inner})
            return {k: v for k, v in inner.items() if k != str(node["var"])}
        raise _Unbounded(f"{name} in a SPARQL constraint")

    def expression(self, expr: object, known: dict[str, int]) -> None:
        """The graph patterns of EXISTS and NOT EXISTS in ``expr`` (outer bindings substituted)."""
        from rdflib.plugins.sparql.parserutils import CompValue
        if isinstance(expr, CompValue):
            if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                self.pattern(expr["graph"], known)
                return
            for value in expr.values():
                self.expression(value, known)
        elif isinstance(expr, (list, tuple)):
            for value in expr:
                self.expression(value, known)


@lru_cache(maxsize=None)
def query_reach(text: str) -> int | None:
    """The reach of a SELECT query as a SPARQL constraint, like :func:`reach` for core shapes:
    the results for a focus node depend only on triples whose subject is within ``reach - 1``
    forward hops of it. None when that cannot be shown: a triple pattern not reached from
    ``$this`` (an inverse or ``*`` path, a constant subject), a subquery, ``VALUES``,
    ``MINUS``, ``GRAPH``, ``SERVICE``, grouping, ordering or ``LIMIT``."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    try:  # a parse of its own: translating changes the tree
        algebra = translateQuery(parseQuery(text)).algebra
        walker = _QueryReach()
        if algebra.name != "SelectQuery":
            return None
        top = algebra["p"]
        while top.name in ("Project", "Distinct", "Reduced"):
            top = top["p"]
        walker.pattern(top, {"this": 0})
        return walker.deepest + 1
    except _Unbounded:
        return None
    except Exception:  # a query rdflib cannot read: no claim about it
        return None
