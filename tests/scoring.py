"""The evaluation's own scorer (../shared/eval/score.py), loaded once for the tests that use it."""
from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

from project import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


@cache
def load_scorer() -> ModuleType:
    """score.py as a module; the shared folder sits beside the repository, as in CI."""
    path = EVAL_DIR / "score.py"
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader and path.exists(), f"the scorer is missing: {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_and_score(articles: Path, gold_dir: Path, tmp: Path) -> dict:
    """Build ``articles`` into a fresh store, export `kg facts` and score it against ``gold_dir``.

    Returns (precision, recall, f1) per category, plus ``missing`` (gold articles without
    facts) and ``articles`` (how many gold articles there are).
    """
    from click.testing import CliRunner

    from kg.cli.main import main

    runner = CliRunner()
    store = str(tmp / "store")
    built = runner.invoke(main, ["build", str(articles), "--store", store, "-q"])
    assert built.exit_code == 0, built.output
    facts = runner.invoke(main, ["facts", "--json", "--store", store])
    assert facts.exit_code == 0, facts.output
    (tmp / "facts.json").write_text(facts.stdout, encoding="utf-8")
    scorer = load_scorer()
    gold = scorer.load(gold_dir, ".gold.json")
    pred = scorer.load(tmp / "facts.json", ".json")
    tallies = {c: scorer.Tally() for c in scorer.MAIN + scorer.EXTRA}
    for name, article in gold.items():
        scorer.score_article(article, pred.get(name, {}), tallies, False)
    result: dict = {c: tallies[c].prf() for c in tallies}
    result["missing"] = sorted(set(gold) - set(pred))
    result["articles"] = len(gold)
    return result
