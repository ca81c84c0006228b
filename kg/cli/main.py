"""The `kg` command line: parses arguments, calls the library, prints. Nothing else.

Exit codes: 0 success (for `validate`: nothing at or above --fail-on), 1 a negative result
(`validate`: such a result; `reason`: inconsistent), 2 a usage or input error. Library errors
(:class:`kg.errors.VjkgError`) become one line on stderr, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kg.errors import VjkgError
from kg.files import DEFAULT_STORE

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


WARNINGS_LISTED = 10  # more articles with warnings than this: one summary line unless --verbose


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@click.option("--force", is_flag=True, help="Rebuild every article, changed or not.")
@click.option("--max-size", "max_size", default="2MB", show_default=True, metavar="SIZE",
              help="Refuse article files larger than this (e.g. 500kB, 10MB).")
@click.option("--article-seconds", "article_seconds", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="Stop extracting an article that takes longer than this.")
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, metavar="SECONDS",
              help="Wait this long for another build of the same store to finish.")
@click.option("--strict", is_flag=True, hidden=True, help="Kept for old scripts: failures always exit 1.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--verbose", "-v", is_flag=True,
              help=f"List every extraction warning (by default only when at most {WARNINGS_LISTED} articles have any).")
def build(paths: tuple[Path, ...], store_dir: Path, jobs: int | None, force: bool, max_size: str,
          article_seconds: float, wait: float, strict: bool, quiet: bool, verbose: bool) -> None:
    """Build the graph of exactly the articles in PATHS (files or folders; default: seeds/).

    Every file that cannot be built gets one line on stderr and the others are built.
    Exit codes: 0 every article built, 1 some failed, 2 a usage error or the store is busy.
    """
    from kg.graph.build import build as build_graph
    from kg.graph.build import find_articles
    from kg.files import SEEDS_DIR
    from kg.ingest.source import parse_size, shown
    from kg.store.store import Store

    limit = parse_size(max_size)
    sources = list(paths) or [SEEDS_DIR]
    total = len(find_articles(sources))
    store = Store(store_dir, wait=wait)
    show_bar = not quiet and total >= 20
    with click.progressbar(length=total, label="building", file=sys.stderr,
                           hidden=not show_bar) as bar:
        summary = build_graph(sources, store, workers=jobs, force=force, max_bytes=limit,
                              article_seconds=article_seconds, on_result=lambda _result: bar.update(1))
    store.close()
    click.echo(f"{len(summary.built)} built, {len(summary.failed)} failed "
               f"({len(summary.unchanged)} unchanged, {len(summary.removed)} removed; "
               f"{summary.articles} articles in the graph)")
    for name, message in sorted(summary.failed.items()):
        click.echo(f"kg: error: {message}", err=True)
    click.echo(f"triples: {summary.triples} in {store_dir}")
    for cls, count in sorted(summary.classes.items()):
        click.echo(f"  {cls}: {count}")
    if summary.warnings and not verbose and len(summary.warnings) > WARNINGS_LISTED:
        count = sum(len(w) for w in summary.warnings.values())
        click.echo(f"warnings: {count} in {len(summary.warnings)} articles (kg build -v lists them)")
    else:
        for name, warnings in sorted(summary.warnings.items()):
            click.echo(f"warnings in {shown(name)}: {len(warnings)}")
            for warning in warnings:
                click.echo(f"  - {warning}")
    if summary.failed:
        sys.exit(1)


# -- stored queries, SPARQL, exports (the query layer) -------------------------------------


def _endpoint_options(func: Any) -> Any:
    """`--endpoint URL` and `--timeout S`: run on a remote SPARQL endpoint instead of --store."""
    func = click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
                        help="Seconds a query may run, on the store or an endpoint.")(func)
    return click.option("--endpoint", metavar="URL",
                        help="A SPARQL 1.1 query endpoint to run on instead of the store.")(func)


def _cache_option(func: Any) -> Any:
    """`--no-cache`: evaluate even when this state of the store already has the answer."""
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help="Evaluate the query even if the store has not changed since it last ran.")(func)


def _format_option(func: Any) -> Any:
    from kg.query.tables import FORMATS

    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="How to print the rows.")(func)


def _store_source(store_dir: Path) -> Any:
    """The store opened read-only; says so when a build is writing it meanwhile."""
    from kg.store.lock import writer_of
    from kg.store.store import Store

    store = Store(store_dir, read_only=True)
    writer = writer_of(store_dir)
    if writer is not None:
        click.echo(f"kg: note: {writer[1] or 'kg build'} (pid {writer[0] or '?'}) is writing this store; "
                   "this reads the articles it had written when the command started", err=True)
    return store


@main.command("queries")
def list_queries() -> None:
    """List the stored queries with their summaries and parameters."""
    from kg.query.stored import load_queries

    for query in load_queries().values():
        click.echo(f"{query.name}: {query.summary}")
        for param in query.params:
            flags = "required" if param.required else f"default {param.default}" if param.default else "optional"
            click.echo(f"    --param {param.name}=<{param.type}>  ({flags}) {param.description}")


@main.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value; repeat for several.")
@_format_option
@_endpoint_options
@_cache_option
@store_option
def query_command(name: str, params: tuple[str, ...], fmt: str, endpoint: str | None,
                  timeout: float, no_cache: bool, store_dir: Path) -> None:
    """Run the stored query NAME (see `kg queries`) and print its rows."""
    from kg.query.connect import open_backend
    from kg.errors import QueryError
    from kg.ingest.source import shorten
    from kg.query.stored import execute_stored, find_query, load_queries
    from kg.query.tables import format_rows

    values: dict[str, str | None] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {shorten(item)}: write KEY=VALUE")
        values[key.strip()] = value
    query = find_query(name, load_queries())
    source = None if endpoint else _store_source(store_dir)
    with open_backend(store=source, endpoint=endpoint, timeout=timeout, cache=not no_cache) as backend:
        result = execute_stored(query, values, backend)
    click.echo(format_rows(result.columns, result.rows, fmt))


@main.command("sparql")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@_format_option
@_endpoint_options
@_cache_option
@store_option
def sparql_command(file: Any, fmt: str, endpoint: str | None, timeout: float, no_cache: bool,
                   store_dir: Path) -> None:
    """Run an ad-hoc SELECT, ASK or CONSTRUCT from FILE (or - for stdin); updates are refused."""
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES
    from kg.query.stored import run_sparql
    from kg.query.tables import format_rows

    origin = "<stdin>" if file.name == "<stdin>" else file.name
    source = None if endpoint else _store_source(store_dir)
    result = run_sparql(file.read(), store=source, endpoint=endpoint, timeout=timeout, origin=origin,
                        cache=not no_cache)
    if result.form == "ASK":
        click.echo("true" if result.boolean else "false")
    elif result.form == "CONSTRUCT" and fmt == "table":
        turtle = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        click.echo((turtle or b"").decode("utf-8"), nl=False)
    else:
        click.echo(format_rows(result.columns, result.rows, fmt))


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
              default="ttl", show_default=True,
              help="ttl, nt, jsonld: the merged graph; nq, trig: one named graph per article.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of stdout.")
@click.option("--include", default="", metavar="LIST",
              help="Also export these graphs: reference, ontology (comma-separated).")
@store_option
def export_command(fmt: str, out: Path | None, include: str, store_dir: Path) -> None:
    """Export the graph, byte-for-byte the same on every rebuild."""
    from kg.export.serialise import export_chunks
    from kg.files import write_atomic

    # write_atomic writes through a temporary file and removes any a killed export left.
    extras = [name.strip() for name in include.split(",") if name.strip()]
    chunks = export_chunks(_store_source(store_dir), fmt, extras)
    if out is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
    else:
        size = write_atomic(out, chunks)
        click.echo(f"wrote {out} ({size} bytes)", err=True)


@main.command("load")
@click.option("--gsp", "url", required=True, metavar="URL",
              help="The Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for each graph.")
@click.option("--prune", "prune_endpoint", metavar="QUERY_URL",
              help="Also delete the article graphs this server's query endpoint lists that the "
                   "store no longer has, e.g. http://127.0.0.1:7878/query.")
@store_option
def load_command(url: str, timeout: float, prune_endpoint: str | None, store_dir: Path) -> None:
    """Push every named graph to a remote store (HTTP PUT per graph; reloading is idempotent)."""
    from kg.export.gsp import load_graph_store

    summary = load_graph_store(_store_source(store_dir), url, timeout=timeout,
                               prune_endpoint=prune_endpoint)
    click.echo(f"loaded {summary.graphs} graphs ({summary.triples} triples) into {url}")
    if prune_endpoint:
        click.echo(f"removed {len(summary.removed)} article graphs the store no longer has")
        for graph in summary.removed:
            click.echo(f"  {graph}")


@main.command("plot")
@click.argument("indicator")
@click.option("--direction", metavar="FROM->TO", help="Only figures flowing this way, e.g. Japan->Vietnam.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A .png or .svg file (default: build/INDICATOR.png).")
@_endpoint_options
@store_option
def plot_command(indicator: str, direction: str | None, out: Path | None, endpoint: str | None,
                 timeout: float, store_dir: Path) -> None:
    """Draw INDICATOR's figures over time, sources labelled, disagreements ringed."""
    from kg.query.connect import open_backend
    from kg.files import BUILD_DIR
    from kg.export.plot import plot_indicator

    target = out or BUILD_DIR / f"{indicator}.png"
    source = None if endpoint else _store_source(store_dir)
    with open_backend(store=source, endpoint=endpoint, timeout=timeout) as backend:
        count = plot_indicator(backend, indicator, target, direction)
    click.echo(f"wrote {target} ({count} points)")


