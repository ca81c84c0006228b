"""Bad article entries: each is one clear line naming it, the rest still builds, exit 1.

Issue 17's rows, tried as a user would: links that dangle or loop, a folder named x.txt, an
unreadable file, odd file names, a file over the size limit, UTF-16/32 files, an HTML page
saved as .txt, a manifest with impossible dates, typos and entries for missing files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.errors import InputError
from kg.ingest.articles import article_from_bytes, read_article
from kg.namespaces import article_graph
from kg.store.store import Store
from project import SEEDS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "reliability"
GOOD = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))


def build_cli(*args: str) -> tuple[int, list[str], list[str]]:
    """`kg build ARGS` in-process: exit code, stdout lines, stderr lines."""
    result = CliRunner().invoke(main, ["build", "-q", *args])
    assert "Traceback" not in result.output + result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def graphs(store_dir: Path) -> set[str]:
    return set(Store(store_dir, read_only=True).graph_names())


def error_line(lines: list[str], name: str) -> str:
    """The one stderr line naming ``name``."""
    found = [line for line in lines if name in line]
    assert len(found) == 1, (name, lines)
    return found[0]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """The seeds (their manifest too) beside every kind of broken entry."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS_DIR, folder)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dir.txt").mkdir()
    (folder / "huge.txt").write_bytes(b"Talks were held. " * 200_000)  # 3.4 MB
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_every_bad_entry_is_one_line_and_the_rest_builds(folder: Path, tmp_path: Path) -> None:
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 1
    assert out[0].startswith("5 built, 5 failed"), out
    assert "a symbolic link to" in error_line(err, "dangling.txt")
    assert "loops back on itself" in error_line(err, "loop.txt")
    assert "is a folder" in error_line(err, "dir.txt")
    assert "not a regular file" in error_line(err, "pipe.txt")
    huge = error_line(err, "huge.txt")
    assert "3.4 MB is over the article size limit of 2 MB" in huge and "--max-size 4MB" in huge
    assert {article_graph(Path(name).stem) for name in GOOD} <= graphs(tmp_path / "s")


def test_the_size_limit_can_be_raised(folder: Path, tmp_path: Path) -> None:
    for name in ("dangling.txt", "loop.txt", "dir.txt", "pipe.txt"):
        path = folder / name
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    (folder / "huge.txt").write_bytes(b"Talks were held.\n" * 1_000)  # 17 kB
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"), "--max-size", "10kB")
    assert code == 1 and "over the article size limit of 10 kB" in error_line(err, "huge.txt")
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"), "--max-size", "1MB")
    assert code == 0 and out[0].startswith("1 built, 0 failed"), out


def test_a_bad_size_limit_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SEEDS_DIR), "--store", str(tmp_path / "s"),
                                       "--max-size", "lots"])
    assert result.exit_code == 2 and "'lots' is not a size" in result.stderr


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    """Run as an unprivileged user when the tests run as root (root reads anything)."""
    work = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    try:
        shutil.copytree(SEEDS_DIR, work / "articles")
        secret = work / "articles" / "secret.txt"
        secret.write_text("Talks were held.\n", encoding="utf-8")
        secret.chmod(0)
        for path in (work, work / "articles", *(work / "articles").iterdir()):
            if path != secret:
                path.chmod(0o777 if path.is_dir() else 0o644)
        command = [sys.executable, "-m", "kg.cli.main", "build", "-q", str(work / "articles"),
                   "--store", str(work / "store")]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        run = subprocess.run(command, capture_output=True, text=True, timeout=300,
                             cwd=Path(__file__).parent.parent)
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr
        assert "cannot read (Permission denied)" in error_line(run.stderr.splitlines(), "secret.txt")
        assert run.stdout.startswith("5 built, 1 failed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("name", ["with space.txt", "hash#1.txt", "per%cent.txt", "Hà Nội – tin.txt",
                                  "quote\"and<angle>.txt", "tab\tand\nnewline.txt", "brace{x}|^`.txt"])
