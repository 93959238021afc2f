"""A competitor in a results row is a person, whatever the model made of the name.

A results row names a competitor of two to four words (and a particle: `Gil de Ferran`)
right before a bracket, after the
row's rank (`3.`, a tie `1=`), a comma, a bracket, `beat` or a spaced dash:

- `3. Aliuska Lopez ( Cuba ) 12.92`, `Florian Rousseau ( France ) beat Ainars Kiksis (
  Latvia )`: the bracket holds the competitor's country, and the row is a results row by its
  shape, a rank first or a result after the bracket (a time, a distance, a score, `beat`);
- `Romania - Cosmin Contra ( 31st ) , Mihai Tararache ( 75th )`: the bracket holds a
  scorer's minute, in a line of scorers (`Team - Name`).

A team would be named as its country or its club, not beside one, and a place is not listed
with a country and a time, so the name is a person where the model missed it, read it as an
organisation, a place, a work or an event (`1. Frankie Fredericks ( Namibia ) 19.97`), found
only a piece of it (`Miller` of `8. Inger Miller ( U.S. ) 11.37`, `Natalia` and `Karimova`),
or ran a span over the rank (`11. Wendy Everson ( Britain )`). It is never a name the
gazetteer knows as a place (`2. Buenos Aires ( Argentina )` stays a place), and a rule's
reading of any of it stands. The row's shape is all the evidence needed, so no sports story
is asked for: athletics results have few of the words `layers.is_sports` counts.

Rules v18 made this one layer of what were two with near-copies of these patterns,
`ranked_people` (v15: missed names and exact organisation readings) and `ranked_rows` (v17:
the other readings).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_WORD = r"[A-Z][\w'’\-]*[a-z][\w'’\-]*"
#: A particle inside a name (`Gil de Ferran`, `Ruud van Nistelrooy`).
_PARTICLE = r"(?:de|da|do|dos|del|della|di|du|van|von|der|den|le|la|al|el|bin|ben)"
#: What a competitor follows in a row (the part's start or its rank, a rank mid-line, a
#: comma, a bracket, `beat`, a spaced dash), then two to four name words and the bracket.
_COMPETITOR = re.compile(
    r"(?:^\s*(?:\d{1,3}[.=]?\s+)?|(?<=\d\.\s)|(?<=\s,\s)|(?<=\(\s)|(?<=\bbeat\s)|(?<=\s-\s))"
    rf"((?:{_WORD}\s+(?:{_PARTICLE}\s+)?){{1,3}}{_WORD})\s+\(\s*(\w[\w .\-]*?)\s*\)"
)
_BRACKET = re.compile(r"\(\s*\w[\w .\-]*?\s*\)")
#: How far before a bracket the competitor's name may start (four long words and a rank).
_REACH = 90
#: The row's opening rank (`3.`, `11.`, a tie `1=`).
RANK = re.compile(r"^\s*\d{1,3}[.=]?\s")
#: A result after the bracket: a time, a distance, a score (`12.92`, `4:09.25`, `2-0`).
_RESULT_AFTER = re.compile(r"\s*(?:\d|beat\b)")
#: A scorer's minute (`31st`, `75th`, `90`), in a line of scorers (`Romania - X ( 31st )`).
_MINUTE = re.compile(r"^\d{1,3}(?:st|nd|rd|th)?$")
_SCORERS = re.compile(r"^\s*[A-Z][\w .'’\-]*\s+-\s+[A-Z]")
#: What may stand before the name inside a span that took it in: the rank.
_RANK_ONLY = re.compile(r"^\s*\d{1,3}[.=]?\s*$")
#: The model's readings a results row overrides.
_OVERRIDES = frozenset({"place", "org", "person", "work", "event"})


def ranked_rows(parts: Mapping[int, str], spans: Spans) -> None:
    """In a results row (a rank first or a result after a country in brackets, or a
    scorer's minute in a line of scorers), the name of two to four words before the bracket
    is a person where the model missed it, read it as an organisation, a place, a work or an
    event, found only part of it, or ran a span over the rank; never a name the gazetteer
    knows as a place, nor over a rule's span."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "(" not in text:
            continue
        ranked = RANK.match(text) is not None
        scorers: bool | None = None
        previous = 0
        for bracket in _BRACKET.finditer(text):
            # The name right before the bracket, searched near it only (most text is none)
            # and after the bracket before it, as one scan of the whole part would.
            start = max(previous, bracket.start() - _REACH)
            previous = bracket.end()
            match = _COMPETITOR.search(text, start, bracket.end())
            if match is None or match.end() != bracket.end():
                continue
            inside = match.group(2)
            if _MINUTE.match(inside):
                if scorers is None:
                    scorers = _SCORERS.search(text) is not None
                if not scorers:
                    continue
            else:
                country = gazetteer.lookup_place(inside)
                if country is None or country.kind != "country":
                    continue
                if not (ranked or _RESULT_AFTER.match(text, match.end())):
                    continue
            start, end = match.span(1)
            if gazetteer.lookup_place(match.group(1)) is not None:
                continue
            new = Span(part, start, end, "person", "ranked-row")
            rivals = spans.overlapping(new)
            if not rivals:  # the model missed the competitor
                spans.add(new)
                continue
            if any(r.sure or r.type not in _OVERRIDES for r in rivals):
                continue
            if len(rivals) == 1 and (rivals[0].start, rivals[0].end) == (start, end):
                if rivals[0].type == "person":
                    continue  # the model read it right
            elif not all(_inside(text, r.start, r.end, start, end) for r in rivals):
                continue
            new.label = rivals[0].label
            spans.put(new)


def _inside(text: str, start: int, end: int, name_start: int, name_end: int) -> bool:
    """The span lies within the name, or covers the rank before it and ends in the name."""
    if end > name_end:
        return False
    return start >= name_start or _RANK_ONLY.match(text[start:name_start]) is not None
