"""A whole-graph SPARQL check written so that Oxigraph hash-joins its triple patterns.

Oxigraph joins the triple patterns of a group one index lookup per row (a RocksDB seek
each): over every focus node of a large graph that is most of a check's time
(``MentionWithinSentence`` on 1,000 articles: 4.5 s of CPU). The same group with each of its
top-level triple patterns in its own ``{ SELECT * WHERE { s p o } }`` is evaluated by hash
joins of whole predicate scans (1.4 s). The two are the same query: a basic graph pattern
without blank nodes is the join of its triple patterns (each solution once), the join is
associative and commutative over multisets, ``SELECT *`` returns every variable of its
pattern, and each pattern keeps its place among the group's FILTER, BIND, OPTIONAL and
nested groups, so every operator sees the same solutions. Patterns inside nested groups
(OPTIONAL, EXISTS, UNION) are left as they are: an EXISTS is evaluated per row, where a
lookup is what is wanted, and an OPTIONAL hash-joined builds a table of its predicate's
every triple (10,000 articles: 1.3 GB for MentionWithinSentence's two, 0.56 GB without).

:func:`hash_joined` reads the query's top-level group with a small tokenizer and checks
its reading against rdflib's parse (the same triple patterns, in the same order); a query it
cannot read that way (blank nodes, collections, path modifiers) is returned unchanged. Only
whole-graph runs use it: restricted to a few focus nodes, one lookup per row is cheaper.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.validate.prebinding import parsed_query

__all__ = ["hash_joined"]

_TOKEN = re.compile(r'''
    (?P<space>\s+|\#[^\n]*)
  | (?P<term>(?:"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
             (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>"{}|^`\\\s]*>|(?:[A-Za-z][\w-]*)?:[\w-]*))?
      |<[^<>"{}|^`\\\s]*>
      |[?$]\w+
      |[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?
      |(?:[A-Za-z][\w-]*(?:\.[\w-]+)*)?:(?:[\w-]|\.(?=[\w-]))*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<punct>.)
''', re.VERBOSE | re.DOTALL)
_KEYWORDS = {"filter", "bind", "optional", "minus", "graph", "service", "values", "union", "not", "exists"}
_GROUP_AFTER = {"optional", "minus"}  # keyword, then a group


@dataclass(frozen=True)
class _Token:
    kind: str  # "term", "word" or "punct"
    text: str
    start: int
    end: int


class _Unreadable(Exception):
    """The query's top-level group is not in the form this module rewrites."""


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)  # type: ignore[arg-type]
            if m.lastgroup != "space"]


