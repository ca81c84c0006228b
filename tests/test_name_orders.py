"""One person whose name two articles write in either order: one IRI, and no second person.

Each article's facts keep its own form of the name; the archive-wide queries give one name.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import run_query
from kg.backend import EmbeddedBackend
from kg.build import build
from kg.facts import article_facts
from kg.store import Store

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
