"""Load on `kg serve`: ``python -m bench.serve_load --articles 1000 --clients 100 --seconds 60``.

The synthetic corpus of ``--articles`` articles (:mod:`bench.generate`, cached under
``OUT/corpus-N`` as :mod:`bench.run` keeps it) is built into ``OUT/store-N`` unless already
there; a real `kg serve` process is started on a free loopback port and ``--clients``
concurrent clients send a fixed mix of requests for ``--seconds`` seconds (SPARQL SELECTs,
stored queries with parameters, entity pages as HTML and Turtle, the search).

Each client behaves like one person's browser or one script's HTTP client, not like a tool
built to make a server look good or bad: it has its own connection, kept alive between its
requests (as a browser does), sends its next request as soon as the previous one is answered
(no think time: the harshest closed loop), and gives up on a request after ``--timeout``
seconds (60 s by default: the default of k6 and of nginx's ``proxy_read_timeout``; a browser
waits longer). Nothing is retried, not even a GET on a kept-alive connection the server had
just closed (which a browser would silently resend): every failure is an error, whether a
connection refused or reset, a timeout, or any status but 200 (a 503 "too busy" included).

Printed and written to ``OUT/serve-load-N.json`` (read by :func:`bench.report.serve_load_section`):
requests/s, p50/p95/p99 latency and errors by kind, overall and per route, with the machine's
load average and the server's CPU time. The server's own log goes to ``OUT/serve-load-N.log``.
Timings are reported, never asserted: they depend on the machine's other load.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
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
STATES = ("Japan", "Vietnam", "South Korea", "India", "Australia", "United States", "Singapore", "France")
AGREEMENTS = ("cptpp", "rcep", "ajcep", "vjepa")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Call:
    """One request of the mix: the route it exercises (the figures are kept per route), path,
    query parameters and headers."""

    route: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def requests_mix(persons: list[str]) -> list[Call]:
    """The requests the clients cycle through: SPARQL, stored queries, searches and entity
    pages over several states, persons and years."""
    json_results = {"Accept": "application/sparql-results+json"}
    html = {"Accept": "text/html"}
    mix: list[Call] = []
    for index, person in enumerate(persons):
        state = STATES[index % len(STATES)]
        mix += [
            Call("sparql label", "/sparql", {"query": LABEL}, json_results),
            Call("queries/meetings.json", "/queries/meetings.json", {"a": state, "from": str(2015 + index % 10)}),
            Call("sparql count", "/sparql", {"query": COUNT_MEETINGS}, json_results),
            Call("search", "/search", {"q": person.rsplit("/", 1)[-1].split("-")[0], "format": "json"}),
            Call("person page", f"/id/{person}", {}, html),
            Call("queries/officials.json", "/queries/officials.json", {"country": state}),
            Call("agreement page", f"/id/agreement/{AGREEMENTS[index % len(AGREEMENTS)]}", {}, html),
            Call("person turtle", f"/id/{person}", {}, {"Accept": "text/turtle"}),
        ]
    return mix


@dataclass
class Tally:
    """Latencies (seconds, every request, failed ones included) and errors of one route."""

    latencies: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)  # when each request was sent (monotonic)
    failed: list[str] = field(default_factory=list)  # each request's error kind, "" if none
    errors: Counter[str] = field(default_factory=Counter)


def _kind(exc: httpx.HTTPError) -> str:
    """An error's kind as the report names it: the exception and its cause."""
    cause = exc.__cause__ or exc.__context__
    detail = f"{type(cause).__name__}: {cause}" if cause else str(exc)
    return f"{type(exc).__name__} ({detail[:80]})" if detail else type(exc).__name__


