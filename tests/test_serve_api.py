"""Stored queries as an HTTP API: every stored query, with every parameter set the query tests
use, gives over HTTP exactly the rows `kg query` prints; bad parameters are 400s naming the
parameter; /openapi.json is a valid OpenAPI document describing every stored query."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate

from fixtures.queries.mini import build_mini_store
from kg.cli.main import main
from kg.query.stored import load_queries
from serving import running_server

PARAM_SETS = yaml.safe_load((Path(__file__).parent / "fixtures" / "queries" / "params.yaml").read_text())
CASES = [(name, params) for name, sets in PARAM_SETS.items() for params in sets]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_store(tmp_path_factory.mktemp("mini") / "store")


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running_server(store) as url:
        yield url


def cli_rows(store: Path, name: str, params: dict[str, str]) -> object:
    args = ["query", name, "--format", "json", "--no-cache", "--store", str(store)]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_stored_query_has_a_parameter_set() -> None:
    assert set(load_queries()) == set(PARAM_SETS)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_the_api_gives_the_rows_of_kg_query(server: str, store: Path, name: str, params: dict[str, str]) -> None:
    values = {k: str(v) for k, v in params.items()}
    answer = httpx.get(f"{server}/queries/{name}.json", params=values, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == cli_rows(store, name, values)


def test_csv_by_extension_and_by_accept(server: str) -> None:
    by_extension = httpx.get(f"{server}/queries/meetings.csv", params={"a": "Japan"})
    by_accept = httpx.get(f"{server}/queries/meetings", params={"a": "Japan"}, headers={"Accept": "text/csv"})
    assert by_extension.status_code == by_accept.status_code == 200
    assert by_extension.text == by_accept.text
    rows = list(csv.DictReader(io.StringIO(by_extension.text)))
    as_json = httpx.get(f"{server}/queries/meetings", params={"a": "Japan"},
                        headers={"Accept": "application/json"}).json()
    assert [r["meeting"] for r in rows] == [r["meeting"] for r in as_json] and rows


def test_the_html_table_shows_rows_with_links(server: str) -> None:
    answer = httpx.get(f"{server}/queries/officials", headers={"Accept": "text/html"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    rows = httpx.get(f"{server}/queries/officials.json").json()
    assert f"<p>{len(rows)} rows</p>" in answer.text
    assert 'href="/id/person/' in answer.text


@pytest.mark.parametrize(("path", "params", "words"), [
    ("meetings.json", {"from": "2024-13"}, "parameter 'from' of 'meetings': '2024-13' is not a real date"),
    ("meetings.json", {"a": "Atlantis"}, "parameter 'a' of 'meetings': unknown state 'Atlantis'"),
    ("conflicting-figures.json", {"tolerance": "much"}, "parameter 'tolerance'"),
    ("meetings.json", {"where": "Hanoi"}, "has no parameter 'where'"),
    ("figure-series.json", {}, "needs --param indicator"),
    ("meeting.json", {}, "no stored query named 'meeting' (did you mean 'meetings'?)"),
])
def test_a_bad_parameter_is_a_400_naming_it(server: str, path: str, params: dict[str, str], words: str) -> None:
    answer = httpx.get(f"{server}/queries/{path}", params=params)
    assert answer.status_code == 400
    assert words in answer.text


def test_the_listing_names_parameters_and_columns(server: str) -> None:
    listing = {q["name"]: q for q in httpx.get(f"{server}/queries.json").json()}
    assert set(listing) == set(load_queries())
    meetings = listing["meetings"]
    assert [p["name"] for p in meetings["parameters"]] == ["a", "b", "from", "to"]
    assert meetings["columns"][:3] == ["meeting", "date", "kind"] and meetings["summary"]
    html = httpx.get(f"{server}/queries", headers={"Accept": "text/html"}).text
    assert all(f'href="/queries/{name}"' in html for name in listing)


def test_openapi_is_valid_and_describes_every_stored_query(server: str) -> None:
    document = httpx.get(f"{server}/openapi.json").json()
    validate(document)
    queries = load_queries()
    for name, query in queries.items():
        operation = document["paths"][f"/queries/{name}"]["get"]
        assert operation["summary"] == query.summary
        assert [p["name"] for p in operation["parameters"]] == [p.name for p in query.params]
        assert [p["required"] for p in operation["parameters"]] == [p.required for p in query.params]
    tolerance = document["paths"]["/queries/conflicting-figures"]["get"]["parameters"][1]
    assert tolerance["schema"] == {"type": "number", "default": 0.01}
    assert set(document["paths"]["/sparql"]) == {"get", "post"}
