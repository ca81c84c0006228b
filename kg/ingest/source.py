"""Getting an article file's bytes and text safely, whatever sits at its path.

An article folder may hold anything: a dangling or looping symbolic link, a folder or a
pipe named ``x.txt``, a file that cannot be read, a 50 MB dump, a UTF-16 export. Each is an
:class:`~kg.errors.InputError` of one line naming the file (its name shown escaped when it
holds control characters or bytes that are not UTF-8), never a traceback or a hang.

>>> decode_article("Hà Nội".encode("utf-16"), "a.txt")
'Hà Nội'
>>> decode_article(b"\\xef\\xbb\\xbfTalks", "a.txt")
'Talks'
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from kg.errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "decode_article", "read_source", "shown", "shorten", "size_text", "parse_size"]

DEFAULT_MAX_BYTES = 2_000_000  # a long news article is 50 kB; 2 MB is forty of them
# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_UNITS = {"": 1, "B": 1, "K": 1000, "KB": 1000, "M": 1000**2, "MB": 1000**2, "G": 1000**3, "GB": 1000**3,
          "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}


def shown(path: Path | str) -> str:
    """``path`` as one printable line: as written when it is, else escaped like a Python string.

    >>> shown("a b.txt"), shown("a\\nb.txt")
    ('a b.txt', "'a\\\\nb.txt'")
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


def shorten(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, saying how long it was: a message
    names a bad value without echoing 100,000 characters back.

    >>> shorten("x" * 100_000, 12)
    "'xxxxxxxxxx… (100,000 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    length = len(value) if isinstance(value, (str, bytes)) else len(text)
    return f"{text[:limit - 1]}… ({length:,} characters)"


def size_text(size: int) -> str:
    """A byte count for people: ``2 MB``, ``52.4 MB``, ``900 bytes``."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= scale:
            return f"{size / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def parse_size(text: str) -> int:
    """``"2MB"``, ``"500k"``, ``"3000000"`` as a byte count (``kg build --max-size``).

    >>> parse_size("2MB"), parse_size("500k"), parse_size("1.5 MiB")
    (2000000, 500000, 1572864)
    """
    value = text.strip().upper().replace(" ", "")
    number = value.rstrip("KMGIB")
    unit = value[len(number):]
    try:
        size = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        raise InputError(f"{shorten(text)} is not a size (write for example 2MB, 500kB or 3000000)") from None
    if size <= 0:
        raise InputError(f"{shorten(text)}: a size limit must be above zero")
    return int(size)


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed), at most
    ``max_bytes`` of them; anything else is an :class:`InputError` saying what it is."""
    name = shown(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(f"{name}: a symbolic link to {shown(os.readlink(path))}, which does not exist") from None
        raise InputError(f"{name}: cannot read (no such file)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{name}: a symbolic link that loops back on itself") from None
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a folder, not an article file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: is not a regular file (a pipe, socket or device), not read")
    if info.st_size > max_bytes:
        raise InputError(_too_big(name, info.st_size, max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    if len(data) > max_bytes:  # it grew since it was looked at
        raise InputError(_too_big(name, len(data), max_bytes))
    return data


def _too_big(name: str, size: int, limit: int) -> str:
    needed = size_text(((size // 1_000_000) + 1) * 1_000_000).replace(" ", "")
    return (f"{name}: {size_text(size)} is over the article size limit of {size_text(limit)} "
            f"(raise it with kg build --max-size {needed})")


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file: UTF-8, or UTF-16/UTF-32/UTF-8 with a byte-order mark;
    otherwise an :class:`InputError` saying what is wrong with it."""
    shown_name = shown(name)
    for mark, codec, label in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{shown_name}: has a {label} byte-order mark but is not valid {label} "
                                 f"(at byte {exc.start})") from None
            return _checked_text(text, shown_name)
    if b"\x00" in data:
        raise InputError(f"{shown_name}: looks like a binary file (NUL bytes), not article text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(f"{shown_name}: not UTF-8 (byte 0x{byte:02x} at offset {exc.start}); "
                         "save it as UTF-8") from None
    return _checked_text(text, shown_name)


def _checked_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (NUL characters), not article text")
    return text
