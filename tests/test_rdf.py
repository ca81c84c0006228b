"""The RDF builder on hand-made facts: IRIs, datatypes and provenance follow the contract."""
from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.model import (
    Article,
    ArticleFacts,
    EntityMention,
    Figure,
    Meeting,
    PartialDate,
    Partnership,
    Person,
    PostHolding,
    Sentence,
    Span,
    person_key,
)
from kg.namespaces import OA, ORG, VJO, VJR
from kg.graph.triples import article_graph

TEXT = (
    "Talks in Seoul\n"
    "President Lee Min-ho received Foreign Minister Tran Van An in Seoul on May 3, 2025. "
    "Korean investment in Vietnam reached nearly US$86 billion."
)


def span(text: str, start_at: int = 0) -> Span:
    start = TEXT.index(text, start_at)
    return Span(start, start + len(text), text)


def make_facts() -> ArticleFacts:
    title = span("Talks in Seoul")
    s1 = span("President Lee Min-ho received Foreign Minister Tran Van An in Seoul on May 3, 2025.")
    s2 = span("Korean investment in Vietnam reached nearly US$86 billion.")
    article = Article(
        file_name="900_example.txt",
        text=TEXT,
        content_hash="sha256:00ff",
        sentences=(Sentence(0, title), Sentence(1, s1), Sentence(2, s2)),
        title=title,
        published=PartialDate("2025-05-04"),
    )
    lee, tran = person_key("Lee Min-ho"), person_key("Tran Van An")
    return ArticleFacts(
        article=article,
        mentions=[EntityMention("state", "KR", span("Korean"), 2),
                  EntityMention("place", "seoul", span("Seoul", s1.start), 1)],
        persons=[Person(lee, "Lee Min-ho", state="KR", mentions=(span("President Lee Min-ho"),)),
                 Person(tran, "Tran Van An", state="VN",
                        mentions=(span("Foreign Minister Tran Van An"),))],
        holdings=[PostHolding(tran, "Foreign Minister", "minister-of-foreign-affairs", "VN",
                              False, span("Foreign Minister Tran Van An")),
                  PostHolding(lee, "President", None, "KR", False, span("President Lee Min-ho"))],
        meetings=[Meeting("reception", (lee, tran), ("KR", "VN"), "held", s1,
                          date=PartialDate("2025-05-03"), place="seoul")],
        figures=[Figure("fdi_registered_capital", Decimal("86000000000"), "USD", s2,
                        from_state="KR", to_state="VN", approximation="nearly")],
        partnerships=[Partnership(("KR", "VN"), "comprehensive-strategic-partnership",
                                  "Comprehensive Strategic Partnership", s2,
                                  date=PartialDate("2022"))],
        actor_states=["VN", "KR", "VN"],
    )


def test_every_mention_quotes_the_text_at_its_offsets() -> None:
    graph = article_graph(make_facts())
    mentions = set(graph.subjects(RDF.type, VJO.Mention))
    assert len(mentions) >= 6
    for mention in mentions:
        start = int(graph.value(mention, OA.start))
        end = int(graph.value(mention, OA.end))
        assert str(graph.value(mention, OA.exact)) == TEXT[start:end]


def test_every_fact_is_derived_from_a_mention_in_a_sentence() -> None:
    graph = article_graph(make_facts())
    for cls in (VJO.PostHolding, VJO.Meeting, VJO.Observation, VJO.PartnershipStatement):
        nodes = list(graph.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            mention = graph.value(node, PROV.wasDerivedFrom)
            assert (mention, RDF.type, VJO.Mention) in graph
            assert graph.value(mention, VJO.inSentence) is not None


def test_iris_and_datatypes_follow_the_contract() -> None:
    graph = article_graph(make_facts())
    meeting = VJR[f"meeting/900_example/{TEXT.index('President')}"]
    assert (meeting, VJO.date, Literal("2025-05-03", datatype=XSD.date)) in graph
    assert (meeting, VJO.place, VJR["place/seoul"]) in graph
    assert (meeting, VJO.status, VJO.Held) in graph
    partnership = next(graph.subjects(RDF.type, VJO.PartnershipStatement))
    assert graph.value(partnership, VJO.date) == Literal("2022", datatype=XSD.gYear)
    assert graph.value(partnership, VJO.relationship) == VJR["relationship/KR-VN"]
    observation = next(graph.subjects(RDF.type, VJO.Observation))
    assert graph.value(observation, VJO.value).datatype == XSD.decimal
    assert graph.value(observation, VJO.fromState) == VJR["state/KR"]
    article = VJR["article/900_example"]
    assert set(graph.objects(article, VJO.concernsState)) == {VJR["state/KR"], VJR["state/VN"]}


def test_unknown_post_is_minted_in_the_posts_scheme() -> None:
    graph = article_graph(make_facts())
    president = VJR["post/president"]
    assert (president, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in graph
    holding = next(h for h in graph.subjects(ORG.role, president))
    assert graph.value(holding, VJO.attestedOn) == Literal("2025-05-04", datatype=XSD.date)


def test_same_facts_give_the_same_triples() -> None:
    first = article_graph(make_facts()).serialize(format="nt")
    second = article_graph(make_facts()).serialize(format="nt")
    assert sorted(first.splitlines()) == sorted(second.splitlines())
