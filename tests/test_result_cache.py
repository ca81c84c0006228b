"""Answers kept per state of the store: a repeat is read back, any write makes it evaluate again."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg import run_query, run_sparql
from kg.cli.main import main
from kg.store.result_cache import cache_dir, store_state
from kg.store.store import Store
from fixtures.queries.mini import build_mini_store

NEW_ARTICLE = """
<https://w3id.org/vjkg/graph/article/zeta> {
  <https://w3id.org/vjkg/id/article/zeta> a <https://w3id.org/vjkg/ontology#Article> ;
      <https://w3id.org/vjkg/ontology#fileName> "zeta.txt" .
}
"""


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return build_mini_store(tmp_path / "store")


def entries(store_dir: Path) -> list[Path]:
    return sorted(cache_dir(store_dir).glob("*/*.json"))


def tamper(entry: Path) -> None:
    """Mark the kept answer, so that a test can tell a read-back from an evaluation."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["rows"] = [{**row, "article": "from-the-cache"} for row in data["rows"]]
    entry.write_text(json.dumps(data), encoding="utf-8")


def add_article(store_dir: Path) -> None:
    writer = Store(store_dir)
    writer.load_dataset(NEW_ARTICLE.encode())
    writer.flush()
    del writer


def test_a_repeated_query_is_read_back_with_the_same_rows(store_dir: Path) -> None:
    first = run_query("facts-articles", store=store_dir)
    [entry] = entries(store_dir)
    assert run_query("facts-articles", store=store_dir) == first
    tamper(entry)
    assert {row["article"] for row in run_query("facts-articles", store=store_dir)} == {"from-the-cache"}


def test_cached_rows_keep_their_python_types(store_dir: Path) -> None:
    evaluated = run_query("facts-figures", store=store_dir, cache=False)
    run_query("facts-figures", store=store_dir)
    cached = run_query("facts-figures", store=store_dir)
    assert cached == evaluated and evaluated
    assert [list(map(type, row.values())) for row in cached] == \
        [list(map(type, row.values())) for row in evaluated]


def test_parameters_are_part_of_the_key(store_dir: Path) -> None:
    japan = run_query("meetings", {"from": "2024-01-01"}, store=store_dir, cache=False)
    everyone = run_query("meetings", store=store_dir, cache=False)
    assert japan != everyone
    assert run_query("meetings", {"from": "2024-01-01"}, store=store_dir) == japan
    kept = len(entries(store_dir))
    assert run_query("meetings", store=store_dir) == everyone
    assert len(entries(store_dir)) == kept + 1
    assert run_query("meetings", {"from": "2024-01-01"}, store=store_dir) == japan
    assert run_query("meetings", store=store_dir) == everyone
    assert len(entries(store_dir)) == kept + 1


def test_a_write_to_the_store_makes_the_query_run_again(store_dir: Path) -> None:
    run_query("facts-articles", store=store_dir)
    [old] = entries(store_dir)
    tamper(old)
    add_article(store_dir)
    articles = {row["article"] for row in run_query("facts-articles", store=store_dir)}
    assert "from-the-cache" not in articles and "zeta.txt" in articles
    [new] = entries(store_dir)
    assert new.parent != old.parent and not old.parent.exists()


def test_no_cache_evaluates(store_dir: Path) -> None:
    run_query("facts-articles", store=store_dir)
    tamper(entries(store_dir)[0])
    rows = run_query("facts-articles", store=store_dir, cache=False)
    assert "from-the-cache" not in {row["article"] for row in rows}


def test_a_damaged_entry_is_evaluated_again_and_replaced(store_dir: Path) -> None:
    expected = run_query("facts-articles", store=store_dir)
    [entry] = entries(store_dir)
    entry.write_bytes(b"\x00\xff not json")
    assert run_query("facts-articles", store=store_dir) == expected
    entry.write_text(json.dumps({"key": entry.stem, "rows": "not a list"}), encoding="utf-8")
    assert run_query("facts-articles", store=store_dir) == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["rows"] == expected


def test_an_unwritable_cache_still_answers(store_dir: Path) -> None:
    cache_dir(store_dir).write_text("a file where the cache folder would go")
    expected = run_query("facts-articles", store=store_dir, cache=False)
    assert run_query("facts-articles", store=store_dir) == expected


def test_construct_answers_are_not_kept(store_dir: Path) -> None:
    result = run_sparql("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }", store=store_dir)
    assert result.triples and not entries(store_dir)
    ask = run_sparql("ASK { ?s a ?c }", store=store_dir)
    assert ask.boolean is True and len(entries(store_dir)) == 1
    assert run_sparql("ASK { ?s a ?c }", store=store_dir).boolean is True


def test_a_writable_store_keeps_nothing(store_dir: Path) -> None:
    writer = Store(store_dir)
    assert writer.result_cache() is None
    run_query("facts-articles", store=writer)
    assert not entries(store_dir)


def test_the_state_ignores_the_info_log_and_follows_the_data(store_dir: Path) -> None:
    before = store_state(store_dir)
    (store_dir / "LOG").write_text("an informational line\n")
    assert store_state(store_dir) == before
    Store(store_dir, read_only=True)
    assert store_state(store_dir) == before
    add_article(store_dir)
    assert store_state(store_dir) != before
    assert store_state(store_dir / "missing") is None


def test_cli_no_cache_flag(store_dir: Path) -> None:
    runner = CliRunner()
    base = ["query", "facts-articles", "--store", str(store_dir), "--format", "csv"]
    evaluated = runner.invoke(main, base)
    assert evaluated.exit_code == 0, evaluated.output
    tamper(entries(store_dir)[0])
    assert "from-the-cache" in runner.invoke(main, base).output
    fresh = runner.invoke(main, [*base, "--no-cache"])
    assert fresh.exit_code == 0 and fresh.output == evaluated.output



PARAM_SETS = yaml.safe_load((Path(__file__).parent / "fixtures" / "queries" / "params.yaml").read_text())


@pytest.fixture(scope="module")
def mini_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_store(tmp_path_factory.mktemp("mini") / "store")


@pytest.mark.parametrize("name", sorted(PARAM_SETS))
def test_every_stored_query_reads_back_what_it_evaluates(mini_dir: Path, name: str) -> None:
    for params in PARAM_SETS[name]:
        evaluated = run_query(name, params, store=mini_dir, cache=False)
        first = run_query(name, params, store=mini_dir)
        assert run_query(name, params, store=mini_dir) == first == evaluated, params
