"""When a news outlet named in an article is one of the article's organisations.

An outlet counts only where a body sentence cites it as a source, author or interviewer
("according to local newspaper Asahi", "told The Associated Press", "Kyodo News reported")
and it is not the outlet that published the article. Datelines ("Tokyo (VNA) –"), photo
credits ("Photo: VNA"), bylines and "Source:" lines name an outlet without citing it, and
none of the patterns below fits them.
"""
from __future__ import annotations

import re

from kg.model import Article

_MEDIA_NOUN = r"(?:newspaper|daily|paper|news\s+agency|agency|broadcaster|outlet|magazine|website|news\s+site|television|TV)"
# What may stand right before a cited outlet: "according to (the) (local) (newspaper)".
CITED_BEFORE = re.compile(
    r"(?:according\s+to|told|quoted\s+by|cited\s+by|reported\s+by|interview\s+with|speaking\s+to|"
    r"citing|cites|quoting|reports?\s+by|report\s+of|said\s+in|wrote\s+in|writing\s+in|"
    r"published\s+by|published\s+in|carried\s+by)"
    rf"\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_MEDIA_NOUN}\s+)?$",
    re.IGNORECASE)
# What may follow it: "Kyodo News reported", "the Asahi newspaper said", "Reuters, citing".
CITED_AFTER = re.compile(
    r"^(?:\s+(?:newspaper|daily|news\s+agency|reported|reports|said|says|quoted|cited|wrote|"
    r"writes|learned|learnt|has\s+learned|revealed|found)\b|’s\s+report|'s\s+report|,\s+citing)",
    re.IGNORECASE)

CREDIT = re.compile(r"photo|image|picture|credit|source\s*:|©|copyright", re.IGNORECASE)


def is_cited_outlet(article: Article, sentence_text: str, start: int, end: int) -> bool:
    """Whether the outlet named at ``sentence_text[start:end]`` is cited by the sentence."""
    name = sentence_text[start:end]
    if article.outlet and _same_outlet(name, article.outlet):
        return False
    before, after = sentence_text[max(0, start - 60):start], sentence_text[end:end + 30]
    if CREDIT.search(before[-30:]):
        return False
    return bool(CITED_BEFORE.search(before) or CITED_AFTER.match(after))


def _same_outlet(name: str, outlet: str) -> bool:
    """"The Japan Times" is the outlet "japantimes.co.jp" or "Japan Times"."""
    squash = re.sub(r"[^a-z]", "", name.casefold().removeprefix("the "))
    other = re.sub(r"[^a-z]", "", outlet.casefold().removeprefix("the "))
    if len(squash) < 5 or len(other) < 5:
        return squash == other  # "AP" is not the outlet "News.am (AP)"'s own name
    return squash in other or other in squash