@dataclass
class _Reader:
    tokens: list[_Token]
    at: int = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _Unreadable("the query ends early")
        self.at += 1
        return token

    def is_(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text.lower() == text

    def balanced(self, opening: str, closing: str) -> None:
        """Skip from an ``opening`` token to its matching ``closing`` one."""
        if self.take().text != opening:
            raise _Unreadable(f"{opening} expected")
        depth = 1
        while depth:
            text = self.take().text
            depth += (text == opening) - (text == closing)


def _is_term(token: _Token | None) -> bool:
    return token is not None and (token.kind == "term" or (token.kind == "word" and token.text in ("true", "false")))


def _verb(reader: _Reader) -> str:
    """A predicate: a variable, or a path of IRIs joined by ``/`` and ``|`` (``^`` allowed)."""
    token = reader.peek()
    if token is not None and token.kind == "term" and token.text[0] in "?$":
        return reader.take().text
    parts: list[str] = []
    while True:
        if reader.is_("^"):
            parts.append(reader.take().text)
        token = reader.take()
        if not ((token.kind == "term" and token.text[0] not in "?$\"'+-.0123456789") or token.text == "a"):
            raise _Unreadable(f"a predicate {token.text!r}")
        parts.append(token.text)
        if not (reader.is_("/") or reader.is_("|")):
            return " ".join(parts)
        parts.append(reader.take().text)


def _object(reader: _Reader) -> str:
    token = reader.take()
    if not _is_term(token) or token.text.startswith("_:"):
        raise _Unreadable(f"an object {token.text!r}")
    return token.text


def _statement(reader: _Reader) -> list[tuple[str, str, str]]:
    """The triple patterns of one ``subject verb object (, object)* (; verb ...)* .`` statement."""
    subject = reader.take().text
    if subject.startswith("_:"):
        raise _Unreadable("a blank node")
    triples = []
    while True:
        verb = _verb(reader)
        triples.append((subject, verb, _object(reader)))
        while reader.is_(","):
            reader.take()
            triples.append((subject, verb, _object(reader)))
        if not reader.is_(";"):
            break
        while reader.is_(";"):
            reader.take()
        token = reader.peek()
        if token is None or not (token.kind == "term" or token.text in ("a", "^")):
            break
    if reader.is_("."):
        reader.take()
    token = reader.peek()
    if token is not None and token.text in ("*", "+", "?", "(", "!", "["):
        raise _Unreadable(f"{token.text!r} after a triple pattern")
    return triples


def _element(reader: _Reader) -> None:
    """Skip one non-triple element of a group (FILTER, BIND, OPTIONAL, a nested group, ...)."""
    token = reader.take()
    word = token.text.lower()
    if token.text == "{":
        reader.at -= 1
        reader.balanced("{", "}")
        while reader.is_("union"):
            reader.take()
            reader.balanced("{", "}")
    elif word == "filter":
        if reader.is_("not"):
            reader.take()
        if reader.is_("exists"):
            reader.take()
            reader.balanced("{", "}")
        elif reader.is_("("):
            reader.balanced("(", ")")
        else:  # a function call: a name, then its arguments
            reader.take()
            reader.balanced("(", ")")
    elif word == "bind":
        reader.balanced("(", ")")
    elif word in _GROUP_AFTER:
        reader.balanced("{", "}")
    elif word == "values":
        if reader.is_("("):
            reader.balanced("(", ")")
        else:
            reader.take()
        reader.balanced("{", "}")
    elif token.text == ".":
        return
    else:
        raise _Unreadable(f"{token.text!r} in the group")


def _statements(text: str) -> Iterator[tuple[int, int, list[tuple[str, str, str]]]]:
    """The (start, end, triple patterns) of each triples statement of the top-level group."""
    tokens = _tokens(text)
    reader = _Reader(tokens)
    while not reader.is_("{"):
        reader.take()
    reader.take()
    while not reader.is_("}"):
        token = reader.peek()
        if _is_term(token):
            start = reader.at
            triples = _statement(reader)
            yield tokens[start].start, tokens[reader.at - 1].end, triples
        else:
            _element(reader)
    reader.take()
    if any(t.text == "{" or t.text.lower() in _KEYWORDS for t in tokens[reader.at:]):
        raise _Unreadable("a pattern after the top-level group")


def _top_triples(text: str) -> list[str]:
    """rdflib's reading of the triple patterns of the top-level group, flattened, in order."""
    where = parsed_query(text)[1]["where"]
    return [str(term) for part in dict.get(where, "part") or () if part.name == "TriplesBlock"
            for triples in part["triples"] for term in triples]


@lru_cache(maxsize=256)
def hash_joined(query: str) -> str:
    """``query`` with each triple pattern of its top-level group in its own ``SELECT *``
    subquery (see the module's documentation); ``query`` itself when it cannot be read so."""
    try:
        prologue = query[:next(t.start for t in _tokens(query) if t.text == "{")]
        statements = list(_statements(query))
        mine: list[str] = []
        for start, end, triples in statements:
            single = _top_triples(prologue + "{ " + " . ".join(" ".join(t) for t in triples) + " }")
            if _top_triples(f"{prologue}{{ {query[start:end]} }}") != single:
                raise _Unreadable("a statement read otherwise than by rdflib")
            mine += single
        if not statements or mine != _top_triples(query):
            raise _Unreadable("the triple patterns differ from rdflib's reading")
    except (_Unreadable, StopIteration, SyntaxError, ValueError, KeyError, TypeError):
        return query
    rewritten, position = [], 0
    for start, end, triples in statements:
        rewritten.append(query[position:start])
        rewritten.append(" ".join("{ SELECT * WHERE { " + " ".join(t) + " } }" for t in triples))
        position = end
    rewritten.append(query[position:])
    return "".join(rewritten)
