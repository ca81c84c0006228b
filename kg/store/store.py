"""The embedded, persistent Oxigraph store that holds the built graph.

Each article lives in its own named graph (``vjg:article/{stem}``), the ontology and the
reference data in theirs, so one article can be rebuilt or dropped alone. Queries see the
union of all graphs as their default graph.

Every write is one transaction: a graph is replaced by one SPARQL update that drops it and
inserts its new triples, new graphs come in by one transactional load. A process killed
while writing leaves each graph as it was or as it became, never half of one. Oxigraph's
bulk loader is faster but not atomic, so it only fills a new store beside this one, which
replaces it whole (:mod:`kg.store.staging`). One process at a time may open a store for
writing (:mod:`kg.store.lock`); readers open snapshots.
"""
from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import QueryError, StoreError
from kg.store.exchange import exchange
from kg.store.folders import export_pieces_dir
from kg.store.lock import StoreLock
from kg.store.pieces import ARTICLE_PREFIX, drop_pieces, save_pieces
from kg.store.result_cache import ResultCache, store_state

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def replace_graphs_in(store: ox.Store, graphs: Mapping[str, bytes], drop: Iterable[str] = ()) -> None:
    """In one transaction of ``store``: drop the graphs ``drop`` and every graph of ``graphs``,
    and fill each of the latter with its N-Triples."""
    names = sorted(set(drop) | set(graphs))
    if not names:
        return
    dropped = "".join(f"DROP SILENT GRAPH {ox.NamedNode(name)} ;\n" for name in names)
    inserted = b"".join(b"GRAPH <" + name.encode() + b"> {\n" + data + b"\n}\n"
                        for name, data in sorted(graphs.items()) if data.strip())
    update = dropped + ("INSERT DATA {\n" + inserted.decode("utf-8") + "}" if inserted else "")
    try:
        store.update(update.rstrip().rstrip(";"))
    except SyntaxError as exc:
        raise StoreError(f"cannot write graphs {', '.join(names[:3])}...: {exc}") from exc


