"""The folders kept beside a store folder, named in one place.

Each is a cache that can be deleted at any time (the next command rebuilds it); none lives
inside Oxigraph's own folder, so a store folder holds only what Oxigraph wrote.
"""
from __future__ import annotations

from pathlib import Path


def _beside(store_dir: Path, suffix: str) -> Path:
    folder = Path(store_dir).resolve()
    return folder.with_name(folder.name + suffix)


def export_pieces_dir(store_dir: Path) -> Path:
    """Each article graph's share of every export format (:mod:`kg.store.pieces`)."""
    return _beside(store_dir, ".export")


def results_dir(store_dir: Path) -> Path:
    """Stored-query answers per store state (:mod:`kg.store.result_cache`)."""
    return _beside(store_dir, ".results")


def validation_dir(store_dir: Path) -> Path:
    """The last validation run, for ``kg validate --changed`` (:mod:`kg.validate.incremental`)."""
    return _beside(store_dir, ".validation")


def lock_file(store_dir: Path) -> Path:
    """The writer's lock (:mod:`kg.store.lock`): beside the store, so Oxigraph's own lock
    never has to be read, and a reader can ask whether a build is running."""
    return _beside(store_dir, ".lock")


def staging_dir(store_dir: Path) -> Path:
    """A new store being filled by a build, swapped in when whole (:mod:`kg.store.staging`);
    what is left here after a kill is removed by the next build."""
    return _beside(store_dir, ".staging")
