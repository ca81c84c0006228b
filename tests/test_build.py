"""`kg build` end to end: bad files reported and skipped, incremental rebuilds, provenance."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.graph.build import build, find_articles
from kg.cli.main import main
from kg.errors import InputError
from kg.namespaces import article_graph
from project import SEEDS_DIR
from kg.store.store import Store

BAD = Path(__file__).parent / "fixtures" / "build" / "bad"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The seeds (with their manifest) plus an empty, a binary and a Latin-1 file."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS_DIR, folder)
    for bad in BAD.iterdir():
        shutil.copy(bad, folder / bad.name)
    return folder


def test_bad_files_are_reported_and_the_rest_still_build(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(corpus), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1, result.output  # some failed
    assert "5 built" in result.output and "3 failed" in result.output
    for name, reason in (("empty.txt", "empty"), ("binary.txt", "binary"),
                         ("latin1.txt", "UTF-8")):
        line = next(text for text in result.stderr.splitlines() if name in text)
        assert reason in line, line
    assert "Traceback" not in result.output + result.stderr


def test_strict_build_fails_on_bad_files(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(corpus), "--strict", "-q",
                                       "--store", str(tmp_path / "s")])
    assert result.exit_code == 1


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"),
                                       "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_duplicate_article_names_are_refused(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text("Some text.", encoding="utf-8")
    with pytest.raises(InputError, match="same file name"):
        find_articles([tmp_path / "a", tmp_path / "b"])


def test_only_changed_articles_are_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS_DIR, folder)
    store = Store(tmp_path / "s")
    first = build([folder], store)
    assert len(first.built) == 5 and not first.unchanged
    target = sorted(folder.glob("*.txt"))[1]
    target.write_text(target.read_text(encoding="utf-8") + "\nAn added closing line.\n",
                      encoding="utf-8")
    second = build([folder], store)
    assert second.built == [target.name]
    assert len(second.unchanged) == 4


def test_articles_no_longer_given_are_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS_DIR, folder)
    store = Store(tmp_path / "s")
    build([folder], store)
    gone = sorted(folder.glob("*.txt"))[0]
    gone.unlink()
    summary = build([folder], store)
    assert summary.removed == [gone.stem]
    assert article_graph(gone.stem) not in store.graph_names()


def test_every_mention_equals_the_article_text_at_its_offsets(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    build([SEEDS_DIR], store)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    rows = list(store.oxigraph.query(
        "PREFIX vjo: <https://w3id.org/vjkg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
        "SELECT ?file ?start ?end ?exact WHERE { ?m a vjo:Mention ; vjo:inArticle ?a ; "
        "oa:start ?start ; oa:end ?end ; oa:exact ?exact . ?a vjo:fileName ?file }",
        use_default_graph_as_union=True,
    ))
    assert len(rows) > 100
    for row in rows:
        text = texts[row["file"].value]
        assert text[int(row["start"].value):int(row["end"].value)] == row["exact"].value


def test_many_articles_with_warnings_get_one_summary_line_unless_verbose(tmp_path: Path) -> None:
    from bench.generate import main as generate
    from kg.cli.main import WARNINGS_LISTED

    assert generate(["--articles", "40", "--seed", "0", "--out", str(tmp_path / "corpus")]) == 0
    articles = str(tmp_path / "corpus" / "articles")
    short = CliRunner().invoke(main, ["build", articles, "--store", str(tmp_path / "s"), "-q", "-j", "1"])
    assert short.exit_code == 0, short.output
    listed = short.output.count("warnings in ")
    summary = [line for line in short.output.splitlines() if line.startswith("warnings: ")]
    verbose = CliRunner().invoke(main, ["build", articles, "--store", str(tmp_path / "s"), "-q", "--force", "-v"])
    with_warnings = verbose.output.count("warnings in ")
    assert with_warnings > WARNINGS_LISTED  # the generated corpus has dates to infer
    assert listed == 0 and summary == [f"warnings: {verbose.output.count('  - ')} in {with_warnings} articles "
                                       "(kg build -v lists them)"]
