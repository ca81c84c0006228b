"""Where the checkout's folders are, for tests (the library finds its data through kg.files)."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
