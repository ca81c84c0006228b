"""Recognising states, organisations, agreements and places, known and new."""
from __future__ import annotations

import pytest

from kg.ingest.articles import article_from_text, load_manifest, read_article
from kg.extract.entities import find_entities
from project import SEEDS_DIR
from kg.ingest.reference import load_reference


def entities(text: str):
    article = article_from_text("t.txt", text + "\n")
    mentions, new = find_entities(article, load_reference())
    for m in mentions:
        assert article.text[m.span.start:m.span.end] == m.span.text
    return {(m.kind, m.key, m.span.text) for m in mentions}, {(e.kind, e.key, e.label) for e in new}


def test_states_by_name_and_demonym():
    found, _ = entities("Vietnamese Minister Bui Thanh Son met his Japanese counterpart as Viet Nam and Korea agreed.")
    assert {("state", "VN", "Vietnamese"), ("state", "JP", "Japanese"), ("state", "VN", "Viet Nam"),
            ("state", "KR", "Korea")} <= found


def test_word_boundaries_and_case():
    found, _ = entities("It cost US$30 billion; fine china and japan lacquer were shown. India's PM spoke.")
    assert ("state", "US", "US") not in found
    assert not any(k in ("CN", "JP") for _, k, _ in found)
    assert ("state", "IN", "India") in found


def test_longest_match_wins():
    found, _ = entities("Both are members of the ASEAN-Japan Comprehensive Economic Partnership Agreement (AJCEP).")
    assert ("agreement", "ajcep", "ASEAN-Japan Comprehensive Economic Partnership Agreement") in found
    assert not any(kind == "organization" for kind, _, _ in found)  # ASEAN inside the name


def test_acronyms_are_case_sensitive():
    found, _ = entities("They discussed the un-named Apec-like idea and the APEC forum with the UN.")
    assert ("organization", "apec", "APEC") in found and ("organization", "united-nations", "UN") in found
    assert len([f for f in found if f[1] == "apec"]) == 1


def test_new_organisation_and_agreement_by_head_noun():
    _, new = entities("Ministers co-chaired the 12th meeting of the Vietnam-Japan Cooperation Committee and "
                      "praised the Vietnam-Japan Joint Initiative in the new era.")
    assert ("organization", "vietnam-japan-cooperation-committee", "Vietnam-Japan Cooperation Committee") in new
    assert ("agreement", "vietnam-japan-joint-initiative", "Vietnam-Japan Joint Initiative") in new


def test_a_firm_is_named_by_two_words():
    found, new = entities("He welcomed Hanwa Electronics' plan to expand, and Lotus Airlines will add flights.")
    assert {e[2] for e in new} == {"Hanwa Electronics", "Lotus Airlines"}
    assert ("organization", "hanwa-electronics", "Hanwa Electronics") in found
    _, none = entities("The Cooperation Committee met. Japanese steel makers came.")
    assert none == set()


def test_new_entity_from_long_name_and_acronym_then_bare_acronym():
    found, new = entities("The Vietnam-Korea Institute of Science and Technology (V-KIST) opened. V-KIST hired staff.")
    assert ("organization", "v-kist", "V-KIST") in new
    assert ("organization", "v-kist", "V-KIST") in found
    assert ("organization", "v-kist", "Vietnam-Korea Institute of Science and Technology") in found


def test_partnership_levels_and_events_are_not_entities():
    found, new = entities("The two countries upgraded ties to a Comprehensive Strategic Partnership for Peace "
                          "and Prosperity in Asia and the World. He met the PM on the sidelines of the 26th "
                          "United Nations Climate Change Conferences of the Parties (COP26), and will attend "
                          "the ASEAN Future Forum.")
    assert new == set()
    assert not any(key == "united-nations" for _, key, _ in found)
    assert ("organization", "asean", "ASEAN") in found


def test_a_known_forum_with_its_acronym_is_an_organisation_not_an_event():
    found, _ = entities("They will coordinate at ASEAN, the ASEAN Regional Forum (ARF), the United Nations (UN) "
                        "and the East Asia Summit (EAS).")
    assert {("organization", "arf", "ASEAN Regional Forum"), ("organization", "arf", "ARF"),
            ("organization", "united-nations", "United Nations"), ("organization", "eas", "East Asia Summit"),
            ("organization", "asean", "ASEAN")} <= found


def test_a_local_government_body_keeps_its_lower_case_provincial():
    _, new = entities("Chairman of the Bac Ninh provincial People's Committee Nguyen Huu Thanh hosted a delegation.")
    assert new == {("organization", "bac-ninh-provincial-people-s-committee", "Bac Ninh provincial People's Committee")}


def test_generic_lower_case_and_short_names_are_not_entities():
    _, new = entities("They kicked off negotiations on a bilateral social insurance agreement and "
                      "reviewed the 11th Cooperation Committee meeting and free trade agreements (FTAs).")
    assert new == set()


