"""vjkg: a knowledge graph of Vietnam–Japan relations built from news articles.

The public API is loaded lazily, so that ``import kg.model`` (what every build worker
needs) does not pull in the store, the query layer or the validator::

    >>> import kg
    >>> sorted(kg.__all__)[:3]
    ['Store', 'StoredQuery', '__version__']
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_API = {
    "build": "kg.graph.build",
    "Store": "kg.store.store",
    "StoredQuery": "kg.query.stored",
    "load_queries": "kg.query.stored",
    "run_query": "kg.query.stored",
    "run_sparql": "kg.query.stored",
    "validate": "kg.validate.shacl",
    "export_bytes": "kg.export.serialise",
    "export_chunks": "kg.export.serialise",
}

__all__ = ["__version__", "build", "Store", "StoredQuery", "load_queries", "run_query", "run_sparql", "validate",
           "export_bytes", "export_chunks"]

if TYPE_CHECKING:
    from kg.export.serialise import export_bytes, export_chunks
    from kg.graph.build import build
    from kg.query.stored import StoredQuery, load_queries, run_query, run_sparql
    from kg.store.store import Store
    from kg.validate.shacl import validate


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
