"""A competitor in a results row is a person whatever the model made of the name: a place
(`1. Frankie Fredericks ( Namibia ) 19.97`), a piece of it (`Miller` of `8. Inger Miller (
U.S. ) 11.37`, `Natalia` and `Karimova` as a place and an organisation), or a span that took
in the rank (`11. Wendy Everson ( Britain )`, `1= Igor Trandenkov ( Russia ) 5.86`).

`sports_lines.ranked_people` takes the rows where the model read the whole name, and only
it, as an organisation. The row's shape is the same evidence for the other readings: a rank
first (also a tie, `1=`) or a result after the bracket, and the competitor's country in the
bracket; a team would be named as its country or club, not beside one, and a place is not
listed with a country and a time. The name must not itself be a place the gazetteer knows
(`Berlin ( Germany )` stays a place), and a rule's reading of any of it stands.

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
#: The row's opening rank (`3.`, `11.`, a tie `1=`), or what a competitor follows in a row
#: (a comma, a bracket, `beat`, a spaced dash), then two to four name words and the bracket.
_COMPETITOR = re.compile(
    r"(?:^\s*\d{1,3}(?:\.|=)?\s+|(?<=\s,\s)|(?<=\(\s)|(?<=\bbeat\s)|(?<=\s-\s))"
    rf"((?:{_WORD}\s+){{1,3}}{_WORD})\s+\(\s*(\w[\w .\-]*?)\s*\)"
)
_RANK = re.compile(r"^\s*\d{1,3}(?:\.|=)?\s")
#: A result after the bracket: a time, a distance, a score (`12.92`, `4:09.25`, `2-0`).
_RESULT_AFTER = re.compile(r"\s*(?:\d|beat\b)")
#: What may stand before the name inside a span that took it in: the rank.
_RANK_ONLY = re.compile(r"^\s*\d{1,3}(?:\.|=)?\s*$")
#: The model's readings this row overrides.
_OVERRIDES = frozenset({"place", "org", "person", "work", "event"})


def ranked_rows(parts: Mapping[int, str], spans: Spans) -> None:
    """In a results row (a rank first or a result after the bracket), the name of two to
    four words before a country in brackets is a person where the model read it as a
    place, found only part of it, or ran a span over the rank; never a name the gazetteer
    knows as a place, nor over a rule's span."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "(" not in text:
            continue
        ranked = _RANK.match(text) is not None
        for match in _COMPETITOR.finditer(text):
            if not (ranked or _RESULT_AFTER.match(text, match.end())):
                continue
            country = gazetteer.lookup_place(match.group(2))
            if country is None or country.kind != "country":
                continue
            start, end = match.span(1)
            if gazetteer.lookup_place(match.group(1)) is not None:
                continue
            new = Span(part, start, end, "person", "ranked-row")
            rivals = spans.overlapping(new)
            if not rivals or any(r.sure or r.type not in _OVERRIDES for r in rivals):
                continue
            if len(rivals) == 1 and (rivals[0].start, rivals[0].end) == (start, end):
                if rivals[0].type in {"person", "org"}:
                    continue  # the model's person, or `ranked_people`'s case
            elif not all(_inside(text, r.start, r.end, start, end) for r in rivals):
                continue
            new.label = rivals[0].label
            spans.put(new)


def _inside(text: str, start: int, end: int, name_start: int, name_end: int) -> bool:
    """The span lies within the name, or covers the rank before it and ends in the name."""
    if end > name_end:
        return False
    return start >= name_start or _RANK_ONLY.match(text[start:name_start]) is not None
