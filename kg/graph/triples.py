"""Facts to triples: the only module that knows the ontology's terms.

One article's :class:`~kg.model.ArticleFacts` becomes the triples of one named graph (the
article's). Every IRI is minted from stable keys and text offsets (see ``ontology/README.md``),
so the same article always gives the same triples, whatever else is in the corpus.

The triples are Oxigraph terms collected in a plain set and serialised by Oxigraph: an
rdflib ``Graph`` of rdflib terms cost a third of the time spent on an article (every
namespace access made and checked a new ``URIRef``, every triple was indexed three ways
only for the build to throw the indexes away).
"""
from __future__ import annotations

from collections.abc import Iterable

from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph
from rdflib import Literal as RdflibLiteral
from rdflib import namespace as rdflib_namespaces

from kg import namespaces

from kg import __version__
from kg.model import (
    AgreementMembership,
    ArticleFacts,
    DiplomaticTies,
    Figure,
    Meeting,
    NewEntity,
    PartialDate,
    Partnership,
    Person,
    PostHolding,
    Span,
    slug,
)
from kg.namespaces import PREFIXES, iri_segment


class _Namespace:
    """The IRIs of one namespace as Oxigraph terms; a name used as an attribute
    (``VJO.Meeting``) is made once."""

    def __init__(self, base: object) -> None:
        self._base = str(base)

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = ox.NamedNode(self._base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + local)


VJO, VJR, OA, ORG, QB, SCHEMA, SEM = (_Namespace(n) for n in (
    namespaces.VJO, namespaces.VJR, namespaces.OA, namespaces.ORG, namespaces.QB, namespaces.SCHEMA, namespaces.SEM))
FOAF, PROV, RDF, RDFS, SKOS, XSD = (_Namespace(n) for n in (
    rdflib_namespaces.FOAF, rdflib_namespaces.PROV, rdflib_namespaces.RDF, rdflib_namespaces.RDFS,
    rdflib_namespaces.SKOS, rdflib_namespaces.XSD))

Term = ox.NamedNode | ox.Literal
Triple = tuple[ox.NamedNode, ox.NamedNode, Term]
_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
_STATUS = {"held": VJO.Held, "announced": VJO.Announced, "planned": VJO.Planned}
_ENTITY_SECTION = {
    "state": "state",
    "organization": "org",
    "agreement": "agreement",
    "place": "place",
    "person": "person",
}


def literal(value: str | int | Decimal, *, lang: str | None = None) -> ox.Literal:
    """A literal with the datatype and lexical form rdflib gives the Python value (the graph
    was first written with rdflib; the same triples keep the exports byte-identical)."""
    if lang is not None:
        return ox.Literal(str(value), language=lang)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD.integer)
    if isinstance(value, Decimal):
        return ox.Literal(str(RdflibLiteral(value, datatype=rdflib_namespaces.XSD.decimal)), datatype=XSD.decimal)
    return ox.Literal(value)


def date_literal(date: PartialDate) -> ox.Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by the date's precision."""
    return ox.Literal(date.iso, datatype=_DATE_TYPES[date.precision])


def state_iri(code: str) -> ox.NamedNode:
    return VJR[f"state/{code}"]


def person_iri(key: str) -> ox.NamedNode:
    return VJR[f"person/{key}"]


def entity_iri(kind: str, key: str) -> ox.NamedNode:
    """The IRI of a state, organisation, agreement, place or person by its key."""
    return VJR[f"{_ENTITY_SECTION[kind]}/{key}"]


def place_iri(key: str) -> ox.NamedNode:
    """A meeting's place: a state when the key is an ISO code, else a city or province."""
    return state_iri(key) if len(key) == 2 and key.isupper() else VJR[f"place/{key}"]


def relationship_iri(states: Iterable[str]) -> ox.NamedNode:
    return VJR["relationship/" + "-".join(sorted(states))]


