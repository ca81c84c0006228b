"""The scraped clutter around a news article: what the gold never counts.

Photo credits, related-article teasers, social-media lines, outlet tags, bylines and a
provinces navigation list, in the layouts the seed articles show. Captions themselves are
content (they restate the main event), only their credits are clutter.
"""
from __future__ import annotations

from bench.pools import NAVIGATION_PROVINCES, OUTLETS, VN_GIVEN, VN_MIDDLE
from bench.story import Story
from bench.templates import TEASER_BODIES, TEASER_HEADLINES, fill

SOCIAL_LINES = (
    "Like us on Facebook or follow us on Twitter to get the latest news about Vietnam!",
    "Follow us on Facebook for more stories.",
    "Share this article",
)


def credit_name(story: Story) -> str:
    """A photographer's or reporter's name: two syllables, as outlets print them."""
    return f"{story.rng.choice(VN_MIDDLE)} {story.rng.choice(VN_GIVEN)}"


def captioned(story: Story, caption: str, title: str) -> list[str]:
    """A caption as it lands in scraped text: repeated for the image, or under the headline."""
    if story.chance(0.5):
        line = f"{caption} (Photo: {credit_name(story)})"
        return [line, line]
    return [title, f"{caption} Photo: {story.rng.choice(OUTLETS)}"]


def teasers(story: Story, slots: dict[str, str], count: int) -> list[str]:
    """Related-article teasers: the headline twice, then its first line."""
    lines: list[str] = []
    picks = story.rng.sample(range(len(TEASER_HEADLINES)), count)
    for pick in picks:
        headline = fill(TEASER_HEADLINES[pick], slots)
        lines += [headline, headline, TEASER_BODIES[pick % len(TEASER_BODIES)]]
    return lines


def navigation(story: Story) -> str:
    """A site's province menu scraped as a bullet list."""
    count = story.rng.randint(12, len(NAVIGATION_PROVINCES))
    items = sorted(story.rng.sample(NAVIGATION_PROVINCES, count))
    return "\n".join(f"  • {item}" for item in items)


def lead_tag(story: Story, city: str | None) -> str:
    """'Hanoi (VNA) – ' or 'VGP - ' before the first paragraph."""
    outlet = story.rng.choice(OUTLETS)
    if city:
        return f"{city} ({outlet}) – "
    return f"{outlet} - "


def sign_off(story: Story) -> list[str]:
    """What follows the last paragraph: social links, outlet, byline."""
    rng = story.rng
    lines: list[str] = []
    if story.chance(0.3):
        lines.append(rng.choice(SOCIAL_LINES))
    style = rng.randrange(4)
    if style == 0:
        lines.append(rng.choice(OUTLETS))
    elif style == 1:
        lines.append(f"By {credit_name(story)}")
    elif style == 2:
        lines += [credit_name(story), "Phiên bản di động"]
    return lines