@pytest.mark.parametrize("prefix,orgs,agreements", [
    ("001", set(), {"cptpp", "rcep", "ajcep", "vjepa", "ipef"}),
    ("002", {"vietnam-japan-cooperation-committee", "jica", "asean", "united-nations", "apec", "oecd", "cpv"},
     {"vietnam-japan-joint-initiative", "azec"}),
    ("003", {"vietnam-international-financial-centre", "cpv"}, {"azec"}),
    ("004", set(), set()),
])
def test_seed_organisations_and_agreements(prefix, orgs, agreements):
    path = next(SEEDS_DIR.glob(prefix + "_*.txt"))
    mentions, _ = find_entities(read_article(path, load_manifest(SEEDS_DIR)), load_reference())
    assert {m.key for m in mentions if m.kind == "organization"} == orgs
    assert {m.key for m in mentions if m.kind == "agreement"} == agreements


def test_memberships_name_the_states_before_the_phrase():
    from kg.extract.memberships import find_memberships

    article = article_from_text("t.txt", "Vietnam and India are also members of the RCEP and IPEF. "
                                         "Japanese firms joined the AZEC.\n")
    reference = load_reference()
    mentions, _ = find_entities(article, reference)
    found = find_memberships(article, mentions, reference)
    assert [(m.agreement, m.states) for m in found] == [("rcep", ("IN", "VN")), ("ipef", ("IN", "VN"))]


def test_vietnam_news_writes_names_with_their_diacritics():
    found, _ = entities("Việt Nam and France met in Hà Nội.")
    assert {("state", "VN", "Việt Nam"), ("place", "hanoi", "Hà Nội"), ("state", "FR", "France")} <= found


# -- names outside the reference data (kg.extract.orgnames, firms, outlets) ------------------

def new_labels(text: str) -> set[str]:
    _, new = entities("A headline\n\n" + text)
    return {label for _, _, label in new}


def test_ministries_and_departments_keep_their_connectives_and_list_commas():
    labels = new_labels("Officials of the Ministry of Agriculture and Rural Development met staff from the "
                        "Department of Foreign Trade Promotion and the Ministry of Labour, Invalids and "
                        "Social Affairs on Friday.")
    assert {"Ministry of Agriculture and Rural Development", "Department of Foreign Trade Promotion",
            "Ministry of Labour, Invalids and Social Affairs"} <= labels


def test_an_embassy_or_consulate_keeps_its_place_and_a_person_after_a_body_is_cut_off():
    labels = new_labels("The Consulate General of Japan in Da Nang and the Korean Embassy hosted guests. "
                        "Chairman of the People's Committee of Da Nang City Le Trung Chinh spoke, as did a "
                        "member of the Committee for External Relations Ho Van Nam.")
    assert "Consulate General of Japan in Da Nang" in labels
    assert "Korean Embassy" in labels
    assert "Committee for External Relations" in labels
    assert not any("Trung" in label or "Van Nam" in label for label in labels)


def test_a_standing_mechanism_is_an_organisation_and_a_generic_one_is_not():
    labels = new_labels("They co-chaired the Joint Working Group on Maritime Security and the Steering "
                        "Committee, then praised the Japan-Vietnam Friendship Parliamentary Alliance.")
    assert "Joint Working Group on Maritime Security" in labels
    assert "Japan-Vietnam Friendship Parliamentary Alliance" in labels
    assert "Steering Committee" not in labels


def test_firms_named_bare_in_a_list_or_after_a_noun_for_a_firm():
    labels = new_labels("Investors such as Hitachi, Kubota and Yazaki expanded, while the carmaker Subaru "
                        "and partners such as Japan and Thailand watched.")
    assert {"Hitachi", "Kubota", "Yazaki", "Subaru"} <= labels
    assert not {"Japan", "Thailand"} & labels


def test_one_body_written_two_ways_in_an_article_is_one_entity():
    found, new = entities("A headline\n\nThe Vietnamese Ministry of Public Security sent a team. "
                          "The Ministry of Public Security said the talks went well.")
    keys = {key for kind, key, _ in found if kind == "organization"}
    assert len(keys) == 1 and len(new) == 1


def test_venues_credits_and_events_are_not_organisations():
    labels = new_labels("The forum was held at the National Convention Center. ©2024 Sakura Media Inc. "
                        "They attended the Japan-Vietnam Business Forum.")
    assert labels == set()


def test_an_outlet_counts_only_where_the_body_cites_it():
    found, _ = entities("Tokyo (Kyodo) – Ministers met on Monday, according to local newspaper Asahi. "
                        "The talks went well, Reuters reported. (Photo: Kyodo)")
    keys = {key for kind, key, _ in found if kind == "organization"}
    assert {"asahi", "reuters"} <= keys and "kyodo" not in keys


def test_the_party_a_title_implies_in_an_article_about_vietnam():
    found, _ = entities("Vietnam hosted the guest. Party General Secretary To Lam said the Party and the "
                        "State value the ties.")
    assert {(k, t) for kind, k, t in found if kind == "organization"} == {("cpv", "Party")}


def test_agreements_by_descriptive_title_and_the_foip_phrase():
    found, new = entities("A headline\n\nThey signed the Agreement on Mutual Recognition of Professional "
                          "Qualifications and backed a free and open Indo-Pacific and the "
                          "Philippines-Japan Reciprocal Access Agreement.")
    labels = {label for kind, _, label in new if kind == "agreement"}
    assert "Agreement on Mutual Recognition of Professional Qualifications" in labels
    keys = {key for kind, key, _ in found if kind == "agreement"}
    assert {"foip", "raa"} <= keys
