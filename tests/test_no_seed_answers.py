"""Rules must generalise: no person of a seed article is named in the code or reference data.

Persons, meetings, dates and figures come from the text alone. This test reads the
hand-written gold facts and checks that none of their persons' names (in either order)
appears in the package's code or in the curated Turtle.
"""
from __future__ import annotations

import json
import re

from kg.files import ONTOLOGY_DIR
from project import PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT.parent / "shared" / "eval" / "gold"


def gold_person_names() -> set[str]:
    names: set[str] = set()
    for path in GOLD_DIR.glob("*.gold.json"):
        for person in json.loads(path.read_text(encoding="utf-8")).get("persons", []):
            name = person["name"] if isinstance(person, dict) else person
            parts = name.split()
            names.add(" ".join(parts).lower())
            names.add(" ".join(reversed(parts)).lower())
    return names


def sources() -> list:
    return sorted((PROJECT_ROOT / "kg").rglob("*.py")) + sorted(ONTOLOGY_DIR.rglob("*.ttl"))


def test_gold_is_there_to_check_against() -> None:
    assert len(gold_person_names()) >= 10


def test_no_seed_person_name_in_code_or_reference_data() -> None:
    names = gold_person_names()
    offenders = []
    for path in sources():
        text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8").lower())
        offenders += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in names if n in text]
    assert not offenders, offenders
