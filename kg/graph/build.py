"""`kg build`: articles in, one named graph per article out, into the embedded store.

Each article is read, extracted and turned into triples on its own (in worker processes
when there are many), then streamed into the store; nothing holds the whole corpus. An
article whose text, manifest entry and pipeline are unchanged since the last build is
skipped (content fingerprints), so editing one article rebuilds only that article.

Bad input never stops a build: a file that cannot be read (missing, a dangling or looping
link, a folder, over the size limit, not text), a bad manifest entry, or an article the
extractor fails on is reported in :attr:`BuildSummary.failed` and the others are built.
A build that writes most of the store fills a new store beside it with Oxigraph's bulk
loader and swaps it in whole (:mod:`kg.store.staging`); a smaller one writes in
transactions per batch of articles, an article's old graph replaced by its new one in the
same transaction. Either way a killed build leaves every article whole, old or new. Worker
processes die with the build (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.ingest.articles import read_article
from kg.ingest.manifest import Manifest, read_manifest
from kg.ingest.source import DEFAULT_MAX_BYTES, read_source, shown
from kg.errors import InputError
from kg.store.pieces import graph_pieces, save_pieces
from kg.extract.pipeline import extract_article, warm_up
from kg.store.working import ontology_files, reference_files
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, article_graph
from kg.files import PACKAGE_DIR, internal_query, remove_stale_temporaries, source_files
from kg.graph.summary import SUMMARY_GRAPH, summary_graph, write_summary
from kg.graph.summary_mentions import MentionGroup, graph_groups
from kg.graph.triples import article_triples
from kg.ingest.reference import load_reference
from kg.store.staging import StagedStore, can_exchange, remove_staging
from kg.store.store import Store

ARTICLE_SUFFIX = ".txt"
PARALLEL_THRESHOLD = 16  # below this many articles, worker start-up costs more than it saves
WRITE_BATCH = 128  # articles written to the store at once (one transaction instead of many)
STAGED_MINIMUM = 16  # from this many articles to write, a new store is bulk-loaded and swapped in
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
ARTICLE_SECONDS = 60.0  # extraction time one article may take (a sane one takes well under a second)


class ArticleTimeout(Exception):
    """Raised in a worker by its alarm when one article's extraction runs too long."""


def _alarm(_signum: int, _frame: object) -> None:
    raise ArticleTimeout()


@dataclass(frozen=True)
class ArticleJob:
    """One article to build: where it is, its manifest entry, its build fingerprint, and
    the folder its export pieces go to (:mod:`kg.store.pieces`)."""

    path: Path
    manifest: dict[str, str]
    fingerprint: str
    pieces_folder: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    seconds: float = ARTICLE_SECONDS


@dataclass(frozen=True)
class ArticleResult:
    """What building one article gave: its N-Quads and the summary's mention groups of its
    graph (:func:`kg.graph.summary_mentions.graph_groups`), or the reason it could not be built."""

    file_name: str
    fingerprint: str
    graph: str = ""
    nquads: bytes = b""
    triples: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None
    mention_groups: tuple[MentionGroup, ...] = ()


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
    Whatever is named ``*.txt`` is an article to the build, even a link or a folder: reading
    it then says what is wrong with it. A named path that does not exist is an error.
    """
    found: dict[str, Path] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            candidates = sorted(path.rglob(f"*{ARTICLE_SUFFIX}"))
        elif os.path.lexists(path):
            candidates = [path]
        else:
            raise InputError(f"{shown(path)}: no such file or folder")
        for candidate in candidates:
            if candidate.name in found and os.path.realpath(found[candidate.name]) != os.path.realpath(candidate):
                raise InputError(
                    f"{shown(candidate)}: another article has the same file name ({shown(found[candidate.name])}); "
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


def article_fingerprint(path: Path, manifest: dict[str, str], pipeline: str,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """What an article's graph is made from: the pipeline, its manifest entry, its bytes.
    Raises :class:`InputError` when the file cannot be read."""
    digest = hashlib.sha256(pipeline.encode())
    digest.update(json.dumps(manifest, sort_keys=True).encode())
    digest.update(read_source(path, max_bytes))
    return "sha256:" + digest.hexdigest()


def build_one(job: ArticleJob) -> ArticleResult:
    """Read, extract and serialise one article, and write its export pieces (in the worker,
    so the process that writes the store does nothing else). Never raises: bad input, and
    an extractor that fails on an article, are reported."""
    name = job.path.name
    try:
        article = read_article(job.path, job.manifest or None, max_bytes=job.max_bytes)
    except InputError as exc:
        return ArticleResult(name, job.fingerprint, error=str(exc))
    graph_iri = article_graph(job.path.stem)
    timed = threading.current_thread() is threading.main_thread()  # signals reach the main thread only
    previous = signal.signal(signal.SIGALRM, _alarm) if timed else None
    if timed:
        signal.setitimer(signal.ITIMER_REAL, job.seconds)
    try:
        facts = extract_article(article, load_reference())
        lines, triples = article_triples(facts, fingerprint=job.fingerprint)
        groups = tuple(graph_groups(lines, triples))
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        pieces = (graph_pieces(graph_iri, lines, triples=triples) if job.pieces_folder is None
                  else save_pieces(job.pieces_folder, graph_iri, lines, triples))
    except ArticleTimeout:
        return ArticleResult(name, job.fingerprint, error=(
            f"{shown(job.path)}: extraction stopped after {job.seconds:g} s ({len(article.text):,} characters; "
            f"raise the limit with kg build --article-seconds {job.seconds * 4:g})"))
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the build
        return ArticleResult(name, job.fingerprint, error=f"{shown(job.path)}: extraction failed "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); please report this")
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return ArticleResult(name, job.fingerprint, graph_iri, pieces.nquads, len(lines), tuple(facts.warnings),
                         mention_groups=groups)


def _die_with_parent(parent: int) -> None:
    """A worker's first act: ask the kernel to kill it when the build dies (even by
    ``kill -9``), so no worker is left running alone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown has to do
        pass
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _results(jobs: list[ArticleJob], workers: int) -> Iterator[ArticleResult]:
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        yield from map(build_one, jobs)
        return
    # Workers forked from this process inherit the extractors' tables instead of each building them.
    warm_up(load_reference())
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        yield from pool.map(build_one, jobs, chunksize=8)


