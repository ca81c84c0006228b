"""The long reliability run (`make fuzz`): hostile files, hostile parameters, kills, file order.

usage: python -m bench.fuzz [--files 10000] [--values 1000] [--kills 50] [--articles 200] [--out build/fuzz]

1. A generated corpus of ``--files`` hostile files (empty, binary, Latin-1, UTF-16/32, huge,
   HTML, mixed scripts, control characters, odd names, links, folders, pipes, devices) mixed
   with ``--articles`` real-shaped articles (:mod:`bench.generate`) is built with `kg build`:
   no traceback, every real article built, one stderr line per failure.
2. ``--values`` generated hostile values go through every parameter of every stored query
   and through `kg sparql` (as a query, and pasted into one): the N-Quads export of the
   store hashes the same before and after, no traceback, and a local listener sees no
   connection.
3. ``--kills`` times, `kg build` (fresh or forced over a full store) or `kg export` is
   killed with SIGKILL at a random moment: the store opens, holds whole articles only (each
   article graph as built before or as built anew), no worker survives, no export is half
   written, no temporary file is left after the next run; the final store validates.
4. The real articles built twice, in two file orders and worker counts: byte-identical exports.

A report is printed and written to OUT/report.txt. Exit 0 when every check holds.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from bench.generate import compose

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli.main"]
SCRIPTS = ("Hà Nội – Việt Nam ", "東京で日越首脳会談 ", "مرحبا بالعالم ", "Привет мир ", "שלום ", "🇻🇳🤝🇯🇵 ",
           "\u202eevil\u202c ", "zero\u200bwidth ", "Ａｂｃ ", "ﬁ ligature ")
HTML_PAGE = ("<!DOCTYPE html><html><head><title>{title}</title><script>var x = '<p>';</script></head>"
             "<body><nav><a href='/'>Home</a></nav><h1>{title}</h1>{paragraphs}<footer>(c)</footer></body></html>")


# -- 1. hostile files --------------------------------------------------------------------------

def _real_text(rng: random.Random) -> str:
    return compose(rng.randrange(1_000_000), rng.randrange(1_000_000)).text


def _hostile_bytes(kind: str, rng: random.Random) -> bytes:
    text = _real_text(rng)
    makers: dict[str, Callable[[], bytes]] = {
        "empty": lambda: b"",
        "blank": lambda: b" \n\t\r\n" * rng.randrange(1, 50),
        "binary": lambda: rng.randbytes(rng.randrange(1, 5000)),
        "nul": lambda: text.encode()[:500] + b"\0" + text.encode()[500:],
        "latin1": lambda: ("Hà Nội " + text).encode("latin-1", "replace"),
        "utf16": lambda: text.encode("utf-16"),
        "utf16-no-bom": lambda: text.encode("utf-16-le"),
        "utf32": lambda: text.encode("utf-32"),
        "utf8-bom": lambda: b"\xef\xbb\xbf" + text.encode(),
        "bad-bom": lambda: b"\xff\xfe" + rng.randbytes(rng.randrange(1, 99) * 2 + 1),
        "html": lambda: HTML_PAGE.format(title=text.splitlines()[0], paragraphs="".join(
            f"<p>{line}</p>" for line in text.splitlines()[1:])).encode(),
        "html-empty": lambda: b"<!DOCTYPE html><html><body><script>x()</script></body></html>",
        "mixed-scripts": lambda: " ".join(rng.choice(SCRIPTS) + word for word in text.split()).encode(),
        "controls": lambda: "".join(ch + (chr(rng.randrange(1, 32)) if rng.random() < 0.05 else "")
                                    for ch in text).encode(),
        "long-line": lambda: (" ".join(text.split()) * 12)[:60_000].encode(),
        "truncated-utf8": lambda: "Hà Nội".encode()[:-1],
        "surrogate": lambda: text.encode()[:100] + b"\xed\xa0\x80" + text.encode()[100:],
        "shuffled": lambda: "\n".join(rng.sample(text.splitlines(), len(text.splitlines()))).encode(),
        "brackets": lambda: (text + "\n" + "".join(rng.choice("<>{}[]()\"'\\#%;`|^") for _ in range(2000))).encode(),
        "one-word": lambda: rng.choice(["Japan", "Vietnam", "a", ".", "PM", "2024"]).encode(),
    }
    return makers[kind]()


FILE_KINDS = ("empty", "blank", "binary", "nul", "latin1", "utf16", "utf16-no-bom", "utf32", "utf8-bom",
              "bad-bom", "html", "html-empty", "mixed-scripts", "controls", "long-line", "truncated-utf8",
              "surrogate", "shuffled", "brackets", "one-word")
PATH_KINDS = ("huge", "dangling", "loop", "folder", "fifo", "device", "unreadable", "link-to-article")
NAME_STYLES = ("plain", "space", "hash", "percent", "unicode", "newline", "not-utf8", "long", "dash", "quote")


def _odd_name(index: int, style: str) -> bytes:
    base = f"h{index:06d}"
    names = {
        "plain": base, "space": f"{base} with spaces", "hash": f"{base}#frag?q=1", "percent": f"{base}%20%zz",
        "unicode": f"{base}_Hà_Nội_東京", "newline": f"{base}\nline\ttab", "not-utf8": base + "\udce9\udcff",
        "long": base + "x" * 230, "dash": f"-{base}", "quote": f"{base}\"<'>{{}}|^`\\",
    }
    return os.fsencode(names[style]) + b".txt"


def make_corpus(folder: Path, files: int, articles: int, seed: int) -> tuple[Counter[str], list[str]]:
    """Write the hostile files and the real articles; return the kinds written and the real names."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    kinds: Counter[str] = Counter()
    raw_folder = os.fsencode(folder)
    real = []
    for index in range(articles):
        article = compose(seed, index)
        (folder / article.file_name).write_text(article.text, encoding="utf-8")
        real.append(article.file_name)
    for index in range(files):
        kind = rng.choice(FILE_KINDS + PATH_KINDS)
        path = os.path.join(raw_folder, _odd_name(index, rng.choice(NAME_STYLES)))
        kinds[kind] += 1
        if kind == "huge":
            with open(path, "wb") as out:
                out.truncate(rng.randrange(2_000_001, 60_000_000))  # sparse: costs no disk
        elif kind == "dangling":
            os.symlink(b"nowhere-" + str(index).encode(), path)
        elif kind == "loop":
            os.symlink(os.path.basename(path), path)
        elif kind == "folder":
            os.mkdir(path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "device":
            os.symlink(b"/dev/zero", path)
        elif kind == "link-to-article":
            os.symlink(os.fsencode(real[index % len(real)]) if real else b"x", path)
        elif kind == "unreadable":  # readable all the same when the run is root's
            with open(path, "wb") as out:
                out.write(_real_text(rng).encode())
            os.chmod(path, 0)
        else:
            with open(path, "wb") as out:
                out.write(_hostile_bytes(kind, rng))
    return kinds, real


def article_graphs(store_dir: Path) -> dict[str, set[str]]:
    """Article graph IRI -> its triples, read from a read-only snapshot."""
    store = ox.Store.read_only(str(store_dir))
    out: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode) and "/graph/article/" in quad.graph_name.value:
            out.setdefault(quad.graph_name.value, set()).add(str(quad.triple))
    return out


