"""`kg serve`: the graph on the web (kg/serve), read-only, until interrupted."""
from __future__ import annotations

from pathlib import Path

import click

from kg.files import DEFAULT_STORE

# How long an idle kept-alive connection stays open. Longer than HTTP clients keep theirs
# (httpx, requests' urllib3 pools: 5 s; browsers: a minute or more), so the client is the
# one that closes it: with uvicorn's default of 5 s, a client reusing a connection just as
# the server dropped it (or while a busy server had not yet read its request) gets a reset.
# nginx's default, for the same reason.
KEEP_ALIVE_SECONDS = 75


@click.command("serve")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_STORE,
              show_default=True, help="Folder of the embedded Oxigraph store (built by `kg build`).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Time limit of one query, in seconds; past it the answer is 503.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Query worker processes (default: one per core, at least 2).")
def serve_command(store_dir: Path, host: str, port: int, timeout: float, workers: int | None) -> None:
    """Serve the graph: SPARQL at /sparql, stored queries at /queries, entity pages at /id/..."""
    import uvicorn

    from kg.serve.app import create_app

    app = create_app(store_dir, timeout=timeout, workers=workers)
    click.echo(f"kg: serving {store_dir} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    # On Ctrl-C or SIGTERM, requests still running get 2 s, then the workers are stopped.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
