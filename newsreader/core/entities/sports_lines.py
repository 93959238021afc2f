"""Sports results and fixtures: who is a competitor, a team, or the place of a game.

Rules v15 (issue 12, organisations). On CoNLL-2003's sports pages the small model reads
whole lines wrongly in ways a reader sees at once:

- `3. Aliuska Lopez ( Cuba ) 12.92`: a ranked athlete with her country in brackets, read as
  an organisation (`ranked_people`);
- `Norwich 1 Wolverhampton 0`, `Birmingham v Barnsley`: two sides and a score read as one
  person, which the results-table layer then leaves alone (`fixtures` cuts it first);
- `KANSAS CITY AT DETROIT`: the second town is where the game is played, a place, not a
  side (`venues`);
- `the Florida Marlins`, `the Minnesota Twins`: a town and a team's plural name, read as a
  place and a person (`team_names`).

`layers` registers these layers in its `LAYERS` and imports this module, so `layers` is
imported here only when a layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_WORD = r"[A-Z][\w'’\-]*[a-z][\w'’\-]*"
#: A results row: a rank, a name, its country in brackets (`3. Aliuska Lopez ( Cuba ) 12.92`,
#: also without the rank: `Florian Rousseau ( France ) beat Ainars Kiksis ( Latvia )`).
_RANKED = re.compile(
    r"(?:^|(?<=\d\.\s)|(?<=\s,\s)|(?<=\(\s)|(?<=\bbeat\s)|(?<=\s-\s))"
    rf"((?:{_WORD}\s+){{1,3}}{_WORD})\s+\(\s*(\w[\w .\-]*?)\s*\)"
)
_BRACKET = re.compile(r"\(\s*\w[\w .\-]*?\s*\)")
_RANK = re.compile(r"^\s*\d{1,3}\.?\s")
#: A result after the bracket: a time, a distance, a score (`12.92`, `4:09.25`, `2-0`).
_RESULT_AFTER = re.compile(r"\s*(?:\d|beat\b)")
#: A scorer's minute (`31st`, `75th`, `90`), in a line of scorers (`Romania - X ( 31st )`).
_MINUTE = re.compile(r"^\d{1,3}(?:st|nd|rd|th)?$")
_SCORERS = re.compile(r"^\s*[A-Z][\w .'’\-]*\s+-\s+[A-Z]")
#: After the competitor's country: the team (`( Germany ) Telekom 4 hours`, `( Italy ) ,
#: Reynard Honda , 53.980`, `( Netherlands ) TVM same time`).
_ROW_TEAM = re.compile(
    r"\(\s*([A-Z][\w .\-]*?)\s*\)\s*,?\s+([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})"
    r"(?=\s*(?:,|\d|$|same\b|all\b|at\b))"
)
#: A standalone score or a `v` between two capitalised words inside one span.
_JOINT = re.compile(r"\s+(?:\d{1,3}|v|vs\.?)\s+(?=[A-Z])")
#: A fixture line: `KANSAS CITY AT DETROIT`, `Boston at Oakland` (the second is the venue).
_AT_LINE = re.compile(r"^\s*[A-Z][\w'’&.\-]*(?:\s+[A-Z][\w'’&.\-]*){0,3}\s+(?:AT|at)\s+(.+?)\s*$")
#: A team's plural name after its town: `Marlins`, `Red Sox`, `Blue Jays`.
_PLURAL_NAME = re.compile(r"\s+((?:[A-Z][a-z]+\s+)?[A-Z][a-z]+(?:s|x))\b(?!['’])")


def ranked_people(parts: Mapping[int, str], spans: Spans) -> None:
    """A name of two to four title-case words right before a bracket that holds a country
    or a minute, in a results row (after its rank, a dash, a comma, a bracket or `beat`), is
    a competitor: a person, where the model read an organisation (`3. Aliuska Lopez ( Cuba )
    12.92`, `Romania - Cosmin Contra ( 31st )`, a scorer and the minute). A team would be
    named as its country or its club, not beside one. The row is a results row by its shape
    (a rank first, or a result after the bracket), so no sports story is needed: athletics
    results have few of the words `is_sports` counts."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "(" not in text:
            continue
        previous = 0
        for bracket in _BRACKET.finditer(text):
            # The name right before the bracket, searched near it only (most text is none)
            # and after the bracket before it, as one scan of the whole part would.
            start = max(previous, bracket.start() - 90)
            previous = bracket.end()
            match = _RANKED.search(text, start, bracket.end())
            if match is None or match.end() != bracket.end():
                continue
            inside = match.group(2)
            if _MINUTE.match(inside):
                if not _SCORERS.search(text):
                    continue
            else:
                place = gazetteer.lookup_place(inside)
                if place is None or place.kind != "country":
                    continue
                if not (_RANK.match(text) or _RESULT_AFTER.match(text, match.end())):
                    continue
            start, end = match.span(1)
            rivals = spans.overlapping(Span(part, start, end, "person"))
            if not rivals:  # the model missed the competitor
                spans.add(Span(part, start, end, "person", "ranked"))
            elif all(
                not s.sure and s.type == "org" and (s.start, s.end) == (start, end) for s in rivals
            ):
                spans.put(Span(part, start, end, "person", "ranked", rivals[0].label))


def row_teams(parts: Mapping[int, str], spans: Spans) -> None:
    """In a ranked results row, the capitalised run right after the competitor's country in
    brackets is their team, an organisation (`1. Olaf Ludwig ( Germany ) Telekom 4 hours`,
    `Alex Zanardi ( Italy ) , Reynard Honda , 53.980`): cycling and motor racing list the
    rider's team or the car there. The competitor must be a person, the bracket a country,
    and the run end at a comma, a result or the row's end."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "(" not in text or not _RANK.match(text):
            continue
        for match in _ROW_TEAM.finditer(text):
            place = gazetteer.lookup_place(match.group(1))
            if place is None or place.kind != "country":
                continue
            before = [s for s in spans.by_part.get(part, ()) if s.end <= match.start()]
            if not before or max(before, key=lambda s: s.end).type != "person":
                continue
            start, end = match.span(2)
            if gazetteer.lookup_place(match.group(2)) is not None:
                continue
            new = Span(part, start, end, "org", "row-team")
            if all(not s.sure and s.type != "number" for s in spans.overlapping(new)):
                spans.put(new)


def fixtures(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, a model span that runs across a score or a `v` between two
    capitalised words (`Norwich 1 Wolverhampton`, `Birmingham v Barnsley`) is two sides,
    split there, each keeping the span's type; the results-table layer then types them."""
    from newsreader.core.entities.layers import NAME_TYPES, Span, is_sports

    if not is_sports(parts):
        return
    for span in list(spans):
        if span.sure or span.type not in NAME_TYPES:
            continue
        text = parts[span.part]
        joints = list(_JOINT.finditer(text, span.start, span.end))
        if not joints:
            continue
        spans.by_part[span.part].remove(span)
        start = span.start
        for joint in [*joints, None]:
            end = span.end if joint is None else joint.start()
            piece = text[start:end]
            if piece[:1].isupper() and not piece.endswith((" v", " vs", " vs.")):
                spans.add(Span(span.part, start, end, span.type, label=span.label))
            if joint is not None:
                start = joint.end()


def venues(parts: Mapping[int, str], spans: Spans) -> None:
    """In a fixtures line `KANSAS CITY AT DETROIT` the second town is where the game is
    played: a place, not a side (the first is the visiting team). Only a town the gazetteer
    knows; run after the consistency layer, so the venue does not spread to the standings
    (`DETROIT 50 85 .370`), where the town names the team."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        match = _AT_LINE.match(text)
        if match is None or gazetteer.lookup_place(match.group(1)) is None:
            continue
        start, end = match.span(1)
        rivals = spans.overlapping(Span(part, start, end, "place"))
        if all(s.type in {"org", "place"} and (s.start, s.end) == (start, end) for s in rivals):
            spans.put(Span(part, start, end, "place", "venue"))


def team_names(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, a town followed by a capitalised plural (`Florida Marlins`,
    `Minnesota Twins`, `Boston Red Sox`) is one team, an organisation, where the model read
    the town as a place or a team and the plural apart (or not at all); the plural is no
    known place (`Kansas City`)."""
    from newsreader.core.entities.layers import NAME_TYPES, Span, is_sports

    if not is_sports(parts):
        return
    for span in list(spans):
        if span.type not in {"place", "org"}:
            continue
        text = parts[span.part]
        match = _PLURAL_NAME.match(text, span.end)
        if match is None or gazetteer.lookup_place(text[span.start : span.end]) is None:
            continue
        plural = match.group(1)
        if gazetteer.lookup_place(plural) is not None:
            continue
        new = Span(span.part, span.start, match.end(1), "org", "team-name", span.label)
        rivals = spans.overlapping(new)
        if all(
            s is span
            or (s.start >= match.start(1) and s.type in NAME_TYPES and s.rule in {"", "teams"})
            for s in rivals
        ):
            spans.put(new)
