"""The build's fast paths give exactly what the plain code they replaced gave.

Each is checked against that plain code, kept here as the reference: the persons' call-name
scan against the regular expression it replaced, the dates' pre-filter against running every
pattern, and the export pieces written from the build's triples against those parsed back
from its N-Triples.
"""
from __future__ import annotations

import random
import re

import pytest

import kg.ingest.dates as dates
from kg.extract.pipeline import extract_article
from kg.extract.resolve import _call_name_matches
from kg.graph.build import find_articles
from kg.graph.triples import article_ntriples, article_triples
from kg.ingest.articles import read_article
from kg.ingest.reference import load_reference
from kg.model import PartialDate, Sentence, Span
from kg.namespaces import article_graph
from kg.store.pieces import graph_pieces
from project import SEEDS_DIR, SHARED_DIR

TEXTS = [SEEDS_DIR, SHARED_DIR / "eval" / "dev"]


def call_names_by_regex(text: str, names: list[str], start: int, end: int) -> list[tuple[int, int, str]]:
    """How call names were found before: one pattern of the article's names."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])(?!\s+[A-ZÀ-Ỹ])")
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text, start, end)]


def test_call_names_are_found_as_the_pattern_found_them_in_real_texts() -> None:
    rng = random.Random(7)
    cases = 0
    for path in find_articles(TEXTS):
        text = path.read_text(encoding="utf-8")
        words = re.findall(r"[A-ZÀ-Ỹ][\w-]*", text)
        for _ in range(5):
            names = set(rng.sample(words, min(len(words), rng.randint(1, 6))))
            if len(words) > 2:
                names.add(" ".join(rng.sample(words, 2)))
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            ordered = sorted(names)
            assert list(_call_name_matches(text, ordered, start, end)) == \
                call_names_by_regex(text, ordered, start, end), (path.name, ordered, start, end)
            cases += 1
    assert cases > 100


def test_call_names_are_found_as_the_pattern_found_them_in_odd_strings() -> None:
    rng = random.Random(11)
    alphabet = "Aa- _\u1680\n\tÀỸZb1’"  # word and non-word, spaces (one a capital by range), capitals
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        names = sorted({"".join(rng.choice("AaZb- ") for _ in range(rng.randint(1, 3))) for _ in range(3)})
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert list(_call_name_matches(text, names, start, end)) == call_names_by_regex(text, names, start, end)


def test_dates_are_found_as_every_pattern_found_them(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [(article.text, sentence, article.published)
             for article in map(read_article, find_articles(TEXTS)) for sentence in article.sentences]
    odd = "Exports stood at 5 billion USD a\u017f of March 2024."  # "ſ" reads as "s" to a case-insensitive pattern
    cases.append((odd, Sentence(0, Span(0, len(odd), odd)), PartialDate("2024-05-02")))
    found = {}
    for name, needs in (("fast", dates._NEEDS), ("slow", {kind: (False, ()) for kind in dates._NEEDS})):
        monkeypatch.setattr(dates, "_NEEDS", needs)
        dates._sentence_dates.cache_clear()
        found[name] = [dates.find_dates(text, sentence, published) for text, sentence, published in cases]
    assert found["fast"] == found["slow"]
    assert sum(map(bool, found["fast"])) > 50  # sentences with dates were among them
    assert [d.role for d in found["fast"][-1]] == ["as_of"]


def test_the_dates_of_a_sentence_can_be_changed_by_the_caller() -> None:
    article = read_article(find_articles([SEEDS_DIR])[0])
    sentence = next(s for s in article.sentences if dates.find_dates(article.text, s, article.published))
    first = dates.find_dates(article.text, sentence, article.published)
    first.clear()
    assert dates.find_dates(article.text, sentence, article.published)


def test_pieces_written_from_the_triples_are_those_parsed_from_the_lines() -> None:
    reference = load_reference()
    for path in find_articles([SEEDS_DIR]):
        facts = extract_article(read_article(path), reference)
        lines, triples = article_triples(facts, fingerprint="sha256:0")
        assert lines == article_ntriples(facts, fingerprint="sha256:0")
        graph = article_graph(path.stem)
        assert graph_pieces(graph, lines, triples=triples) == graph_pieces(graph, lines)
