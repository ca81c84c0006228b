"""Facts to triples: the only module that knows the ontology's terms.

One article's :class:`~kg.model.ArticleFacts` becomes one rdflib graph (the article's named
graph). Every IRI is minted from stable keys and text offsets (see ``ontology/README.md``),
so the same article always gives the same triples, whatever else is in the corpus.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS, XSD

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
from kg.namespaces import OA, ORG, PREFIXES, QB, SCHEMA, SEM, VJO, VJR

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
_STATUS = {"held": VJO.Held, "announced": VJO.Announced, "planned": VJO.Planned}
_ENTITY_SECTION = {
    "state": "state",
    "organization": "org",
    "agreement": "agreement",
    "place": "place",
    "person": "person",
}


def date_literal(date: PartialDate) -> Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by the date's precision."""
    return Literal(date.iso, datatype=_DATE_TYPES[date.precision])


def state_iri(code: str) -> URIRef:
    return VJR[f"state/{code}"]


def person_iri(key: str) -> URIRef:
    return VJR[f"person/{key}"]


def entity_iri(kind: str, key: str) -> URIRef:
    """The IRI of a state, organisation, agreement, place or person by its key."""
    return VJR[f"{_ENTITY_SECTION[kind]}/{key}"]


def place_iri(key: str) -> URIRef:
    """A meeting's place: a state when the key is an ISO code, else a city or province."""
    return state_iri(key) if len(key) == 2 and key.isupper() else VJR[f"place/{key}"]


def relationship_iri(states: Iterable[str]) -> URIRef:
    return VJR["relationship/" + "-".join(sorted(states))]


