"""Validation equals one plain pySHACL call, as a multiset, at the sizes of the benchmark.

    python -m bench.equivalence --sizes 100,1000 [--out build/bench/equivalence.json]

For each size: generate that many articles (bench.generate, seed 0), build them, run the
project's validation of the store as ``kg validate`` does (``validate_store``: SHACL Core
compiled to SPARQL on the store, :mod:`kg.validate.compiled`, where the shapes allow) and one
plain pySHACL call on the same graph (the store's union with the ontology, as
``working_graph`` gathers it), and compare the results as multisets, messages included.
Prints the counts and the CPU and wall time of each side; exits 1 when any size differs.
Plain pySHACL is slow (minutes at 100 articles), which is why this lives in the benchmark and
not in the unit tests. ``--store DIR`` reuses a built store instead of generating one.

``--parse-once`` runs the same pySHACL call with each SPARQL text parsed once: pySHACL sends
the text of a SPARQL constraint to rdflib once per focus node, and rdflib parses it again each
time (pyparsing: 90 % of pySHACL's time on the project's shapes, 179 s of CPU on 25 articles,
two hours at 1,000). The flag keeps the parsed query, as rdflib's own ``prepareQuery`` does,
and leaves evaluation, bindings and pySHACL untouched. ``--check-parse-once`` runs both
and says whether their results are equal as a multiset, which is how the flag is trusted at
a size where the unmodified call cannot finish.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph, plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

from bench.generate import main as generate
from kg.files import write_atomic
from kg.graph.build import build
from kg.store.store import Store
from kg.store.working import working_graph
from kg.validate.incremental import validate_store
from kg.validate.results import RawResult, result_key
from kg.validate.shacl import load_shapes, plain_results

T = TypeVar("T")


def _timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


class _ParsedOnce(SPARQLProcessor):
    """rdflib's SPARQL processor, keeping each (text, base, namespaces) it has translated."""

    parsed: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}

    def query(self, strOrQuery: str | Query,  # type: ignore[override]  # noqa: N803
              initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
              initNs: Mapping[str, Any] | None = None, base: str | None = None,  # noqa: N803
              DEBUG: bool = False) -> Mapping[str, Any]:  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in self.parsed:
                self.parsed[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = self.parsed[key]
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def queries_parsed_once() -> Iterator[None]:
    """Inside, rdflib's "sparql" processor parses each query text once (see the module's
    docstring); rdflib's own processor is registered again on the way out."""
    plugin.register("sparql", Processor, __name__, _ParsedOnce.__name__)
    try:
        yield
    finally:
        _ParsedOnce.parsed.clear()
        plugin.register("sparql", Processor, "rdflib.plugins.sparql.processor", SPARQLProcessor.__name__)


def _pyshacl(graph: ox.Store | Graph, shapes: Graph, parse_once: bool) -> tuple[Counter[tuple[object, ...]], float, float]:
    with queries_parsed_once() if parse_once else nullcontext():
        return _timed(lambda: _multiset(plain_results(graph, shapes)))


def _multiset(results: list[RawResult]) -> Counter[tuple[object, ...]]:
    """Results as a multiset of every property, messages included (blank nodes as "_:")."""
    return Counter(result_key(r) + (tuple(sorted(map(str, r.messages))),) for r in results)


def compare_store(size: int, shapes: Graph, store: Path, *, parse_once: bool = False,
                  check_parse_once: bool = False) -> dict[str, object]:
    """One built store: the two result multisets, their sizes and times."""
    fast, fast_wall, fast_cpu = _timed(lambda: _multiset(list(validate_store(store).report.raw)))
    graph = working_graph(store_dir=store)
    plain, plain_wall, plain_cpu = _pyshacl(graph, shapes, parse_once or check_parse_once)
    checked: dict[str, object] = {}
    if check_parse_once:
        unmodified, wall, cpu = _pyshacl(graph, shapes, False)
        checked = {"parse_once_equals_unmodified": unmodified == plain,
                   "unmodified_pyshacl_wall_s": round(wall, 1), "unmodified_pyshacl_cpu_s": round(cpu, 1)}
    return {"articles": size, "pyshacl_parse_once": parse_once or check_parse_once, **checked,
            "triples": len(graph), "results": sum(fast.values()),
            "plain_results": sum(plain.values()), "equal": fast == plain,
            "only_kg": sum((fast - plain).values()), "only_pyshacl": sum((plain - fast).values()),
            "kg_wall_s": round(fast_wall, 1), "kg_cpu_s": round(fast_cpu, 1),
            "pyshacl_wall_s": round(plain_wall, 1), "pyshacl_cpu_s": round(plain_cpu, 1),
            # What differs, so that a failed comparison can be read without running it again.
            "examples_only_kg": sorted(map(str, (fast - plain).elements()))[:20],
            "examples_only_pyshacl": sorted(map(str, (plain - fast).elements()))[:20]}


def compare(size: int, shapes: Graph, folder: Path, **options: bool) -> dict[str, object]:
    """One size, generated and built in ``folder``."""
    assert generate(["--articles", str(size), "--seed", "0", "--out", str(folder / "corpus")]) == 0
    build([folder / "corpus" / "articles"], Store(folder / "store"), workers=1)
    return compare_store(size, shapes, folder / "store", **options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100")
    parser.add_argument("--out", type=Path, default=Path("build/bench/equivalence.json"))
    parser.add_argument("--store", type=Path, default=None, help="a built store to compare on (one size)")
    parser.add_argument("--parse-once", action="store_true",
                        help="pySHACL with each SPARQL text parsed once (see above)")
    parser.add_argument("--check-parse-once", action="store_true",
                        help="also run unmodified pySHACL and compare it with --parse-once")
    args = parser.parse_args(argv)
    options = {"parse_once": args.parse_once, "check_parse_once": args.check_parse_once}
    shapes = load_shapes()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        if args.store is not None:
            rows.append(compare_store(size, shapes, args.store, **options))
            print(json.dumps(rows[-1]), flush=True)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            row = compare(size, shapes, Path(tmp), **options)
        rows.append(row)
        print(json.dumps(row), flush=True)
    write_atomic(args.out, (json.dumps(rows, indent=2) + "\n").encode())
    return 0 if all(row["equal"] and row.get("parse_once_equals_unmodified", True) for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