def fuzz_files(out: Path, files: int, articles: int, seed: int, report: list[str]) -> bool:
    folder = out / "corpus"
    kinds, real = make_corpus(folder, files, articles, seed)
    store_dir = out / "corpus-store"
    started = time.monotonic()
    run = subprocess.run([*KG, "build", "-q", "-j", "2", str(folder), "--store", str(store_dir)],
                         capture_output=True, cwd=ROOT, timeout=6 * 3600)
    took = time.monotonic() - started
    stdout, stderr = run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")
    first = stdout.splitlines()[0] if stdout else ""
    built, failed = (int(first.split()[0]), int(first.split()[2])) if first else (0, 0)
    graphs = article_graphs(store_dir) if store_dir.exists() else {}
    from kg.namespaces import article_graph

    missing = [name for name in real if article_graph(name[:-4]) not in graphs]
    error_lines = [line for line in stderr.splitlines() if line.startswith("kg: error: ")]
    tracebacks = stderr.count("Traceback") + stdout.count("Traceback")
    reasons = Counter(_reason(line) for line in error_lines)
    report += [
        "## 1. hostile files",
        f"files: {files} hostile + {articles} real articles = {files + articles}; kinds: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())),
        f"kg build: exit {run.returncode}, {took:.1f} s; first line: {first}",
        f"tracebacks: {tracebacks}; real articles built: {articles - len(missing)} of {articles}; "
        f"error lines: {len(error_lines)} (failed: {failed})",
        "failure reasons: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()),
    ]
    return (tracebacks == 0 and not missing and run.returncode == 1 and len(error_lines) == failed
            and built + failed == files + articles)


