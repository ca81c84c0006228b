"""Load on `kg serve`: ``python -m bench.serve_load --articles 1000 --clients 100 --seconds 60``.

The synthetic corpus of ``--articles`` articles (:mod:`bench.generate`, cached under
``OUT/corpus-N`` as :mod:`bench.run` keeps it) is built into ``OUT/store-N`` unless already
there; a real `kg serve` process is started on a free loopback port and ``--clients``
concurrent httpx clients send a fixed mix of requests for ``--seconds`` seconds (SPARQL
SELECTs, stored queries with parameters, entity pages, the search). Printed and written to
``OUT/serve-load-N.json``: requests/s, p50/p95/p99 latency, errors by kind. Timings are
reported, never asserted: they depend on the machine's other load.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.run import corpus

KG = Path(sys.executable).with_name("kg")
LABEL = ("SELECT ?label WHERE { <https://w3id.org/vjkg/id/state/JP> "
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")
COUNT_MEETINGS = ("PREFIX vjo: <https://w3id.org/vjkg/ontology#> "
                  "SELECT (COUNT(?m) AS ?n) WHERE { ?m a vjo:Meeting ; vjo:participatingState "
                  "<https://w3id.org/vjkg/id/state/JP> }")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


STATES = ("Japan", "Vietnam", "South Korea", "India", "Australia", "United States", "Singapore", "France")
AGREEMENTS = ("cptpp", "rcep", "ajcep", "vjepa")


def requests_mix(persons: list[str]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(path, query parameters, headers) of the requests the clients cycle through: SPARQL,
    stored queries, searches and entity pages over several states, persons and years."""
    json_results = {"Accept": "application/sparql-results+json"}
    html = {"Accept": "text/html"}
    mix: list[tuple[str, dict[str, str], dict[str, str]]] = []
    for index, person in enumerate(persons):
        state = STATES[index % len(STATES)]
        mix += [
            ("/sparql", {"query": LABEL}, json_results),
            ("/queries/meetings.json", {"a": state, "from": str(2015 + index % 10)}, {}),
            ("/sparql", {"query": COUNT_MEETINGS}, json_results),
            ("/search", {"q": person.rsplit("/", 1)[-1].split("-")[0], "format": "json"}, {}),
            (f"/id/{person}", {}, html),
            ("/queries/officials.json", {"country": state}, {}),
            (f"/id/agreement/{AGREEMENTS[index % len(AGREEMENTS)]}", {}, html),
            (f"/id/{person}", {}, {"Accept": "text/turtle"}),
        ]
    return mix


async def _client(client: httpx.AsyncClient, mix: list[tuple[str, dict[str, str], dict[str, str]]], offset: int,
                  deadline: float, latencies: list[float], errors: Counter[str]) -> None:
    index = offset
    while time.monotonic() < deadline:
        path, params, headers = mix[index % len(mix)]
        index += 1
        started = time.monotonic()
        try:
            answer = await client.get(path, params=params, headers=headers)
            if answer.status_code != 200:
                errors[f"HTTP {answer.status_code} {path}"] += 1
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1
        latencies.append(time.monotonic() - started)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def load(url: str, clients: int, seconds: float, persons: list[str]) -> dict[str, Any]:
    """Run the clients against ``url``; the figures."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    mix = requests_mix(persons)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_client(client, mix, i * 7, deadline, latencies, errors) for i in range(clients)))
        elapsed = time.monotonic() - started
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "errors": sum(errors.values()), "error_kinds": dict(errors.most_common())}


def _some_persons(url: str, count: int = 40) -> list[str]:
    rows = httpx.get(url + "/queries/officials.json", timeout=120).json()
    persons = sorted({row["person"] for row in rows})[:count] or ["https://w3id.org/vjkg/id/state/JP"]
    return [iri.removeprefix("https://w3id.org/vjkg/id/") for iri in persons]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None, help="kg serve's query workers")
    parser.add_argument("--out", type=Path, default=Path("build/bench"))
    options = parser.parse_args(argv)
    articles = corpus(options.out, options.articles, options.seed) / "articles"
    store = options.out / f"store-{options.articles}"
    if not store.is_dir():
        subprocess.run([str(KG), "build", str(articles), "--store", str(store), "-q"], check=True)
    port = _free_port()
    command = [str(KG), "serve", "--store", str(store), "--port", str(port)]
    if options.workers:
        command += ["--workers", str(options.workers)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        persons = _some_persons(url)
        # Ready: the first entity page waits for the server's one whole-graph answer (the
        # disagreeing figures); the clock starts after it, as for a server already running.
        started = time.monotonic()
        httpx.get(f"{url}/id/{persons[0]}", headers={"Accept": "text/html"}, timeout=600)
        print(f"server ready after a first page of {time.monotonic() - started:.1f} s", flush=True)
        figures = asyncio.run(load(url, options.clients, options.seconds, persons))
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
    figures = {"articles": options.articles, "workers": options.workers or max(2, os.cpu_count() or 2),
               "machine_load_average": round(os.getloadavg()[0], 1), **figures}
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / f"serve-load-{options.articles}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"kg serve at {options.articles} articles, {figures['clients']} clients for {figures['seconds']} s: "
          f"{figures['requests_per_second']} requests/s, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"p99 {figures['p99_ms']} ms, {figures['errors']} errors {figures['error_kinds'] or ''} "
          f"(machine load average {figures['machine_load_average']} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
