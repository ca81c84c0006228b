"""The namespaces of the graph and the prefixes every serialisation and query shares."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

VJO = Namespace("https://w3id.org/vjkg/ontology#")
VJR = Namespace("https://w3id.org/vjkg/id/")
VJG = Namespace("https://w3id.org/vjkg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_GRAPH = VJG["ontology"]
REFERENCE_GRAPH = VJG["reference"]


def article_graph(stem: str) -> str:
    """The IRI of the named graph holding everything extracted from one article."""
    return str(VJG[f"article/{stem}"])


PREFIXES: dict[str, str] = {
    "vjo": str(VJO),
    "vjr": str(VJR),
    "vjg": str(VJG),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "sem": str(SEM),
    "oa": str(OA),
    "qb": str(QB),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}
