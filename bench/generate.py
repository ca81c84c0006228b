"""Generate a synthetic news corpus with the facts planted in it, for the scale benchmark.

usage: python -m bench.generate --articles N --seed S --out DIR

Writes DIR/articles/NNNNNN_<hash>.txt, DIR/gold/NNNNNN_<hash>.gold.json (the shape of
``../shared/eval/SCHEMA.md``) and DIR/manifest.json. Article ``i`` is drawn from its own
random generator seeded by ``(S, i)``, so its text and name depend on neither N nor the
order of generation, and the same N and S give byte-identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import figures, noise
from bench.events import (MAIN_EVENTS, Event, anniversary_ceremony, sidelines_meeting,
                          third_person, visit_announcement)
from bench.facts import PlantedFacts
from bench.phrasing import dateline
from bench.relations import agreements, organizations, partnership
from bench.story import Story, capital_first
from bench.templates import CLOSINGS, FILLERS, STANDFIRSTS, TITLES, fill
from kg.errors import InputError, VjkgError

GENERATOR_VERSION = "1"
MAX_ARTICLES = 1_000_000
TARGET_CHARS = (2100, 4400)


@dataclass(frozen=True)
class GeneratedArticle:
    """One article's text, file name and planted facts."""

    index: int
    text: str
    facts: PlantedFacts

    @property
    def file_name(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
        return f"{self.index:06d}_{digest}.txt"

    def gold(self) -> dict[str, Any]:
        self.facts.article = self.file_name
        return self.facts.to_json()


def _slots(story: Story, event: Event) -> dict[str, str]:
    rng = story.rng
    return {
        "a": event.vietnamese.short(rng), "b": event.foreign.short(rng),
        "a_his": event.vietnamese.his, "b_his": event.foreign.his, "b_he": event.foreign.he,
        "p": story.p, "P": capital_first(story.p), "vn": story.vn,
        "padj": story.partner.adjective, "pair": story.pair, "event": event.name,
    }


def _body_blocks(story: Story, event: Event, main) -> list[str]:
    """The fact-bearing paragraphs after the opening, in a drawn order."""
    rng = story.rng
    blocks: list[str] = []
    options = figures.catalogue(story)
    for chosen in rng.sample(options, rng.randint(3, min(6, len(options)))):
        blocks.append(chosen(story))
    if story.chance(0.7):
        blocks.append(partnership(story, event))
    if story.chance(0.55):
        blocks.append(agreements(story))
    if story.chance(0.5):
        blocks.append(organizations(story, event))
    if event.leaders and story.chance(0.4):
        blocks.append(sidelines_meeting(story, event))
    elif main is not visit_announcement and story.chance(0.15):
        blocks.append(anniversary_ceremony(story, event))
    if story.chance(0.35):
        blocks.append(third_person(story, event))
    rng.shuffle(blocks)
    if len(blocks) > 3 and story.chance(0.5):  # two facts in one paragraph, as outlets do
        blocks[0:2] = [f"{blocks[0]} {blocks[1]}"]
    return blocks


def compose(seed: int, index: int) -> GeneratedArticle:
    """Article ``index`` of the corpus drawn with ``seed``."""
    rng = random.Random(f"vjkg-bench/{seed}/{index}")
    story = Story.draw(rng)
    main = rng.choice(MAIN_EVENTS)
    event = main(story)
    slots = _slots(story, event)
    title = fill(rng.choice(TITLES), slots)

    head: list[str] = []
    if story.chance(0.08):
        head.append(noise.navigation(story))
    head.append(title)
    if story.chance(0.35):
        head.append(fill(rng.choice(STANDFIRSTS), slots))
    stamp = dateline(rng, story.published) if story.published else None
    stamp_late = stamp is not None and story.chance(0.3)
    if stamp and not stamp_late:
        head.append(stamp)
        if story.chance(0.2):
            head += noise.teasers(story, slots, 1)[:2]

    lead = list(event.lead)
    if event.lead_place or story.chance(0.15):
        lead[0] = noise.lead_tag(story, event.lead_place) + lead[0]
    opening = [lead[0]]
    if stamp_late:
        opening.append(stamp)
    opening += lead[1:]
    for caption in event.captions:
        opening += noise.captioned(story, caption, title)

    body = list(event.follow) + _body_blocks(story, event, main)
    tail: list[str] = []
    if story.chance(0.4):
        tail.append(fill(rng.choice(CLOSINGS), slots))
    if story.chance(0.3):
        tail += noise.teasers(story, slots, rng.randint(1, 2))
    tail += noise.sign_off(story)

    size = sum(len(x) + 2 for x in head + opening + body + tail)
    target = rng.randint(*TARGET_CHARS)
    fillers = rng.sample(FILLERS, len(FILLERS))
    while size < target and fillers:
        text = fill(fillers.pop(), _slots(story, event))
        position = rng.randint(len(event.follow), len(body))
        body.insert(position, text)
        size += len(text) + 2
    separator = "\n" if story.chance(0.25) else "\n\n"
    text = separator.join(head + opening + body + tail) + "\n"
    return GeneratedArticle(index, text, story.facts)


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def generate_corpus(articles: int, seed: int, out: Path) -> dict[str, Any]:
    """Write the corpus and its gold under ``out``; return the manifest."""
    if not 1 <= articles <= MAX_ARTICLES:
        raise InputError(f"--articles must be between 1 and {MAX_ARTICLES:,}, got {articles}")
    article_dir, gold_dir = out / "articles", out / "gold"
    try:
        article_dir.mkdir(parents=True, exist_ok=True)
        gold_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {out}: {exc.strerror}") from exc
    totals: dict[str, int] = {}
    names: list[str] = []
    size = 0
    for index in range(articles):
        article = compose(seed, index)
        name = article.file_name
        data = article.text.encode("utf-8")
        (article_dir / name).write_bytes(data)
        (gold_dir / name.replace(".txt", ".gold.json")).write_bytes(_json_bytes(article.gold()))
        for key, count in article.facts.counts().items():
            totals[key] = totals.get(key, 0) + count
        names.append(name)
        size += len(data)
    _remove_stale(article_dir, gold_dir, set(names))
    manifest = {"generator": "bench.generate", "version": GENERATOR_VERSION, "seed": seed,
                "articles": articles, "bytes": size, "planted": totals, "files": names}
    (out / "manifest.json").write_bytes(_json_bytes(manifest))
    return manifest


def _remove_stale(article_dir: Path, gold_dir: Path, keep: set[str]) -> None:
    """Drop articles of an earlier, larger or differently seeded run in the same folder."""
    for path in article_dir.glob("[0-9][0-9][0-9][0-9][0-9][0-9]_*.txt"):
        if path.name not in keep:
            path.unlink()
    for path in gold_dir.glob("[0-9][0-9][0-9][0-9][0-9][0-9]_*.gold.json"):
        if path.name.replace(".gold.json", ".txt") not in keep:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    try:
        manifest = generate_corpus(args.articles, args.seed, args.out)
    except VjkgError as exc:
        print(f"bench.generate: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {manifest['articles']} articles ({manifest['bytes']:,} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
