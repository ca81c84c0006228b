"""The summary graph's counts (kg/graph/summary.py) equal a direct count of the store."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.graph.build import _count_classes
from kg.files import internal_query
from kg.graph.summary import distinct_triples, write_summary
from kg.graph.summary_mentions import graph_groups, query_groups
from kg.graph.triples import sorted_ntriples
from kg.store.store import Store


def test_distinct_triples_counts_a_triple_held_in_two_graphs_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load_dataset(b"""
<http://e/s> <http://e/p> "x" <http://e/g1> .
<http://e/s> <http://e/p> "x" <http://e/g2> .
<http://e/s> <http://e/p> "y" <http://e/g2> .
<http://e/s> <http://e/q> "x" <http://e/g1> .
<http://e/t> <http://e/p> "x" <http://e/g1> .
_:b <http://e/q> <http://e/s> <http://e/g2> .
""", ox.RdfFormat.N_QUADS)
    direct = next(iter(store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")))
    assert distinct_triples(store) == int(direct["n"].value) == 5


def test_each_agreement_s_article_count_is_on_the_node_sparql_computes(tmp_path: Path) -> None:
    """`agreements` finds an agreement's article count on ``IRI(CONCAT(..., ENCODE_FOR_URI(...)))``:
    the build must write it on that very node, for odd characters in the IRI too."""
    vjo, vjs = "https://w3id.org/vjkg/ontology#", "https://w3id.org/vjkg/summary#"
    store = Store(tmp_path / "store")
    odd = "http://e/agreement/a b~é/x?y=1"
    store.load_dataset(f"""
<http://e/agreement/plain> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{vjo}Agreement> <http://e/ref> .
<{odd.replace(" ", "%20")}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{vjo}Agreement> <http://e/ref> .
<http://e/m1> <{vjo}denotes> <http://e/agreement/plain> <http://e/a1> .
<http://e/m1> <{vjo}inArticle> <http://e/article/1> <http://e/a1> .
<http://e/m2> <{vjo}denotes> <http://e/agreement/plain> <http://e/a1> .
<http://e/m2> <{vjo}inArticle> <http://e/article/1> <http://e/a1> .
<http://e/m3> <{vjo}denotes> <http://e/agreement/plain> <http://e/a2> .
<http://e/m3> <{vjo}inArticle> <http://e/article/2> <http://e/a2> .
""".encode(), ox.RdfFormat.N_QUADS)
    write_summary(store)
    found = {row["agreement"].value: int(row["articles"].value) for row in store.select(f"""
        SELECT ?agreement ?articles WHERE {{
          ?agreement a <{vjo}Agreement> .
          BIND(IRI(CONCAT("https://w3id.org/vjkg/id/summary/articles/", ENCODE_FOR_URI(STR(?agreement)))) AS ?node)
          ?node <{vjs}articles> ?articles }}""")}
    assert found == {"http://e/agreement/plain": 2, odd.replace(" ", "%20"): 0}


def test_write_summary_gives_the_number_of_quads_the_store_then_holds(tmp_path: Path) -> None:
    """The build reports this number instead of counting the store a second time."""
    store = Store(tmp_path / "store")
    store.load_dataset(b"""
<http://e/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/vjkg/ontology#Person> <https://w3id.org/vjkg/graph/article/a> .
<http://e/s> <http://e/p> "x" <https://w3id.org/vjkg/graph/article/a> .
<http://e/s> <http://e/p> "x" <https://w3id.org/vjkg/graph/article/b> .
""", ox.RdfFormat.N_QUADS)
    assert write_summary(store) == len(store) == 3 + 4 + 3  # data, the counts, one class
    assert write_summary(store) == len(store)  # the old summary replaced, not added to


def test_class_counts_count_typed_nodes_of_article_graphs_by_ontology_class(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    type_ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    vjo, article = "https://w3id.org/vjkg/ontology#", "https://w3id.org/vjkg/graph/article/"
    store.load_dataset(f"""
