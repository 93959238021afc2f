"""`In Montreal , Scott Sanders allowed one hit ...`: the town where a game was played.

Rules v18 (issue 12, quality). A sports round-up opens each game's paragraph with its
venue: `In Montreal ,`, `In St Louis ,`. The town is also the home club's name, and once
`teams` or the results tables read it as a club, the consistency layer spreads that reading
to every mention, the venue too. A town the gazetteer knows, after a paragraph's opening
`In` and before a comma, is where the game was played: a place (so is a town the model
itself read as a place there, before a layer made it the club). Only in a sports story
(elsewhere the consistency layer's reading is left alone) and only the opening `In`: `At
Chelsea ,` may name the club. Runs after the consistency layer, as `venues` does.

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

#: The model's labels for a place: it read the town itself as one.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: A paragraph's opening `In`, a town of one to three words, a comma.
_OPENING = re.compile(r"^\s*In\s+([A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,2})\s*,")


def game_towns(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, a town after a paragraph's opening `In` and before a comma (`In
    Montreal , Scott Sanders ...`), one the gazetteer knows or the model read as a place, is
    where the game was played: a place, where an earlier layer made it the home club."""
    from newsreader.core.entities.layers import Span, is_sports

    if not is_sports(parts):
        return
    for part, text in parts.items():
        match = _OPENING.match(text)
        if match is None:
            continue
        start, end = match.span(1)
        rivals = spans.overlapping(Span(part, start, end, "place"))
        if len(rivals) != 1 or (rivals[0].start, rivals[0].end, rivals[0].type) != (
            start,
            end,
            "org",
        ):
            continue
        label = rivals[0].label
        if label in _PLACE_LABELS or gazetteer.lookup_place(match.group(1)) is not None:
            spans.put(Span(part, start, end, "place", "game-town", label))
