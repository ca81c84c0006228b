"""Meetings: triggers, participants, dates, places, status, merging, and what is not one."""
from __future__ import annotations

import pytest

from kg.ingest.articles import article_from_text, load_manifest, read_article
from kg.extract.pipeline import EXTRACTORS, extract_article, register
from kg.model import person_key
from project import SEEDS_DIR
from kg.ingest.reference import load_reference


def meetings(text: str, published: str | None = "2024-07-11"):
    entry = {"published": published} if published else {}
    facts = extract_article(article_from_text("t.txt", text + "\n", entry), load_reference())
    names = {p.key: p.name for p in facts.persons}
    return [(m.kind, m.date.iso if m.date else None, m.place, sorted(names[k] for k in m.participants), m.status)
            for m in facts.meetings], facts


def test_talks_with_relative_date_and_caption_place_merge():
    found, _ = meetings("Prime Minister Pham Minh Chinh on July 9 had a meeting with Yoshitaka Shindo, Japan's "
                        "minister of State for Economic and Fiscal Policy.\n"
                        "Prime Minister Pham Minh Chinh (right) receiving Minister Yoshitaka Shindo in Hanoi on July 9.")
    assert found == [("reception", "2024-07-09", "hanoi", ["Pham Minh Chinh", "Yoshitaka Shindo"], "held")]


def test_announced_visit_with_date_range_and_destination():
    found, _ = meetings("Indian Prime Minister Narendra Modi will pay an official visit to Vietnam from March "
                        "3-5 at the invitation of Vietnamese counterpart Pham Minh Chinh.", published="2025-02-20")
    assert found == [("visit", "2025-03-03", "VN", ["Narendra Modi", "Pham Minh Chinh"], "announced")]


def test_phone_call_and_sidelines_event_are_separate():
    found, _ = meetings("Earlier this month, President Vo Van Thuong had a phone call with Korean President "
                        "Yoon Suk Yeol. Last week Prime Minister Pham Minh Chinh had a bilateral meeting with "
                        "Australian Prime Minister Anthony Albanese in Jakarta on the sidelines of the 43rd "
                        "ASEAN Summit.", published="2023-09-20")
    assert [(k, d, p) for k, d, p, _, _ in found] == [
        ("call", "2023-09", None), ("talks", None, "jakarta"), ("summit", None, "jakarta")]
    assert found[0][3] == ["Vo Van Thuong", "Yoon Suk Yeol"]
    talks = next(m for m in found if m[0] == "talks")
    assert talks[3] == ["Anthony Albanese", "Pham Minh Chinh"]


def test_committee_named_twice_is_one_meeting_and_the_explicit_date_wins():
    found, _ = meetings(
        "Vietnamese Minister of Foreign Affairs Bui Thanh Son and his Japanese counterpart Kamikawa Yoko "
        "co-chaired the 12th meeting of the Vietnam-Japan Cooperation Committee on Wednesday.\n"
        "The scene of the 12th meeting of the Vietnam-Japan Cooperation Committee co-chaired by Bui Thanh Son "
        "(L) and Kamikawa Yoko in Tokyo, Japan, August 8, 2024.\n"
        "In their talks after the meeting, the two ministers agreed to strengthen trust.", published=None)
    # "their talks after the meeting": the pair and the day of the sentence before
    assert [m[:3] for m in found] == [("committee", "2024-08-08", "tokyo"), ("talks", "2024-08-08", None)]
    assert found[1][3] == ["Bui Thanh Son", "Kamikawa Yoko"]  # "the two ministers"


def test_attendance_of_names_only_the_attendees():
    found, _ = meetings("Son thanked Japan and acknowledged the attendance of former Prime Minister Suga "
                        "Yoshihide at General Secretary Nguyen Phu Trong's funeral.")
    assert [(k, names) for k, _, _, names, _ in found] == [("ceremony", ["Suga Yoshihide"])]


