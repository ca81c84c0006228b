"""The command line only: parses arguments, calls the library, prints."""
from __future__ import annotations

from kg.cli.main import main

__all__ = ["main"]
