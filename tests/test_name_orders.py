"""One name across two articles: one IRI, whether it is one person written in either order
or two people of the same name.

Each article's facts keep its own form of the name and its own nationality; the
archive-wide queries give one name.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import run_query
from kg.query.backend import EmbeddedBackend
from kg.graph.build import build
from kg.export.facts import article_facts
from kg.store.store import Store

ARTICLE = ("Talks in Hanoi\n\nJapanese Foreign Minister {name} held talks with Vietnamese Prime "
           "Minister Tran Van An in Hanoi on {day}, 2024.\n")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for stem, name, day in (("a", "Hiroshi Tanaka", "March 4"), ("b", "Tanaka Hiroshi", "May 6")):
        (folder / f"{stem}.txt").write_text(ARTICLE.format(name=name, day=day), encoding="utf-8")
    store_dir = folder.parent / "store"
    build([folder], Store(store_dir))
    return store_dir


def test_the_two_forms_are_one_person(store_dir: Path) -> None:
    persons = {row["person"] for row in run_query("facts-persons", store=store_dir)}
    assert len(persons) == 2  # the minister and the prime minister


def test_each_article_keeps_its_own_form(store_dir: Path) -> None:
    articles = article_facts(EmbeddedBackend(Store(store_dir, read_only=True)))
    assert [sorted(p["name"] for p in a["persons"]) for a in articles] == [
        ["Hiroshi Tanaka", "Tran Van An"], ["Tanaka Hiroshi", "Tran Van An"]]
    assert [[m["participants"] for m in a["meetings"]] for a in articles] == [
        [["Hiroshi Tanaka", "Tran Van An"]], [["Tanaka Hiroshi", "Tran Van An"]]]


def test_meetings_name_each_participant_once(store_dir: Path) -> None:
    rows = run_query("meetings", store=store_dir)
    assert [row["participants"] for row in rows] == [["Hiroshi Tanaka", "Tran Van An"]] * 2


def test_two_people_of_one_name_keep_each_articles_nationality(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for stem, demonym in (("a", "Japanese"), ("b", "Korean")):
        (folder / f"{stem}.txt").write_text(
            f"Talks in Hanoi\n\n{demonym} Ambassador Kim Hana held talks with Vietnamese Prime Minister "
            f"Tran Van An in Hanoi on March 4, 2024.\n", encoding="utf-8")
    build([folder], Store(tmp_path / "store"))
    articles = article_facts(EmbeddedBackend(Store(tmp_path / "store", read_only=True)))
    assert [[(p["name"], p["state"]) for p in a["persons"] if p["name"] == "Kim Hana"] for a in articles] == [
        [("Kim Hana", "Japan")], [("Kim Hana", "South Korea")]]
