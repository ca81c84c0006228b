"""`kg plot`: a real picture of an indicator's series, disagreeing sources marked."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.query.backend import EmbeddedBackend
from kg.cli.main import main
from kg.export.plot import point_date, series
from fixtures.queries.mini import open_mini_store
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
VJR = "https://w3id.org/vjkg/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_mini_store(tmp_path_factory.mktemp("mini") / "store")


def test_series_marks_the_disagreeing_points(store: Store) -> None:
    points, disputed = series(EmbeddedBackend(store), "trade_turnover")
    assert [p["value"] for p in points] == [45e9, 49e9]
    assert disputed == {VJR + "observation/101_beta/270-292", VJR + "observation/102_gamma/82-96"}
    points, disputed = series(EmbeddedBackend(store), "diaspora", "Vietnam->Japan")
    assert [p["value"] for p in points] == [580000.0, 570000.0] and disputed == set()  # 2023 and 2024


def test_partial_dates_sit_mid_span() -> None:
    assert str(point_date("2023")) == "2023-07-01"
    assert str(point_date("2024-03")) == "2024-03-15"
    assert point_date(None) is None


@pytest.mark.parametrize(("name", "magic"), [("diaspora.png", b"\x89PNG"), ("fdi.svg", b"<?xml")])
def test_cli_plot_writes_the_picture(store: Store, tmp_path: Path, name: str, magic: bytes) -> None:
    out = tmp_path / name
    indicator = "diaspora" if name.startswith("diaspora") else "fdi_registered_capital"
    result = CliRunner().invoke(main, ["plot", indicator, "--out", str(out), "--store", str(store.location)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic) and out.stat().st_size > 5000
    if name.endswith(".svg"):
        text = out.read_text()
        assert "102_gamma.txt" in text and "undated" in text  # the undated point is drawn


@pytest.mark.parametrize(("args", "message"), [
    (["plot", "diaspora", "--direction", "Japan"], "is not a direction"),
    (["plot", "diaspora", "--out", "x.pdf"], "must be a .png or .svg"),
    (["plot", "tourists"], "unknown indicator 'tourists'"),
])
def test_cli_plot_errors(store: Store, tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--store", str(store.location)])
    assert result.exit_code == 2 and message in result.output