def test_dateline_gives_the_place_of_a_held_meeting():
    found, _ = meetings("Hanoi (VNA) – Speaking at his meeting with Japanese enterprises, PM Pham Minh Chinh "
                        "urged faster reforms.", published=None)
    assert found == [("conference", None, "hanoi", ["Pham Minh Chinh"], "held")]


@pytest.mark.parametrize("text", [
    "FM Bui Thanh Son invited Japanese leaders to attend the ASEAN Future Forum in Vietnam in 2025.",
    "The two countries will hold talks next year.",
    "Japan received 500 trainees from Vietnam, Minister Dao Ngoc Dung said.",
    "Japanese Ambassador Yamada Takio said the Japan-Vietnam Friendship Parliamentary Alliance will visit Da Nang.",
    "They noted the resumption of the Vietnam-Japan Cooperation Committee mechanism.",
    "Japanese Ambassador Ito Naoki stated that Japan will support Vietnam to take part in the EXPO 2025 in Osaka.",
])
def test_no_meeting_without_a_named_participant_or_a_real_trigger(text):
    found, _ = meetings(text)
    assert found == []


def test_seed_meetings_and_actor_states():
    path = next(SEEDS_DIR.glob("004_*.txt"))
    facts = extract_article(read_article(path, load_manifest(SEEDS_DIR)), load_reference())
    kinds = [(m.kind, m.date.iso if m.date else None, m.place, m.status) for m in facts.meetings]
    assert kinds == [("visit", "2021-11-22", "JP", "announced"), ("talks", "2021-11", "glasgow", "held"),
                     ("conference", "2021-11", "glasgow", "held")]
    assert all(set(m.participants) == {person_key("Pham Minh Chinh"), person_key("Kishida Fumio")}
               for m in facts.meetings)
    assert facts.actor_states == ["JP", "VN"]  # Glasgow's United Kingdom is only a place


def test_registry_accepts_a_user_extractor():
    calls = []
    register("count_sentences", lambda facts, ref: calls.append(len(facts.article.sentences)))
    try:
        meetings("PM Pham Minh Chinh met Japanese Ambassador Ito Naoki in Hanoi.")
        assert calls == [1]
        with pytest.raises(ValueError):
            register("count_sentences", lambda facts, ref: None)
    finally:
        EXTRACTORS.pop("count_sentences")
    assert list(EXTRACTORS)[:4] == ["entities", "places", "persons", "meetings"]


def test_a_visit_announced_at_the_invitation_of_the_host():
    found, _ = meetings("At the invitation of Korean President Choi Jin-ho, Vietnamese President Dang Dinh Hai "
                        "will pay an official visit to South Korea from March 21-22.", published="2026-03-11")
    assert found == [("visit", "2026-03-21", "KR", ["Choi Jin-ho", "Dang Dinh Hai"], "announced")]


def test_an_invitation_to_visit_is_not_a_visit():
    found, _ = meetings("Vietnamese President Dang Dinh Hai invited Korean President Choi Jin-ho to visit "
                        "Vietnam at a convenient time.")
    assert found == []


def test_in_a_phone_call_with():
    found, _ = meetings("In a phone call on March 11, 2025 with Singaporean Prime Minister Wong Li Hui, Prime "
                        "Minister Cao Quoc Tam proposed that the two sides step up cooperation in key areas.")
    assert found == [("call", "2025-03-11", None, ["Cao Quoc Tam", "Wong Li Hui"], "held")]


def test_talks_on_the_sidelines_of_the_leaders_week_are_talks_and_a_summit():
    found, _ = meetings("In June 2025, President Hoang Quoc Khanh had a bilateral meeting with Korean President "
                        "Yoon Sung-seung in Phnom Penh, Cambodia on the sidelines of the APEC Economic Leaders' Week.")
    assert sorted(kind for kind, *_ in found) == ["summit", "talks"]


def test_present_at_the_talks_joins_them():
    found, _ = meetings("Prime Minister Tran Van Binh held talks with Japanese Prime Minister Kimura Taro in Hanoi "
                        "on July 9. Also present at the talks was Japanese Ambassador Yamazaki Haruto.")
    assert found == [("talks", "2024-07-09", "hanoi", ["Kimura Taro", "Tran Van Binh", "Yamazaki Haruto"], "held")]