@main.command("facts")
@click.option("--json", "as_json", is_flag=True, help="Print the SCHEMA.md JSON (a list of articles).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the JSON here (atomically) instead of stdout.")
@click.option("--article", default=None, help="Only this article (its file name, e.g. 002_d8a9a8aa3f1b71fc.txt).")
@_endpoint_options
@_cache_option
@store_option
def facts_command(as_json: bool, out: Path | None, article: str | None, endpoint: str | None, timeout: float,
                  no_cache: bool, store_dir: Path) -> None:
    """Every article's facts, computed by the facts-*.rq stored queries over the graph."""
    import json

    from kg.query.connect import open_backend
    from kg.files import write_atomic
    from kg.export.facts import article_facts

    source = None if endpoint else _store_source(store_dir)
    with open_backend(store=source, endpoint=endpoint, timeout=timeout, cache=not no_cache) as backend:
        articles = article_facts(backend, article=article)
    text = json.dumps(articles, ensure_ascii=False, indent=2) + "\n"
    if out is not None:
        write_atomic(out, text.encode("utf-8"))
        click.echo(f"wrote {out} ({len(articles)} articles)", err=True)
    elif as_json:
        click.echo(text, nl=False)
    else:
        for item in articles:
            counts = ", ".join(f"{len(item[k])} {k}" for k in
                               ("states", "persons", "organizations", "agreements", "partnerships",
                                "meetings", "figures"))
            click.echo(f"{item['article']} ({item['published'] or 'undated'}): {counts}")


