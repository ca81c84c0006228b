"""A real `kg serve` process for the tests: on 127.0.0.1 and a free port, stopped by its pid."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

KG = Path(sys.executable).with_name("kg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_store(articles: Path, store: Path) -> Path:
    """`kg build` of ``articles`` into ``store`` (the real command, in its own process)."""
    subprocess.run([str(KG), "build", str(articles), "--store", str(store), "-q"], check=True,
                   capture_output=True, timeout=600)
    return store


@contextmanager
def running_server(store: Path, *args: str) -> Iterator[str]:
    """`kg serve --store STORE ARGS` until the block ends; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([str(KG), "serve", "--store", str(store), "--port", str(port), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited with {process.returncode}: {process.stderr.read().decode()}")
            try:
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kg serve did not answer within 60 s")
            time.sleep(0.1)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if process.stderr:
            process.stderr.close()
