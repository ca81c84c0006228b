"""The shapes' SPARQL checks, remembered beside a store for ``kg validate --changed``.

Reading the shapes' queries (refusing the forbidden ones, splitting off the whole-graph
checks, finding each one's reach) parses every query with rdflib's SPARQL parser: about
2 s of CPU for the project's 23 constraints, the largest fixed cost of a run that re-checks
one article. They are a function of the shapes alone, so they are kept under the schema key
(:func:`kg.validate.incremental`'s hash of the shapes, ontology and reference data) and read
back while it is unchanged. Checks naming a blank node are never kept: a blank node of the
shapes graph has another name each time the shapes are read.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from rdflib import BNode, Literal
from rdflib.term import Identifier
from rdflib.util import from_n3

from kg.validate.results import decode_path, encode_path, as_written
from kg.validate.sparql import SparqlCheck

__all__ = ["Analysis", "load", "save"]

Analysis = tuple[list[SparqlCheck], list[int | None]]  # the checks and each one's reach (query_reach)


def _term(text: object) -> Identifier | None:
    return None if text is None else from_n3(str(text))  # type: ignore[return-value]


def _encoded(check: SparqlCheck) -> dict[str, object]:
    return {"shape": check.shape.n3(), "severity": check.severity.n3(), "component": check.component.n3(),
            "source_constraint": None if check.source_constraint is None else check.source_constraint.n3(),
            "path": encode_path(check.path), "query": check.query, "messages": [m.n3() for m in check.messages],
            "bound": [[name, term.n3()] for name, term in check.bound], "focus": check.focus, "own": check.own,
            "local": check.local}


def _decoded(data: dict[str, object]) -> SparqlCheck:
    return SparqlCheck(
        shape=_term(data["shape"]), severity=_term(data["severity"]), component=_term(data["component"]),  # type: ignore[arg-type]
        source_constraint=_term(data["source_constraint"]), path=decode_path(data["path"]),
        query=str(data["query"]), messages=tuple(m for m in map(_term, data["messages"]) if isinstance(m, Literal)),  # type: ignore[call-overload]
        bound=tuple((str(n), _term(t)) for n, t in data["bound"]),  # type: ignore[misc, attr-defined]
        focus=str(data["focus"]), own=str(data["own"]), local=bool(data["local"]))


def _blank(check: SparqlCheck) -> bool:
    terms = [check.shape, check.severity, check.component, check.source_constraint, *(t for _n, t in check.bound)]
    return any(isinstance(t, BNode) for t in terms) or "_:" in json.dumps(encode_path(check.path))


def load(path: Path, schema: str) -> Analysis | None:
    """The checks kept for ``schema``, or None (none kept, another schema, a damaged file)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(kept, dict) or kept.get("schema") != schema:
            return None
        with as_written():
            checks = [_decoded(c) for c in kept["checks"]]
        return checks, [None if r is None else int(r) for r in kept["reaches"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError, AssertionError):
        return None


def save(path: Path, schema: str, analysis: Analysis) -> None:
    """Keep ``analysis`` for ``schema`` (not when a check names a blank node); a folder that
    cannot be written only costs the next run time."""
    checks, reaches = analysis
    if any(_blank(c) for c in checks):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps({"schema": schema, "checks": [_encoded(c) for c in checks],
                                       "reaches": reaches}), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
