"""The `kg` command line: parses arguments, calls the library, prints. Nothing else.

Exit codes: 0 success (for `validate`: the graph conforms), 1 a negative result (`validate`:
violations; `reason`: inconsistent), 2 a usage or input error. Library errors
(:class:`kg.errors.VjkgError`) become one line on stderr, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kg.errors import VjkgError
from kg.paths import DEFAULT_STORE

EXIT_ERROR = 2


class VjkgGroup(click.Group):
    """A click group that turns the library's typed errors into one clear line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VjkgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(130)


def store_option(func: Any) -> Any:
    """The `--store DIR` option every command that reads or writes the graph shares."""
    return click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_STORE,
        show_default=True,
        help="Folder of the embedded Oxigraph store.",
    )(func)


@click.group(cls=VjkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vjkg")
def main() -> None:
    """vjkg: the Vietnam–Japan relations knowledge graph."""


# Commands are added below, one per concern; each is a thin face on a library function.


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
