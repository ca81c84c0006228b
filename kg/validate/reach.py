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

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import SH
from kg.validate.results import PathExpr, path_expr

__all__ = ["reach"]

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
