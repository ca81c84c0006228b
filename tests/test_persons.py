"""Persons from titles: names, posts, states, 'former', appositives and counterparts."""
from __future__ import annotations

import pytest

from kg.ingest.articles import article_from_text
from kg.extract.entities import find_entities
from kg.extract.persons import _post_pattern, find_person_mentions
from kg.extract.resolve import find_persons
from kg.ingest.reference import load_reference


def persons(text: str):
    article = article_from_text("t.txt", text + "\n")
    reference = load_reference()
    mentions, _ = find_entities(article, reference)
    found, holdings = find_persons(article, mentions, reference)
    return {p.name: p for p in found}, holdings


def test_title_before_name_with_demonym():
    found, holdings = persons("Prime Minister Pham Minh Chinh receives Japanese Minister of Economy, Trade and "
                              "Industry Ken Saito.")
    assert set(found) == {"Pham Minh Chinh", "Ken Saito"}
    assert found["Ken Saito"].state == "JP" and found["Pham Minh Chinh"].state == "VN"
    saito = next(h for h in holdings if h.person == found["Ken Saito"].key)
    assert saito.role == "minister-of-economy-trade-and-industry"


def test_appositive_title_with_plural_possessive_or_of_state():
    for text in ("Party General Secretary Ho Van Tai had a meeting with James Hughes, the United States' "
                 "President, in Da Nang.",
                 "Party General Secretary Ho Van Tai had a meeting with James Hughes, the President of the "
                 "United States, in Da Nang."):
        found, _ = persons(text)
        assert {name: p.state for name, p in found.items()} == {"Ho Van Tai": "VN", "James Hughes": "US"}


def test_a_place_before_the_next_persons_title_is_no_person():
    found, _ = persons("Speaking at his meeting with Japanese enterprises in Ho Chi Minh City, PM Pham Van Thang "
                       "stressed that issues should be promptly resolved.")
    assert set(found) == {"Pham Van Thang"}


def test_foreign_cabinet_posts_of_other_names():
    found, holdings = persons("Party General Secretary Ly Ngoc Thinh hosted US Secretary of Commerce Michael Campbell "
                              "and French Minister for Europe and Foreign Affairs Pierre Mercier.")
    assert {name: p.state for name, p in found.items()} == {
        "Ly Ngoc Thinh": "VN", "Michael Campbell": "US", "Pierre Mercier": "FR"}
    assert {h.role for h in holdings} == {"party-general-secretary", "secretary-of-commerce",
                                          "minister-of-foreign-affairs"}


def test_appositive_title_with_possessive_state():
    found, holdings = persons("Prime Minister Pham Minh Chinh on July 9 had a meeting with Yoshitaka Shindo, "
                              "Japan's minister of State for Economic and Fiscal Policy.")
    assert found["Yoshitaka Shindo"].state == "JP"
    assert any(h.role_label == "Minister of State for Economic and Fiscal Policy" for h in holdings)


def test_counterpart_takes_the_post_and_its_own_state():
    found, holdings = persons("Indian Minister of External Affairs Subrahmanyam Jaishankar and his Korean "
                              "counterpart Cho Tae-yul met in Seoul.")
    assert found["Cho Tae-yul"].state == "KR"
    assert found["Subrahmanyam Jaishankar"].state == "IN"
    cho = next(h for h in holdings if h.person == found["Cho Tae-yul"].key)
    assert cho.role_label == "Minister of External Affairs"


def test_former_and_unknown_portfolio():
    found, holdings = persons("Former Prime Minister Abe Shinzo met Minister of Science and Technology "
                              "Huynh Thanh Dat.")
    assert set(found) == {"Abe Shinzo", "Huynh Thanh Dat"}
    abe = next(h for h in holdings if h.person == found["Abe Shinzo"].key)
    assert abe.former and abe.role == "prime-minister"
    dat = next(h for h in holdings if h.person == found["Huynh Thanh Dat"].key)
    assert dat.role_label == "Minister of Science and Technology" and dat.role is None


def test_acronym_titles_name_persons():
    found, holdings = persons("FM Kamikawa welcomed Deputy PM Tran Hong Ha. Ambassador Yamada Takio attended.")
    assert set(found) == {"Kamikawa", "Tran Hong Ha", "Yamada Takio"}
    assert {h.role for h in holdings} == {"minister-of-foreign-affairs", "deputy-prime-minister", "ambassador"}


def test_places_states_and_organisations_are_not_names():
    found, _ = persons("President Vietnam agreed. The Prime Minister of Japan spoke. Minister Tokyo Office "
                       "closed. The ambassador in Hanoi said Japan would help. Mr. Sato Kenji came.")
    assert set(found) == {"Sato Kenji"}
    assert found["Sato Kenji"].state is None  # no title, no cue: no guessed state


