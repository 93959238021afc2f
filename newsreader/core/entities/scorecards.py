"""The players in a cricket scorecard are people: `S. Law c Tillekeratne b Dharmasena 13`.

Rules v18 (issue 12, quality). A scorecard's rows have a fixed shape that a reader knows at
once and the small model does not: it reads a bowler as an organisation (`b Dharmasena`), a
wicket-keeper as a place (`st Kaluwitharana`), or runs a span over the dismissal
(`J. Gillespie st Kaluwitharana`). Three kinds of row, each a whole line:

- a batsman's row: the batsman, how he was out, who caught him (`c`), stumped him (`st`) or
  bowled him (`b`), and his runs: `M. Bevan c Vaas b Chandana 56`, `A. Ranatunga lbw b
  Fleming 0`, `M. Waugh c and b Jayasuriya 50`, `R. Ponting not out 46`;
- a bowling line: each bowler with his overs, maidens, runs and wickets, `Bowling : Vass
  7-0-29-0 , de Silva 4-0-25-0 , Dharmasena` (a line may end in a name whose figures follow
  on the next line);
- `Did not bat : Dharmasena , Vaas , Muralitharan .`

Every name in such a row is a person whatever the model read; a rule's reading stands. The
shape is the evidence, so no sports story is asked for. A player is initials and a surname,
with a particle (`A.de Silva`, `de Silva`), as scorecards print them.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: A player as a scorecard prints him: initials, a particle, a surname.
_PARTICLE = r"(?:de|da|van|der|den|du|le|al|el|ul|bin)"
_PLAYER = rf"(?:[A-Z]\.\s?)*(?:{_PARTICLE}\s+)*[A-Z][\w'’\-]*[a-z][\w'’\-]*"
_P = rf"({_PLAYER})"
#: A batsman's row: the batsman, his dismissal (naming up to two fielders), his runs.
_BATTING = re.compile(
    rf"^\s*{_P}\s+(?:c\s+{_P}\s+b\s+{_P}|c\s+and\s+b\s+{_P}|st\s+{_P}\s+b\s+{_P}|"
    rf"lbw\s+b\s+{_P}|hit\s+wicket\s+b\s+{_P}|b\s+{_P}|run\s+out(?:\s*\(\s*{_P}\s*\))?|"
    r"not\s+out|retired\s+(?:hurt|out))\s+\d{1,3}\s*$"
)
#: A bowler and his figures (overs, maidens, runs, wickets): `Vass 7-0-29-0`.
_FIGURES = r"\d{1,2}(?:\.\d)?-\d{1,2}-\d{1,3}-\d{1,2}"
_BOWLER = re.compile(rf"{_P}\s+{_FIGURES}")
#: A bowling line: optionally `Bowling :`, then bowlers and figures between commas, maybe a
#: last name whose figures follow on the next line.
_BOWLING = re.compile(
    rf"^\s*(?:Bowling\s*:\s*)?{_PLAYER}\s+{_FIGURES}(?:\s*,\s*{_PLAYER}\s+{_FIGURES})*"
    rf"(?:\s*,\s*{_PLAYER})?\s*[,.]?\s*$"
)
_LAST_BOWLER = re.compile(rf",\s*{_P}\s*[,.]?\s*$")
#: `Did not bat : A , B , C .`
_DID_NOT_BAT = re.compile(
    rf"^\s*Did\s+not\s+bat\s*:\s*{_PLAYER}(?:\s*,\s*(?:and\s+)?{_PLAYER})*\s*\.?\s*$"
)
_LISTED = re.compile(_P)


def scorecards(parts: Mapping[int, str], spans: Spans) -> None:
    """In a cricket scorecard's row (a batsman's dismissal and runs, a bowling line of
    figures, `Did not bat :`), every player named is a person, whatever the model read;
    a rule's reading stands."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        for start, end in _players(text):
            new = Span(part, start, end, "person", "scorecard")
            rivals = spans.overlapping(new)
            if any(r.sure for r in rivals):
                continue
            if any((r.start, r.end, r.type) == (start, end, "person") for r in rivals):
                continue  # the model read it right
            new.label = rivals[0].label if rivals else ""
            spans.put(new)


def _players(text: str) -> Iterator[tuple[int, int]]:
    """Where the players of a scorecard row are in `text`; none if it is no such row."""
    if not any(c.isdigit() for c in text) and "bat" not in text:
        return
    if match := _BATTING.match(text):
        for group in range(1, (match.re.groups or 0) + 1):
            if match.group(group) is not None:
                yield match.span(group)
    elif _BOWLING.match(text):
        for bowler in _BOWLER.finditer(text):
            yield bowler.span(1)
        if last := _LAST_BOWLER.search(text):
            yield last.span(1)
    elif match := _DID_NOT_BAT.match(text):
        colon = text.index(":")
        for player in _LISTED.finditer(text, colon + 1):
            yield player.span(1)