# -- validation, reasoning, info (the schema side) ------------------------------------------


def _data_option(func: Any) -> Any:
    """`--data FILE` (repeatable) instead of the store, and `--with-reference`."""
    func = click.option("--with-reference", is_flag=True,
                        help="Also load ontology/reference/*.ttl (the store already holds it).")(func)
    return click.option("--data", "data_files", multiple=True, metavar="FILE",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="An RDF file (.ttl, .nt, ...) to use instead of the store; repeatable.")(func)


@main.command("validate")
@_data_option
@click.option("--shapes", "shape_files", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A SHACL shapes file (.ttl, .nt, .jsonld, .rdf); repeatable. Default: the project's shapes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "turtle"]), default="text",
              show_default=True,
              help="text for people, json for programs, junit for CI, turtle: the W3C sh:ValidationReport.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report here (atomically) and print only a summary.")
@click.option("--fail-on", "fail_on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Exit 1 when a result of this severity or a more severe one is found.")
@click.option("--changed", is_flag=True,
              help="Re-check only the articles rebuilt since the last validation of the store "
                   "(results of the others come from <store>.validation/).")
@store_option
def validate_command(data_files: tuple[Path, ...], with_reference: bool, shape_files: tuple[Path, ...], fmt: str,
                     out: Path | None, fail_on: str, changed: bool, store_dir: Path) -> None:
    """Validate RDF data against SHACL shapes (SHACL Core and SHACL-SPARQL).

    Without --data, the built store (with the ontology and reference data); without
    --shapes, the project's shapes (the ontology is then added to --data files). Files are
    read as written, by extension (.ttl, .nt, .jsonld, .rdf, .trig, .nq), relative IRIs
    against each file's location.

    Exit codes: 0 no result at or above --fail-on (default: violation; the report may still
    not conform, e.g. with warnings), 1 such a result, 2 input that cannot be validated
    (missing store or file, malformed RDF, shapes SHACL says must be refused).
    """
    from kg.files import write_atomic
    from kg.validate.incremental import validate_store
    from kg.validate.report import render, summary
    from kg.validate.shacl import validate_files

    if data_files:
        if changed:
            raise click.UsageError("--changed works on the store, not on --data files")
        report = validate_files(data_files, shape_files, with_reference=with_reference)
    else:
        if shape_files:
            raise click.UsageError("--shapes needs --data (the store is validated with the project's shapes)")
        run = validate_store(store_dir, changed=changed)
        report = run.report
        if changed:
            click.echo(f"kg validate: re-checked {run.articles_validated} changed article graph(s)", err=True)
    text = render(report, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text.encode("utf-8"))
        click.echo(f"kg validate: {summary(report)}; report written to {out}")
    if report.fails(fail_on.capitalize()):
        sys.exit(1)


