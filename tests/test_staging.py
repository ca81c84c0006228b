"""Large builds bulk-load a new store beside the live one and swap it in whole
(:mod:`kg.store.staging`): the result is the store a transactional build makes, graphs the
build does not write are carried over, and a build that stops leaves the old store as it was.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.graph.build as build_module
import kg.graph.summary as summary_module
from bench.generate import compose
from kg.export.serialise import export_bytes
from kg.graph.build import build
from kg.graph.summary import SUMMARY_GRAPH, write_summary
from kg.namespaces import article_graph
from kg.store.exchange import can_exchange, exchange
from kg.store.folders import staging_dir
from kg.store.staging import StagedStore
from kg.store.store import Store

ARTICLES = 20  # over STAGED_MINIMUM


def write_corpus(folder: Path, indices: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in indices:
        article = compose(23, index)
        (folder / article.file_name).write_text(article.text, encoding="utf-8")
    return folder


def dataset(store: Store) -> set[str]:
    """Every quad of the store, as text (no blank nodes in article graphs)."""
    return {str(quad) for quad in store.quads() if not isinstance(quad.subject, ox.BlankNode)
            and not isinstance(quad.object, ox.BlankNode)}


@pytest.fixture()
def commits(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The staging folders committed during a test (so a test knows which path it took)."""
    seen: list[Path] = []
    original = StagedStore.commit

    def commit(self: StagedStore) -> None:
        seen.append(self.folder)
        original(self)

    monkeypatch.setattr(StagedStore, "commit", commit)
    return seen


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_text("1")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two").write_text("2")
    assert can_exchange(tmp_path)
    exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["two"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["one"]
    with pytest.raises(OSError):
        exchange(tmp_path / "a", tmp_path / "missing")


def test_a_staged_build_makes_the_store_a_transactional_build_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commits: list[Path]) -> None:
    corpus = write_corpus(tmp_path / "corpus", range(ARTICLES))
    staged = Store(tmp_path / "staged")
    assert build([corpus], staged, workers=2).failed == {}
    assert len(commits) == 1 and not staging_dir(staged.location).exists()
    monkeypatch.setattr(build_module, "STAGED_MINIMUM", 10**9)
    plain = Store(tmp_path / "plain")
    build([corpus], plain, workers=1)
    assert len(commits) == 1  # the second build wrote in transactions
    assert dataset(staged) == dataset(plain)
    for fmt in ("nq", "ttl"):
        assert export_bytes(staged, fmt) == export_bytes(plain, fmt)


def test_the_store_swapped_in_already_holds_its_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commits: list[Path]) -> None:
    """The summary graph is bulk-loaded into the new store before the swap, not loaded by a
    transaction after it: no reader meets the new store without its summary."""
    corpus = write_corpus(tmp_path / "corpus", range(ARTICLES))
    store = Store(tmp_path / "store")
    in_new_store: list[int] = []
    swap_folder, load_graph = Store.swap_folder, Store.load_graph

    def swapping(self: Store, folder: Path) -> None:
        new = ox.Store.read_only(str(folder))
        in_new_store.append(len(list(new.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH)))))
        del new
        swap_folder(self, folder)

    loaded: list[str] = []

    def loading(self: Store, graph_iri: str, ntriples: bytes) -> None:
        loaded.append(graph_iri)
        load_graph(self, graph_iri, ntriples)

    monkeypatch.setattr(Store, "swap_folder", swapping)
    monkeypatch.setattr(Store, "load_graph", loading)
    summary = build([corpus], store, workers=2)
    assert len(commits) == 1 and loaded == []
    held = {str(q) for q in store.quads(SUMMARY_GRAPH)}
    assert in_new_store == [len(held)] and held
    assert summary.triples == len(store)
    assert write_summary(store) == len(store)  # counted again on the store as it now is: the same
    assert {str(q) for q in store.quads(SUMMARY_GRAPH)} == held


def summary_quads(store: Store) -> set[str]:
    return {str(quad) for quad in store.quads(SUMMARY_GRAPH)}


def test_a_build_that_writes_every_article_takes_the_mention_groups_from_its_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commits: list[Path]) -> None:
    """The workers find each article's mention groups in the graph they make; the summary
    holds the groups the store's query finds, which the build no longer runs."""
    corpus = write_corpus(tmp_path / "corpus", range(ARTICLES))
    store = Store(tmp_path / "store")
    queried: list[Store] = []
    query = summary_module.mention_groups

    def querying(store: Store) -> list[str]:
        queried.append(store)
        return query(store)

    monkeypatch.setattr(summary_module, "mention_groups", querying)
    build([corpus], store, workers=2)
    assert len(commits) == 1 and queried == []
    held = summary_quads(store)
    assert any("/summary/mentions/" in quad for quad in held)
    write_summary(store)  # the summary as the store's queries give it
    assert len(queried) == 1 and summary_quads(store) == held


def test_graphs_the_build_does_not_write_are_carried_over(tmp_path: Path, commits: list[Path]) -> None:
    corpus = write_corpus(tmp_path / "corpus", range(8))
    store = Store(tmp_path / "store")
    build([corpus], store, workers=1)
    other = "https://example.org/graph/kept"
    store.load_dataset(f'<https://example.org/s> <https://example.org/p> "kept" <{other}> .\n'.encode(),
                       ox.RdfFormat.N_QUADS)
    broken = sorted(corpus.iterdir())[0]
    before = {str(q.triple) for q in store.quads(article_graph(broken.stem))}
    broken.write_text("")  # this article now fails: its last good graph stays
    write_corpus(corpus, range(8, 8 + ARTICLES))
    summary = build([corpus], store, workers=2)
    assert commits, "a build writing most of the store is staged"
    assert list(summary.failed) == [broken.name]
    assert len(summary.built) == ARTICLES and len(summary.unchanged) == 7
    assert {str(q.triple) for q in store.quads(article_graph(broken.stem))} == before
    assert [q.object.value for q in store.quads(other)] == ["kept"]
    held = summary_quads(store)  # graphs carried over: the mention groups read from the new store
    write_summary(store)
    assert summary_quads(store) == held
    broken.unlink()
    fresh = Store(tmp_path / "fresh")
    build([corpus], fresh, workers=1)
    # The summary graph describes the whole store, which here also holds the kept graphs.
    ours = {q for q in dataset(store) if other not in q and broken.stem not in q and SUMMARY_GRAPH not in q}
    assert ours == {q for q in dataset(fresh) if SUMMARY_GRAPH not in q}


def test_a_build_that_stops_leaves_the_store_as_it_was(tmp_path: Path, commits: list[Path]) -> None:
    first = write_corpus(tmp_path / "first", range(3))
    store = Store(tmp_path / "store")
    build([first], store, workers=1)
    held = dataset(store)
    corpus = write_corpus(tmp_path / "corpus", range(3, 3 + ARTICLES))
    seen: list[object] = []

    def stop(result: object) -> None:
        seen.append(result)
        if len(seen) == ARTICLES // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build([corpus], store, workers=2, on_result=stop)
    assert commits == [] and not staging_dir(store.location).exists()
    assert dataset(store) == held


def test_what_a_killed_build_left_beside_the_store_is_removed(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    leftover = staging_dir(store.location) / "store"
    leftover.mkdir(parents=True)
    (leftover / "000001.sst").write_bytes(b"half")
    build([write_corpus(tmp_path / "corpus", range(2))], store, workers=1)
    assert not staging_dir(store.location).exists()
    assert len(store.graph_names()) == 5  # two articles, the ontology, the reference data, the summary
