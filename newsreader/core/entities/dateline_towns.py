"""A dateline's town is a place even where the gazetteer does not know it.

`LONGYEAR , Norway 1996-08-30`, `TOFTIR , Faroe Islands 1996-08-31`: a news agency's
dateline names the town the story was filed from, then its country or state, then the date.
The datelines layer trusts only towns the gazetteer knows, and the small model reads a small
town in capitals as an organisation. The shape is the evidence: a capitalised name, a comma,
a place the gazetteer knows, and a date (or the agency's name in brackets).

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

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d"
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,2})\s*,\s*"
    r"([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2})"
    rf"\s+(?=\d{{4}}-\d\d-\d\d|{_MONTH}|\((?:Reuters|AFP|AP|Bloomberg|Xinhua|dpa|EFE)\))"
)

#: A whole part of a name in capitals and an ISO date: `BOMBAY 1996-08-30`.
_BARE_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,2})\s+\d{4}-\d\d-\d\d\s*$"
)


def dateline_towns(parts: Mapping[int, str], spans: Spans) -> None:
    """A part that opens `TOWN , Region <date>` where the gazetteer knows the region (a
    country or a state): the town and the region are places, whatever the model read them
    as (or missed). A part that is nothing but a name in capitals and an ISO date
    (`BOMBAY 1996-08-30`, `MONTE CARLO 1996-08-30`) is a dateline too."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        found: list[tuple[int, int]] = []
        if match := _DATELINE.match(text):
            region = gazetteer.lookup_place(match.group(2))
            if region is None or region.kind == "city":
                continue
            found = [match.span(1), match.span(2)]
        elif match := _BARE_DATELINE.match(text):
            found = [match.span(1)]
        for start, end in found:
            new = Span(part, start, end, "place", "dateline")
            if not any(s.sure for s in spans.overlapping(new)):
                spans.put(new)
