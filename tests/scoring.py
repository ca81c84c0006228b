"""The evaluation's own scorer (../shared/eval/score.py), loaded once for the tests that use it."""
from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType

from kg.paths import PROJECT_ROOT

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
