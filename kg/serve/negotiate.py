"""Content negotiation: which of the formats we offer a client's ``Accept`` header prefers.

>>> choose("text/csv;q=0.5, application/sparql-results+json", SOLUTION_TYPES)
'json'
>>> choose("*/*", GRAPH_TYPES)
'turtle'
>>> choose("image/png", SOLUTION_TYPES) is None
True
"""
from __future__ import annotations

# Media type -> the worker's format name, the default first.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
BOOLEAN_TYPES = {k: v for k, v in SOLUTION_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
TABLE_TYPES = {"text/html": "html", "application/json": "json", "text/csv": "csv"}


def _ranges(accept: str) -> list[tuple[float, int, str]]:
    ranges = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((quality, index, media))
    return sorted(ranges, key=lambda r: (-r[0], -_specificity(r[2]), r[1]))


def _specificity(media: str) -> int:
    return 0 if media == "*/*" else 1 if media.endswith("/*") else 2


def choose(accept: str | None, offered: dict[str, str]) -> str | None:
    """The format name of the best offered media type for ``accept``; ``None`` if none fits.

    No header (or an empty one) takes the first offered."""
    if not accept or not accept.strip():
        return next(iter(offered.values()))
    for quality, _index, media in _ranges(accept):
        if quality <= 0:
            continue
        if media in offered:
            return offered[media]
        if media == "*/*":
            return next(iter(offered.values()))
        if media.endswith("/*"):
            kind = media[:-1]
            for candidate, name in offered.items():
                if candidate.startswith(kind):
                    return name
    return None
