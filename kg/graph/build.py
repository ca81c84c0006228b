"""`kg build`: articles in, one named graph per article out, into the embedded store.

Each article is read, extracted and turned into triples on its own (in worker processes
when there are many), then streamed into the store; nothing holds the whole corpus. An
article whose text, manifest entry and pipeline are unchanged since the last build is
skipped (content fingerprints), so editing one article rebuilds only that article.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.ingest.articles import load_manifest, read_article
from kg.errors import InputError
from kg.store.pieces import graph_pieces, save_pieces
from kg.extract.pipeline import extract_article
from kg.store.working import ontology_files, reference_files
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, article_graph
from kg.files import PACKAGE_DIR, internal_query, source_files
from kg.graph.triples import article_ntriples
from kg.ingest.reference import load_reference
from kg.store.store import Store

ARTICLE_SUFFIX = ".txt"
PARALLEL_THRESHOLD = 16  # below this many articles, worker start-up costs more than it saves
WRITE_BATCH = 128  # articles written to the store at once (one bulk load instead of many loads)
BULK_MINIMUM = 32  # smaller batches go through an ordinary transaction (bulk loads have a fixed cost)


@dataclass(frozen=True)
class ArticleJob:
    """One article to build: where it is, its manifest entry, its build fingerprint, and
    the folder its export pieces go to (:mod:`kg.store.pieces`)."""

    path: Path
    manifest: dict[str, str]
    fingerprint: str
    pieces_folder: Path | None = None


@dataclass(frozen=True)
class ArticleResult:
    """What building one article gave: its N-Quads, or the reason it could not be built."""

    file_name: str
    fingerprint: str
    nquads: bytes = b""
    triples: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None


@dataclass
class BuildSummary:
    """The outcome of a build, for the CLI's closing report."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len(self.built) + len(self.unchanged)


def find_articles(paths: Iterable[Path]) -> list[Path]:
    """The article files among ``paths`` (files, or folders searched recursively), sorted.

    Sorting by file name makes the build independent of the order the user named them in.
    """
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            candidates = sorted(path.rglob(f"*{ARTICLE_SUFFIX}"))
        elif path.is_file():
            candidates = [path]
        else:
            raise InputError(f"{path}: no such file or folder")
        for candidate in candidates:
            if candidate.name in found and found[candidate.name].resolve() != candidate.resolve():
                raise InputError(
                    f"{candidate}: another article has the same file name ({found[candidate.name]}); "
                    "article names must be unique"
                )
            found[candidate.name] = candidate
    return [found[name] for name in sorted(found)]


def pipeline_fingerprint() -> str:
    """A hash of the code and reference data that make an article's graph.

    When either changes, every article is rebuilt; otherwise unchanged articles are skipped.
    """
    digest = hashlib.sha256()
    for source in source_files() + reference_files():
        digest.update(_relative(source).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _relative(path: Path) -> str:
    """``path`` relative to the folder above the package (checkout or site-packages)."""
    try:
        return path.relative_to(PACKAGE_DIR.parent).as_posix()
    except ValueError:
        return path.name


def article_fingerprint(path: Path, manifest: dict[str, str], pipeline: str) -> str:
    digest = hashlib.sha256(pipeline.encode())
    digest.update(json.dumps(manifest, sort_keys=True).encode())
    digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def build_one(job: ArticleJob) -> ArticleResult:
    """Read, extract and serialise one article, and write its export pieces (in the worker,
    so the process that writes the store does nothing else). Never raises for bad input:
    it reports it."""
    try:
        article = read_article(job.path, job.manifest or None)
    except InputError as exc:
        return ArticleResult(job.path.name, job.fingerprint, error=str(exc))
    facts = extract_article(article, load_reference())
    lines = article_ntriples(facts, fingerprint=job.fingerprint)
    graph_iri = article_graph(job.path.stem)
    pieces = (graph_pieces(graph_iri, lines) if job.pieces_folder is None
              else save_pieces(job.pieces_folder, graph_iri, lines))
    return ArticleResult(job.path.name, job.fingerprint, pieces.nquads, len(lines), tuple(facts.warnings))


def _results(jobs: list[ArticleJob], workers: int) -> Iterator[ArticleResult]:
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        yield from map(build_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(build_one, jobs, chunksize=8)


def _write_batch(store: Store, pending: list[bytes]) -> None:
    """Write the article graphs built so far in one load, and empty ``pending``."""
    if pending:
        store.add_nquads(b"".join(pending), bulk=len(pending) >= BULK_MINIMUM)
        pending.clear()


def _stored_fingerprints(store: Store) -> dict[str, str]:
    """Article graph IRI -> the fingerprint it was built from."""
    rows = store.select(internal_query("build-fingerprints"))
    return {row["g"].value: row["f"].value for row in rows}


def _load_schema_graphs(store: Store) -> None:
    """The ontology and the reference data, each in its own named graph."""
    for graph_iri, files in ((ONTOLOGY_GRAPH, ontology_files()), (REFERENCE_GRAPH, reference_files())):
        graph = Graph()
        for path in files:
            graph.parse(path, format="turtle")
        store.replace_graph(str(graph_iri), graph)


def _count_classes(store: Store) -> dict[str, int]:
    rows = store.select(internal_query("class-counts"))
    return {row["c"].value.split("#")[-1]: int(row["n"].value) for row in rows}


def build(
    paths: Iterable[Path],
    store: Store,
    *,
    workers: int | None = None,
    force: bool = False,
    on_result: Callable[[ArticleResult | str], None] | None = None,
) -> BuildSummary:
    """Build the graph of exactly the articles in ``paths`` into ``store``.

    Article graphs of files no longer given are dropped; unchanged articles are skipped
    unless ``force``. ``on_result`` is called once per article (for a progress bar).
    """
    files = find_articles(paths)
    pipeline = pipeline_fingerprint()
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    summary = BuildSummary()
    stored = _stored_fingerprints(store)
    wanted = {article_graph(path.stem) for path in files}
    for graph_iri in sorted(stored):
        if graph_iri not in wanted:
            store.drop_graph(graph_iri)
            summary.removed.append(graph_iri.rsplit("/", 1)[-1])

    jobs: list[ArticleJob] = []
    for path in files:
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = load_manifest(folder)
        entry = manifests[folder].get(path.name, {})
        fingerprint = article_fingerprint(path, entry, pipeline)
        if not force and stored.get(article_graph(path.stem)) == fingerprint:
            summary.unchanged.append(path.name)
            if on_result:
                on_result(path.name)
            continue
        jobs.append(ArticleJob(path, entry, fingerprint, store.export_cache))

    _load_schema_graphs(store)
    for job in jobs:  # before the workers write the new pieces
        store.drop_graph(article_graph(job.path.stem))
    pending: list[bytes] = []
    for result in _results(jobs, workers or os.cpu_count() or 1):
        if result.error is not None:
            summary.failed[result.file_name] = result.error
        else:
            pending.append(result.nquads)
            summary.built.append(result.file_name)
            if result.warnings:
                summary.warnings[result.file_name] = list(result.warnings)
            if len(pending) >= WRITE_BATCH:
                _write_batch(store, pending)
        if on_result:
            on_result(result)
    _write_batch(store, pending)
    store.flush()
    summary.triples = len(store)
    summary.classes = _count_classes(store)
    return summary