def _write_batch(store: Store | StagedStore, pending: list[ArticleResult], stored: set[str]) -> None:
    """Write the article graphs built so far in one transaction, and empty ``pending``.

    New graphs are loaded; graphs the store holds are replaced (dropped and refilled in the
    same transaction), so no reader or kill ever sees an article missing or half-written.
    """
    if not pending:
        return
    if isinstance(store, Store) and any(result.graph in stored for result in pending):
        suffixes = {result.graph: b" <" + result.graph.encode() + b"> .\n" for result in pending}
        store.replace_graphs({r.graph: r.nquads.replace(suffixes[r.graph], b" .\n") for r in pending})
    else:
        store.add_nquads(b"".join(result.nquads for result in pending))
    pending.clear()


def _stored_fingerprints(store: Store) -> dict[str, str]:
    """Article graph IRI -> the fingerprint it was built from."""
    rows = store.select(internal_query("build-fingerprints"))
    return {row["g"].value: row["f"].value for row in rows}


def _load_schema_graphs(store: Store | StagedStore) -> None:
    """The ontology and the reference data, each in its own named graph (one transaction)."""
    graphs: dict[str, bytes] = {}
    for graph_iri, files in ((ONTOLOGY_GRAPH, ontology_files()), (REFERENCE_GRAPH, reference_files())):
        graph = Graph()
        for path in files:
            graph.parse(path, format="turtle")
        graphs[str(graph_iri)] = graph.serialize(format="nt", encoding="utf-8")
    store.replace_graphs(graphs)


def _staged(store: Store, jobs: list[ArticleJob], stored: dict[str, str], gone: list[str]) -> StagedStore | None:
    """A new store to fill and swap in, when this build writes at least as many articles as
    it keeps from the store (copying those is then cheap beside the bulk load's gain)."""
    kept = len(set(stored) - {article_graph(job.path.stem) for job in jobs} - set(gone))
    if len(jobs) < STAGED_MINIMUM or kept > len(jobs):
        return None
    staging = StagedStore(store)
    if not can_exchange(staging.folder):
        staging.discard()
        return None
    return staging


def _count_classes(store: Store) -> dict[str, int]:
    rows = store.select(internal_query("class-counts"))
    return {row["c"].value.split("#")[-1]: int(row["n"].value) for row in rows}


def _manifest_of(folder: Path, manifests: dict[Path, Manifest], summary: BuildSummary) -> Manifest:
    """``folder``'s checked manifest, read once; its problems go to ``summary.failed``."""
    if folder not in manifests:
        manifest = manifests[folder] = read_manifest(folder)
        for problem in manifest.problems:
            summary.failed[problem] = problem
    return manifests[folder]