def test_mention_spans_are_exact():
    text = "Party General Secretary Nguyen Phu Trong's funeral was held.\n"
    article = article_from_text("t.txt", text)
    reference = load_reference()
    mentions, _ = find_entities(article, reference)
    found = find_person_mentions(article, mentions, reference)
    assert [(m.name.text, m.evidence.text) for m in found] == [
        ("Nguyen Phu Trong", "Party General Secretary Nguyen Phu Trong")]
    assert text[found[0].name.start:found[0].name.end] == "Nguyen Phu Trong"


def test_a_quoted_speaker_described_by_a_noun_phrase_is_a_person_without_a_post():
    found, holdings = persons('"We hope to see the first trains running soon," said Nguyen Hoang Long, a resident of '
                              'Thu Duc city. "Growth is strong," said Hanoi People\'s Committee, a body of the city.')
    # a full Vietnamese name gives the state the person belongs to (gold: "Tống Kim Giao" -> Vietnam)
    assert {name: p.state for name, p in found.items()} == {"Nguyen Hoang Long": "VN"}
    assert holdings == []


def test_military_ranks_stand_between_a_post_and_a_name_or_are_the_title():
    found, _ = persons("Deputy Minister of National Defence Sen. Lieut. Gen. Tran Van Quy hosted Japan Maritime "
                       "Self-Defence Force Rear Admiral Kato Goro. Lieutenant General Le Van Bao attended.")
    assert set(found) == {"Tran Van Quy", "Kato Goro", "Le Van Bao"}  # no "Sen", no "Gen"
    assert found["Tran Van Quy"].state == "VN" and found["Le Van Bao"].state == "VN"


def test_a_name_after_the_body_a_title_names():
    found, _ = persons("Chairman of the People's Committee of Ho Chi Minh City Phan Van Kiet hosted a reception "
                       "for Special Advisor to the Japan - Vietnam Friendship Alliance (JVFA) Mori Taro on "
                       "October 10. Consul General of Japan to Da Nang Ueda Jiro attended. Chairman of the NA's "
                       "Committee for Foreign Affairs Vu Hai Nam was there.")
    assert set(found) == {"Phan Van Kiet", "Mori Taro", "Ueda Jiro", "Vu Hai Nam"}
    assert found["Ueda Jiro"].state == "JP"  # "of Japan"


def test_a_name_running_into_a_body_is_no_name():
    found, _ = persons("Sato Ken, chairman of the Policy Research Council of Japan's ruling party, spoke.")
    assert set(found) == {"Sato Ken"}


def test_counterpart_after_a_comma_royals_hosts_and_a_leader_named_to():
    found, _ = persons("Japanese Defense Minister Kato Ren and his Vietnamese counterpart, Phan Van Tien, met. "
                       "Prime Minister Pham Van Tuan "
                       "and his Lao host Sonesak Vongsa co-chaired it. Vietnam's new leader To Lam spoke. "
                       "He wants to host Lam soon.")
    assert set(found) == {"Kato Ren", "Phan Van Tien", "Pham Van Tuan", "Sonesak Vongsa", "To Lam"}
    assert found["Phan Van Tien"].state == "VN" and found["Sonesak Vongsa"].state == "LA"
    assert found["To Lam"].state == "VN"
    royals, _ = persons("Crown Prince Akihiro and his wife Princess Emiko will visit Vietnam in September, the "
                        "Japanese embassy said. Japan hopes the visit will deepen ties.")
    assert {name: p.state for name, p in royals.items()} == {"Akihiro": "JP", "Emiko": "JP"}  # never the home state


def test_the_outlets_state_for_its_unmarked_officials_and_us_abbreviated():
    article = article_from_text("t.txt", "Foreign Minister Takeda Ren spoke with U.S. President John Miller "
                                "and South Korean Foreign Minister Kim Dong-su.\n", {"outlet": "The Japan News"})
    reference = load_reference()
    mentions, _ = find_entities(article, reference)
    found = {p.name: p.state for p in find_persons(article, mentions, reference)[0]}
    assert found == {"Takeda Ren": "JP", "John Miller": "US", "Kim Dong-su": "KR"}


def test_post_pattern_takes_the_longest_label_that_ends_a_word_and_keeps_acronyms_cased():
    pattern, keys = _post_pattern((("Minister", "minister"), ("Prime Minister", "pm"), ("PM", "pm"),
                                   ("Minister of Finance", "mof")))
    found = [m.group(0) for m in pattern.finditer(
        "Prime Minister A met the minister of finance, PM B, the pm C and Prime Ministerial aides.")]
    assert found == ["Prime Minister", "minister of finance", "PM"]
    assert keys["minister of finance"] == "mof"


def test_post_pattern_refuses_an_acronym_that_begins_a_longer_label():
    with pytest.raises(ValueError):
        _post_pattern((("FM", "fm"), ("FM radio host", "host")))
