"""Stored-query files are checked at load time; parameters are bound as terms, never as text."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import load_queries, run_query, run_sparql
from kg.cli.main import main
from kg.query.endpoint import with_values
from kg.errors import QueryError
from fixtures.queries.mini import build_mini_store
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
GOOD = """#+ summary: Articles by name.
#+ params:
#+   - {name: wanted, type: string}
#+ columns: [article]
PREFIX vjo: <https://w3id.org/vjkg/ontology#>
SELECT ?article ?wanted WHERE {
  ?source vjo:fileName ?article .
  FILTER(COALESCE(STR(?wanted), "") = "" || ?article = ?wanted)
}
ORDER BY ?article
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A writable store: the injection tests must show that nothing was written to it."""
    return Store(build_mini_store(tmp_path_factory.mktemp("mini") / "store"))


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store folder for the CLI, which opens it read-only."""
    return build_mini_store(tmp_path_factory.mktemp("mini-cli") / "store")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_into_a_dataclass(tmp_path: Path) -> None:
    write(tmp_path, "by-name", GOOD)
    query = load_queries(tmp_path)["by-name"]
    assert query.columns == ("article",)
    assert query.params[0].name == "wanted" and query.params[0].type == "string"


def test_unknown_header_key_says_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "q", GOOD.replace("#+ columns:", "#+ colums:"))
    with pytest.raises(QueryError, match=r"unknown header key 'colums' \(did you mean 'columns'\?\)"):
        load_queries(tmp_path)


def test_unknown_parameter_type_says_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "q", GOOD.replace("type: string", "type: strng"))
    with pytest.raises(QueryError, match="did you mean 'string'"):
        load_queries(tmp_path)


def test_malformed_sparql_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken", GOOD.replace("?source vjo:fileName ?article .", "?source vjo:fileName ?article ) ."))
    with pytest.raises(QueryError) as caught:
        load_queries(tmp_path)
    match = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): malformed SPARQL: ", str(caught.value))
    assert match is not None, caught.value
    assert int(match.group(1)) >= 7  # the parser stops at or after the bad line


def test_columns_must_match_the_projection(tmp_path: Path) -> None:
    write(tmp_path, "q", GOOD.replace("columns: [article]", "columns: [article, date]"))
    with pytest.raises(QueryError, match="differ from the query's projection"):
        load_queries(tmp_path)


def test_parameter_must_be_a_projected_variable(tmp_path: Path) -> None:
    write(tmp_path, "q", GOOD.replace("SELECT ?article ?wanted", "SELECT ?article"))
    with pytest.raises(QueryError, match="must be projected"):
        load_queries(tmp_path)
    write(tmp_path, "q", GOOD.replace("name: wanted", "name: absent"))
    with pytest.raises(QueryError, match="'absent' is not a variable"):
        load_queries(tmp_path)


def test_a_stored_update_is_refused_at_load(tmp_path: Path) -> None:
    write(tmp_path, "drop", "#+ summary: Drop everything.\nDROP ALL")
    with pytest.raises(QueryError, match="is a SPARQL update"):
        load_queries(tmp_path)


def test_string_parameters_are_escaped_and_change_nothing(store: Store, tmp_path: Path) -> None:
    write(tmp_path, "by-name", GOOD)
    before = sorted(str(q) for q in store.quads())
    for hostile in ('"} ; DROP ALL #', "x\" } INSERT DATA { <a:a> <a:b> <a:c> } #", "101_beta.txt\\"):
        assert run_query("by-name", {"wanted": hostile}, store=store, queries_dir=tmp_path) == []
    assert run_query("by-name", {"wanted": "101_beta.txt"}, store=store,
                     queries_dir=tmp_path) == [{"article": "101_beta.txt"}]
    assert sorted(str(q) for q in store.quads()) == before


@pytest.mark.parametrize(("param", "value"), [
    ("fact", "<x> } INSERT { <a:a> <a:b> <a:c> } WHERE {"),
    ("fact", '"} ; DROP ALL #'),
    ("fact", "not an iri"),
])
def test_typed_iri_parameters_refuse_non_iris(store: Store, param: str, value: str) -> None:
    before = len(store)
    with pytest.raises(QueryError, match="is not an IRI"):
        run_query("provenance", {param: value}, store=store)
    assert len(store) == before


@pytest.mark.parametrize(("query", "param", "value", "message"), [
    ("meetings", "from", '"} ; DROP ALL #', "is not a date"),
    ("meetings", "to", "2024-02-30", "is not a real date"),
    ("meetings", "a", "<x> } INSERT {", "unknown state"),
    ("conflicting-figures", "year", "2023 } ; DROP ALL", "is not an integer"),
    ("conflicting-figures", "tolerance", "0.1e", "is not a decimal"),
    ("figure-series", "indicator", "diaspora } #", "is not an indicator code"),
    ("figure-series", "indicator", "diaspra", "did you mean 'diaspora'"),
])
def test_typed_parameters_refuse_bad_values(store: Store, query: str, param: str, value: str,
                                            message: str) -> None:
    params = {"indicator": "diaspora"} if query == "figure-series" else {}
    with pytest.raises(QueryError, match=message):
        run_query(query, {**params, param: value}, store=store)