def _write_articles(store: Store, staged: StagedStore | None, jobs: list[ArticleJob], in_store: set[str],
                    gone: list[str], workers: int, summary: BuildSummary,
                    on_result: Callable[[ArticleResult | str], None] | None) -> None:
    """Build ``jobs`` and write their graphs, with the schema graphs, into ``store``; or into
    ``staged``, which then takes every graph of ``store`` this build neither wrote nor lets
    go (``gone``), and replaces ``store``."""
    writer: Store | StagedStore = store if staged is None else staged
    _load_schema_graphs(writer)
    pending: list[ArticleResult] = []
    written: set[str] = set()
    groups: list[MentionGroup] = []
    for result in _results(jobs, workers):
        if result.error is not None:
            summary.failed[result.file_name] = result.error
        else:
            pending.append(result)
            written.add(result.graph)
            groups.extend(result.mention_groups)
            summary.built.append(result.file_name)
            if result.warnings:
                summary.warnings[result.file_name] = list(result.warnings)
            if len(pending) >= WRITE_BATCH:
                _write_batch(writer, pending, in_store)
        if on_result:
            on_result(result)
    _write_batch(writer, pending, in_store)
    if staged is not None:
        left = written | set(gone) | {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), SUMMARY_GRAPH}
        kept = [g for g in store.graph_names() if g not in left]
        staged.copy_graphs(kept)
        # The workers' mention groups are the store's when every graph that can hold a mention
        # is one they made (the ontology and the reference data hold none).
        _summarise(store, staged, summary, None if kept else groups)
        staged.commit()


def _summarise(store: Store, staged: StagedStore | None, summary: BuildSummary,
               mention_groups: list[MentionGroup] | None = None) -> None:
    """Count the article graphs' classes and write the summary graph (kg/graph/summary.py):
    into ``staged`` before its commit when there is one, by its bulk load (a transactional load
    of the summary at 10,000 articles took 17 s of the build's serial end), else into ``store``.
    ``mention_groups``, when given, are all of the store's (else they are read from it).

    The class counts read only article graphs, so they are counted in a thread of their own
    while the summary is counted: the workers are done and both cores are free.
    """
    if staged is not None:
        staged.load_queued()
    reader = store if staged is None else staged.reader()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="classes") as side:
        classes = side.submit(_count_classes, reader)
        if staged is None:
            summary.triples = write_summary(store)
        else:
            data, summary.triples = summary_graph(reader, mention_groups)
            staged.add_graph(SUMMARY_GRAPH, data)
        summary.classes = classes.result()


def build(
    paths: Iterable[Path],
    store: Store,
    *,
    workers: int | None = None,
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    article_seconds: float = ARTICLE_SECONDS,
    on_result: Callable[[ArticleResult | str], None] | None = None,
) -> BuildSummary:
    """Build the graph of exactly the articles in ``paths`` into ``store``.

    Article graphs of files no longer given are dropped; unchanged articles are skipped
    unless ``force``; files over ``max_bytes`` are refused, and an article whose extraction
    takes over ``article_seconds`` is stopped. ``on_result`` is called once per
    article (for a progress bar). What failed is in the summary, never raised.
    """
    files = find_articles(paths)
    pipeline = pipeline_fingerprint()
    manifests: dict[Path, Manifest] = {}
    summary = BuildSummary()
    remove_stale_temporaries(store.export_cache)
    remove_staging(store.location)
    stored = _stored_fingerprints(store)
    wanted = {article_graph(path.stem) for path in files}
    gone = sorted(graph_iri for graph_iri in stored if graph_iri not in wanted)

    jobs: list[ArticleJob] = []
    for path in files:
        manifest = _manifest_of(path.parent, manifests, summary)
        error = manifest.bad_entries.get(path.name)
        entry = manifest.entries.get(path.name, {})
        try:
            fingerprint = "" if error else article_fingerprint(path, entry, pipeline, max_bytes)
        except InputError as exc:
            error = str(exc)
        if error:
            summary.failed[path.name] = error
            if on_result:
                on_result(ArticleResult(path.name, "", error=error))
            continue
        if not force and stored.get(article_graph(path.stem)) == fingerprint:
            summary.unchanged.append(path.name)
            if on_result:
                on_result(path.name)
            continue
        jobs.append(ArticleJob(path, entry, fingerprint, store.export_cache, max_bytes, article_seconds))

    staged = _staged(store, jobs, stored, gone)
    try:
        _write_articles(store, staged, jobs, set(stored), gone, workers or os.cpu_count() or 1, summary, on_result)
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    # Last, so that a build killed before its end has lost no article the store held (a
    # staged build has not copied them: this drops their export pieces).
    store.drop_graphs(gone)
    summary.removed.extend(graph_iri.rsplit("/", 1)[-1] for graph_iri in gone)
    if staged is None:
        _summarise(store, None, summary)
    store.flush()
    return summary
