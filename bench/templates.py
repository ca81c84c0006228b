"""Titles, standfirsts and the connecting prose of an article: text that plants no fact.

The sentences are written for this generator in the register of Vietnamese English-language
news (proposals, pledges, assessments). Placeholders: ``{a}``/``{b}`` the Vietnamese and
the partner's person by short name, ``{a_his}``/``{b_his}``/``{b_he}`` their pronouns,
``{p}``/``{P}`` the partner state mid-sentence/at the start, ``{vn}`` Vietnam as the outlet
spells it, ``{padj}`` the partner's adjective, ``{pair}`` 'Vietnam-Japan', ``{event}`` 'the
talks'. No filler names a number, a date, a person, a body or a third state.
"""
from __future__ import annotations

TITLES = (
    "{vn}, {P} Agree to Deepen Economic Cooperation",
    "{vn} & {P} Strengthen Trade Cooperation",
    "{vn} Asks for {padj} Support in Industrialisation and Modernisation",
    "{pair} Relations at Best Stage of Mutual Trust",
    "{P} Remains One of {vn}'s Most Important Partners",
    "New Momentum for {pair} Investment Ties",
    "{vn}, {P} Look to Lift Bilateral Trade",
    "Leaders Pledge Closer {pair} Cooperation",
    "{pair} Partnership Enters a New Era",
    "{vn} Welcomes More {padj} Investment in Green Transition",
    "{vn} and {P} Boost Cooperation in Innovation and Human Resources",
    "{P} Pledges Continued Support for {vn}'s Development",
)

STANDFIRSTS = (
    "{vn} and {P} have agreed to strengthen their economic cooperation while bolstering ties "
    "in trade, investment and labour.",
    "Leaders of the two countries hope to create further breakthroughs in economic, trade and "
    "investment cooperation.",
    "The two sides vowed to bring the bilateral relationship to a new height, with a focus on "
    "innovation and the green economy.",
    "Political trust between {vn} and {P} is at its highest level ever, officials said.",
)

FILLERS = (
    "{a} affirmed that {vn} always considers {p} a leading and long-term strategic partner.",
    "{a} called on {padj} enterprises to continue investing in {vn} to achieve increasingly "
    "better results, as the success of the investors is also the success of {vn}.",
    "{a} proposed that {p} continue to open its market to {vn}'s agricultural products, "
    "including fresh fruit, while {vn} facilitates market access for {padj} goods.",
    "For {b_his} part, {b} said {p} wants to promote cooperation with specific programmes and "
    "projects, especially in trade, investment, innovation, education and labour.",
    "{b} appreciated {vn}'s human resources and said {p} would make itself a more attractive "
    "destination for {vn}ese interns and workers.",
    "The two sides agreed to step up locality-to-locality cooperation, people-to-people "
    "exchanges and cultural collaboration.",
    "{a} suggested that {p} continue to provide new-generation development assistance with "
    "high incentives and simplified, flexible procedures.",
    "{a} asked {padj} partners to help {vn} train high-quality human resources, especially in "
    "semiconductors and artificial intelligence.",
    "{b} praised {vn}'s efforts to reform administrative procedures and improve its "
    "investment environment.",
    "{b} noted that {padj} businesses are interested in {vn} and regard it as an attractive "
    "investment destination.",
    "The two officials also discussed international and regional issues of common concern, "
    "including maritime security and climate change.",
    "They agreed to maintain regular high-level exchanges and to make full use of existing "
    "cooperation mechanisms.",
    "{a} said there is still a lot of room for the two sides to tap the advantages of the "
    "frameworks both are part of.",
    "During recent times, trade relations between {vn} and {p} have developed extensively, "
    "comprehensively and substantially.",
    "The two economies complement each other, contributing to mutual development, {a} said.",
    "{a} expressed {a_his} hope that {padj} enterprises will continue standing side by side "
    "with {vn} on its development path.",
    "{b} affirmed {p}'s commitment to support {vn} in building an independent and self-reliant "
    "economy.",
    "Both sides agreed to expand cooperation to new areas such as digital transformation, "
    "green transition, the circular economy and the knowledge-based economy.",
    "{a} emphasised that reducing emissions and combating climate change require the "
    "collective efforts of governments, businesses and the people.",
    "{b} said {p} will promote training cooperation so that workers from {vn} can maximise "
    "their abilities.",
    "The two sides also agreed to kick off negotiations on a bilateral social insurance "
    "agreement.",
    "{a} called for priority mechanisms to attract high-quality investment and to help "
    "{vn}ese enterprises join global production and supply chains.",
    "{b} thanked the Government of {vn} for creating favourable conditions for {padj} firms "
    "operating in the country.",
    "They welcomed the robust and comprehensive growth of bilateral ties in recent years.",
    "The pair agreed to coordinate closely to further strengthen the {pair} ties, contributing "
    "to peace, stability and prosperity in the region.",
    "{a} suggested that universities of {p} open departments of {vn}ese language and culture "
    "studies.",
    "{b} said {b_he} was impressed by the country's dynamism and its people's resilience.",
    "The Government of {vn} is prioritising fast and sustainable development, with a focus on "
    "the green economy, the digital economy and innovation.",
)

CLOSINGS = (
    "On this occasion, {a} invited {padj} leaders to visit {vn} at a convenient time, and "
    "the invitation was accepted with pleasure.",
    "{a} asked {b} to continue contributing to deepening mutual understanding and trust "
    "between the two countries.",
    "Both sides expressed their belief that the relationship will continue to grow in "
    "substance and effectiveness.",
)

TEASER_HEADLINES = (
    "{pair} Trade Promotion Centre Opens New Chapter",
    "{vn}ese Provinces Establish Friendship Associations with {padj} Localities",
    "{padj} Firms Eye Expansion in {vn}'s Manufacturing Sector",
    "{pair} Cultural Festival Draws Large Crowds",
    "Students Win Scholarships to Study in {P}",
)

TEASER_BODIES = (
    "The centre and an entrepreneurs club came into being recently, aiming to connect "
    "businesses of the two countries ...",
    "The bilateral friendship associations of two provinces recently held their founding "
    "congresses.",
    "Many companies said they plan to expand production in the coming years ...",
    "The festival featured traditional music, cuisine and a photo exhibition ...",
)


def fill(template: str, slots: dict[str, str]) -> str:
    """Fill a template; '{vn}ese' becomes 'Vietnamese' whatever the outlet's spelling."""
    text = template.format(**slots)
    return text.replace("Viet Namese", "Vietnamese")