def test_two_events_of_one_sentence_keep_their_own_guests():
    found, _ = meetings("During the visit, President Luong Van Dat also received Governor-General Samantha Hughes and "
                        "held talks with Australian Minister for Foreign Affairs Emily Ross.")
    assert sorted((kind, names) for kind, _, _, names, _ in found) == [
        ("reception", ["Luong Van Dat", "Samantha Hughes"]), ("talks", ["Emily Ross", "Luong Van Dat"])]


def test_the_demonym_leader_is_the_first_person_of_that_state():
    found, _ = meetings("Japanese Prime Minister Sato Kenta will pay an official visit to Vietnam from April 27 to 29 "
                        "at the invitation of Prime Minister Tran Van Binh. During the visit, the Japanese leader is "
                        "scheduled to hold talks with PM Binh, and to meet Party General Secretary Le Van Nam.")
    assert sorted((kind, names, status) for kind, _, _, names, status in found) == [
        ("talks", ["Le Van Nam", "Sato Kenta"], "announced"),
        ("talks", ["Sato Kenta", "Tran Van Binh"], "announced"),
        ("visit", ["Sato Kenta", "Tran Van Binh"], "announced")]


def test_the_leaders_visit_named_by_description():
    found, _ = meetings("President Tran Van Binh and Australian Prime Minister John Carter held talks in Canberra "
                        "on March 7. The talks took place as part of the Vietnamese leader's state visit to "
                        "Australia from March 6-9.", published="2024-03-08")
    assert ("visit", "2024-03-06", "AU", ["Tran Van Binh"], "held") in found


def test_to_meet_needs_a_person():
    found, _ = meetings("Prime Minister Tran Van Binh said Japan will meet Vietnam's demand for capital.")
    assert found == []


def test_a_description_of_someone_elses_envoy_is_nobody():
    found, _ = meetings("Foreign Minister Sato Kenta arrived in Hanoi. Son acknowledged the attendance of former Prime "
                        "Minister Suzuki Ichiro and the Japanese prime minister's special envoy at the funeral.")
    # the arrival is a visit of its own (R13); the envoy takes part in nothing
    assert [(kind, names) for kind, _, _, names, _ in found] == [("visit", ["Sato Kenta"]), ("ceremony", ["Suzuki Ichiro"])]


def test_the_pm_and_the_minister_are_the_home_officials_named_before():
    found, _ = meetings("Prime Minister Tran Van Binh attended the ASEAN Summit with Malaysian Prime Minister "
                        "Azlan Shah on October 26. From Kuala Lumpur, the PM will travel to Gyeongju to attend "
                        "the APEC Economic Leaders' Week from October 31.", published="2024-10-27")
    assert ("summit", "2024-10-31", None, ["Tran Van Binh"], "announced") in [
        (kind, date, None, names, status) for kind, date, _, names, status in found]
    found, _ = meetings("Minister of Foreign Affairs Le Van Nam held talks with Australian Minister for Foreign "
                        "Affairs Jane Reid on August 21. The Minister paid a courtesy call on Prime Minister "
                        "John Carter.")
    assert ("reception", ["John Carter", "Le Van Nam"]) in [(kind, names) for kind, _, _, names, _ in found]


def test_their_meeting_in_the_next_sentence_is_the_pair_of_the_sentence_before():
    found, _ = meetings("Hanoi, July 11 -- Tanaka Ichiro, chairman of a Japanese party council, and Vietnamese Prime "
                        "Minister Pham Van Tuan agreed on Monday to strengthen relations.\n"
                        "The agreement was reached at their meeting in Hanoi.", published="2023-07-11")
    assert found == [("talks", "2023-07-10", "hanoi", ["Pham Van Tuan", "Tanaka Ichiro"], "held")]


