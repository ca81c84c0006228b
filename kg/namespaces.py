"""The namespaces of the graph and the prefixes every serialisation and query shares."""
from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
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
VJSH = "https://w3id.org/vjkg/shapes#"
VJS = "https://w3id.org/vjkg/summary#"  # the summary graph's terms, outside the ontology

ONTOLOGY_GRAPH = VJG["ontology"]
REFERENCE_GRAPH = VJG["reference"]


def summary_node(kind: str, entity: str) -> str:
    """The summary graph's node of ``kind`` for ``entity``: an IRI made from the entity's, as a
    query computes it (``IRI(CONCAT(".../id/summary/KIND/", ENCODE_FOR_URI(STR(?entity))))``),
    so that no summary triple points at the entity and its profile stays as it was.

    >>> summary_node("labels", "https://w3id.org/vjkg/id/org/jica")
    'https://w3id.org/vjkg/id/summary/labels/https%3A%2F%2Fw3id.org%2Fvjkg%2Fid%2Forg%2Fjica'
    """
    return f"{VJR}summary/{kind}/{quote(entity, safe='')}"  # quote with nothing safe: ENCODE_FOR_URI


_SEGMENT_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@")


def _segment_char(char: str) -> bool:
    """Whether ``char`` may stand as itself in an IRI path segment (RFC 3987 ``ipchar``)."""
    code = ord(char)
    if code < 0x80:
        return char in _SEGMENT_ASCII
    return (code >= 0xA0 and not 0xD800 <= code <= 0xF8FF and not 0xFDD0 <= code <= 0xFDEF
            and (code & 0xFFFE) != 0xFFFE)


def iri_segment(name: str) -> str:
    """``name`` (an article's file stem) as one IRI path segment: kept where an IRI allows
    it (letters of any script included), percent-encoded elsewhere (a space, ``%``, ``#``,
    controls; a file name's undecodable byte as that byte). Distinct names stay distinct.

    >>> iri_segment("001_Hà Nội #2"), iri_segment("50%")
    ('001_Hà%20Nội%20%232', '50%25')
    """
    if all(_segment_char(char) for char in name):
        return name
    return "".join(char if _segment_char(char) else
                   "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogateescape"))
                   for char in name)


def article_graph(stem: str) -> str:
    """The IRI of the named graph holding everything extracted from one article."""
    return str(VJG[f"article/{iri_segment(stem)}"])


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

_IRI_IN_TEXT = re.compile(r"https?://[^\s,;()<>\"]+")
_DISPLAY_PREFIXES = sorted({**PREFIXES, "vjsh": VJSH}.items(), key=lambda item: -len(item[1]))


def compact(term: object) -> str:
    """A short, readable form of an rdflib or pyoxigraph term: ``vjr:meeting/x/1``,
    ``"2024"^^xsd:gYear``.

    >>> compact(ox.NamedNode("https://w3id.org/vjkg/id/state/VN"))
    'vjr:state/VN'
    """
    if isinstance(term, ox.NamedNode):
        term = URIRef(term.value)
    elif isinstance(term, (ox.Literal, ox.BlankNode)):
        return str(term)
    if isinstance(term, Literal):
        text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{compact(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return "[]"
    iri = str(term)
    for prefix, namespace in _DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def compact_text(text: str) -> str:
    """``text`` with the full IRIs a SPARQL message filled in written in their compact form."""
    def shorten(match: re.Match[str]) -> str:
        iri = match.group(0).rstrip(".")
        return compact(URIRef(iri)).strip("<>") + match.group(0)[len(iri):]
    return _IRI_IN_TEXT.sub(shorten, text)
