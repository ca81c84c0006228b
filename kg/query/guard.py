"""Refusing, from the text alone, a query that would write or reach outside the machine.

The check runs before anything evaluates the query, on the embedded store or on an
endpoint: an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ...), a
``SERVICE`` call, or a ``FROM``/``FROM NAMED`` naming a graph that is not one of the
project's (``vjg:``) is refused with :class:`~kg.errors.QueryRefusedError`. Nothing is
parsed by running it: an earlier version learnt whether a text was an update by running it
on a scratch store, and a ``LOAD`` then fetched its document.

The text is read as SPARQL reads it: ``\\u`` escapes are decoded first (SPARQL 1.1 section
19.2 applies them before parsing, so ``\\u0053ERVICE`` is ``SERVICE``), then comments,
strings and IRIs are blanked out, and the keywords are looked for as whole tokens (a
prefixed name like ``ex:load`` or a variable ``?service`` is no keyword).

>>> refuse_unsafe("SELECT * WHERE { ?s ?p ?o }", "q")
>>> refuse_unsafe("LOAD <http://example.org/x>", "q")
Traceback (most recent call last):
...
kg.errors.QueryRefusedError: q: is a SPARQL update (LOAD); kg only runs read-only queries
>>> refuse_unsafe("SELECT * { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }", "q")
Traceback (most recent call last):
...
kg.errors.QueryRefusedError: q: uses SERVICE, which sends a query to another server; kg only queries its own store
"""
from __future__ import annotations

import re

from kg.errors import QueryRefusedError
from kg.ingest.source import shorten
from kg.namespaces import VJG
from kg.query.binding import _blank_out

__all__ = ["refuse_unsafe", "shorten"]

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
# A keyword is a whole token: not part of a prefixed name, variable, blank node or language tag.
_BEFORE = r"(?<![\w:?$@.\-\\%])"
_AFTER = r"(?![\w:.\-])"
_UPDATE = re.compile(_BEFORE + r"(" + "|".join(UPDATE_KEYWORDS) + r")" + _AFTER, re.I)
_SERVICE = re.compile(_BEFORE + r"SERVICE" + _AFTER, re.I)
_FROM = re.compile(_BEFORE + r"FROM" + _AFTER + r"(\s+NAMED" + _AFTER + r")?", re.I)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.\-]*)?:\s*<([^<>\s]*)>", re.I)
_PREFIXED = re.compile(r"([A-Za-z][\w.\-]*)?:([^\s{}()<>]*)")
_OWN_GRAPHS = str(VJG)


def _unescaped(text: str) -> str:
    """The text with SPARQL's code-point escapes decoded, as the parser sees it."""
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(decode, text)


def refuse_unsafe(text: str, origin: str) -> None:
    """Raise :class:`QueryRefusedError` when ``text`` would write or reach outside; else
    return. Cheap (a few regular expressions), so it runs on every query."""
    text = _unescaped(text)
    code = _blank_out(text)
    update = _UPDATE.search(code)
    if update:
        raise QueryRefusedError(f"{origin}: is a SPARQL update ({update.group(1).upper()}); "
                                "kg only runs read-only queries")
    if _SERVICE.search(code):
        raise QueryRefusedError(f"{origin}: uses SERVICE, which sends a query to another server; "
                                "kg only queries its own store")
    for match in _FROM.finditer(code):
        graph = _graph_named(text, match.end())
        if not graph.startswith(_OWN_GRAPHS):
            raise QueryRefusedError(f"{origin}: FROM {shorten(graph)} names a graph outside this store "
                                    f"(only graphs under <{_OWN_GRAPHS}> may be named)")


def _graph_named(text: str, at: int) -> str:
    """The IRI a ``FROM`` at offset ``at`` names, prefixed names expanded ('' if unreadable)."""
    while at < len(text) and text[at].isspace():
        at += 1
    if text.startswith("<", at):
        end = text.find(">", at)
        return text[at + 1:end] if end > 0 else ""
    match = _PREFIXED.match(text, at)
    if not match:
        return ""
    prefixes = {name or "": iri for name, iri in _PREFIX.findall(text)}
    namespace = prefixes.get(match.group(1) or "")
    return namespace + match.group(2) if namespace is not None else ""