class Store:
    """A small interface over a persistent pyoxigraph store in a folder."""

    def __init__(self, location: Path, *, must_exist: bool = False, read_only: bool = False,
                 doing: str = "kg build", wait: float = 0.0) -> None:
        """Open (or create) the store in ``location``.

        ``read_only`` opens a snapshot without taking the folder's lock, so queries and exports
        run while another process (or this one) holds the store open for writing. A writer
        takes the store's lock first (:class:`~kg.store.lock.StoreLock`; ``doing`` is what
        another writer is told, ``wait`` how long to wait for one to finish).
        """
        self.location = Path(location)
        if (must_exist or read_only) and not self.location.exists():
            raise StoreError(f"{self.location}: no graph has been built here yet (run `kg build`)")
        self._lock = None if read_only else StoreLock(self.location, doing, wait=wait)
        try:
            self.location.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.close()
            raise StoreError(f"{self.location}: cannot create the store folder ({exc.strerror})") from None
        # Taken before the snapshot opens, so answers are never filed under a later state.
        self.state = store_state(self.location) if read_only else None
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.location))
            else:
                self._store = ox.Store(str(self.location))
        except OSError as exc:
            self.close()
            detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            if "lock" in detail.lower():
                detail = "another program (an Oxigraph server?) has it open for writing"
            raise StoreError(f"{self.location}: cannot open the store: {detail}") from None

    def close(self) -> None:
        """Close the store's files and release the write lock; the object is unusable after."""
        if hasattr(self, "_store"):
            del self._store  # Oxigraph closes the store when its last reference goes
        if getattr(self, "_lock", None) is not None:
            self._lock.release()  # type: ignore[union-attr]
            self._lock = None

    @property
    def export_cache(self) -> Path:
        """Where each article graph's export pieces are kept (:mod:`kg.store.pieces`): next
        to the store folder, like the validation cache, never inside Oxigraph's own files."""
        return export_pieces_dir(self.location)

    def result_cache(self) -> ResultCache | None:
        """The answers kept for this snapshot's state (:mod:`kg.store.result_cache`); ``None`` for a
        writable store, whose state moves under its own feet."""
        return ResultCache(self.location, self.state) if self.state else None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for the modules that need its full API."""
        return self._store

    def replace_graph(self, graph_iri: str, graph: Graph) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``graph``; return their count."""
        self.replace_graph_ntriples(graph_iri, graph.serialize(format="nt", encoding="utf-8"))
        return len(graph)

    def replace_graph_ntriples(self, graph_iri: str, data: bytes) -> None:
        """Replace the named graph ``graph_iri`` by N-Triples ``data`` (the build's fast path).

        An article graph's export pieces are written too, from the graph as stored.
        """
        drop_pieces(self.export_cache, graph_iri)
        self.replace_graphs({graph_iri: data})
        self._write_export_pieces(graph_iri)

    def swap_folder(self, folder: Path) -> None:
        """Put the closed store in ``folder`` (beside this one) in this store's place with one
        atomic exchange, and reopen; the old store's files are left in ``folder``.

        Oxigraph writes by path, so this store is closed first: no file of it can be written
        after the exchange.
        """
        if self._lock is None:
            raise StoreError(f"{self.location}: a read-only store cannot be replaced")
        del self._store
        gc.collect()  # the last reference goes, and with it RocksDB's open files
        try:
            exchange(Path(folder), self.location)
        finally:
            self._store = ox.Store(str(self.location))

    def replace_graphs(self, graphs: Mapping[str, bytes], drop: Iterable[str] = ()) -> None:
        """In one transaction: drop the graphs ``drop`` and every graph of ``graphs``, and fill
        each of the latter with its N-Triples. A kill leaves all as they were or all new."""
        replace_graphs_in(self._store, graphs, drop)

    def _write_export_pieces(self, graph_iri: str) -> None:
        if not graph_iri.startswith(ARTICLE_PREFIX):
            return
        save_pieces(self.export_cache, graph_iri, self.graph_lines(graph_iri))

    def graph_lines(self, graph_iri: str) -> list[bytes]:
        """The graph's sorted, distinct N-Triples lines, as its export pieces are made from
        (blank nodes under the store's own labels)."""
        return sorted({line for line in self.dump_graph(graph_iri).split(b"\n") if line})

    def remove_graph(self, graph_iri: str) -> None:
        """Drop one named graph (and its export pieces) with Oxigraph's own call: a SPARQL
        ``DROP`` of the summary graph at 10,000 articles (425,000 triples) held 570 MB more."""
        drop_pieces(self.export_cache, graph_iri)
        self._store.remove_graph(ox.NamedNode(graph_iri))

    def load_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Add the N-Triples ``ntriples`` to the graph ``graph_iri`` in one transaction, with
        Oxigraph's loader: the same as an ``INSERT DATA``, whose SPARQL parse held 1.1 GB more
        for the summary graph at 10,000 articles (280 MB this way)."""
        self._store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))

    def add_nquads(self, data: bytes) -> None:
        """Add N-Quads ``data`` whose graphs are not in the store, in one transaction (the
        build's batches of new articles). The caller writes their export pieces (the build
        does, in its workers)."""
        self._store.load(data, format=ox.RdfFormat.N_QUADS)

    def drop_graph(self, graph_iri: str) -> None:
        self.drop_graphs([graph_iri])

    def drop_graphs(self, graph_iris: Iterable[str]) -> None:
        """Drop the named graphs (and their export pieces) in one transaction."""
        graph_iris = list(graph_iris)
        for graph_iri in graph_iris:
            drop_pieces(self.export_cache, graph_iri)
        self.replace_graphs({}, graph_iris)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
              ) -> QueryResult:
        """Run a read-only query over the union of all graphs, with variables bound as terms.

        Bindings go through Oxigraph's ``substitutions`` (SEP-0007), never through the text,
        so a value can not change the query. Updates do not parse as queries and are refused.
        """
        bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term for name, term in (substitutions or {}).items()}
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, substitutions=bound)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: storage changed under a reader
            raise StoreError(f"{self.location}: cannot read the store: {exc}") from exc

    def select(self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
               ) -> ox.QuerySolutions:
        """The solutions of a SELECT query (see :meth:`query`)."""
        result = self.query(sparql, substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return result

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of the named graph ``graph_iri``, or of every graph when ``None``."""
        graph = ox.NamedNode(graph_iri) if graph_iri is not None else None
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump_graph(self, graph_iri: str, rdf_format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        """One named graph serialised (unsorted; :mod:`kg.export.serialise` sorts for stable files)."""
        return self._store.dump(format=rdf_format, from_graph=ox.NamedNode(graph_iri)) or b""

    def load_dataset(self, data: bytes, rdf_format: ox.RdfFormat = ox.RdfFormat.TRIG) -> None:
        """Add quads from TriG or N-Quads ``data`` (fixtures, restores), keeping their graphs."""
        drop_pieces(self.export_cache)
        try:
            self._store.load(data, format=rdf_format)
        except SyntaxError as exc:
            raise StoreError(f"cannot load the dataset: {exc}") from exc

    def flush(self) -> None:
        self._store.flush()