def test_unknown_parameter_and_query_names(store: Store) -> None:
    with pytest.raises(QueryError, match="did you mean 'from'"):
        run_query("meetings", {"form": "2024"}, store=store)
    with pytest.raises(QueryError, match="did you mean 'meetings'"):
        run_query("meeting", store=store)


def test_entity_parameter_ambiguity_and_absence(store: Store) -> None:
    with pytest.raises(QueryError, match="no entity is named"):
        run_query("entity-profile", {"entity": "Nobody Here"}, store=store)


def test_run_sparql_refuses_updates_and_leaves_the_store(store: Store) -> None:
    before = len(store)
    for update in ("DROP ALL", "INSERT DATA { <a:a> <a:b> <a:c> }", "CLEAR DEFAULT"):
        with pytest.raises(QueryError, match="is a SPARQL update"):
            run_sparql(update, store=store)
    assert len(store) == before


def test_run_sparql_select_ask_construct(store: Store) -> None:
    select = run_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/vjkg/ontology#Meeting> }",
                        store=store)
    assert select.rows == [{"n": 4}]
    assert run_sparql("ASK { ?s a <https://w3id.org/vjkg/ontology#Meeting> }", store=store).boolean is True
    construct = run_sparql("CONSTRUCT { ?m a <http://x/M> } WHERE { ?m a <https://w3id.org/vjkg/ontology#Meeting> }",
                           store=store)
    assert len(construct.triples) == 4


def test_with_values_skips_braces_in_strings_iris_and_comments() -> None:
    query = ('PREFIX x: <http://x/a#b>\n# a { comment\nSELECT ?a (CONCAT("{", ?b) AS ?c) ?p\n'
             'WHERE { ?a x:p ?b }')
    bound = with_values(query, {"p": __import__("pyoxigraph").Literal("} ; DROP ALL #")})
    assert bound.index("VALUES") > bound.index("WHERE {")
    assert 'VALUES (?p) { ("} ; DROP ALL #") }' in bound


def test_cli_query_formats(store_dir: Path) -> None:
    runner = CliRunner()
    base = ["query", "who-met-whom", "--store", str(store_dir)]
    result = runner.invoke(main, [*base, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 3
    csv_out = runner.invoke(main, [*base, "--format", "csv"]).output.splitlines()
    assert csv_out[0] == "person_a,name_a,person_b,name_b,meetings,first,last"
    assert csv_out[1].startswith("https://w3id.org/vjkg/id/person/")
    tsv_out = runner.invoke(main, [*base, "--format", "tsv"]).output.splitlines()
    assert tsv_out[0].split("\t")[0] == "person_a"
    markdown = runner.invoke(main, [*base, "--format", "markdown"]).output.splitlines()
    assert markdown[0].startswith("| person_a |") and "vjr:person/" in markdown[2]
    table = runner.invoke(main, ["query", "meetings", "-p", "a=Japan", "-p", "from=2024",
                                 "--store", str(store_dir)]).output
    assert "Le Thi Hoa" in table and "Tran Van An, Hiroshi" not in table


def test_cli_errors_are_one_line_with_exit_2(store_dir: Path) -> None:
    runner = CliRunner()
    for args, message in (
        (["query", "meetings", "-p", "a"], "write KEY=VALUE"),
        (["query", "meetings", "-p", "a=Atlantis"], "unknown state 'Atlantis'"),
        (["query", "nope"], "no stored query named 'nope'"),
    ):
        result = runner.invoke(main, [*args, "--store", str(store_dir)])
        assert result.exit_code == 2
        assert message in result.output and "Traceback" not in result.output


def test_cli_query_on_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no graph has been built here yet" in result.output


def test_cli_sparql_from_file_and_stdin(store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/vjkg/ontology#Person> }")
    result = runner.invoke(main, ["sparql", str(query), "--store", str(store_dir), "--format", "csv"])
    assert result.output == "n\n4\n"
    ask = runner.invoke(main, ["sparql", "-", "--store", str(store_dir)],
                        input="ASK { ?s a <https://w3id.org/vjkg/ontology#Meeting> }")
    assert ask.output == "true\n"
    construct = runner.invoke(main, ["sparql", "-", "--store", str(store_dir)],
                              input="CONSTRUCT { ?s a <http://x/P> } WHERE { ?s a <https://w3id.org/vjkg/ontology#Person> }")
    assert "vjr:person\\/kenji-sato a <http://x/P>" in construct.output


def test_cli_sparql_refuses_updates(store_dir: Path) -> None:
    before = len(Store(store_dir, read_only=True))
    result = CliRunner().invoke(main, ["sparql", "-", "--store", str(store_dir)], input="DROP ALL")
    assert result.exit_code == 2 and "is a SPARQL update" in result.output
    malformed = CliRunner().invoke(main, ["sparql", "-", "--store", str(store_dir)],
                                   input="SELECT ?s WHERE {\n ?s ?p \n}")
    assert malformed.exit_code == 2 and "<stdin>:3:2: malformed SPARQL" in malformed.output
    assert len(Store(store_dir, read_only=True)) == before


def test_cli_lists_queries() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "conflicting-figures: Groups of figures" in result.output
    assert "--param tolerance=<decimal>  (default 0.01)" in result.output
