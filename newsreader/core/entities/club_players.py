"""In a sports story, a town's possessive before a player names the player's club: in
`Baltimore's Eddie Murray cracked his 20th homer`, `Atlanta's Tom Glavine`, `Birmingham's
Gary Breen was selected`, `Baltimore` is the team, an organisation, not the city.

A sports report names a player with the side he plays for (`Chelsea's Frank Lampard`), and
the small model reads the town as a place. A country is left a place: the national side is
named as its country and read as one (`Ireland's Roy Keane`, as the `teams` layer keeps
it), and so is any town outside a sports story (`London's mayor`, `Atlanta's Hartsfield
airport`). The person must follow the possessive at once.

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

#: The possessive after the town, as news prints it or as tokenised text does (`Boston 's`).
_POSSESSIVE = re.compile(r"\s?['’]s\s+")
#: Kinds of place a club is named after.
_TOWNS = frozenset({"city", "state"})


def club_players(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, a town or a state (never a country) followed by a possessive and
    then a person (`Baltimore 's Eddie Murray`) is the person's club, an organisation."""
    from newsreader.core.entities.layers import Span, is_sports

    if not any("'s " in text or "’s " in text for text in parts.values()):
        return
    if not is_sports(parts):
        return
    for part, text in parts.items():
        if "s " not in text:
            continue
        in_part = spans.by_part.get(part, ())
        starts = {s.start for s in in_part if s.type == "person"}
        for span in list(in_part):
            if span.type != "place":
                continue
            after = _POSSESSIVE.match(text, span.end)
            if after is None or after.end() not in starts:
                continue
            place = gazetteer.lookup_place(text[span.start : span.end])
            if place is None or place.kind not in _TOWNS:
                continue
            spans.put(Span(part, span.start, span.end, "org", "club-player", span.label))