class _ArticleGraphBuilder:
    """Writes one article's facts; keeps the article-level IRIs and sentence lookup at hand."""

    def __init__(self, facts: ArticleFacts, fingerprint: str | None = None) -> None:
        self.facts = facts
        self.fingerprint = fingerprint
        self.article = facts.article
        self.stem = self.article.stem
        self.article_iri = VJR[f"article/{self.stem}"]
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    # -- provenance -------------------------------------------------------------------------
    def sentence_of(self, span: Span) -> URIRef | None:
        for sentence in self.article.sentences:
            if sentence.span.start <= span.start and span.end <= sentence.span.end:
                return self.sentence_iri(sentence.span)
        return None

    def sentence_iri(self, span: Span) -> URIRef:
        return VJR[f"article/{self.stem}/sentence/{span.start}-{span.end}"]

    def mention(self, span: Span) -> URIRef:
        """The mention node of a span (created once), linked to its article and sentence."""
        iri = VJR[f"article/{self.stem}/mention/{span.start}-{span.end}"]
        g = self.graph
        if (iri, RDF.type, VJO.Mention) not in g:
            g.add((iri, RDF.type, VJO.Mention))
            g.add((iri, VJO.inArticle, self.article_iri))
            g.add((iri, OA.start, Literal(span.start)))
            g.add((iri, OA.end, Literal(span.end)))
            g.add((iri, OA.exact, Literal(span.text)))
            sentence = self.sentence_of(span)
            if sentence is not None:
                g.add((iri, VJO.inSentence, sentence))
        return iri

    def derived(self, node: URIRef, span: Span) -> None:
        self.graph.add((node, PROV.wasDerivedFrom, self.mention(span)))
        self.graph.add((node, VJO.reportedBy, self.article_iri))

    # -- the article ------------------------------------------------------------------------
    def add_article(self) -> None:
        g, a, art = self.graph, self.article_iri, self.article
        g.add((a, RDF.type, VJO.Article))
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, VJO.fileName, Literal(art.file_name)))
        g.add((a, VJO.contentHash, Literal(art.content_hash)))
        g.add((a, VJO.charCount, Literal(len(art.text))))
        if art.title is not None:
            g.add((a, SCHEMA.headline, Literal(art.title.text)))
        if art.outlet:
            g.add((a, SCHEMA.publisher, Literal(art.outlet)))
        if art.author:
            g.add((a, SCHEMA.author, Literal(art.author)))
        if art.published is not None:
            g.add((a, SCHEMA.datePublished, date_literal(art.published)))
            g.add((a, VJO.dateInferred, Literal(art.published.inferred)))
        for sentence in art.sentences:
            s = self.sentence_iri(sentence.span)
            g.add((s, RDF.type, VJO.Sentence))
            g.add((s, RDF.type, VJO.Mention))
            g.add((s, VJO.inArticle, a))
            g.add((s, OA.start, Literal(sentence.span.start)))
            g.add((s, OA.end, Literal(sentence.span.end)))
            g.add((s, OA.exact, Literal(sentence.span.text)))
        run = VJR[f"run/{self.stem}/{art.content_hash.split(':')[-1][:12]}"]
        g.add((run, RDF.type, PROV.Activity))
        g.add((run, PROV.used, a))
        g.add((run, PROV.wasAssociatedWith, Literal(f"vjkg {__version__}")))
        if self.fingerprint:
            g.add((run, VJO.buildFingerprint, Literal(self.fingerprint)))
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
        g.add((iri, SKOS.prefLabel, Literal(entity.label, lang="en")))
        for alias in entity.aliases:
            g.add((iri, SKOS.altLabel, Literal(alias, lang="en")))
        for m in self.facts.mentions:
            if m.kind == entity.kind and m.key == entity.key:
                g.add((iri, PROV.wasDerivedFrom, self.mention(m.span)))

    def add_person(self, person: Person) -> None:
        g = self.graph
        iri = person_iri(person.key)
        for cls in (VJO.Person, SCHEMA.Person, FOAF.Person):
            g.add((iri, RDF.type, cls))
        g.add((iri, SCHEMA.name, Literal(person.name)))
        g.add((iri, SKOS.prefLabel, Literal(person.name, lang="en")))
        name_parts = set(person.key.split("-"))
        for variant in person.variants:
            # Only other forms of the name itself are labels ("Hiroshi Tanaka", "Tanaka");
            # titled forms and descriptions ("PM X", "the Government leader") stay what
            # they are: mentions that denote the person.
            if variant != person.name and set(slug(variant).split("-")) <= name_parts:
                g.add((iri, SKOS.altLabel, Literal(variant, lang="en")))
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
            g.add((post, SKOS.prefLabel, Literal(holding.role_label, lang="en")))
        g.add((iri, VJO.roleLabel, Literal(holding.role_label, lang="en")))
        g.add((iri, VJO.former, Literal(holding.former)))
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
            g.add((iri, VJO.dateInferred, Literal(meeting.date.inferred)))
        if meeting.end_date is not None:
            g.add((iri, VJO.endDate, date_literal(meeting.end_date)))
        if meeting.place:
            g.add((iri, VJO.place, place_iri(meeting.place)))
        if meeting.label:
            g.add((iri, RDFS.label, Literal(meeting.label)))
        g.add((iri, VJO.status, _STATUS[meeting.status]))
        self.derived(iri, meeting.evidence)

    def add_figure(self, figure: Figure) -> None:
        g = self.graph
        span = figure.evidence
        iri = VJR[f"observation/{self.stem}/{span.start}-{span.end}"]
        g.add((iri, RDF.type, VJO.Observation))
        g.add((iri, RDF.type, QB.Observation))
        g.add((iri, VJO.indicator, VJR[f"indicator/{figure.indicator}"]))
        g.add((iri, VJO.value, Literal(figure.value, datatype=XSD.decimal)))
        g.add((iri, VJO.unit, Literal(figure.unit)))
        if figure.from_state:
            g.add((iri, VJO.fromState, state_iri(figure.from_state)))
        if figure.to_state:
            g.add((iri, VJO.toState, state_iri(figure.to_state)))
        if figure.as_of is not None:
            g.add((iri, VJO.asOf, date_literal(figure.as_of)))
        if figure.period is not None:
            g.add((iri, VJO.period, date_literal(figure.period)))
        if figure.period_label:
            g.add((iri, VJO.periodLabel, Literal(figure.period_label)))
        if figure.approximation:
            g.add((iri, VJO.approximation, Literal(figure.approximation)))
        if figure.field:
            g.add((iri, VJO.field, Literal(figure.field)))
        self.derived(iri, span)

    def add_relationship(self, states: tuple[str, str]) -> URIRef:
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
        g.add((iri, VJO.levelLabel, Literal(partnership.level_label)))
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

    def build(self) -> Graph:
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


def article_graph(facts: ArticleFacts, fingerprint: str | None = None) -> Graph:
    """The named graph of one article: its metadata, sentences, mentions and facts.

    ``fingerprint`` identifies the inputs it was built from (text, manifest, pipeline), so
    that an unchanged article need not be rebuilt.
    """
    return _ArticleGraphBuilder(facts, fingerprint).build()
