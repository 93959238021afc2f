"""A word for a country's people is a group, not a person or a place: `Italian` in `the
Italian war of liberation`, `Kuwaiti pledges`, `Ukrainian miners`, `German-Israeli
relations`.

The small model reads some nationality words as a person or a place, and the sidebar then
lists `Italian` among the people. English forms them from the country's name by a few
suffixes (`-ian`, `-an`, `-ese`, `-ish`, `-i`), so the gazetteer's countries and
continents are the list: a word that is a country's or a continent's name with its end
changed (`Italy` → `Italian`, `China` → `Chinese`, `Kuwait` → `Kuwaiti`) is its people's
word. The stem must keep four letters of the name, so given names that end alike stay
people (`Brian`, `Adrian`, `Julian`), and `-i` is taken only after the whole name
(`Kuwaiti`, `Israeli`; not `Ghani`, which is a surname, although Ghana is a country). A
word that is itself a place (`Jordan`) is left alone, and so is a rule's reading.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_WORD = re.compile(r"^[A-Z][a-z]{3,}(?:-[A-Z][a-z]{3,})?$")
#: Suffixes that replace the end of the name: (suffix, letters of the name it may replace).
_SUFFIXES = (("ian", 2), ("ean", 2), ("ese", 2), ("ish", 3), ("an", 3))
#: The readings this layer overrides.
_OVERRIDES = frozenset({"person", "place"})


def demonyms(parts: Mapping[int, str], spans: Spans) -> None:
    """A one-word span the model read as a person or a place that is a country's or a
    continent's name with a people's suffix (`Italian`, `Kuwaiti`, `German-Israeli`) is a
    group."""
    for part, found in spans.by_part.items():
        text = parts[part]
        for span in found:
            if span.sure or span.type not in _OVERRIDES:
                continue
            word = text[span.start : span.end]
            if _WORD.match(word) and all(_demonym(w) for w in word.split("-")):
                span.type = "group"


@cache
def _demonym(word: str) -> bool:
    if gazetteer.lookup_place(word) is not None:
        return False
    names = _country_words()
    if word.endswith("i") and word[:-1] in names:
        return True
    for suffix, replaced in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if len(stem) < 4:
            continue
        if any(n.startswith(stem) and len(n) - len(stem) <= replaced for n in names):
            return True
    return False


@cache
def _country_words() -> frozenset[str]:
    """The single words of the gazetteer's countries' and continents' names."""
    return frozenset(
        word
        for place in gazetteer.places().values()
        if place.kind in {"country", "continent"}
        for word in place.name.split()
        if len(word) >= 4 and word[:1].isupper()
    )
