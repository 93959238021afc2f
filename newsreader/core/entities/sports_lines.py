"""Sports results and fixtures: who is a competitor, a team, or the place of a game.

Rules v15 (issue 12, organisations). On CoNLL-2003's sports pages the small model reads
whole lines wrongly in ways a reader sees at once:

- `1. Olaf Ludwig ( Germany ) Telekom 4 hours`: the rider's team after his country (`row_teams`;
  the rider himself is `ranked_rows`' competitor);
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
from newsreader.core.entities.ranked_rows import RANK

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

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


def row_teams(parts: Mapping[int, str], spans: Spans) -> None:
    """In a ranked results row, the capitalised run right after the competitor's country in
    brackets is their team, an organisation (`1. Olaf Ludwig ( Germany ) Telekom 4 hours`,
    `Alex Zanardi ( Italy ) , Reynard Honda , 53.980`): cycling and motor racing list the
    rider's team or the car there. The competitor must be a person, the bracket a country,
    and the run end at a comma, a result or the row's end."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "(" not in text or not RANK.match(text):
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