class _ArticleGraphBuilder:
    """Writes one article's facts; keeps the article-level IRIs and sentence lookup at hand."""

    def __init__(self, facts: ArticleFacts, fingerprint: str | None = None) -> None:
        self.facts = facts
        self.fingerprint = fingerprint
        self.article = facts.article
        self.stem = iri_segment(self.article.stem)  # any file name gives a valid IRI
        self.article_iri = VJR[f"article/{self.stem}"]
        self.graph: set[Triple] = set()

    # -- provenance -------------------------------------------------------------------------
    def sentence_of(self, span: Span) -> ox.NamedNode | None:
        for sentence in self.article.sentences:
            if sentence.span.start <= span.start and span.end <= sentence.span.end:
                return self.sentence_iri(sentence.span)
        return None

    def sentence_iri(self, span: Span) -> ox.NamedNode:
        return VJR[f"article/{self.stem}/sentence/{span.start}-{span.end}"]

    def mention(self, span: Span) -> ox.NamedNode:
        """The mention node of a span (created once), linked to its article and sentence."""
        iri = VJR[f"article/{self.stem}/mention/{span.start}-{span.end}"]
        g = self.graph
        if (iri, RDF.type, VJO.Mention) not in g:
            g.add((iri, RDF.type, VJO.Mention))
            g.add((iri, VJO.inArticle, self.article_iri))
            g.add((iri, OA.start, literal(span.start)))
            g.add((iri, OA.end, literal(span.end)))
            g.add((iri, OA.exact, literal(span.text)))
            sentence = self.sentence_of(span)
            if sentence is not None:
                g.add((iri, VJO.inSentence, sentence))
        return iri

    def derived(self, node: ox.NamedNode, span: Span) -> None:
        self.graph.add((node, PROV.wasDerivedFrom, self.mention(span)))
        self.graph.add((node, VJO.reportedBy, self.article_iri))

    # -- the article ------------------------------------------------------------------------
    def add_article(self) -> None:
        g, a, art = self.graph, self.article_iri, self.article
        g.add((a, RDF.type, VJO.Article))
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        # A file name that is not UTF-8 holds surrogates (Python's surrogateescape): written
        # with the replacement character, as RDF text must be Unicode.
        name = art.file_name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        g.add((a, VJO.fileName, literal(name)))
        g.add((a, VJO.contentHash, literal(art.content_hash)))
        g.add((a, VJO.charCount, literal(len(art.text))))
        if art.title is not None:
            g.add((a, SCHEMA.headline, literal(art.title.text)))
        if art.outlet:
            g.add((a, SCHEMA.publisher, literal(art.outlet)))
        if art.author:
            g.add((a, SCHEMA.author, literal(art.author)))
        if art.published is not None:
            g.add((a, SCHEMA.datePublished, date_literal(art.published)))
            g.add((a, VJO.dateInferred, literal(art.published.inferred)))
        for sentence in art.sentences:
            s = self.sentence_iri(sentence.span)
            g.add((s, RDF.type, VJO.Sentence))
            g.add((s, RDF.type, VJO.Mention))
            g.add((s, VJO.inArticle, a))
            g.add((s, OA.start, literal(sentence.span.start)))
            g.add((s, OA.end, literal(sentence.span.end)))
            g.add((s, OA.exact, literal(sentence.span.text)))
        run = VJR[f"run/{self.stem}/{art.content_hash.split(':')[-1][:12]}"]
        g.add((run, RDF.type, PROV.Activity))
        g.add((run, PROV.used, a))
        g.add((run, PROV.wasAssociatedWith, literal(f"vjkg {__version__}")))
        if self.fingerprint:
            g.add((run, VJO.buildFingerprint, literal(self.fingerprint)))
        g.add((a, PROV.wasGeneratedBy, run))
        for code in sorted(set(self.facts.actor_states)):
            g.add((a, VJO.concernsState, state_iri(code)))

    # -- entities ---------------------------------------------------------------------------
    def add_mentions(self) -> None:
        for m in self.facts.mentions:
            self.graph.add((self.mention(m.span), VJO.denotes, entity_iri(m.kind, m.key)))

    def add_new_entity(self, entity: NewEntity) -> None:
        g = self.graph
        iri = entity_iri(entity.kind, entity.key)
        if entity.kind == "organization":
            g.add((iri, RDF.type, VJO.Organization))
        elif entity.kind == "agreement":
            g.add((iri, RDF.type, VJO.Agreement))
        else:
            g.add((iri, RDF.type, VJO.Province if entity.place_type == "province" else VJO.City))
            if entity.country:
                g.add((iri, VJO.inState, state_iri(entity.country)))
        g.add((iri, SKOS.prefLabel, literal(entity.label, lang="en")))
        for alias in entity.aliases:
            g.add((iri, SKOS.altLabel, literal(alias, lang="en")))
        for m in self.facts.mentions:
            if m.kind == entity.kind and m.key == entity.key:
                g.add((iri, PROV.wasDerivedFrom, self.mention(m.span)))

    def add_person(self, person: Person) -> None:
        g = self.graph
        iri = person_iri(person.key)
        for cls in (VJO.Person, SCHEMA.Person, FOAF.Person):
            g.add((iri, RDF.type, cls))
        g.add((iri, SCHEMA.name, literal(person.name)))
        g.add((iri, SKOS.prefLabel, literal(person.name, lang="en")))
        name_parts = set(person.key.split("-"))
        for variant in person.variants:
            # Only other forms of the name itself are labels ("Hiroshi Tanaka", "Tanaka");
            # titled forms and descriptions ("PM X", "the Government leader") stay what
            # they are: mentions that denote the person.
            if variant != person.name and set(slug(variant).split("-")) <= name_parts:
                g.add((iri, SKOS.altLabel, literal(variant, lang="en")))
        if person.state:
            g.add((iri, VJO.nationality, state_iri(person.state)))
        for span in person.mentions:
            mention = self.mention(span)
            g.add((iri, PROV.wasDerivedFrom, mention))
            g.add((mention, VJO.denotes, iri))

    # -- facts ------------------------------------------------------------------------------
    def add_holding(self, holding: PostHolding) -> None:
        g = self.graph
        iri = VJR[f"holding/{self.stem}/{holding.person}/{holding.evidence.start}"]
        g.add((iri, RDF.type, VJO.PostHolding))
        g.add((iri, RDF.type, ORG.Membership))
        g.add((iri, ORG.member, person_iri(holding.person)))
        if holding.state:
            g.add((iri, ORG.organization, state_iri(holding.state)))
        post = VJR[f"post/{holding.role or slug(holding.role_label)}"]
        g.add((iri, ORG.role, post))
        if holding.role is None:  # a post the reference scheme lacks: minted from its title
            g.add((post, RDF.type, SKOS.Concept))
            g.add((post, RDF.type, ORG.Role))
            g.add((post, SKOS.inScheme, VJR["scheme/posts"]))
            g.add((post, SKOS.prefLabel, literal(holding.role_label, lang="en")))
        g.add((iri, VJO.roleLabel, literal(holding.role_label, lang="en")))
        g.add((iri, VJO.former, literal(holding.former)))
        g.add((iri, VJO.attestedBy, self.article_iri))
        if self.article.published is not None:
            g.add((iri, VJO.attestedOn, date_literal(self.article.published)))
        g.add((iri, PROV.wasDerivedFrom, self.mention(holding.evidence)))

    def add_meeting(self, meeting: Meeting) -> None:
        g = self.graph
        iri = VJR[f"meeting/{self.stem}/{meeting.evidence.start}"]
        for cls in (VJO.Meeting, SEM.Event, SCHEMA.Event):
            g.add((iri, RDF.type, cls))
        g.add((iri, VJO.meetingKind, VJR[f"meeting-kind/{meeting.kind}"]))
        for key in meeting.participants:
            g.add((iri, VJO.participant, person_iri(key)))
        for code in meeting.states:
            g.add((iri, VJO.participatingState, state_iri(code)))
        if meeting.date is not None:
            g.add((iri, VJO.date, date_literal(meeting.date)))
            g.add((iri, VJO.dateInferred, literal(meeting.date.inferred)))
        if meeting.end_date is not None:
            g.add((iri, VJO.endDate, date_literal(meeting.end_date)))
        if meeting.place:
            g.add((iri, VJO.place, place_iri(meeting.place)))
        if meeting.label:
            g.add((iri, RDFS.label, literal(meeting.label)))
        g.add((iri, VJO.status, _STATUS[meeting.status]))
        self.derived(iri, meeting.evidence)

    def add_figure(self, figure: Figure) -> None:
        g = self.graph
        span = figure.evidence
        iri = VJR[f"observation/{self.stem}/{span.start}-{span.end}"]
        g.add((iri, RDF.type, VJO.Observation))
        g.add((iri, RDF.type, QB.Observation))
        g.add((iri, VJO.indicator, VJR[f"indicator/{figure.indicator}"]))
        g.add((iri, VJO.value, literal(figure.value)))
        g.add((iri, VJO.unit, literal(figure.unit)))
        if figure.from_state:
            g.add((iri, VJO.fromState, state_iri(figure.from_state)))
        if figure.to_state:
            g.add((iri, VJO.toState, state_iri(figure.to_state)))
        if figure.as_of is not None:
            g.add((iri, VJO.asOf, date_literal(figure.as_of)))
        if figure.period is not None:
            g.add((iri, VJO.period, date_literal(figure.period)))
        if figure.period_label:
            g.add((iri, VJO.periodLabel, literal(figure.period_label)))
        if figure.approximation:
            g.add((iri, VJO.approximation, literal(figure.approximation)))
        if figure.field:
            g.add((iri, VJO.field, literal(figure.field)))
        self.derived(iri, span)

    def add_relationship(self, states: tuple[str, str]) -> ox.NamedNode:
        iri = relationship_iri(states)
        self.graph.add((iri, RDF.type, VJO.BilateralRelationship))
        for code in states:
            self.graph.add((iri, VJO.between, state_iri(code)))
        return iri

    def add_partnership(self, partnership: Partnership) -> None:
        g = self.graph
        iri = VJR[f"partnership/{self.stem}/{partnership.evidence.start}"]
        g.add((iri, RDF.type, VJO.PartnershipStatement))
        g.add((iri, VJO.relationship, self.add_relationship(partnership.states)))
        if partnership.level:
            g.add((iri, VJO.level, VJR[f"partnership-level/{partnership.level}"]))
        g.add((iri, VJO.levelLabel, literal(partnership.level_label)))
        if partnership.date is not None:
            g.add((iri, VJO.date, date_literal(partnership.date)))
        self.derived(iri, partnership.evidence)

    def add_ties(self, ties: DiplomaticTies) -> None:
        g = self.graph
        iri = VJR[f"ties/{self.stem}/{ties.evidence.start}"]
        g.add((iri, RDF.type, VJO.DiplomaticTiesStatement))
        g.add((iri, VJO.relationship, self.add_relationship(ties.states)))
        if ties.date is not None:
            g.add((iri, VJO.date, date_literal(ties.date)))
        self.derived(iri, ties.evidence)

    def add_membership(self, membership: AgreementMembership) -> None:
        g = self.graph
        start = membership.evidence.start
        iri = VJR[f"membership/{self.stem}/{membership.agreement}/{start}"]
        g.add((iri, RDF.type, VJO.AgreementMembership))
        g.add((iri, VJO.agreement, VJR[f"agreement/{membership.agreement}"]))
        for code in membership.states:
            g.add((iri, VJO.party, state_iri(code)))
        self.derived(iri, membership.evidence)

    def build(self) -> set[Triple]:
        self.add_article()
        self.add_mentions()
        for entity in self.facts.new_entities:
            self.add_new_entity(entity)
        for person in self.facts.persons:
            self.add_person(person)
        for holding in self.facts.holdings:
            self.add_holding(holding)
        for meeting in self.facts.meetings:
            self.add_meeting(meeting)
        for figure in self.facts.figures:
            self.add_figure(figure)
        for partnership in self.facts.partnerships:
            self.add_partnership(partnership)
        for ties in self.facts.ties:
            self.add_ties(ties)
        for membership in self.facts.memberships:
            self.add_membership(membership)
        return self.graph


