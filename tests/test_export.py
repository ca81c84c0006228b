"""Exports: every format reads back as the same graph, and the bytes never depend on load order."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import export_bytes, write_atomic
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
ONTOLOGY = "https://w3id.org/vjkg/graph/ontology"
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