<http://e/p1> {type_} <{vjo}Person> <{article}a> .
<http://e/p1> {type_} <{vjo}Person> <{article}b> .
<http://e/p2> {type_} <{vjo}Person> <{article}b> .
<http://e/m> {type_} <{vjo}Meeting> <{article}b> .
<http://e/m> {type_} <http://e/Other> <{article}b> .
<http://e/p3> {type_} <{vjo}Person> <https://w3id.org/vjkg/graph/reference> .
<http://e/s> {type_} <{vjo}State> <https://w3id.org/vjkg/graph/reference> .
""".encode(), ox.RdfFormat.N_QUADS)
    assert _count_classes(store) == {"Person": 2, "Meeting": 1}


def test_an_organisation_s_labels_are_written_once_on_the_node_sparql_computes(tmp_path: Path) -> None:
    """`facts-organizations` and `facts-agreements` find an entity's labels on
    ``IRI(CONCAT(..., ENCODE_FOR_URI(...)))``: the build writes each distinct label once there,
    however many graphs repeat it, for odd characters in the IRI too (a state is an
    organisation as well: `facts-organizations` leaves states out itself)."""
    vjo, vjs, skos = "https://w3id.org/vjkg/ontology#", "https://w3id.org/vjkg/summary#", "http://www.w3.org/2004/02/skos/core#"
    type_ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    odd = "http://e/org/a%20b~é/x?y=1"
    store = Store(tmp_path / "store")
    store.load_dataset(f"""
