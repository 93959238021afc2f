"""Canonical names: the one name a reader knows an entity by, whatever the spelling.

A royal's or a pope's title is part of the name (`Prince Harry`, `Pope Francis`).
Within an article, a surname links to the full name it follows (`Zelenskiy` → `Volodymyr
Zelenskiy`) and an acronym in brackets to the name before it (`Institute for the Study of War
(ISW)`). Places take their gazetteer name (`Kiev` → `Kyiv`, `U.S.` → `United States`) and wire
services their full name (`AFP` → `Agence France-Presse`). Across articles, entities are keyed
by type and `key()`: case, dots, curly apostrophes and a leading `the` are folded, which is
safe for names (`U.S.` and `US` are one key; `us` never reaches here as a name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsreader.core.entities import gazetteer
from newsreader.core.entities.layers import Span

_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Z0-9&.\-]{1,9})\)")
#: Titles that are part of the name a reader knows a royal or a pope by.
_ROYAL_BEFORE = re.compile(r"(?<![\w-])(Prince|Princess|King|Queen|Pope|Duke|Duchess)\s+$")


@lru_cache(maxsize=1 << 16)
def key(name: str, kind: str = "") -> str:
    """The folded form two spellings of one entity share (remembered: writing an article's
    mentions keys each name several times, and the same names recur across articles)."""
    folded = gazetteer.fold(_THE.sub("", name.strip()))
    folded = folded.replace("'s ", " ").replace("-", " ")
    folded = " ".join(folded.split())
    if kind == "group" and folded.endswith("ns"):  # Ukrainians → Ukrainian
        folded = folded[:-1]
    return folded


@dataclass(frozen=True, slots=True)
class Named:
    """A span with the canonical name and type of the entity it mentions."""

    span: Span
    text: str
    name: str
    type: str


def acronyms(parts: Mapping[int, str], spans: Sequence[Span]) -> dict[str, str]:
    """`Long Name (LN)` in the article: acronym → long name (organisations and places)."""
    found: dict[str, str] = {}
    for span in spans:
        if span.type not in {"org", "place", "event", "work"}:
            continue
        text = parts[span.part]
        long_name = text[span.start : span.end]
        match = _ACRONYM_AFTER.match(text[span.end : span.end + 16])
        if match and len(long_name.split()) >= 2:
            found[match.group(1)] = long_name
    return found


def canonicalise(
    parts: Mapping[int, str], spans: Sequence[Span], surnames: Mapping[str, str]
) -> list[Named]:
    """Each span with its canonical name, following the rules in the module docstring."""
    expansions = acronyms(parts, spans)
    agencies = gazetteer.agency_keys()
    named: list[Named] = []
    for span in spans:
        text = parts[span.part][span.start : span.end]
        surface = " ".join(text.split())
        name = surface
        if span.type == "person":
            name = surnames.get(surface, surface)
            royal = _ROYAL_BEFORE.search(parts[span.part], 0, span.start)
            if royal is not None and " " not in name:
                name = f"{royal.group(1)} {name}"  # `Prince Harry`, not Harry Potter's `Harry`
        elif span.type == "org":
            name = agencies.get(gazetteer.fold(surface)) or expansions.get(surface, surface)
        elif span.type == "place":
            place = gazetteer.place_name(surface)
            name = place.name if place is not None else expansions.get(surface, surface)
        elif span.type in {"event", "work"}:
            name = expansions.get(surface, surface)
        named.append(Named(span, text, _THE.sub("", name) or name, span.type))
    return named
