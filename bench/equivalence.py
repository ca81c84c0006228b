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
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rdflib import Graph

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


def _multiset(results: list[RawResult]) -> Counter[tuple[object, ...]]:
    """Results as a multiset of every property, messages included (blank nodes as "_:")."""
    return Counter(result_key(r) + (tuple(sorted(map(str, r.messages))),) for r in results)


def compare_store(size: int, shapes: Graph, store: Path) -> dict[str, object]:
    """One built store: the two result multisets, their sizes and times."""
    fast, fast_wall, fast_cpu = _timed(lambda: _multiset(list(validate_store(store).report.raw)))
    graph = working_graph(store_dir=store)
    plain, plain_wall, plain_cpu = _timed(lambda: _multiset(plain_results(graph, shapes)))
    return {"articles": size, "triples": len(graph), "results": sum(fast.values()),
            "plain_results": sum(plain.values()), "equal": fast == plain,
            "only_kg": sum((fast - plain).values()), "only_pyshacl": sum((plain - fast).values()),
            "kg_wall_s": round(fast_wall, 1), "kg_cpu_s": round(fast_cpu, 1),
            "pyshacl_wall_s": round(plain_wall, 1), "pyshacl_cpu_s": round(plain_cpu, 1),
            # What differs, so that a failed comparison can be read without running it again.
            "examples_only_kg": sorted(map(str, (fast - plain).elements()))[:20],
            "examples_only_pyshacl": sorted(map(str, (plain - fast).elements()))[:20]}


def compare(size: int, shapes: Graph, folder: Path) -> dict[str, object]:
    """One size, generated and built in ``folder``."""
    assert generate(["--articles", str(size), "--seed", "0", "--out", str(folder / "corpus")]) == 0
    build([folder / "corpus" / "articles"], Store(folder / "store"), workers=1)
    return compare_store(size, shapes, folder / "store")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100")
    parser.add_argument("--out", type=Path, default=Path("build/bench/equivalence.json"))
    parser.add_argument("--store", type=Path, default=None, help="a built store to compare on (one size)")
    args = parser.parse_args(argv)
    shapes = load_shapes()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        if args.store is not None:
            rows.append(compare_store(size, shapes, args.store))
            print(json.dumps(rows[-1]), flush=True)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            row = compare(size, shapes, Path(tmp))
        rows.append(row)
        print(json.dumps(row), flush=True)
    write_atomic(args.out, (json.dumps(rows, indent=2) + "\n").encode())
    return 0 if all(row["equal"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