def ntriples_lines(triples: Iterable[Triple]) -> list[bytes]:
    """The sorted, distinct N-Triples lines of ``triples``, written by Oxigraph (the same
    writer that dumps the store, so a graph's lines are the same before and after storing)."""
    return sorted_ntriples(triples)[0]


def sorted_ntriples(triples: Iterable[Triple]) -> tuple[list[bytes], list[ox.Triple]]:
    """:func:`ntriples_lines`, with the triples in the same order: the export pieces are
    written from them (:func:`kg.store.pieces.graph_pieces`) instead of from the lines parsed
    back, which costs more than writing all the formats."""
    terms = [ox.Triple(*triple) for triple in triples]
    data = ox.serialize(terms, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = data.split(b"\n")[:-1]  # one line per triple: N-Triples escapes line breaks
    if len(lines) != len(terms):
        raise ValueError(f"N-Triples of {len(terms)} triples came out in {len(lines)} lines")
    order = sorted(range(len(lines)), key=lines.__getitem__)
    kept = [i for n, i in enumerate(order) if n == 0 or lines[i] != lines[order[n - 1]]]  # distinct
    return [lines[i] for i in kept], [terms[i] for i in kept]


def article_ntriples(facts: ArticleFacts, fingerprint: str | None = None) -> list[bytes]:
    """The named graph of one article, as sorted N-Triples lines: its metadata, sentences,
    mentions and facts.

    ``fingerprint`` identifies the inputs it was built from (text, manifest, pipeline), so
    that an unchanged article need not be rebuilt.
    """
    return article_triples(facts, fingerprint)[0]


def article_triples(facts: ArticleFacts, fingerprint: str | None = None) -> tuple[list[bytes], list[ox.Triple]]:
    """:func:`article_ntriples` and the same triples as terms, in the same order."""
    return sorted_ntriples(_ArticleGraphBuilder(facts, fingerprint).build())


def article_graph(facts: ArticleFacts, fingerprint: str | None = None) -> Graph:
    """The same graph as :func:`article_ntriples`, as an rdflib graph with the project's prefixes."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.parse(data=b"".join(line + b"\n" for line in article_ntriples(facts, fingerprint)).decode(),
                       format="nt")
