"""vjkg: a knowledge graph of Vietnam–Japan relations built from news articles."""
from __future__ import annotations

__version__ = "0.1.0"

from kg.queries import StoredQuery, load_queries, run_query, run_sparql  # noqa: E402
from kg.store import Store  # noqa: E402

__all__ = ["__version__", "Store", "StoredQuery", "load_queries", "run_query", "run_sparql"]