@main.command("reason")
@_data_option
@click.option("--schema-only", is_flag=True, help="Reason over the ontology and reference data only.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def reason_command(data_files: tuple[Path, ...], with_reference: bool, schema_only: bool, fmt: str,
                   store_dir: Path) -> None:
    """Run the OWL reasoner (HermiT, needs Java) on the ontology, reference data and graph.

    Reports consistency, unsatisfiable classes and the types it infers (e.g. vjo:Official).
    Exit codes: 0 consistent, 1 inconsistent or an unsatisfiable class, 2 a usage or input
    error or no Java.
    """
    from kg.store.working import working_graph
    from kg.validate.reason import reason, render_json, render_text

    graph = working_graph(store_dir=None if schema_only else store_dir,
                          data_files=() if schema_only else data_files,
                          with_reference=with_reference or schema_only)
    report = reason(graph)
    click.echo(render_json(report) if fmt == "json" else render_text(report), nl=False)
    if not report.ok:
        sys.exit(1)


@main.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def info_command(fmt: str, store_dir: Path) -> None:
    """Show what the built graph holds: triples, named graphs, articles, instances per class."""
    from kg.query.info import graph_info, render_json, render_text
    from kg.store.store import Store

    info = graph_info(Store(store_dir, read_only=True))
    click.echo(render_json(info) if fmt == "json" else render_text(info), nl=False)


from kg.cli.serve import serve_command  # noqa: E402  (its own module; registered here)

main.add_command(serve_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