def test_phone_talks_between_and_a_reception_hosted_for_a_guest():
    found, _ = meetings("The consensus was reached during phone talks between Minister of Industry and Trade "
                        "Nguyen Van Hoa and Japanese minister Yamada Ken on May 26.\n"
                        "Deputy Foreign Minister Le Van Minh hosted a reception in Hanoi on May 27 for Japanese "
                        "Vice Minister Sato Aiko.", published="2023-05-30")
    assert ("call", "2023-05-26", None, ["Nguyen Van Hoa", "Yamada Ken"], "held") in found
    assert [m[:3] for m in found if m[0] == "reception"] == [("reception", "2023-05-27", "hanoi")]


def test_the_traveller_of_a_who_clause_and_the_host_who_received_them():
    found, _ = meetings("Deputy Prime Minister Vu Van Lam on November 18 received Governor of Japan's Kanagawa "
                        "prefecture Kato Jiro now on a working visit to Vietnam.", published="2019-11-18")
    assert ("reception", "2019-11-18", None, ["Kato Jiro", "Vu Van Lam"], "held") in [
        (k, d, None, n, s) for k, d, _, n, s in found]
    assert [(k, p, n) for k, _, p, n, _ in found if k == "visit"] == [("visit", "VN", ["Kato Jiro"])]


def test_tour_legs_are_visits_of_their_own():
    found, _ = meetings("Prime Minister Ishikawa Taro on Sunday began a four-day tour of Vietnam and "
                        "Malaysia. He said before heading for Indonesia that his trip, also covering "
                        "Thailand, is aimed at building peace.", published="2025-04-27")
    visits = sorted((p, n) for k, _, p, n, _ in found if k == "visit")
    assert visits == [("ID", ["Ishikawa Taro"]), ("MY", ["Ishikawa Taro"]), ("TH", ["Ishikawa Taro"]),
                      ("VN", ["Ishikawa Taro"])]


def test_a_sideline_summit_in_lower_case_is_a_meeting_besides_the_talks():
    found, _ = meetings("On Sunday, Prime Minister Arun Mehta met the Prime Minister of Vietnam, Pham Van Tuan, "
                        "on the sidelines of the BRICS summit in Brazil.", published="2025-07-08")
    assert sorted((k, d, p) for k, d, p, _, _ in found) == [("summit", "2025-07-06", "BR"),
                                                             ("talks", "2025-07-06", "BR")]


def test_the_same_day_is_the_day_of_the_last_event_and_a_wish_is_no_visit():
    found, _ = meetings("Minister Nguyen Van Hoa co-chaired the sixth Vietnam-Australia Foreign Ministers' Meeting "
                        "with Australian Minister for Foreign Affairs Jane Brown in Canberra on August 21.\n"
                        "On the same day, the Minister paid a courtesy call on Prime Minister Paul Smith, who "
                        "said he looks forward to visiting Vietnam next year.", published="2025-08-22")
    assert ("reception", "2025-08-21", ["Nguyen Van Hoa", "Paul Smith"]) in [(k, d, n) for k, d, _, n, _ in found]
    assert not [m for m in found if m[0] == "visit"]


def test_an_announced_visit_for_talks_is_dated_forward_and_the_talks_are_their_own():
    found, _ = meetings("President Nguyen Van Hoa will visit Japan on November 27 for talks with Prime Minister "
                        "Sato Jiro.", published="2023-11-19")
    assert ("visit", "2023-11-27", "JP", ["Nguyen Van Hoa"], "announced") in found
    assert ("talks", "2023-11-27", ["Nguyen Van Hoa", "Sato Jiro"]) in [(k, d, n) for k, d, _, n, _ in found]


def test_speaking_at_the_event_an_earlier_sentence_says_was_held():
    found, _ = meetings("Tokyo (VNA) - The Vietnamese Embassy in Japan held a get-together on September 1 to "
                        "celebrate the National Day.\n"
                        "Speaking at the event, Vietnamese Ambassador to Japan Vu Van Hung said trade hit 40 "
                        "billion USD in 2020.", published="2021-09-01")
    assert [(k, d, n) for k, d, _, n, _ in found] == [("ceremony", "2021-09-01", ["Vu Van Hung"])]
