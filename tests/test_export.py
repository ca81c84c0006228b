"""Exports: every format reads back as the same graph, and the bytes never depend on load order."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.export.serialise import export_bytes, export_chunks, selected_graphs
from kg.files import write_atomic
from kg.store.pieces import piece_names
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
ONTOLOGY = "https://w3id.org/vjkg/graph/ontology"
PIECES = piece_names()
WITH_BLANKS = (b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
               b"<http://x/C> owl:equivalentClass [ owl:unionOf ( <http://x/A> <http://x/B> ) ] .\n"
               b"<http://x/D> owl:equivalentClass [ owl:unionOf ( <http://x/B> <http://x/A> ) ] .\n")


def quads_by_graph() -> dict[str, list[ox.Quad]]:
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse((FIXTURES / "mini.trig").read_bytes(), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    return graphs


def build_store(folder: Path, reverse: bool) -> Store:
    """The fixture loaded graph by graph, in one order or the other, with an ontology graph."""
    store = Store(folder)
    graphs = quads_by_graph()
    for name in sorted(graphs, reverse=reverse):
        quads = graphs[name][::-1] if reverse else graphs[name]
        store.oxigraph.extend(quads)
    store.oxigraph.load(WITH_BLANKS, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY))
    store.flush()
    del store  # closed, so that the read-only handles below never race a writer
    return Store(folder, read_only=True)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Store]:
    base = tmp_path_factory.mktemp("export")
    return build_store(base / "one", reverse=False), build_store(base / "two", reverse=True)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
@pytest.mark.parametrize("include", [(), ("reference", "ontology")])
def test_exports_are_byte_identical_whatever_the_load_order(stores: tuple[Store, Store], fmt: str,
                                                            include: tuple[str, ...]) -> None:
    one, two = stores
    assert export_bytes(one, fmt, include) == export_bytes(two, fmt, include)


@pytest.mark.parametrize(("fmt", "rdf_format"), [
    ("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_merged_exports_read_back_as_the_union(stores: tuple[Store, Store], fmt: str,
                                               rdf_format: ox.RdfFormat) -> None:
    store = stores[0]
    articles = [g for g in store.graph_names() if "/article/" in g]
    expected = {q.triple for g in articles for q in store.quads(g)}
    parsed = {q.triple for q in ox.parse(export_bytes(store, fmt), format=rdf_format)}
    assert parsed == expected


@pytest.mark.parametrize(("fmt", "rdf_format"), [("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)])
def test_dataset_exports_keep_one_graph_per_article(stores: tuple[Store, Store], fmt: str,
                                                    rdf_format: ox.RdfFormat) -> None:
    store = stores[0]
    parsed = list(ox.parse(export_bytes(store, fmt), format=rdf_format))
    assert sorted({q.graph_name.value for q in parsed}) == [
        "https://w3id.org/vjkg/graph/article/100_alpha", "https://w3id.org/vjkg/graph/article/101_beta",
        "https://w3id.org/vjkg/graph/article/102_gamma"]
    articles = [g for g in store.graph_names() if "/article/" in g]
    assert set(parsed) == {q for g in articles for q in store.quads(g)}


def test_turtle_uses_the_project_prefixes_in_a_fixed_order(stores: tuple[Store, Store]) -> None:
    text = export_bytes(stores[0], "ttl").decode()
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes) and "vjr:" in prefixes and "vjo:" in prefixes
    assert "vjr:person\\/hiroshi-tanaka" in text


def test_blank_nodes_get_canonical_labels(stores: tuple[Store, Store]) -> None:
    text = export_bytes(stores[0], "nt", ("ontology",)).decode()
    assert "_:c14n0" in text
    graph = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len([t for t in graph if t.predicate.value.endswith("#unionOf")]) == 2


def test_unknown_include_is_refused(stores: tuple[Store, Store]) -> None:
    result = CliRunner().invoke(main, ["export", "--include", "shapes", "--store", str(stores[0].location)])
    assert result.exit_code == 2 and "cannot include shapes" in result.output


def test_cli_export_to_stdout_and_atomically_to_a_file(stores: tuple[Store, Store], tmp_path: Path) -> None:
    store = stores[0]
    runner = CliRunner()
    stdout = runner.invoke(main, ["export", "--format", "nt", "--store", str(store.location)])
    assert stdout.exit_code == 0 and stdout.stdout_bytes == export_bytes(store, "nt")
    out = tmp_path / "graph.ttl"
    out.write_text("old content")
    result = runner.invoke(main, ["export", "--out", str(out), "--store", str(store.location)])
    assert result.exit_code == 0
    assert out.read_bytes() == export_bytes(store, "ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no temporary file left


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nt"]


def test_a_streamed_export_stops_cleanly_when_a_chunk_fails(tmp_path: Path) -> None:
    """`kg export --out` writes chunk by chunk; a failure half-way leaves the old file alone."""
    target = tmp_path / "out.nq"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"<a> <b> <c> .\n"
        raise OSError("the store went away")

    with pytest.raises(OSError):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nq"]
    assert write_atomic(target, iter([b"<a> <b> <c> .\n", b"<d> <e> <f> .\n"])) == 28
    assert target.read_bytes().count(b"\n") == 2


def test_exports_stream_one_graph_at_a_time(built: tuple[Store, Store]) -> None:
    """Every format comes as several chunks (one per article graph and more), which join to
    the whole export: nothing holds every graph's pieces at once."""
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        chunks = list(export_chunks(built[0], fmt))
        assert len(chunks) > len(selected_graphs(built[0])) // 2
        assert b"".join(chunks) == export_bytes(built[0], fmt)


