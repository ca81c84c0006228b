"""An HTML page saved as an article: recognised, and reduced to its headline and text.

Scrapers sometimes save the page instead of its text. Read as text, its ``<!DOCTYPE html>``
would become the headline and its scripts sentences. The page is parsed with selectolax's
Lexbor parser (a maintained, fast HTML5 parser); scripts, styles, navigation, forms and
footers are dropped; each block element (paragraph, heading, list item, ...) becomes a
line; the first ``<h1>`` (else the ``<title>``) is the headline, followed by a blank line.

>>> page = "<!DOCTYPE html><title>T</title><h1>Talks held</h1><p>PM Chinh met <b>Mr. Kishida</b>.</p>"
>>> print(html_to_text(page))
Talks held
<BLANKLINE>
PM Chinh met Mr. Kishida.
<BLANKLINE>
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

__all__ = ["looks_like_html", "html_to_text"]

_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                         re.I | re.S)
DROPPED = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "form", "button",
           "select", "aside", "object", "embed", "canvas")
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "br", "tr", "blockquote", "section",
          "article", "header", "main", "figcaption", "pre", "dt", "dd", "table", "ul", "ol")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` begins like an HTML document (a doctype, ``<html>``, ``<head>``, ``<body>``).

    >>> looks_like_html("<!DOCTYPE html><html>"), looks_like_html("Hanoi <b>bold</b> claims")
    (True, False)
    """
    return bool(_HTML_START.match(text[:8192]))


def html_to_text(page: str) -> str:
    """The readable text of an HTML ``page``: the headline, a blank line, one line per block."""
    tree = LexborHTMLParser(page)
    headline = _first_text(tree, "h1") or _first_text(tree, "title")
    title_node = tree.css_first("title")
    if title_node is not None:
        title_node.decompose()
    tree.strip_tags(list(DROPPED))
    first_h1 = tree.css_first("h1")
    if first_h1 is not None and headline:
        first_h1.decompose()
    for node in tree.css(", ".join(BLOCKS)):
        node.insert_after("\n")
    body = tree.body or tree.root
    raw = body.text(deep=True) if body is not None else ""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    text = "\n".join(line for line in lines if line)
    return (f"{headline}\n\n" if headline else "") + text + ("\n" if text else "")


def _first_text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return " ".join(node.text(deep=True).split()) if node is not None else ""
