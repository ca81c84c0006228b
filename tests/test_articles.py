"""The reader: strict decoding, noise removal, metadata and sentence offsets."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.articles import article_from_text, load_manifest, read_article
from kg.errors import InputError
from project import SEEDS_DIR
from kg.ingest.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def test_empty_file_is_an_input_error():
    with pytest.raises(InputError, match="empty.txt: the file is empty"):
        read_article(FIXTURES / "empty.txt")


def test_binary_file_is_an_input_error():
    with pytest.raises(InputError, match="binary.txt: looks like a binary file"):
        read_article(FIXTURES / "binary.txt")


def test_latin1_file_names_the_byte_and_offset():
    with pytest.raises(InputError, match=r"latin1.txt: not UTF-8 \(byte 0xe9 at offset 6\); save it as UTF-8"):
        read_article(FIXTURES / "latin1.txt")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path / "nope.txt")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_sentence_of_every_seed_keeps_its_offsets(path):
    article = read_article(path, load_manifest(SEEDS_DIR))
    assert article.sentences
    for i, sentence in enumerate(article.sentences):
        assert sentence.index == i
        assert article.text[sentence.span.start:sentence.span.end] == sentence.span.text
        assert sentence.span.text == sentence.span.text.strip()
    for span in article.noise:
        assert article.text[span.start:span.end] == span.text
        for sentence in article.sentences:  # sentences never include noise
            assert sentence.span.end <= span.start or sentence.span.start >= span.end


def test_content_hash_is_the_sha256_of_the_bytes():
    import hashlib

    path = SEEDS[0]
    article = read_article(path)
    assert article.content_hash == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _seed(prefix: str):
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return read_article(path, load_manifest(SEEDS_DIR))


def _texts(article):
    return [s.span.text for s in article.sentences]


def test_navigation_list_and_byline_are_noise():
    article = _seed("004")
    assert not any("Binh Duong" == t for t in _texts(article))
    assert article.title.text == "Viet Nam-Japan relations at beststage of mutual trust"
    assert article.author == "Thuy Dung"
    assert article.published.iso == "2021-11-21" and not article.published.inferred
    assert _texts(article)[1].startswith("Prime Minister Pham Minh Chinh will pay")  # "VGP - " dropped
    assert article.outlet == "Vietnam Government Portal"


def test_teasers_repeated_titles_and_credits_are_noise():
    article = _seed("001")
    texts = _texts(article)
    assert article.published.iso == "2024-07-11"
    assert texts.count("Vietnam & Japan Strengthen Trade Cooperation") == 1  # the title only
    assert not any("Trade Promotion Center" in t or "New Initiative" in t or "Binh Dinh" in t for t in texts)
    assert not any("Photo" in t or "Phiên bản" in t or t == "Rosie Nguyen" for t in texts)
    assert article.author == "Rosie Nguyen"
    # the caption's own words stay (it may be the only place a meeting's place is given)
    assert "Prime Minister Pham Minh Chinh (right) receiving Minister Yoshitaka Shindo in Hanoi on July 9." in texts


def test_repeated_caption_kept_once_and_outlet_sign_off_dropped():
    article = _seed("000")
    texts = _texts(article)
    caption = "Prime Minister Pham Minh Chinh receives Japanese Minister of Economy, Trade and Industry Ken Saito."
    assert texts.count(caption) == 1
    assert "NDO" not in texts and article.outlet == "Nhan Dan Online"
    assert article.published is None


def test_dateline_junk_and_end_mark():
    article = _seed("003")
    texts = _texts(article)
    assert texts[0].startswith("Prime Minister Pham Minh Chinh on August 12")
    assert article.dateline_place == "Hanoi"
    assert article.outlet == "Vietnam News Agency"
    assert not any("𓆏" in t for t in texts)
    assert texts[-1].endswith("20.5 million USD.")


@pytest.mark.parametrize(("line", "iso"), [
    ("12 June, 2025 | 22:10", "2025-06-12"),
    ("Published: 27/10/2025 18:30", "2025-10-27"),
    ("Updated on: 10/27/2025", "2025-10-27"),
    ("Thursday, September 18, 2025 16:42", "2025-09-18"),
])
def test_date_lines_of_the_outlets(line: str, iso: str) -> None:
    article = article_from_text("x.txt", f"Leaders meet\n\n{line}\n\nHanoi (VNA) – Leaders met in Hanoi.\n")
    assert article.published is not None and article.published.iso == iso and not article.published.inferred
    assert all(line not in s.span.text for s in article.sentences)  # the date line is no content


def test_manifest_date_is_used_when_the_text_has_none_and_marked_inferred():
    article = article_from_text("x.txt", "Leaders met in Hanoi.\n", {"published": "2023-05-04", "outlet": "X"})
    assert article.published.iso == "2023-05-04" and article.published.inferred
    assert article.outlet == "X"


def test_small_fixture_noise_rules():
    article = read_article(FIXTURES / "small.txt")
    texts = _texts(article)
    assert texts == [
        "Talks in Tokyo",
        "Deputy Prime Minister Tran Van A met Mr. Sato in Tokyo on May 1.",
        "The U.S. side sent 3.5 million USD.",
        "Deputy Prime Minister Tran Van A meets Mr. Sato.",
    ]
    assert article.published.iso == "2024-05-02"
    assert article.author == "Le Minh"
    assert article.dateline_place == "Hanoi"


@pytest.mark.parametrize("text,expected", [
    ("Japan pledged US$74.4 billion. It was a record.", ["Japan pledged US$74.4 billion.", "It was a record."]),
    ("Dr. Tanaka met No. 1 firm in the U.S. Then he left.", ["Dr. Tanaka met No. 1 firm in the U.S. Then he left."]),
    ("He said: \"We agree.\" Both sides nodded.", ["He said: \"We agree.\"", "Both sides nodded."]),
    ("Growth was 5.5 percent in Q1. Exports rose.", ["Growth was 5.5 percent in Q1.", "Exports rose."]),
])
def test_sentence_splitting(text, expected):
    assert [s.text for s in split_sentences(text, 0, len(text))] == expected


def test_manifest_loading(tmp_path):
    assert load_manifest(tmp_path) == {}
    (tmp_path / "a.txt").write_text("Talks held.\n")  # an entry for a missing file is refused
    (tmp_path / "articles.toml").write_text('[[article]]\nfile = "a.txt"\npublished = "2024-01-02"\n')
    assert load_manifest(tmp_path)["a.txt"]["published"] == "2024-01-02"
    (tmp_path / "articles.toml").write_text("[[article]\n")
    with pytest.raises(InputError, match="not a valid TOML manifest"):
        load_manifest(tmp_path)
