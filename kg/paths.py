"""Where the project's folders are, so that every module finds them the same way."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT / "seeds"

# Generated output lives under build/ of the working directory (git-ignored).
BUILD_DIR = Path("build")
DEFAULT_STORE = BUILD_DIR / "store"
