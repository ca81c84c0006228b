"""Choosing the backend that answers a query: a remote endpoint, or the embedded store."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.files import DEFAULT_STORE
from kg.query.backend import Backend, EmbeddedBackend
from kg.query.endpoint import EndpointBackend
from kg.store.store import Store


@contextmanager
def open_backend(*, store: Any = None, endpoint: str | None = None, timeout: float = 30.0,
                 cache: bool = True) -> Iterator[Backend]:
    """The backend for a remote ``endpoint`` URL, else for ``store`` (a Store or a folder).

    A folder is opened read-only: querying never writes, and works beside a running build.
    A read-only store keeps its answers per state unless ``cache`` is false. Either stops a
    query after ``timeout`` seconds.
    """
    if endpoint:
        yield EndpointBackend(endpoint, timeout=timeout)
        return
    if not isinstance(store, Store):
        store = Store(Path(store or DEFAULT_STORE), read_only=True)
    yield EmbeddedBackend(store, store.result_cache() if cache else None, timeout=timeout)
