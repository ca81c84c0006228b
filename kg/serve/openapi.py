"""The OpenAPI 3 document of the server, generated from the stored queries' ``#+`` headers
(grlc style): one GET operation per stored query, its parameters typed as in the header."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.query.params import Param
from kg.query.stored import StoredQuery

_SCHEMAS: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    "iri": {"type": "string", "description": "an absolute IRI or a prefixed name like vjr:state/JP"},
    "state": {"type": "string", "description": "a state's name, alternative name, ISO code or IRI"},
    "indicator": {"type": "string", "description": "an indicator code, e.g. fdi_registered_capital"},
    "entity": {"type": "string", "description": "an entity's IRI or name"},
    "string": {"type": "string"},
}
_TEXT = {"text/plain": {"schema": {"type": "string"}}}


def _parameter(param: Param) -> dict[str, Any]:
    schema = dict(_SCHEMAS.get(param.type, {"type": "string"}))
    schema.pop("description", None)
    if param.default is not None:
        schema["default"] = int(param.default) if param.type == "integer" else (
            float(param.default) if param.type == "decimal" else param.default)
    description = param.description or _SCHEMAS.get(param.type, {}).get("description", "")
    return {"name": param.name, "in": "query", "required": param.required,
            "description": f"{description} ({param.type})".strip(), "schema": schema}


def _row_schema(query: StoredQuery) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for column in query.columns:
        properties[column] = ({"type": "array", "items": {"type": "string"}} if column in query.lists
                              else {"nullable": True})
    return {"type": "array", "items": {"type": "object", "properties": properties}}


def _operation(query: StoredQuery) -> dict[str, Any]:
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description or query.summary,
        "tags": ["stored queries"],
        "parameters": [_parameter(p) for p in query.params],
        "responses": {
            "200": {"description": f"the rows, columns {', '.join(query.columns)}",
                    "content": {"application/json": {"schema": _row_schema(query)},
                                "text/csv": {"schema": {"type": "string"}},
                                "text/html": {"schema": {"type": "string"}}}},
            "400": {"description": "a parameter is unknown or not of its type (the message names it)",
                    "content": _TEXT},
            "503": {"description": "the query ran past the server's time limit", "content": _TEXT},
        },
    }


def _sparql_operation(method: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"sparql_{method}", "summary": "SPARQL 1.1 Protocol query (read-only)",
        "tags": ["SPARQL"],
        "responses": {"200": {"description": "the answer, in the negotiated format",
                              "content": {t: {"schema": {"type": "string"}} for t in (
                                  "application/sparql-results+json", "application/sparql-results+xml",
                                  "text/csv", "text/tab-separated-values", "text/turtle",
                                  "application/n-triples", "application/ld+json")}},
                      "400": {"description": "malformed, or refused (update, LOAD, SERVICE, foreign FROM)",
                              "content": _TEXT},
                      "503": {"description": "past the time limit", "content": _TEXT}}}
    if method == "get":
        operation["parameters"] = [{"name": "query", "in": "query", "required": True,
                                    "schema": {"type": "string"}}]
    else:
        operation["requestBody"] = {"required": True, "content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}}
    return operation


def openapi_document(queries: Mapping[str, StoredQuery], version: str) -> dict[str, Any]:
    """The whole document: the SPARQL endpoint and one path per stored query."""
    paths: dict[str, Any] = {"/sparql": {"get": _sparql_operation("get"), "post": _sparql_operation("post")}}
    for name in sorted(queries):
        paths[f"/queries/{name}"] = {"get": _operation(queries[name])}
    return {
        "openapi": "3.0.3",
        "info": {"title": "vjkg: the Vietnam–Japan relations knowledge graph", "version": version,
                 "description": "Read-only: a SPARQL 1.1 endpoint and the stored queries as operations."},
        "paths": paths,
    }
