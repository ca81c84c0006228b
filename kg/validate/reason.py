"""OWL reasoning over the ontology, the reference data and (optionally) the built graph.

HermiT (run by owlready2 on Java) checks that the graph is consistent, finds unsatisfiable
classes, and classifies individuals: a person who holds a post becomes a ``vjo:Official``
because that class is defined. What HermiT is given is the *OWL projection* of the data:
the T-box files whole, and of the data only the class assertions and the property values
that the ontology declares, of the right kind (an object property with an IRI, a datatype
property with a literal). Labels, notes and terms outside the ontology are left out and
counted; they carry no meaning for the reasoner and only slow it down.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ReasonerError
from kg.files import internal_query
from kg.store.working import add_files, ontology_files
from kg.namespaces import compact

__all__ = ["InferredClass", "ReasoningReport", "reason", "render_json", "render_text"]

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = ox.NamedNode(RDF + "type")
_KEPT_AS_IS = {OWL + "sameAs", OWL + "differentFrom"}
_SHOWN_PER_CLASS = 10


@dataclass(frozen=True, order=True)
class InferredClass:
    """A class and the individuals the reasoner newly placed in it (not asserted)."""

    cls: str
    individuals: tuple[str, ...]


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT concluded. ``ok`` is false when the graph is inconsistent or a class is
    unsatisfiable."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    inferred: tuple[InferredClass, ...]
    triples: int  # given to the reasoner
    left_out: int  # data triples outside the ontology's vocabulary
    explanation: str | None = None  # why it is inconsistent, when a simple clash explains it

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


@dataclass(frozen=True)
class _Vocabulary:
    classes: frozenset[str]
    object_properties: frozenset[str]
    datatype_properties: frozenset[str]


def _solutions(store: ox.Store, name: str) -> ox.QuerySolutions:
    """The rows of the internal SELECT query ``name``."""
    rows = store.query(internal_query(name))
    assert isinstance(rows, ox.QuerySolutions)
    return rows


def _declared(tbox: ox.Store, kind: str) -> frozenset[str]:
    query = internal_query("declared-terms")
    rows = tbox.query(query, substitutions={ox.Variable("kind"): ox.NamedNode(f"{OWL}{kind}")})
    assert isinstance(rows, ox.QuerySolutions)
    return frozenset(str(getattr(row["term"], "value", "")) for row in rows)


def _vocabulary(tbox: ox.Store) -> _Vocabulary:
    return _Vocabulary(_declared(tbox, "Class"), _declared(tbox, "ObjectProperty"),
                       _declared(tbox, "DatatypeProperty"))


def _keeps(triple: ox.Triple | ox.Quad, vocabulary: _Vocabulary) -> bool:
    """Whether a data triple means something to the reasoner, and is of the declared kind."""
    predicate, value = triple.predicate.value, triple.object
    if triple.predicate == RDF_TYPE:
        return isinstance(value, ox.NamedNode) and (value.value in vocabulary.classes
                                                    or value.value == OWL + "NamedIndividual")
    if predicate in vocabulary.object_properties:
        return isinstance(value, (ox.NamedNode, ox.BlankNode))
    if predicate in vocabulary.datatype_properties:
        return isinstance(value, ox.Literal)
    return predicate in _KEPT_AS_IS


def _is_schema_statement(triple: ox.Triple | ox.Quad) -> bool:
    """An axiom rather than a fact (the T-box comes from the ontology files, not the data)."""
    predicate = triple.predicate.value
    if predicate.startswith((OWL, RDFS)) or predicate in (RDF + "first", RDF + "rest"):
        return True
    return triple.predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode) and \
        triple.object.value.startswith((OWL, RDFS))


def _projection(data: ox.Store | None, tbox: ox.Store, vocabulary: _Vocabulary) -> tuple[ox.Store, int]:
    """The T-box plus the OWL projection of ``data``, and how many facts of ``data`` were left
    out (axioms in the data are ignored silently: the T-box comes from the ontology files)."""
    projected = ox.Store()
    projected.extend(tbox)
    left_out = 0
    if data is not None:
        kept = []
        for quad in data:
            if _keeps(quad, vocabulary):
                kept.append(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
            elif not _is_schema_statement(quad):
                left_out += 1
        projected.extend(kept)
    return projected, left_out


def _explain(projected: ox.Store) -> str | None:
    """The commonest causes of an inconsistent graph: a node typed with two disjoint classes,
    a literal outside the range of its datatype property."""
    clashes = [f"{compact(row['node'])} is both {compact(row['first'])} and "
               f"{compact(row['second'])}, which are disjoint"
               for row in _solutions(projected, "disjoint-clash")]
    clashes += [f"{compact(row['node'])} has {compact(row['property'])} {row['value']}, "
                f"outside its range {compact(row['range'])}"
                for row in _solutions(projected, "range-clash")]
    return "; ".join(clashes) or None


def _check_java(owlready2: object) -> None:
    """Fail early and clearly when the Java owlready2 will call is not there."""
    if shutil.which(getattr(owlready2, "JAVA_EXE", None) or "java") is None:
        raise ReasonerError("the OWL reasoner (HermiT) needs Java, and no `java` was found on PATH: "
                            "install a Java runtime (17 or later)")


def _types(world: object, individuals: list[str]) -> dict[str, set[str]]:
    """The named classes owlready2 lists for each individual (after reasoning: the most
    specific ones HermiT found)."""
    import owlready2

    types: dict[str, set[str]] = {}
    for iri in individuals:
        entity = world[iri]  # type: ignore[index]
        if entity is not None and hasattr(entity, "is_a"):
            types[iri] = {c.iri for c in entity.is_a if isinstance(c, owlready2.ThingClass)}
    return types


def _run_hermit(path: Path, individuals: list[str]) -> tuple[bool, tuple[str, ...], tuple[InferredClass, ...]]:
    import owlready2

    _check_java(owlready2)
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    before = _types(world, individuals)
    try:
        # xsd:date, gYearMonth and gYear are outside the OWL 2 datatype map HermiT knows.
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, (), ()
    except owlready2.OwlReadyJavaError as exc:
        detail = next((line for line in str(exc).splitlines() if "Exception" in line), str(exc))
        raise ReasonerError(f"HermiT failed: {detail.strip()[:300]}") from exc
    except OSError as exc:
        raise ReasonerError(f"cannot run Java for HermiT: {exc}") from exc
    unsatisfiable = tuple(sorted(compact(ox.NamedNode(c.iri)) for c in world.inconsistent_classes()
                                 if c is not owlready2.Nothing))
    gained: dict[str, list[str]] = {}
    for iri, after in _types(world, individuals).items():
        for cls in sorted(after - before.get(iri, set())):
            gained.setdefault(cls, []).append(iri)
    inferred = tuple(sorted(
        InferredClass(compact(ox.NamedNode(cls)), tuple(sorted(compact(ox.NamedNode(i)) for i in iris)))
        for cls, iris in gained.items()))
    return True, unsatisfiable, inferred


def reason(data: ox.Store | None = None, tbox_files: list[Path] | None = None) -> ReasoningReport:
    """Run HermiT on the ontology (``tbox_files``, default ``ontology/*.ttl``) and ``data``."""
    tbox = ox.Store()
    add_files(tbox, ontology_files() if tbox_files is None else tbox_files)
    vocabulary = _vocabulary(tbox)
    projected, left_out = _projection(data, tbox, vocabulary)
    with tempfile.TemporaryDirectory(prefix="vjkg-reason-") as folder:
        path = Path(folder) / "input.nt"
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in projected),
                     output=str(path), format=ox.RdfFormat.N_TRIPLES)
        individuals = sorted({q.subject.value for q in projected.quads_for_pattern(None, RDF_TYPE, None)
                              if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
                              and q.object.value in vocabulary.classes})
        consistent, unsatisfiable, inferred = _run_hermit(path, individuals)
    return ReasoningReport(
        consistent=consistent, unsatisfiable=unsatisfiable, inferred=inferred,
        triples=len(projected), left_out=left_out,
        explanation=None if consistent else _explain(projected),
    )


def render_text(report: ReasoningReport) -> str:
    """A short account for people: verdict, unsatisfiable classes, inferred classes with counts."""
    verdict = "consistent" if report.consistent else "INCONSISTENT"
    lines = [f"kg reason: {verdict} (HermiT, {report.triples} triples; "
             f"{report.left_out} data triples outside the ontology left out)"]
    if not report.consistent:
        lines.append(f"  why: {report.explanation or 'no disjointness clash found; look for a functional property with two different values'}")
        return "\n".join(lines) + "\n"
    lines.append("unsatisfiable classes: " + (", ".join(report.unsatisfiable) or "none"))
    lines.append("inferred types:" + ("" if report.inferred else " none"))
    for inferred in report.inferred:
        lines.append(f"  {inferred.cls}: {len(inferred.individuals)}")
        shown = inferred.individuals[:_SHOWN_PER_CLASS]
        lines += [f"    {individual}" for individual in shown]
        if len(inferred.individuals) > len(shown):
            lines.append(f"    ... and {len(inferred.individuals) - len(shown)} more")
    return "\n".join(lines).rstrip() + "\n"


def render_json(report: ReasoningReport) -> str:
    document = {
        "consistent": report.consistent,
        "explanation": report.explanation,
        "unsatisfiable": list(report.unsatisfiable),
        "inferred": {i.cls: list(i.individuals) for i in report.inferred},
        "triples": report.triples,
        "leftOut": report.left_out,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
