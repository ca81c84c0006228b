"""Stored queries: one ``queries/*.rq`` file each, with a ``#+`` YAML header (grlc style).

A file is parsed once, at load time, into a frozen :class:`StoredQuery`: its header keys are
checked (unknown keys get a "did you mean"), its SPARQL is parsed by Oxigraph (a malformed
file fails with its file, line and column), updates are refused, and the declared columns
are checked against the query's projection. Running binds parameters as RDF terms
(:mod:`kg.query.params`), never as text.

>>> queries = load_queries()
>>> queries["meetings"].columns[:3]
('meeting', 'date', 'kind')
>>> [p.name for p in queries["meetings"].params]
['a', 'b', 'from', 'to']
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kg.query.backend import Backend, QueryResult, with_timeout
from kg.ingest.source import shorten
from kg.query.guard import refuse_unsafe
from kg.query.connect import open_backend
from kg.errors import QueryError
from kg.query.params import PARAM_TYPES, Param, bind_params
from kg.files import QUERIES_DIR

HEADER_KEYS = ("name", "summary", "description", "params", "columns", "lists")
PARAM_KEYS = ("name", "type", "default", "required", "description")
_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


@dataclass(frozen=True)
class StoredQuery:
    """A parsed, checked stored query."""

    name: str
    summary: str
    sparql: str
    form: str  # SELECT, ASK or CONSTRUCT
    description: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()  # columns holding "|"-separated GROUP_CONCATs, returned as sorted lists
    path: Path | None = None

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = [p.name for p in self.params]
        hint = _did_you_mean(name, known) or (f" (it takes: {', '.join(known)})" if known else
                                              " (it takes none)")
        raise QueryError(f"query {self.name!r} has no parameter {shorten(name)}{hint}")


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_sparql(text: str, origin: str) -> tuple[str, list[str]]:
    """Parse ``text`` without running it on data: its form and projected variables.

    Updates, ``SERVICE`` and ``FROM`` of other graphs are refused from the text alone
    (:mod:`kg.query.guard`, :class:`~kg.errors.QueryRefusedError`); what is left can neither
    write nor reach outside, and Oxigraph parses it against an empty in-memory store.
    """
    refuse_unsafe(text, origin)
    probe = ox.Store()
    try:
        result = probe.query(text)
    except SyntaxError as exc:
        raise QueryError(_syntax_message(origin, str(exc))) from None
    if isinstance(result, ox.QuerySolutions):
        return "SELECT", [v.value for v in result.variables]
    if isinstance(result, ox.QueryBoolean):
        return "ASK", []
    return "CONSTRUCT", ["subject", "predicate", "object"]


def _syntax_message(origin: str, detail: str) -> str:
    match = _POSITION.match(detail)
    if match:
        line, column, reason = match.groups()
        return f"{origin}:{line}:{column}: malformed SPARQL: {reason.strip()}"
    return f"{origin}: malformed SPARQL: {detail}"


def _header(text: str, origin: str) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line[3:] if line.startswith("#+ ") else line[2:])
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{origin}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise QueryError(f"{origin}: the #+ header must be a mapping of keys to values")
    for key in header:
        if key not in HEADER_KEYS:
            raise QueryError(f"{origin}: unknown header key {key!r}{_did_you_mean(str(key), HEADER_KEYS)}")
    return header


def _param(spec: Any, origin: str) -> Param:
    if not isinstance(spec, dict) or "name" not in spec or "type" not in spec:
        raise QueryError(f"{origin}: every parameter needs a name and a type, got {spec!r}")
    for key in spec:
        if key not in PARAM_KEYS:
            raise QueryError(f"{origin}: parameter {spec['name']!r} has an unknown key {key!r}"
                             f"{_did_you_mean(str(key), PARAM_KEYS)}")
    if spec["type"] not in PARAM_TYPES:
        raise QueryError(f"{origin}: parameter {spec['name']!r} has an unknown type {spec['type']!r}"
                         f"{_did_you_mean(str(spec['type']), PARAM_TYPES)}")
    default = spec.get("default")
    return Param(name=str(spec["name"]), type=spec["type"],
                 default=None if default is None else str(default),
                 required=bool(spec.get("required", False)),
                 description=str(spec.get("description", "")))


def parse_stored_query(text: str, name: str, path: Path | None = None) -> StoredQuery:
    """Parse and check one stored query's text; ``name`` is its file's stem."""
    origin = str(path) if path else name
    header = _header(text, origin)
    if header.get("name", name) != name:
        raise QueryError(f"{origin}: header name {header['name']!r} differs from the file name {name!r}")
    if not header.get("summary"):
        raise QueryError(f"{origin}: the #+ header needs a summary")
    form, variables = parse_sparql(text, origin)
    params = tuple(_param(spec, origin) for spec in header.get("params") or [])
    used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", _strip_comments(text)))
    for param in params:
        if param.name not in used:
            raise QueryError(f"{origin}: parameter {param.name!r} is not a variable of the query")
    names = {p.name for p in params}
    columns = tuple(str(c) for c in header.get("columns") or [])
    if form == "SELECT":
        _check_projection(origin, columns, variables, names)
    lists = tuple(str(c) for c in header.get("lists") or [])
    for column in lists:
        if column not in columns:
            raise QueryError(f"{origin}: list column {column!r} is not among the columns")
    return StoredQuery(name=name, summary=str(header["summary"]).strip(), sparql=text, form=form,
                       description=str(header.get("description") or "").strip(), params=params,
                       columns=columns or tuple(v for v in variables if v not in names),
                       lists=lists, path=path)


def _check_projection(origin: str, columns: tuple[str, ...], variables: list[str],
                      params: set[str]) -> None:
    """The projection must be the declared columns, then every parameter.

    Oxigraph substitutes only projected variables (SEP-0007), so parameters are projected
    too; the runner leaves them out of the rows.
    """
    shown = [v for v in variables if v not in params or v in columns]
    if columns and shown != list(columns):
        raise QueryError(f"{origin}: the header's columns {list(columns)} differ from the "
                         f"query's projection {shown}")
    missing = sorted(params - set(variables))
    if missing:
        raise QueryError(f"{origin}: parameters {missing} must be projected by the SELECT "
                         "(Oxigraph binds only projected variables)")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, StoredQuery]:
    """Every ``*.rq`` file of ``directory``, parsed and checked, by name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise QueryError(f"{directory}: no such query folder")
    queries: dict[str, StoredQuery] = {}
    for path in sorted(directory.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read: {exc}") from None
        queries[path.stem] = parse_stored_query(text, path.stem, path)
    return queries


def find_query(name: str, queries: Mapping[str, StoredQuery]) -> StoredQuery:
    if name not in queries:
        raise QueryError(f"no stored query named {shorten(name)}{_did_you_mean(name, sorted(queries))}"
                         " (see `kg queries`)")
    return queries[name]


def execute_stored(query: StoredQuery, values: Mapping[str, str | None],
                   backend: Backend, *, timeout: float | None = None) -> QueryResult:
    """Run ``query`` on ``backend`` with ``values`` (text as the user gave it) bound as terms.

    ``timeout`` (seconds) overrides the backend's limit; past it,
    :class:`~kg.errors.QueryTimeoutError` is raised.
    """
    for name in values:
        query.param(name)
    backend = with_timeout(backend, timeout)
    bindings = bind_params(query.params, values, backend, query.name)
    return backend.execute(query.sparql, bindings, lists=query.lists, columns=query.columns)


def run_query(query: str | StoredQuery, params: Mapping[str, Any] | None = None, *,
              store: Any = None, endpoint: str | None = None, timeout: float = 30.0,
              queries_dir: Path = QUERIES_DIR, cache: bool = True) -> list[dict[str, Any]]:
    """Run a stored query by name (or object); rows as dicts of plain Python values.

    ``store`` is a :class:`kg.store.store.Store` or a folder; ``endpoint`` a SPARQL endpoint URL.
    The rows turn straight into a DataFrame: ``pandas.DataFrame(run_query("meetings"))``.
    ``cache=False`` evaluates even when this state of the store already has the answer.
    """
    stored = query if isinstance(query, StoredQuery) else find_query(query, load_queries(queries_dir))
    values = {k: None if v is None else str(v) for k, v in (params or {}).items()}
    with open_backend(store=store, endpoint=endpoint, timeout=timeout, cache=cache) as backend:
        return execute_stored(stored, values, backend).rows


def run_sparql(text: str, *, store: Any = None, endpoint: str | None = None,
               timeout: float = 30.0, origin: str = "query", cache: bool = True) -> QueryResult:
    """Run an ad-hoc read-only query (SELECT, ASK or CONSTRUCT) within ``timeout`` seconds.

    Updates, ``SERVICE`` and ``FROM`` of other graphs are refused before anything runs
    (:class:`~kg.errors.QueryRefusedError`); past the limit,
    :class:`~kg.errors.QueryTimeoutError` is raised.
    """
    _form, variables = parse_sparql(text, origin)
    with open_backend(store=store, endpoint=endpoint, timeout=timeout, cache=cache) as backend:
        return backend.execute(text, {}, lists=(), columns=tuple(variables))