<{odd}> {type_} <{vjo}Organization> <http://e/a1> .
<{odd}> <{skos}prefLabel> "Odd" <http://e/a1> .
<{odd}> <{skos}prefLabel> "Odd" <http://e/a2> .
<{odd}> <{skos}altLabel> "O" <http://e/a2> .
<{odd}> <{vjo}fullName> "The Odd" <http://e/a1> .
<http://e/cptpp> {type_} <{vjo}Agreement> <http://e/ref> .
<http://e/cptpp> <{skos}prefLabel> "CPTPP"@en <http://e/ref> .
<http://e/jp> {type_} <{vjo}Organization> <http://e/ref> .
<http://e/jp> {type_} <{vjo}State> <http://e/ref> .
<http://e/jp> <{skos}prefLabel> "Japan" <http://e/ref> .
""".encode(), ox.RdfFormat.N_QUADS)
    write_summary(store)
    found = sorted((row["entity"].value, row["p"].value.removeprefix(vjs), str(row["label"])) for row in store.select("""
        SELECT ?entity ?p ?label WHERE {
          { SELECT DISTINCT ?entity WHERE { ?entity a ?type } }
          BIND(IRI(CONCAT("https://w3id.org/vjkg/id/summary/labels/", ENCODE_FOR_URI(STR(?entity)))) AS ?node)
          GRAPH <https://w3id.org/vjkg/graph/summary> { ?node ?p ?label } }"""))
    assert found == [("http://e/cptpp", "label", '"CPTPP"@en'), ("http://e/jp", "label", '"Japan"'),
                     (odd, "alias", '"O"'), (odd, "alias", '"The Odd"'), (odd, "label", '"Odd"')]


def test_an_agreement_s_parties_names_are_written_once_on_its_labels_node(tmp_path: Path) -> None:
    """`agreements` reads its parties there: the curated ones and those articles state, each
    name once however many articles repeat the membership, a party without a label left out."""
    vjo, vjs, skos = "https://w3id.org/vjkg/ontology#", "https://w3id.org/vjkg/summary#", "http://www.w3.org/2004/02/skos/core#"
    type_ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    store = Store(tmp_path / "store")
    store.load_dataset(f"""
<http://e/rcep> {type_} <{vjo}Agreement> <http://e/ref> .
<http://e/rcep> <{vjo}hasParty> <http://e/vn> <http://e/ref> .
<http://e/vn> <{skos}prefLabel> "Vietnam" <http://e/ref> .
<http://e/jp> <{skos}prefLabel> "Japan" <http://e/ref> .
<http://e/s1> {type_} <{vjo}AgreementMembership> <http://e/a1> .
<http://e/s1> <{vjo}agreement> <http://e/rcep> <http://e/a1> .
<http://e/s1> <{vjo}party> <http://e/jp> <http://e/a1> .
<http://e/s2> {type_} <{vjo}AgreementMembership> <http://e/a2> .
<http://e/s2> <{vjo}agreement> <http://e/rcep> <http://e/a2> .
<http://e/s2> <{vjo}party> <http://e/jp> <http://e/a2> .
<http://e/s2> <{vjo}party> <http://e/unlabelled> <http://e/a2> .
""".encode(), ox.RdfFormat.N_QUADS)
    write_summary(store)
    found = sorted(str(row["name"]) for row in store.select(f"""
        SELECT ?name WHERE {{
          BIND(IRI(CONCAT("https://w3id.org/vjkg/id/summary/labels/", ENCODE_FOR_URI("http://e/rcep"))) AS ?node)
          GRAPH <https://w3id.org/vjkg/graph/summary> {{ ?node <{vjs}party> ?name }} }}"""))
    assert found == ['"Japan"', '"Vietnam"']


def test_articles_mentioning_reads_each_entity_s_mention_groups_from_the_summary(tmp_path: Path) -> None:
    """`articles-mentioning` finds an entity's articles on the summary node its IRI gives (odd
    characters too): per article the number of mentions and the earliest one's offset and text,
    the offsets compared as numbers (9 before 10)."""
    from kg.query.backend import EmbeddedBackend
    from kg.query.stored import execute_stored, load_queries

    vjo, oa = "https://w3id.org/vjkg/ontology#", "http://www.w3.org/ns/oa#"
    odd, other = "http://e/entity/a b~é/x?y=1".replace(" ", "%20"), "http://e/entity/other"
    lines = []
    for name, article, mentions in [("a1", "1.txt", [(10, "Ten", odd), (9, "Nine", odd), (3, "Three", other)]),
                                    ("a2", "2.txt", [(42, "Only", odd)])]:
        graph, source = f"<http://e/graph/{name}>", f"<http://e/article/{name}>"
        lines.append(f'{source} <{vjo}fileName> "{article}" {graph} .')
        for start, text, entity in mentions:
            mention = f"<http://e/{name}/mention/{start}>"
            lines += [f"{mention} <{vjo}denotes> <{entity}> {graph} .", f"{mention} <{vjo}inArticle> {source} {graph} .",
                      f'{mention} <{oa}start> "{start}"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .',
                      f'{mention} <{oa}exact> "{text}" {graph} .']
    store = Store(tmp_path / "store")
    store.load_dataset("\n".join(lines).encode(), ox.RdfFormat.N_QUADS)
    write_summary(store)
    groups = store.select(f"""SELECT ?entity (COUNT(?group) AS ?n) WHERE {{
          VALUES ?entity {{ <{odd}> <{other}> }}
          BIND(IRI(CONCAT("https://w3id.org/vjkg/id/summary/mentions/", ENCODE_FOR_URI(STR(?entity)))) AS ?node)
          GRAPH <https://w3id.org/vjkg/graph/summary> {{ ?node <https://w3id.org/vjkg/summary#mentionedIn> ?group }}
        }} GROUP BY ?entity""")
    assert {row["entity"].value: int(row["n"].value) for row in groups} == {odd: 2, other: 1}
    rows = execute_stored(load_queries()["articles-mentioning"], {"entity": odd}, EmbeddedBackend(store)).rows
    assert [(r["article"], r["mentions"], r["first_offset"], r["first_text"]) for r in rows] == [
        ("1.txt", 2, 9, "Nine"), ("2.txt", 1, 42, "Only")]


def test_shared_agreements_reads_each_party_s_membership_files_from_the_summary(tmp_path: Path) -> None:
    """`shared-agreements` reads the files stating a party's membership from the summary's node
    of the agreement and party (odd characters in the IRIs too): each file once, of either
    state, and none of a third state's statements."""
    from kg.query.backend import EmbeddedBackend
    from kg.query.stored import execute_stored, load_queries

    vjo, vjs = "https://w3id.org/vjkg/ontology#", "https://w3id.org/vjkg/summary#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    odd = "http://e/agreement/a b~é/x?y=1".replace(" ", "%20")
    vn, jp, kr = "http://e/state/VN", "http://e/state/JP", "http://e/state/K R".replace(" ", "%20")
    lines = [f"<{odd}> <{rdf}> <{vjo}Agreement> <http://e/ref> .",
             f'<{odd}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Odd" <http://e/ref> .',
             f"<{odd}> <{vjo}hasParty> <{vn}> <http://e/ref> ."]
    for state, label in ((vn, "Vietnam"), (jp, "Japan"), (kr, "Korea")):
        lines += [f"<{state}> <{rdf}> <{vjo}State> <http://e/ref> .",
                  f'<{state}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{label}" <http://e/ref> .']
    for name, party in [("a1", jp), ("a1", vn), ("a2", jp), ("a3", kr)]:
        graph, source, statement = f"<http://e/graph/{name}>", f"<http://e/article/{name}>", f"<http://e/{name}/{party[-2:]}>"
        lines += [f'{source} <{vjo}fileName> "{name}.txt" {graph} .',
                  f"{statement} <{rdf}> <{vjo}AgreementMembership> {graph} .",
                  f"{statement} <{vjo}agreement> <{odd}> {graph} .", f"{statement} <{vjo}party> <{party}> {graph} .",
                  f"{statement} <{vjo}reportedBy> {source} {graph} ."]
    store = Store(tmp_path / "store")
    store.load_dataset("\n".join(lines).encode(), ox.RdfFormat.N_QUADS)
    write_summary(store)
    rows = execute_stored(load_queries()["shared-agreements"], {"a": "Vietnam", "b": "Japan"}, EmbeddedBackend(store)).rows
    assert [(r["agreement"], r["basis_a"], r["basis_b"], r["articles"]) for r in rows] == [
        (odd, ["reference", "text"], ["text"], ["a1.txt", "a2.txt"])]
    found = sorted(str(row["file"]) for row in store.select(f"""
        SELECT ?file WHERE {{ GRAPH <https://w3id.org/vjkg/graph/summary> {{
          ?stated <{vjs}statedAgreement> "{odd}" ; <{vjs}statedParty> "{kr}" ; <{vjs}file> ?file }} }}"""))
    assert found == ['"a3.txt"']


def test_the_workers_mention_groups_are_the_query_s_for_odd_graphs_too(tmp_path: Path) -> None:
    """:func:`graph_groups` (the build's workers) gives the rows of
    ``summary-mentioning-articles.rq`` over the stored graph: ties on the first offset, a
    mention with two texts, escaped and non-ASCII text, offsets of different lengths, an
    entity that is a blank node, a mention with no text (left out)."""
    vjo, oa, xsd = "https://w3id.org/vjkg/ontology#", "http://www.w3.org/ns/oa#", "http://www.w3.org/2001/XMLSchema#"
    a, e = "http://e/article", "http://e/entity"

    def mention(name: str, entity: str, start: int, *texts: str) -> str:
        lines = [f"<http://e/m/{name}> <{vjo}denotes> {entity} .", f"<http://e/m/{name}> <{vjo}inArticle> <{a}> .",
                 f'<http://e/m/{name}> <{oa}start> "{start}"^^<{xsd}integer> .']
        return "\n".join(lines + [f"<http://e/m/{name}> <{oa}exact> {text} ." for text in texts])

    data = "\n".join([
        f'<{a}> <{vjo}fileName> "a \\"1\\".txt" .',
        mention("1", f"<{e}/1>", 120, '"Nh\\u1EADt \\"B\\u1EA3n\\"\\nline"'),
        mention("2", f"<{e}/1>", 9, '"zeta"', '"alpha"'),
        mention("3", f"<{e}/1>", 9, '"beta"'),
        mention("4", f"<{e}/2>", 1000, '"x"@en'),
        mention("5", "_:b", 3, '"blank"'),
        mention("6", f"<{e}/3>", 4),
    ]) + "\n"
    store = Store(tmp_path / "store")
    store.load_graph("http://e/graph", data.encode())
    queried = sorted(query_groups(store.select(internal_query("summary-mentioning-articles"))))
    lines, triples = sorted_ntriples(quad.triple for quad in store.quads("http://e/graph"))
    assert sorted(graph_groups(lines, triples)) == queried
    assert [group[3:] for group in queried][:1] == [
        (f'"3"^^<{xsd}integer>', f'"9"^^<{xsd}integer>', '"alpha"')]
    assert len(queried) == 2
