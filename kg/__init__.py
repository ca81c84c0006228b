"""vjkg: a knowledge graph of Vietnam–Japan relations built from news articles."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
