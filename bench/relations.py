"""Partnership levels, agreements and organisations: sentences that plant them.

A partnership level is dated by the year of its establishment or upgrade when the sentence
gives one (or "last year", counted from the publication date), else left undated. Named
organisations and agreements are planted as acronym plus full name, so either form the
article uses is matched.
"""
from __future__ import annotations

from bench.events import Event
from bench.pools import AGREEMENTS, FORUM_ORGANIZATIONS, ORGANIZATIONS, Named
from bench.story import Story, capital_first

BARE_ACRONYMS = {"ASEAN", "APEC", "Keidanren", "JICA", "JETRO", "JBIC", "CPTPP", "RCEP", "IPEF",
                 "AZEC", "EVFTA", "VKFTA", "AJCEP", "VJEPA"}


def name_form(story: Story, named: Named) -> str:
    """How the article writes a body: 'the Full Name (ACR)', 'ACR' or 'the Full Name'."""
    forms = []
    if named.acronym and named.full:
        forms += [f"the {named.full} ({named.acronym})"] * 2
    if named.acronym:
        forms.append(named.acronym if named.acronym in BARE_ACRONYMS else f"the {named.acronym}")
    if named.full and named.full != named.acronym:
        forms.append(f"the {named.full}")
    return story.rng.choice(forms)


def listing(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def level_text(story: Story, level: str) -> str:
    """The level as written for this partner (Japan's carry their 'for Peace ...' tail)."""
    if not story.partner.level_suffix or level == "Strategic Partnership":
        return level
    if level.startswith("Extensive"):
        return f"{level} for Peace and Prosperity in Asia"
    return level + story.partner.level_suffix if story.chance(0.7) else level


def partnership(story: Story, event: Event) -> str:
    rng, f = story.rng, story.facts
    levels = story.partner.levels
    states = ("Vietnam", story.partner.name)
    top = level_text(story, levels[-1])
    variant = rng.randrange(5)
    if variant == 0:
        first = rng.randrange(len(levels) - 1)
        low, high = level_text(story, levels[first]), level_text(story, levels[first + 1])
        year_high = story.ref_year - rng.randint(1, 10)
        year_low = year_high - rng.randint(2, 8)
        ties = story.ties_year
        f.partnership(states, low, str(year_low))
        f.partnership(states, high, str(year_high))
        return (f"{story.vn} and {story.p} established diplomatic ties in {ties}, upgrading "
                f"bilateral ties to {low} in {year_low}, and to {high} in {year_high}.")
    if variant == 1:
        year = story.ref_year - rng.randint(0, 6)
        written = levels[-1].lower() if story.chance(0.5) else top
        f.partnership(states, written, str(year))
        return (f"In {year}, the two countries upgraded their relationship to a {written}, "
                f"opening a new chapter in their cooperation.")
    if variant == 2:
        f.partnership(states, top, None)
        return (f"{capital_first(event.vietnamese.short(rng))} stressed that upgrading the "
                f"{story.pair} relations to a {top} has laid an important political foundation "
                f"for expanding cooperation into new areas.")
    if variant == 3 and story.published:
        f.partnership(states, top, str(story.published.year - 1))
        return (f"The two sides discussed measures to solidify the framework of their "
                f"countries' {top}, established last year.")
    f.partnership(states, top, None)
    return (f"Both sides expressed their hope to keep contributing to the \"{story.pair} {top}\" "
            f"for the benefit of their peoples.")


def agreements(story: Story) -> str:
    rng = story.rng
    keys = [k for k in story.partner.agreements if k not in ("AZEC", "JCM")]
    chosen = rng.sample(keys, min(len(keys), rng.randint(1, 4)))
    if story.partner.name == "Japan" and story.chance(0.5):
        green = AGREEMENTS[rng.choice(("AZEC", "JCM"))]
        story.facts.agreement(green)
        tail = (f" {capital_first(story.p)} also wishes to join hands with {story.vn} in "
                f"emission reduction through initiatives such as {name_form(story, green)}.")
    else:
        tail = ""
    named = [AGREEMENTS[k] for k in chosen]
    for item in named:
        story.facts.agreement(item)
    forms = [name_form(story, n) for n in named]
    if len(forms) > 1 and story.chance(0.5):
        return (f"In addition to {forms[0]}, {story.vn} and {story.p} are also members of "
                f"{listing(forms[1:])}, frameworks that play an important role in promoting "
                f"trade and investment between the two countries.{tail}")
    return (f"The two sides agreed to make the most of the incentives offered by "
            f"{listing(forms)}, to which both countries are parties.{tail}")


def organizations(story: Story, event: Event) -> str:
    rng = story.rng
    variant = rng.randrange(3)
    if variant == 1 and story.partner.organizations:
        key = rng.choice(story.partner.organizations)
        story.facts.organization(ORGANIZATIONS[key])
        named = capital_first(name_form(story, ORGANIZATIONS[key]))
        return rng.choice((
            f"{named} will continue to support infrastructure and human resource "
            f"development projects in {story.vn}, {event.foreign.short(rng)} said.",
            f"According to a recent survey by {name_form(story, ORGANIZATIONS[key])}, "
            f"{story.partner.adjective} businesses consider {story.vn} an attractive "
            f"destination for diversifying their supply chains.",
        ))
    if variant == 2:
        story.facts.organization(ORGANIZATIONS["ASEAN"])
        return (f"{event.vietnamese.short(rng)} asked {story.p} to continue supporting "
                f"ASEAN's solidarity and central role, and to intensify cooperation with the "
                f"Mekong subregion.")
    keys = rng.sample(FORUM_ORGANIZATIONS, rng.randint(2, 4))
    forms = []
    for key in keys:
        story.facts.organization(ORGANIZATIONS[key])
        forms.append(name_form(story, ORGANIZATIONS[key]))
    return (f"They agreed that the two countries will strengthen coordination at regional "
            f"and international forums, including {listing(forms)}.")