def _reason(line: str) -> str:
    for marker in ("empty", "binary", "not UTF-8", "byte-order mark", "size limit", "symbolic link that loops",
                   "symbolic link to", "is a folder", "not a regular file", "cannot read", "HTML page with no text",
                   "extraction stopped", "extraction failed", "same file name"):
        if marker in line:
            return marker
    return "other"


# -- 2. hostile parameter values ---------------------------------------------------------------

def hostile_values(count: int, url: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    base = [
        '"} ; DROP ALL #', "'} ; CLEAR DEFAULT #", f"> }} LOAD <{url}/x> #", f"}} SERVICE <{url}/s> {{ ?s ?p ?o }} #",
        f"{url}/evil", "http://evil.example/x", "file:///etc/passwd", "vjr:state/JP> } ; DROP ALL #",
        "vjr:../../../etc/passwd", "vjr:state/JP", "vjr:state/XX", "JP", "Japan", "japan", "Viet Nam", "",
        " ", "\n", "\t", "\0", "x" * 100_000, "9" * 100_000, "2024-13-45", "2024-02-30", "yesterday", "-1",
        "1e309", "NaN", "+", "0x10", "99999999999999999999999999", "1.5.5", "%s%s%n", "{0}{1}", "${jndi:x}",
        "<script>alert(1)</script>", "\\u0022 } DROP ALL", "\u202e", "🇻🇳", "東京", "Hà Nội", "?x", "$x",
        "_:b0", "\"quoted\"", "'single'", "a\"b'c", "<http://x/>", "INSERT DATA { <a:a> <a:b> <a:c> }",
        "fdi_registered_capital", "FDI", "fdi registered capital", "vjo:Meeting", "urn:x", "mailto:a@b",
        "javascript:alert(1)", "http://[::1]:80/", "http://127.0.0.1:1/", "vjr:", ":", "a:b", "::::",
    ]
    values = list(base)
    while len(values) < count:
        pick = rng.choice(base)
        mutation = rng.randrange(6)
        if mutation == 0:
            pick = pick + rng.choice(['"', "'", ">", "}", "#", "\\", "\n", " ; DROP ALL"])
        elif mutation == 1:
            pick = "".join(rng.choice([c, c.upper(), c * 2]) for c in pick[:200])
        elif mutation == 2:
            pick = "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randrange(1, 40)))
        elif mutation == 3:
            pick = pick * rng.randrange(2, 50)
        elif mutation == 4:
            pick = f"{url}/{pick[:50]}"
        else:
            pick = "".join(chr(rng.randrange(32, 127)) for _ in range(rng.randrange(1, 80)))
        values.append("".join(c for c in pick if not "\ud800" <= c <= "\udfff"))  # text a user can type
    return values[:count]


def dump_hash(store_dir: Path) -> str:
    store = ox.Store.read_only(str(store_dir))
    lines = sorted((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def fuzz_values(out: Path, values: int, seed: int, report: list[str]) -> bool:
    from click.testing import CliRunner

    from kg.cli.main import main
    from kg.errors import VjkgError
    from kg.query.connect import open_backend
    from kg.query.stored import execute_stored, load_queries, run_sparql

    store_dir = out / "values-store"
    subprocess.run([*KG, "build", "-q", str(ROOT / "seeds"), "--store", str(store_dir)], check=True, cwd=ROOT,
                   capture_output=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.setblocking(False)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    before = dump_hash(store_dir)
    queries = [q for q in load_queries().values() if q.params]
    counts: Counter[str] = Counter()
    tracebacks: list[str] = []
    started = time.monotonic()
    hostile = hostile_values(values, url, seed)
    with open_backend(store=store_dir, timeout=10.0) as backend:
        for value in hostile:
            for query in queries:
                for param in query.params:
                    try:
                        execute_stored(query, {param.name: value}, backend)
                        counts["stored: answered"] += 1
                    except VjkgError:
                        counts["stored: refused with one line"] += 1
                    except Exception as exc:  # noqa: BLE001 - counted: must be none
                        tracebacks.append(f"{query.name}.{param.name}={value[:40]!r}: {type(exc).__name__}: {exc}")
            for text in (value, f'SELECT * WHERE {{ ?s ?p "{value}" }}', f"SELECT * WHERE {{ ?s ?p <{value}> }}",
                         f"ASK {{ {value} }}"):
                try:
                    run_sparql(text, store=store_dir, timeout=10.0)
                    counts["sparql: answered"] += 1
                except VjkgError:
                    counts["sparql: refused with one line"] += 1
                except Exception as exc:  # noqa: BLE001 - counted: must be none
                    tracebacks.append(f"sparql {text[:60]!r}: {type(exc).__name__}: {exc}")
    runner = CliRunner()
    cli_runs = 0
    for value in hostile[: max(20, values // 10)]:  # the command line too, for a share of them
        for args, stdin in ((["sparql", "-", "--store", str(store_dir)], value),
                            (["query", "meetings", "-p", f"a={value}", "--store", str(store_dir)], None)):
            result = runner.invoke(main, args, input=stdin)
            cli_runs += 1
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                tracebacks.append(f"cli {args[0]} {value[:40]!r}: {result.exception!r}")
            if result.exit_code == 2 and len(result.stderr.splitlines()) != 1:
                tracebacks.append(f"cli {args[0]} {value[:40]!r}: {len(result.stderr.splitlines())} error lines")
    took = time.monotonic() - started
    after = dump_hash(store_dir)
    connections = 0
    while True:
        try:
            listener.accept()[0].close()
            connections += 1
        except BlockingIOError:
            break
    params = sum(len(q.params) for q in queries)
    report += [
        "## 2. hostile parameter values",
        f"values: {values} x {params} parameters of {len(queries)} stored queries + 4 `kg sparql` texts each "
        f"+ {cli_runs} CLI runs, {took:.1f} s",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        f"tracebacks: {len(tracebacks)}; store changes: {0 if before == after else 1} "
        f"(N-Quads sha256 {before[:12]} before, {after[:12]} after); connections to the listener: {connections}",
        *tracebacks[:10],
    ]
    return not tracebacks and before == after and connections == 0


# -- 3. kills ----------------------------------------------------------------------------------

def _build(corpus: Path, store_dir: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*KG, "build", "-q", "-j", "2", *extra, str(corpus), "--store", str(store_dir)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _survivors(marker: str) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    count += 1
            except OSError:
                continue
    return count


def fuzz_kills(out: Path, kills: int, articles: int, seed: int, report: list[str]) -> bool:
    rng = random.Random(seed)
    corpus = out / "kill-corpus"
    corpus.mkdir()
    for index in range(articles):
        article = compose(seed + 1, index)
        (corpus / article.file_name).write_text(article.text, encoding="utf-8")
    reference_dir = out / "kill-reference"
    started = time.monotonic()
    subprocess.run([*KG, "build", "-q", "-j", "2", str(corpus), "--store", str(reference_dir)], check=True, cwd=ROOT,
                   capture_output=True)
    build_seconds = time.monotonic() - started
    reference = article_graphs(reference_dir)
    reference_export = subprocess.run([*KG, "export", "--format", "nq", "--store", str(reference_dir)],
                                      capture_output=True, cwd=ROOT, check=True).stdout
    store_dir = out / "kill-store"
    export_file = out / "kill-export.nq"
    broken: list[str] = []
    kinds: Counter[str] = Counter()
    for number in range(kills):
        kind = ("fresh build", "forced build", "export")[number % 3]
        kinds[kind] += 1
        before = article_graphs(store_dir) if store_dir.exists() else {}
        if kind == "fresh build":
            shutil.rmtree(store_dir, ignore_errors=True)
            shutil.rmtree(store_dir.with_name(store_dir.name + ".export"), ignore_errors=True)
            before = {}
            process = _build(corpus, store_dir)
            limit = build_seconds
        elif kind == "forced build":
            process = _build(corpus, store_dir, "--force")
            limit = build_seconds
        else:
            old = export_file.read_bytes() if export_file.exists() else None
            process = subprocess.Popen([*KG, "export", "--format", "nq", "--out", str(export_file),
                                        "--store", str(reference_dir)], cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            limit = 3.0
        time.sleep(rng.uniform(0.2, limit * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.3)
        problem = ""
        if kind == "export":
            now = export_file.read_bytes() if export_file.exists() else None
            if now not in (old, reference_export):
                problem = "the export file is neither the old one nor the new one"
        else:
            if _survivors(str(store_dir)):
                problem = "a worker survived the build"
            try:
                graphs = article_graphs(store_dir)
            except OSError as exc:
                graphs = {}
                problem = f"the store does not open: {exc}"
            lost = set(before) - set(graphs)
            half = [g for g, lines in graphs.items() if lines != reference.get(g) and lines != before.get(g)]
            if lost:
                problem = f"{len(lost)} articles lost"
            if half:
                problem = f"{len(half)} articles not whole"
        if problem:
            broken.append(f"kill {number + 1} ({kind}): {problem}")
    # The next run finishes the work and removes what the killed ones left.
    subprocess.run([*KG, "build", "-q", "-j", "2", str(corpus), "--store", str(store_dir)], cwd=ROOT,
                   capture_output=True)
    subprocess.run([*KG, "export", "--format", "nq", "--out", str(export_file), "--store", str(reference_dir)],
                   cwd=ROOT, capture_output=True)
    leftovers = [p.name for p in out.glob(".kill-export.nq.*.tmp")] + [
        p.name for p in store_dir.with_name(store_dir.name + ".export").glob(".*.tmp")]
    final_same = article_graphs(store_dir) == reference and export_file.read_bytes() == reference_export
    validate = subprocess.run([*KG, "validate", "--store", str(store_dir)], capture_output=True, cwd=ROOT)
    reference_validate = subprocess.run([*KG, "validate", "--store", str(reference_dir)], capture_output=True,
                                        cwd=ROOT)
    validated = (validate.returncode == reference_validate.returncode
                 and b"Traceback" not in validate.stderr + validate.stdout)
    report += [
        "## 3. kill -9",
        f"kills: {kills} (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + f") of builds of "
        f"{articles} articles ({build_seconds:.1f} s each uninterrupted) and exports, at random moments",
        f"stores broken: {len(broken)}; temporary files left after the next run: {len(leftovers)}; "
        f"after the next build the store equals an uninterrupted build: {final_same}; "
        f"validate: exit {validate.returncode} (uninterrupted build: {reference_validate.returncode})",
        *broken,
    ]
    return not broken and not leftovers and final_same and validated


# -- 4. file order -----------------------------------------------------------------------------

def fuzz_order(out: Path, articles: int, seed: int, report: list[str]) -> bool:
    names = [compose(seed + 2, index) for index in range(articles)]
    exports = []
    for number, (order, jobs) in enumerate(((names, "1"), (list(reversed(names)), "2"))):
        folder = out / f"order{number}"
        folder.mkdir()
        for article in order:
            (folder / article.file_name).write_text(article.text, encoding="utf-8")
        store_dir = out / f"order{number}-store"
        subprocess.run([*KG, "build", "-q", "-j", jobs, str(folder), "--store", str(store_dir)], cwd=ROOT,
                       capture_output=True, check=True)
        exports.append([subprocess.run([*KG, "export", "--format", fmt, "--store", str(store_dir)], cwd=ROOT,
                                       capture_output=True, check=True).stdout for fmt in ("nq", "ttl")])
    same = exports[0] == exports[1]
    report += ["## 4. file order", f"two builds of {articles} articles, files written in opposite orders, "
               f"-j 1 and -j 2: N-Quads and Turtle exports byte-identical: {same}"]
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--values", type=int, default=1_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--articles", type=int, default=200, help="real articles in the corpus and the kill runs")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz")
    parser.add_argument("--parts", default="files,values,kills,order",
                        help="which parts to run (comma-separated: files, values, kills, order)")
    args = parser.parse_args(argv)
    parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    report = [f"# make fuzz: files {args.files}, values {args.values}, kills {args.kills}, "
              f"articles {args.articles}, seed {args.seed}; load average {os.getloadavg()[0]:.1f}"]
    started = time.monotonic()
    runs: dict[str, Callable[[], bool]] = {
        "files": lambda: fuzz_files(args.out, args.files, args.articles, args.seed, report),
        "values": lambda: fuzz_values(args.out, args.values, args.seed, report),
        "kills": lambda: fuzz_kills(args.out, args.kills, args.articles, args.seed, report),
        "order": lambda: fuzz_order(args.out, min(args.articles, 50), args.seed, report),
    }
    results = {name: run() for name, run in runs.items() if name in parts}
    verdicts = ", ".join(f"{name} {'ok' if passed else 'FAILED'}" for name, passed in results.items())
    report.append(f"## result: {verdicts}; {time.monotonic() - started:.0f} s in all")
    text = "\n".join(report) + "\n"
    (args.out / "report.txt").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
