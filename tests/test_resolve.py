"""Entity resolution: one person per article whatever the article calls them."""
from __future__ import annotations

import random

from kg.ingest.articles import article_from_text
from kg.extract.entities import find_entities
from kg.extract.persons import find_person_mentions
from kg.model import person_key
from kg.ingest.reference import load_reference
from kg.extract.resolve import resolve_persons


def resolve(text: str):
    article = article_from_text("t.txt", text + "\n")
    reference = load_reference()
    mentions, _ = find_entities(article, reference)
    found = find_person_mentions(article, mentions, reference)
    return resolve_persons(article, found, mentions, reference), article


def names_of(resolved, key):
    return sorted(m.span.text for m in resolved.mentions if m.key == key)


def test_short_forms_bare_names_and_descriptions_are_one_person():
    resolved, _ = resolve("Prime Minister Pham Minh Chinh met Japanese Prime Minister Kishida Fumio. "
                          "PM Chinh thanked him. Chinh said the Government leader of Vietnam is ready. "
                          "The Vietnamese PM left. The Japanese PM stayed.")
    keys = {p.name: p.key for p in resolved.persons}
    assert set(keys) == {"Pham Minh Chinh", "Kishida Fumio"}
    assert keys["Pham Minh Chinh"] == person_key("Pham Minh Chinh")
    # "the Government leader" fits both prime ministers: left unresolved
    assert names_of(resolved, keys["Pham Minh Chinh"]) == ["Chinh", "Chinh", "Pham Minh Chinh", "The Vietnamese PM"]
    assert "The Japanese PM" in names_of(resolved, keys["Kishida Fumio"])


def test_description_resolves_when_one_person_fits():
    resolved, _ = resolve("Prime Minister Pham Minh Chinh received Japanese Ambassador Ito Naoki. "
                          "The Government leader praised the PM's team. The Japanese minister was absent.")
    chinh = next(p for p in resolved.persons if p.name == "Pham Minh Chinh")
    assert names_of(resolved, chinh.key) == ["Pham Minh Chinh", "The Government leader", "the PM"]
    assert not any(m.span.text == "The Japanese minister" for m in resolved.mentions)


def test_name_order_does_not_split_a_person():
    resolved, _ = resolve("Minister Yoshitaka Shindo arrived. Minister Shindo Yoshitaka spoke. FM Kamikawa "
                          "and her counterpart Bui Thanh Son met. Foreign Minister Yoko Kamikawa smiled.")
    names = sorted(p.name for p in resolved.persons)
    assert names == ["Bui Thanh Son", "Foreign Minister Yoko Kamikawa"[17:], "Yoshitaka Shindo"]
    kamikawa = next(p for p in resolved.persons if p.key == person_key("Kamikawa Yoko"))
    assert "Kamikawa" in kamikawa.variants


def test_ambiguous_short_name_is_left_unattributed():
    resolved, _ = resolve("Minister Nguyen Van Nam met Minister Tran Van Nam. Minister Nam said yes.")
    assert len(resolved.persons) == 2
    assert all("Nam" not in names_of(resolved, p.key) for p in resolved.persons)


def test_description_for_former_holder_is_not_resolved():
    resolved, _ = resolve("Japan sent former Prime Minister Suga Yoshihide and the Japanese prime minister's envoy.")
    suga = resolved.persons[0]
    assert names_of(resolved, suga.key) == ["Suga Yoshihide"]
    assert suga.state == "JP"  # the one state his only sentence is about
    assert resolved.holdings[0].former


def test_unmarked_officials_are_of_the_home_state_and_minor_foreigners_of_theirs():
    resolved, _ = resolve("Prime Minister Pham Minh Chinh will visit India. He met Japanese businesses. "
                          "PM Chinh spoke.")
    assert resolved.persons[0].state == "VN"


def test_an_unmarked_official_with_a_foreign_name_is_of_the_articles_foreign_state():
    resolved, _ = resolve("Japan and Vietnam agreed to deepen ties. Japanese Chief Cabinet Secretary Kimura Taro and "
                          "Prime Minister Tran Van Binh paid tribute to the late former Prime Minister Inoue Emiko, "
                          "who had done much to build the friendship between the two countries.")
    states = {p.name: p.state for p in resolved.persons}
    assert states == {"Kimura Taro": "JP", "Tran Van Binh": "VN", "Inoue Emiko": "JP"}


def test_an_unmarked_official_with_a_foreign_name_and_no_leading_foreign_state_has_none():
    resolved, _ = resolve("Prime Minister Tran Van Binh paid tribute to the late former Prime Minister Inoue Emiko "
                          "at the ceremony attended by envoys of Japan and Korea.")
    assert {p.name: p.state for p in resolved.persons} == {"Tran Van Binh": "VN", "Inoue Emiko": None}


def test_keys_do_not_depend_on_sentence_order():
    sentences = ["FM Kamikawa spoke.", "Japanese Foreign Minister Kamikawa Yoko arrived.",
                 "Minister Kamikawa left.", "Vietnamese Deputy PM Tran Luu Quang came."]
    baseline = None
    for seed in range(5):
        random.Random(seed).shuffle(sentences)
        resolved, _ = resolve(" ".join(sentences))
        keys = sorted((p.key, p.name, p.state) for p in resolved.persons)
        baseline = baseline or keys
        assert keys == baseline
    assert [k for k, _, _ in baseline] == sorted([person_key("Kamikawa Yoko"), person_key("Tran Luu Quang")])


def test_the_description_pattern_is_made_once_per_reference() -> None:
    """Escaping and joining every post name per article cost 1% of a build's CPU."""
    from kg.extract.resolve import _post_descriptions

    reference = load_reference()
    labels, pattern = _post_descriptions(reference)
    assert _post_descriptions(reference)[1] is pattern
    match = pattern.search("He met the Japanese Prime Minister in Tokyo.")
    assert match is not None and labels[match.group("post").casefold()] == "prime-minister"