def build_with_pieces(folder: Path, reverse: bool) -> Store:
    """The fixture written as `kg build` writes it (one N-Triples load per graph), so every
    article graph also gets its stored export pieces; in one order or the other."""
    store = Store(folder)
    graphs = quads_by_graph()
    for name in sorted(graphs, reverse=reverse):
        triples = [q.triple for q in (graphs[name][::-1] if reverse else graphs[name])]
        store.replace_graph_ntriples(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    store.oxigraph.load(WITH_BLANKS, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY))
    store.flush()
    del store
    return Store(folder, read_only=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Store]:
    base = tmp_path_factory.mktemp("built")
    return build_with_pieces(base / "one", reverse=False), build_with_pieces(base / "two", reverse=True)


def test_building_stores_the_pieces_of_every_article_graph(built: tuple[Store, Store]) -> None:
    names = sorted(p.name for p in built[0].export_cache.iterdir())
    assert names == sorted(f"{stem}.{piece}" for stem in ("100_alpha", "101_beta", "102_gamma")
                           for piece in PIECES)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
@pytest.mark.parametrize("include", [(), ("reference", "ontology")])
def test_stored_pieces_give_the_same_bytes_as_the_store(built: tuple[Store, Store], stores: tuple[Store, Store],
                                                        fmt: str, include: tuple[str, ...]) -> None:
    one, two = built
    assert export_bytes(one, fmt, include) == export_bytes(two, fmt, include)
    assert export_bytes(one, fmt, include) == export_bytes(stores[0], fmt, include)  # no pieces there


def test_stale_or_torn_pieces_are_not_used(built: tuple[Store, Store], tmp_path: Path) -> None:
    expected = export_bytes(built[0], "nq")
    folder = tmp_path / "store"
    shutil.copytree(built[0].location, folder)
    store = Store(folder, read_only=True)
    shutil.copytree(built[0].export_cache, store.export_cache)
    pieces = store.export_cache / "101_beta.nquads"
    header, _, body = pieces.read_bytes().partition(b"\n")
    pieces.write_bytes(header + b"\n" + body[:-10])  # torn
    assert b"sha256:b1" in header
    (store.export_cache / "100_alpha.nquads").write_bytes(header + b"\n" + body)  # made from another build
    assert export_bytes(store, "nq") == expected
    assert export_bytes(store, "trig") == export_bytes(built[0], "trig")  # the other pieces still serve


def test_merged_exports_hold_each_repeated_triple_once(built: tuple[Store, Store]) -> None:
    store = built[0]
    articles = [g for g in store.graph_names() if "/article/" in g]
    person = "https://w3id.org/vjkg/id/person/hiroshi-tanaka"
    assert sum(1 for g in articles if any(store.quads(g))
               and any(q.subject.value == person for q in store.quads(g))) > 1
    lines = export_bytes(store, "nt").splitlines()
    assert len(lines) == len(set(lines)) == len({q.triple for g in articles for q in store.quads(g)})


def test_dropping_or_replacing_a_graph_forgets_its_pieces(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    graphs = quads_by_graph()
    for name, quads in graphs.items():
        store.replace_graph_ntriples(name, ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES))
    alpha, beta = sorted(graphs)[:2]
    store.drop_graph(alpha)
    store.load_dataset(b"")
    assert list(store.export_cache.iterdir()) == []
    store.replace_graph_ntriples(beta, ox.serialize([q.triple for q in graphs[beta]], format=ox.RdfFormat.N_TRIPLES))
    assert sorted(p.name for p in store.export_cache.iterdir()) == sorted(f"101_beta.{p}" for p in PIECES)


def test_kg_build_stores_pieces_that_match_the_store(tmp_path: Path) -> None:
    from kg.graph.build import build

    article = Path(__file__).parent / "fixtures" / "articles" / "small.txt"
    writer = Store(tmp_path / "store")
    assert build([article], writer, workers=1).built == ["small.txt"]
    writer.flush()
    del writer
    store = Store(tmp_path / "store", read_only=True)
    assert sorted(p.name for p in store.export_cache.iterdir()) == sorted(f"small.{p}" for p in PIECES)
    with_pieces = {fmt: export_bytes(store, fmt) for fmt in ("ttl", "nt", "nq", "trig", "jsonld")}
    shutil.rmtree(store.export_cache)
    assert {fmt: export_bytes(store, fmt) for fmt in with_pieces} == with_pieces