def test_any_file_name_builds_with_a_valid_iri(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copy(SEEDS_DIR / GOOD[1], folder / name)
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 0 and out[0].startswith("1 built, 0 failed"), (out, err)
    (graph,) = [g for g in graphs(tmp_path / "s") if "/article/" in g]
    assert graph == article_graph(Path(name).stem)
    ox.NamedNode(graph)  # a valid IRI


def test_a_file_name_that_is_not_utf8_builds(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(raw, "wb") as out:
        out.write((SEEDS_DIR / GOOD[1]).read_bytes())
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 0 and out[0].startswith("1 built"), (out, err)
    assert article_graph(os.fsdecode(b"caf\xe9")).endswith("/caf%E9")


def test_names_that_differ_keep_distinct_iris() -> None:
    assert len({article_graph(stem) for stem in ("a b", "a%20b", "a_b", "a\tb")}) == 4


@pytest.mark.parametrize("name", ["utf16.txt", "utf16be.txt", "utf32.txt"])
def test_utf16_and_utf32_are_decoded_by_their_byte_order_mark(name: str) -> None:
    expected = (SEEDS_DIR / "001_d866a0efd7183c93.txt").read_text(encoding="utf-8")
    assert read_article(FIXTURES / "hostile" / name).text == expected


def test_a_byte_order_mark_with_broken_text_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="has a UTF-16 byte-order mark but is not valid UTF-16"):
        article_from_bytes("x.txt", b"\xff\xfeT\x00\x00\xd8")


def test_an_html_page_is_reduced_to_its_text() -> None:
    article = read_article(FIXTURES / "hostile" / "page.txt")
    assert article.title is not None and article.title.text == "Japan, Vietnam hold talks in Tokyo"
    assert "<" not in article.text and "dataLayer" not in article.text and "color: red" not in article.text
    assert "Home" not in article.text and "Facebook" not in article.text  # navigation, footer
    texts = [s.span.text for s in article.sentences]
    assert any("Pham Minh Chinh met Japanese Prime Minister Kishida Fumio" in t for t in texts), texts


def test_an_html_page_builds_its_facts(tmp_path: Path) -> None:
    code, out, err = build_cli(str(FIXTURES / "hostile" / "page.txt"), "--store", str(tmp_path / "s"))
    assert code == 0, err
    rows = Store(tmp_path / "s", read_only=True).select(
        "SELECT ?h WHERE { ?a <https://schema.org/headline> ?h }")
    assert [row["h"].value for row in rows] == ["Japan, Vietnam hold talks in Tokyo"]


def test_manifest_problems_are_one_line_each_and_good_entries_build(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(FIXTURES / "manifest", folder)
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 1
    assert out[0].startswith("1 built, 5 failed"), out
    assert "published '2024-13-45' is not a real date" in error_line(err, "impossible.txt")
    assert "published 'yesterday' is not a real date" in error_line(err, "relative.txt")
    assert "unknown key 'publised' (did you mean 'published'?)" in error_line(err, "typo.txt")
    assert "title 12345 is not text" in error_line(err, "huge-title.txt")
    assert "no such file" in error_line(err, "missing.txt")
    assert all("articles.toml" in line for line in err)
    dates = Store(tmp_path / "s", read_only=True).select(
        "SELECT ?d WHERE { ?a <https://schema.org/datePublished> ?d }")
    assert [row["d"].value for row in dates] == ["2024-07-11"]


def test_a_long_manifest_value_is_shortened(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(SEEDS_DIR / GOOD[1], folder / "a.txt")
    (folder / "articles.toml").write_text(f'[[article]]\nfile = "a.txt"\npublished = "{"9" * 100_000}"\n',
                                          encoding="utf-8")
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    line = error_line(err, "a.txt")
    assert code == 1 and len(line) < 400 and "(100,000 characters)" in line


def test_a_broken_manifest_is_one_line_and_its_articles_still_build(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(SEEDS_DIR / GOOD[1], folder / "a.txt")
    (folder / "articles.toml").write_text("[[article]\n", encoding="utf-8")
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 1 and out[0].startswith("1 built, 1 failed")
    assert "not a valid TOML manifest" in error_line(err, "articles.toml")


@pytest.mark.parametrize("content", [b"", b"<!DOCTYPE html><html><body><script>x()</script></body></html>",
                                     b"\xff\xfeT\x00\x00\xd8", b"caf\xe9", b"\0\1\2"])
def test_a_failure_naming_an_odd_file_name_stays_one_line(content: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "line\nbreak\ttab.txt").write_bytes(content)
    code, out, err = build_cli(str(folder), "--store", str(tmp_path / "s"))
    assert code == 1 and len(err) == 1 and "line\\nbreak\\ttab.txt" in err[0], err
