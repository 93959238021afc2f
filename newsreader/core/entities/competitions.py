"""A competition is an event: `UEFA Cup`, `Fed Cup`, `Berlin Grand Prix`, `British Masters`.

The small model reads most competitions named after their organiser or place as
organisations (`the UEFA Cup`, `Fed Cup veteran`), and the sidebar then lists them beside
clubs and companies. A name ending in `Cup`, `Grand Prix`, `Championship(s)`, `Olympics` or
`Trophy` is the competition, an event; in a sports story so is one ending in `Open`, `Games`,
`Masters` or `Classic` (elsewhere `Rockstar Games` is a company). Leagues and tours are
left alone: a league is also the body that runs it.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_ANYWHERE = re.compile(
    r"\s(?:Cup|Grand Prix|GRAND PRIX|Championships?|Olympics|Trophy|CUP|CHAMPIONSHIPS?)$"
)
_IN_SPORTS = re.compile(r"\s(?:Open|Games|Masters|Classic|OPEN|GAMES|MASTERS)$")
#: The last words both patterns end in, tested first with `str.endswith` (cheap).
_ENDINGS = (
    "Cup",
    "Prix",
    "PRIX",
    "Championship",
    "Championships",
    "Olympics",
    "Trophy",
    "CUP",
    "CHAMPIONSHIP",
    "CHAMPIONSHIPS",
    "Open",
    "Games",
    "Masters",
    "Classic",
    "OPEN",
    "GAMES",
    "MASTERS",
)
_OVER = frozenset({"org", "person", "place"})


def competitions(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span of two or more words ending in `Cup`, `Grand Prix`, `Championship(s)`,
    `Olympics` or `Trophy` (in a sports story also `Open`, `Games`, `Masters`, `Classic`)
    is an event where the model read an organisation, a person or a place."""
    from newsreader.core.entities.layers import is_sports

    sports: bool | None = None
    for span in spans:
        if span.sure or span.type not in _OVER:
            continue
        name = parts[span.part][span.start : span.end]
        if not name.endswith(_ENDINGS):
            continue
        if _ANYWHERE.search(name):
            span.type, span.rule = "event", "competition"
        elif _IN_SPORTS.search(name):
            if sports is None:
                sports = is_sports(parts)
            if sports:
                span.type, span.rule = "event", "competition"
