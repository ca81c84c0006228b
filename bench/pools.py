"""Filler pools for the synthetic corpus: states, posts, places, organisations, agreements,
and person names built from syllables.

Names are assembled from syllables by a seeded ``random.Random`` so that no real person is
listed anywhere; the syllable pools leave out the parts of the seed articles' names, so the
generator cannot rebuild one of them. States, places, organisations and agreements are
reference data (the same kind of thing ``ontology/reference/`` curates).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

VN_FAMILY = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Do", "Ho",
             "Ngo", "Duong", "Ly", "Truong", "Dinh", "Lam", "Mai", "Trinh", "Ta", "Cao"]
VN_MIDDLE = ["Van", "Thi", "Minh", "Duc", "Thanh", "Quoc", "Hong", "Xuan", "Dinh", "Kim",
             "Ngoc", "Huu", "Anh", "Hoai", "Trung", "Gia", "Bao", "Tien", "Khac", "Viet"]
VN_GIVEN = ["An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh", "Lam", "Long", "Nam",
            "Phuc", "Quang", "Tam", "Thang", "Tuan", "Vinh", "Hoa", "Lan", "Ha", "Linh",
            "Hieu", "Kien", "Loc", "Nghia", "Phong", "Sang", "Tai", "Thinh", "Toan", "Vuong",
            "Dat", "Giang", "Hau", "Khoa", "Manh", "Nhan", "Quy", "Thao", "Uyen", "Yen"]
VN_FEMALE = {"Hoa", "Lan", "Ha", "Linh", "Thao", "Uyen", "Yen", "Giang"}

JP_FAMILY = ["Tanaka", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida",
             "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu",
             "Yamazaki", "Ikeda", "Hashimoto", "Ishikawa", "Ogawa", "Okada", "Fujita", "Goto",
             "Hasegawa", "Murakami", "Kondo", "Sakamoto", "Endo", "Aoki", "Nishimura",
             "Fukuda", "Miura", "Okamoto", "Matsuda", "Nakagawa", "Takeda", "Uchida"]
JP_MALE = ["Hiroshi", "Takeshi", "Kenji", "Daisuke", "Makoto", "Satoshi", "Kazuo", "Akira",
           "Haruto", "Shinji", "Tetsuya", "Masato", "Ryota", "Koji", "Hideki", "Toshiro"]
JP_FEMALE = ["Akiko", "Yumiko", "Keiko", "Naomi", "Emiko", "Sachiko", "Tomoko", "Mariko"]

KR_FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
             "Han", "Oh", "Seo", "Shin", "Kwon", "Hwang"]
KR_SYLLABLE = ["min", "jae", "seung", "hyun", "woo", "jin", "sung", "young", "ho", "joon",
               "dong", "kyung", "soo", "tae", "hee", "yeon"]

IN_GIVEN = ["Rajesh", "Anil", "Suresh", "Priya", "Sunita", "Vikram", "Arjun", "Meera",
            "Rohan", "Deepak", "Kavita", "Sanjay", "Nikhil", "Anjali"]
IN_FEMALE = {"Priya", "Sunita", "Meera", "Kavita", "Anjali"}
IN_FAMILY = ["Sharma", "Verma", "Gupta", "Mehta", "Iyer", "Nair", "Rao", "Reddy", "Kapoor",
             "Joshi", "Menon", "Pillai", "Bhatt", "Chandra"]

EN_GIVEN = ["James", "Sarah", "Michael", "Emily", "David", "Laura", "Peter", "Karen",
            "Andrew", "Helen", "Mark", "Julia", "Thomas", "Claire", "Robert", "Alice"]
EN_FEMALE = {"Sarah", "Emily", "Laura", "Karen", "Helen", "Julia", "Claire", "Alice"}
EN_FAMILY = ["Thompson", "Mitchell", "Harris", "Walker", "Bennett", "Campbell", "Foster",
             "Hughes", "Morgan", "Reid", "Collins", "Turner", "Fletcher", "Dawson"]

FR_GIVEN = ["Pierre", "Claire", "Julien", "Camille", "Nicolas", "Sophie", "Antoine", "Elise"]
FR_FEMALE = {"Claire", "Camille", "Sophie", "Elise"}
FR_FAMILY = ["Moreau", "Laurent", "Girard", "Fontaine", "Rousseau", "Lefevre", "Mercier",
             "Bonnet", "Garnier", "Chevalier"]

SG_FAMILY = ["Tan", "Lim", "Ng", "Wong", "Goh", "Teo", "Chua", "Koh", "Ong", "Yeo"]
SG_SYLLABLE = ["Wei", "Ming", "Hui", "Kiat", "Boon", "Siew", "Chee", "Keng", "Li", "Jun",
               "Hock", "Mei"]


@dataclass(frozen=True)
class PersonName:
    """A generated name: the full form as first written, the short form used after it."""

    full: str
    short: str
    female: bool
    alternate: str | None = None  # the same name in the other order (Japanese names)

    @property
    def pronoun(self) -> str:
        return "she" if self.female else "he"

    @property
    def possessive(self) -> str:
        return "her" if self.female else "his"


def vietnamese_name(rng: random.Random) -> PersonName:
    """Family, middle and given name; news text shortens it to the given name."""
    given = rng.choice(VN_GIVEN)
    middle = rng.choice(VN_MIDDLE)
    female = given in VN_FEMALE
    if female and rng.random() < 0.6:
        middle = "Thi"
    return PersonName(f"{rng.choice(VN_FAMILY)} {middle} {given}", given, female)


def japanese_name(rng: random.Random) -> PersonName:
    """Family and given name in either order (outlets differ); shortened to the family name."""
    family = rng.choice(JP_FAMILY)
    female = rng.random() < 0.25
    given = rng.choice(JP_FEMALE if female else JP_MALE)
    western, eastern = f"{given} {family}", f"{family} {given}"
    if rng.random() < 0.5:
        return PersonName(western, family, female, eastern)
    return PersonName(eastern, family, female, western)


def korean_name(rng: random.Random) -> PersonName:
    family = rng.choice(KR_FAMILY)
    first, second = rng.sample(KR_SYLLABLE, 2)
    return PersonName(f"{family} {first.capitalize()}-{second}", family, rng.random() < 0.3)


def indian_name(rng: random.Random) -> PersonName:
    given, family = rng.choice(IN_GIVEN), rng.choice(IN_FAMILY)
    return PersonName(f"{given} {family}", family, given in IN_FEMALE)


def english_name(rng: random.Random) -> PersonName:
    given, family = rng.choice(EN_GIVEN), rng.choice(EN_FAMILY)
    return PersonName(f"{given} {family}", family, given in EN_FEMALE)


def french_name(rng: random.Random) -> PersonName:
    given, family = rng.choice(FR_GIVEN), rng.choice(FR_FAMILY)
    return PersonName(f"{given} {family}", family, given in FR_FEMALE)


def singaporean_name(rng: random.Random) -> PersonName:
    family = rng.choice(SG_FAMILY)
    first, second = rng.sample(SG_SYLLABLE, 2)
    return PersonName(f"{family} {first} {second}", family, rng.random() < 0.3)


@dataclass(frozen=True)
class Posts:
    """The posts of one state, by the level at which they meet their counterparts."""

    leader: tuple[str, ...]
    foreign: str
    economic: tuple[str, ...]
    envoy: str = "Ambassador"


@dataclass(frozen=True)
class PartnerState:
    """A state paired with Vietnam in an article, and the plausible ranges of its figures."""

    name: str
    adjective: str
    people: str  # "Japanese", "Koreans": nationals as a plural noun
    make_name: Callable[[random.Random], PersonName]
    posts: Posts
    cities: tuple[str, ...]
    fdi_billion: tuple[float, float]
    fdi_projects: tuple[int, int]
    trade_billion: tuple[float, float]
    diaspora: tuple[int, int]  # Vietnamese living in the partner
    tourists: tuple[int, int]
    oda_currency: str | None = None  # a second currency ODA is written in (besides USD)
    oda_billion: tuple[float, float] | None = None  # cumulative ODA, when a major provider
    trainees: tuple[int, int] | None = None
    agreements: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    levels: tuple[str, ...] = ("Strategic Partnership", "Comprehensive Strategic Partnership")
    level_suffix: str = ""
    weight: int = 1


PARTNERS: tuple[PartnerState, ...] = (
    PartnerState(
        "Japan", "Japanese", "Japanese", japanese_name,
        Posts(("Prime Minister",), "Minister of Foreign Affairs",
              ("Minister of Economy, Trade and Industry",
               "Minister of Land, Infrastructure, Transport and Tourism", "Minister of Finance",
               "Chief Cabinet Secretary")),
        ("Tokyo", "Osaka", "Yokohama", "Nagoya", "Kobe", "Fukuoka", "Hiroshima", "Sapporo"),
        (55.0, 85.0), (4200, 6200), (30.0, 52.0), (350_000, 620_000), (600_000, 1_000_000),
        oda_currency="JPY", oda_billion=(20.0, 32.0), trainees=(150_000, 280_000),
        agreements=("CPTPP", "RCEP", "AJCEP", "VJEPA", "IPEF", "AZEC", "JCM"),
        organizations=("JICA", "JETRO", "JBIC", "Keidanren"),
        levels=("Strategic Partnership", "Extensive Strategic Partnership",
                "Comprehensive Strategic Partnership"),
        level_suffix=" for Peace and Prosperity in Asia and the World", weight=6),
    PartnerState(
        "South Korea", "Korean", "Koreans", korean_name,
        Posts(("President", "Prime Minister"), "Minister of Foreign Affairs",
              ("Minister of Trade, Industry and Energy", "Minister of Economy and Finance")),
        ("Seoul", "Busan"),
        (75.0, 90.0), (9000, 10_200), (70.0, 90.0), (200_000, 300_000), (2_500_000, 4_200_000),
        trainees=(40_000, 90_000), agreements=("VKFTA", "RCEP", "IPEF"),
        levels=("Strategic Partnership", "Comprehensive Strategic Partnership"), weight=2),
    PartnerState(
        "India", "Indian", "Indians", indian_name,
        Posts(("Prime Minister", "President"), "Minister of External Affairs",
              ("Minister of Commerce and Industry",)),
        ("New Delhi",),
        (0.9, 1.6), (350, 450), (12.0, 16.0), (3_000, 8_000), (150_000, 400_000),
        agreements=("IPEF",)),
    PartnerState(
        "Australia", "Australian", "Australians", english_name,
        Posts(("Prime Minister",), "Minister for Foreign Affairs",
              ("Minister for Trade and Tourism",)),
        ("Canberra", "Sydney"),
        (1.9, 2.3), (600, 700), (12.0, 16.0), (300_000, 350_000), (300_000, 450_000),
        oda_currency="AUD", oda_billion=(2.5, 3.5), agreements=("CPTPP", "RCEP", "IPEF")),
    PartnerState(
        "United States", "US", "Americans", english_name,
        Posts(("President",), "Secretary of State", ("Secretary of Commerce",)),
        ("Washington", "New York", "San Francisco"),
        (11.0, 12.5), (1200, 1400), (110.0, 125.0), (2_000_000, 2_300_000),
        (700_000, 900_000), agreements=("IPEF",),
        levels=("Comprehensive Partnership", "Comprehensive Strategic Partnership")),
    PartnerState(
        "Singapore", "Singaporean", "Singaporeans", singaporean_name,
        Posts(("Prime Minister",), "Minister for Foreign Affairs",
              ("Minister for Trade and Industry",)),
        ("Singapore",),
        (70.0, 80.0), (3300, 3800), (8.0, 10.0), (5_000, 10_000), (250_000, 400_000),
        agreements=("CPTPP", "RCEP", "IPEF")),
    PartnerState(
        "France", "French", "French nationals", french_name,
        Posts(("President", "Prime Minister"), "Minister for Europe and Foreign Affairs",
              ("Minister for the Economy and Finance",)),
        ("Paris",),
        (3.5, 4.2), (650, 750), (5.0, 6.5), (100_000, 150_000), (250_000, 300_000),
        oda_currency="EUR", oda_billion=(3.0, 4.0), agreements=("EVFTA",),
        levels=("Strategic Partnership", "Comprehensive Strategic Partnership")),
)

VIETNAM_CITIES = ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Hue", "Can Tho",
                  "Ha Long", "Nha Trang")

# Cities where leaders meet on the sidelines of a summit, with the country they lie in:
# a place named in passing, not a state that acts in the article.
SUMMIT_VENUES = (("Vientiane", "Laos"), ("Jakarta", "Indonesia"), ("Bangkok", "Thailand"),
                 ("Kuala Lumpur", "Malaysia"), ("Manila", "the Philippines"),
                 ("Phnom Penh", "Cambodia"), ("Bali", "Indonesia"), ("Geneva", "Switzerland"),
                 ("Davos", "Switzerland"), ("Dubai", "the United Arab Emirates"))
SUMMITS = (("ASEAN Summit", "ASEAN"), ("East Asia Summit", "East Asia Summit"),
           ("G20 Summit", "G20"), ("APEC Economic Leaders' Week", "APEC"),
           ("World Economic Forum annual meeting", None))


@dataclass(frozen=True)
class Named:
    """An organisation or agreement: the key it is filed under, its acronym and full name."""

    acronym: str | None
    full: str | None
    extra_aliases: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.acronym or self.full or ""


ORGANIZATIONS = {
    "ASEAN": Named("ASEAN", "Association of Southeast Asian Nations"),
    "UN": Named("UN", "United Nations"),
    "APEC": Named("APEC", "Asia-Pacific Economic Cooperation"),
    "OECD": Named("OECD", "Organization for Economic Cooperation and Development"),
    "WTO": Named("WTO", "World Trade Organization"),
    "ADB": Named("ADB", "Asian Development Bank"),
    "World Bank": Named(None, "World Bank"),
    "MRC": Named("MRC", "Mekong River Commission"),
    "ARF": Named("ARF", "ASEAN Regional Forum"),
    "G20": Named("G20", "Group of Twenty"),
    "East Asia Summit": Named("EAS", "East Asia Summit"),
    "JICA": Named("JICA", "Japan International Cooperation Agency"),
    "JETRO": Named("JETRO", "Japan External Trade Organization"),
    "JBIC": Named("JBIC", "Japan Bank for International Cooperation"),
    "Keidanren": Named("Keidanren", "Japan Business Federation"),
    "VCCI": Named("VCCI", "Vietnam Chamber of Commerce and Industry"),
}
FORUM_ORGANIZATIONS = ("ASEAN", "UN", "APEC", "OECD", "WTO", "MRC", "ARF", "G20")

AGREEMENTS = {
    "CPTPP": Named("CPTPP", "Comprehensive and Progressive Agreement for Trans-Pacific Partnership"),
    "RCEP": Named("RCEP", "Regional Comprehensive Economic Partnership"),
    "AJCEP": Named("AJCEP", "ASEAN-Japan Comprehensive Economic Partnership Agreement"),
    "VJEPA": Named("VJEPA", "Vietnam-Japan Economic Partnership Agreement"),
    "IPEF": Named("IPEF", "Indo-Pacific Economic Framework for Prosperity"),
    "AZEC": Named("AZEC", "Asia Zero Emission Community"),
    "JCM": Named("JCM", "Joint Crediting Mechanism"),
    "VKFTA": Named("VKFTA", "Vietnam-Korea Free Trade Agreement"),
    "EVFTA": Named("EVFTA", "EU-Vietnam Free Trade Agreement"),
    "JETP": Named("JETP", "Just Energy Transition Partnership"),
}

NAVIGATION_PROVINCES = ("An Giang", "Bac Giang", "Bac Ninh", "Ben Tre", "Binh Dinh",
                        "Binh Duong", "Ca Mau", "Can Tho", "Da Nang", "Dak Lak", "Dong Nai",
                        "Gia Lai", "Ha Noi", "Ha Tinh", "Hai Phong", "Ho Chi Minh", "Hue",
                        "Khanh Hoa", "Lang Son", "Lao Cai", "Nghe An", "Ninh Binh", "Phu Tho",
                        "Quang Ninh", "Thanh Hoa", "Thai Nguyen", "Vinh Long", "Yen Bai")
OUTLETS = ("VNA", "VGP", "NDO", "VOV", "VNS")
