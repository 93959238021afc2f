"""In a list of people, every name is a person: also the one the model skipped (`Romesh
Kaluwitharana , Asanka Gurusinha , Aravinda de Silva`, of which it found one), and a
surname it read as a town (`Given , Breen , Staunton , Irwin , ... , Houghton , Townsend ,
Quinn`).

`list_mates` retypes the names the model found in a list of people and read as
organisations or works; a name it found nothing at, or read as a place, stays wrong there,
and squads, line-ups and a story's list of the accused are where the small model skips
names it never saw. A list is of one kind, so where most of the names found in it are
people, a gap between two separators that holds one to three title-case words (no common
English word alone, no organisation word, no place the gazetteer knows) is a person, and so
is a name in it read as a place the gazetteer does not know (or, where three names in four
are people, a small town's: `Houghton`). The list may begin at the start of the part or
after a colon, and end at its end (a line broken mid-list, as tables are).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer
from newsreader.core.entities import words as english
from newsreader.core.entities.list_mates import ORG_WORDS

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Span, Spans

_SEP = r"\s*(?:,|;|,?\s+and)\s+"
_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|O'[A-Z][a-z]+"
_NAME = rf"(?:{_WORD})(?:\s+(?:{_WORD})){{0,2}}"
#: Two found names with nothing or one missing name between them.
_BETWEEN = re.compile(rf"{_SEP}(?:({_NAME}){_SEP})?")
#: A missing name before the list's first found name, or after its last.
_OPENS = re.compile(rf"(?:^|[:;]\s)\s*({_NAME}){_SEP}$")
_CLOSES = re.compile(rf"^{_SEP}({_NAME})\s*[,.]?\s*$")
#: A town this small, listed among people, is more likely a surname (`Houghton`).
_TOWN = 100_000


def list_gaps(parts: Mapping[int, str], spans: Spans) -> None:
    """In a list of four or more names separated by commas (mostly people among those the
    model found), a name it skipped, or read as a place the gazetteer does not know, is a
    person."""
    from newsreader.core.entities.layers import NAME_TYPES
    from newsreader.core.entities.layers import Span as NewSpan

    for part, found in spans.by_part.items():
        text = parts[part]
        if len(found) < 2 or text.count(",") < 2:
            continue
        named = sorted((s for s in found if s.type in NAME_TYPES), key=lambda s: s.start)
        for members, gaps in _lists(text, named):
            if len(members) + len(gaps) < 4:
                continue
            people = sum(1 for s in members if s.type == "person")
            if people < 2 or people * 2 <= len(members):
                continue
            # Three in four people or more: a small town's name in it is a surname too.
            strong = people >= 3 and people * 4 >= len(members) * 3
            for start, end in gaps:
                if _person_like(text[start:end], strong):
                    spans.add(NewSpan(part, start, end, "person", "list-gap"))
            for span in members:
                if span.sure or span.type != "place":
                    continue
                if _person_like(text[span.start : span.end], strong):
                    spans.put(NewSpan(part, span.start, span.end, "person", "list-gap", span.label))


def _lists(text: str, named: list[Span]) -> list[tuple[list[Span], list[tuple[int, int]]]]:
    """Runs of found names joined by separators, each with the missing names' offsets."""
    runs: list[tuple[list[Span], list[tuple[int, int]]]] = []
    members: list[Span] = []
    gaps: list[tuple[int, int]] = []

    def close() -> None:
        if members:
            after = _CLOSES.match(text[members[-1].end :])
            if after is not None:
                offset = members[-1].end
                gaps.append((offset + after.start(1), offset + after.end(1)))
            runs.append((list(members), list(gaps)))

    for span in named:
        if members:
            between = _BETWEEN.fullmatch(text, members[-1].end, span.start)
            if between is not None:
                if between.group(1):
                    gaps.append(between.span(1))
                members.append(span)
                continue
            close()
        members, gaps = [span], []
        before = _OPENS.search(text, max(0, span.start - 60), span.start)
        if before is not None:
            gaps.append(before.span(1))
    close()
    return runs


def _person_like(name: str, strong: bool) -> bool:
    """One to three name words, no common English word alone, no organisation's word, no
    place the gazetteer knows (in a list of three people in four or more: no country, state
    or city of 100,000 people or more)."""
    words = name.split()
    if not 1 <= len(words) <= 3 or any(w in ORG_WORDS for w in words):
        return False
    if len(words) == 1 and (english.common(name) or name.lower() in english.stop_words()):
        return False
    place = gazetteer.lookup_place(name)
    if place is None:
        return True
    return strong and place.kind == "city" and place.population < _TOWN
