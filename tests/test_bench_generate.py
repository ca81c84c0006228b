"""The benchmark corpus generator: deterministic output, gold that the scorer accepts, and
planted facts that are really written in the articles."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.generate import compose, generate_corpus, main
from scoring import EVAL_DIR, load_scorer

SCHEMA_KEYS = ["article", "published", "states", "persons", "organizations", "agreements",
               "partnerships", "meetings", "figures"]
INDICATORS = {"oda_total", "oda_annual", "fdi_registered_capital", "fdi_projects",
              "fdi_new_capital", "fdi_new_projects", "trade_turnover", "imports", "diaspora",
              "trainees", "tourists", "partner_rank", "growth_rate", "other"}
UNITS = {"USD", "JPY", "AUD", "EUR", "project", "person", "percent", "rank"}



def read_tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(20, 7, out)
    return out


def golds(corpus: Path) -> list[tuple[str, dict]]:
    out = []
    for path in sorted((corpus / "gold").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (corpus / "articles" / gold["article"]).read_text(encoding="utf-8")
        out.append((text, gold))
    return out


def test_same_articles_and_seed_give_byte_identical_files(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(20, 7, tmp_path)
    assert read_tree(tmp_path) == read_tree(corpus)


def test_an_article_does_not_depend_on_corpus_size(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(5, 7, tmp_path)
    small = read_tree(tmp_path / "articles")
    large = read_tree(corpus / "articles")
    assert len(small) == 5
    assert all(large.get(name) == data for name, data in small.items())


def test_another_seed_gives_other_articles(corpus: Path) -> None:
    assert compose(8, 0).text != compose(7, 0).text
    assert compose(7, 0).text == compose(7, 0).text


def test_files_are_named_by_index_and_content_hash(corpus: Path) -> None:
    names = sorted(p.name for p in (corpus / "articles").iterdir())
    assert [n[:6] for n in names] == [f"{i:06d}" for i in range(20)]
    assert all(re.fullmatch(r"\d{6}_[0-9a-f]{16}\.txt", n) for n in names)
    gold_names = sorted(p.name for p in (corpus / "gold").iterdir())
    assert gold_names == [n.replace(".txt", ".gold.json") for n in names]


def test_manifest_counts_what_was_planted(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 7 and manifest["articles"] == 20
    assert manifest["version"]
    assert manifest["files"] == sorted(p.name for p in (corpus / "articles").iterdir())
    meetings = sum(len(gold["meetings"]) for _, gold in golds(corpus))
    figures = sum(len(gold["figures"]) for _, gold in golds(corpus))
    assert manifest["planted"]["meetings"] == meetings
    assert manifest["planted"]["figures"] == figures


def test_gold_scores_one_against_itself(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    scorer = load_scorer()
    gold_dir = str(corpus / "gold")
    assert scorer.main([gold_dir, gold_dir, "--json", "--min-f1", "1.0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 20 and report["missing"] == []
    for category, score in report["scores"].items():
        assert score["f1"] == 1.0, category
        assert score["fn"] == 0 and score["fp"] == 0, category
    assert report["scores"]["figures"]["tp"] > 40
    assert report["scores"]["meetings"]["tp"] >= 20


def test_gold_has_the_schema_shape(corpus: Path) -> None:
    for text, gold in golds(corpus):
        assert list(gold) == SCHEMA_KEYS
        assert "Vietnam" in gold["states"] and len(gold["states"]) == 2
        for person in gold["persons"]:
            assert set(person) == {"name", "state", "roles"}
            assert person["state"] in gold["states"]
        for figure in gold["figures"]:
            assert figure["indicator"] in INDICATORS
            assert figure["unit"] in UNITS
            assert figure["direction"] in (None, *(f"{a}->{b}" for a in gold["states"]
                                                   for b in gold["states"] if a != b))
        for meeting in gold["meetings"]:
            assert meeting["participants"]
            date = meeting["date"]
            assert date is None or re.fullmatch(r"20(1[5-9]|2[0-6])(-\d\d(-\d\d)?)?", date)


def test_planted_facts_are_written_in_the_article(corpus: Path) -> None:
    for text, gold in golds(corpus):
        lowered = text.lower()
        persons = {p["name"] for p in gold["persons"]}
        assert all(name in text for name in persons)
        assert all(role in text for p in gold["persons"] for role in p["roles"]
                   if not role.startswith("former"))
        for meeting in gold["meetings"]:
            assert set(meeting["participants"]) <= persons
            place = meeting["place"]
            # a visit to Vietnam is placed in the state by its short name, whatever the spelling
            assert place is None or place in text or (place == "Vietnam" and "Viet Nam" in text)
        for item in gold["organizations"] + gold["agreements"]:
            names = [item] if isinstance(item, str) else [item["name"], *item["aliases"]]
            assert any(name in text for name in names), names
        for partnership in gold["partnerships"]:
            assert partnership["level"].lower() in lowered
            assert partnership["date"] is None or partnership["date"] in text or (
                "last year" in text)
        if gold["published"]:
            year, month, day = gold["published"].split("-")
            assert year in text


def test_articles_are_news_sized(corpus: Path) -> None:
    sizes = [len(text.encode("utf-8")) for text, _ in golds(corpus)]
    assert min(sizes) >= 2000 and max(sizes) <= 6000


def test_no_seed_person_is_named_in_the_corpus(corpus: Path) -> None:
    seed_names = set()
    for path in (EVAL_DIR / "gold").glob("*.gold.json"):
        for person in json.loads(path.read_text(encoding="utf-8"))["persons"]:
            parts = person["name"].split()
            seed_names |= {" ".join(parts), " ".join(reversed(parts))}
    assert len(seed_names) >= 10
    for text, _ in golds(corpus):
        assert not [n for n in seed_names if n in text]


def test_a_rerun_in_the_same_folder_drops_stale_articles(tmp_path: Path) -> None:
    generate_corpus(6, 1, tmp_path)
    generate_corpus(3, 2, tmp_path)
    assert len(list((tmp_path / "articles").iterdir())) == 3
    assert len(list((tmp_path / "gold").iterdir())) == 3


def test_cli_writes_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--articles", "3", "--seed", "5", "--out", str(tmp_path)]) == 0
    assert "wrote 3 articles" in capsys.readouterr().out
    assert json.loads((tmp_path / "manifest.json").read_text())["articles"] == 3


def test_cli_rejects_a_bad_count_without_traceback(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    assert main(["--articles", "0", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bench.generate: error:") and "Traceback" not in err