async def _client(url: str, timeout: float, mix: list[Call], offset: int, deadline: float,
                  tallies: dict[str, Tally]) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        index = offset
        while time.monotonic() < deadline:
            call = mix[index % len(mix)]
            index += 1
            tally = tallies[call.route]
            started = time.monotonic()
            kind = ""
            try:
                answer = await client.get(call.path, params=call.params, headers=call.headers)
                if answer.status_code != 200:
                    kind = f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                kind = _kind(exc)
            tally.latencies.append(time.monotonic() - started)
            tally.sent.append(started)
            tally.failed.append(kind)
            if kind:
                tally.errors[kind] += 1


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def figures_of(latencies: list[float], errors: Counter[str], elapsed: float) -> dict[str, Any]:
    """requests, requests/s, p50/p95/p99 (ms) and errors of one set of requests."""
    return {"requests": len(latencies), "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "errors": sum(errors.values()), "error_kinds": dict(errors.most_common())}


async def load(url: str, clients: int, seconds: float, persons: list[str], timeout: float) -> dict[str, Any]:
    """Run the clients against ``url``; the figures, overall and per route."""
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    mix = requests_mix(persons)
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_client(url, timeout, mix, i * 7, deadline, tallies) for i in range(clients)))
    elapsed = time.monotonic() - started
    everything: list[float] = [s for t in tallies.values() for s in t.latencies]
    errors: Counter[str] = Counter()
    for tally in tallies.values():
        errors.update(tally.errors)
    routes = {route: figures_of(t.latencies, t.errors, elapsed) for route, t in sorted(tallies.items())}
    # The second half alone: the first (cold) answers to the mix's distinct requests are
    # mostly behind, the kept answers serve the repeats: a server that has been up a while.
    half = started + seconds / 2
    later = [(latency, kind) for t in tallies.values() for latency, sent, kind in zip(t.latencies, t.sent, t.failed)
             if sent >= half]
    second_half = figures_of([latency for latency, _ in later], Counter(kind for _, kind in later if kind),
                             elapsed - seconds / 2)
    distinct = {(c.path, *sorted(c.params.items()), *sorted(c.headers.items())) for c in mix}
    return {"clients": clients, "seconds": round(elapsed, 1), "client_timeout_s": timeout,
            "distinct_requests": len(distinct), **figures_of(everything, errors, elapsed),
            "second_half": second_half, "routes": routes}


def _some_persons(url: str, count: int = 40) -> list[str]:
    rows = httpx.get(url + "/queries/officials.json", timeout=120).json()
    persons = sorted({row["person"] for row in rows})[:count] or ["https://w3id.org/vjkg/id/state/JP"]
    return [iri.removeprefix("https://w3id.org/vjkg/id/") for iri in persons]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` and its waited-for children (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _server_cpu(pid: int) -> float:
    """CPU seconds of the server and of its query workers still running."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return _cpu_seconds(pid) + sum(_cpu_seconds(int(kid)) for kid in kids)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def print_figures(figures: dict[str, Any]) -> None:
    print(f"kg serve at {figures['articles']} articles, {figures['clients']} clients for {figures['seconds']} s "
          f"(client timeout {figures['client_timeout_s']:g} s): {figures['requests']} requests, "
          f"{figures['requests_per_second']} requests/s, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"p99 {figures['p99_ms']} ms, {figures['errors']} errors {figures['error_kinds'] or ''}"
          f"({figures['distinct_requests']} distinct requests in the mix); CPU: server {figures['server_cpu_s']} s, clients {figures['clients_cpu_s']} s; "
          f"machine load average {figures['machine_load_average']} on {os.cpu_count()} cores")
    half = figures["second_half"]
    print(f"  second half alone (first answers to the mix mostly behind): {half['requests']} requests, "
          f"{half['requests_per_second']} requests/s, p50 {half['p50_ms']} ms, p95 {half['p95_ms']} ms, "
          f"p99 {half['p99_ms']} ms, {half['errors']} errors")
    print(f"  {'route':<24} {'requests':>8} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} errors")
    for route, row in figures["routes"].items():
        kinds = ", ".join(f"{kind}: {count}" for kind, count in row["error_kinds"].items())
        print(f"  {route:<24} {row['requests']:>8} {row['requests_per_second']:>6} {row['p50_ms']:>8} "
              f"{row['p95_ms']:>8} {row['p99_ms']:>8} {row['errors']}{' (' + kinds + ')' if kinds else ''}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="a client's patience with one request (s)")
    parser.add_argument("--persons", type=int, default=40,
                        help="persons whose pages, descriptions and searches the mix covers (more: fewer repeats)")
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
    options.out.mkdir(parents=True, exist_ok=True)
    log = (options.out / f"serve-load-{options.articles}.log").open("wb")
    server = subprocess.Popen(command, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        persons = _some_persons(url, options.persons)
        # Ready: the first entity page waits for the server's one whole-graph answer (the
        # disagreeing figures); the clock starts after it, as for a server already running.
        started = time.monotonic()
        httpx.get(f"{url}/id/{persons[0]}", headers={"Accept": "text/html"}, timeout=600)
        print(f"server ready after a first page of {time.monotonic() - started:.1f} s", flush=True)
        cpu_before, own_before = _server_cpu(server.pid), _own_cpu()
        figures = asyncio.run(load(url, options.clients, options.seconds, persons, options.timeout))
        server_cpu, client_cpu = _server_cpu(server.pid) - cpu_before, _own_cpu() - own_before
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    figures = {"articles": options.articles, "workers": options.workers or max(2, os.cpu_count() or 2),
               "machine_load_average": round(os.getloadavg()[0], 1), "server_cpu_s": round(server_cpu, 1),
               "clients_cpu_s": round(client_cpu, 1),
               **figures}
    (options.out / f"serve-load-{options.articles}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print_figures(figures)


if __name__ == "__main__":
    main()
