"""A company's division or unit is an organisation: `its key Yugansk division`.

The small model reads a company's production unit named after its region (`Yugansk`, of
Yukos) as a place, and the gazetteer does not know it, so nothing corrects it: the real-news
top 80 listed `Yugansk` among places. A name between a possessive (`its`, `their`, `Yukos's`)
and `division`, `unit`, `subsidiary`, `arm` or `affiliate` is a company's part, and a part of
a company is an organisation. It is library evidence (`store.EVIDENCE_RULES`), so one such
article types the name in the others.

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

_NAME = r"[A-Z][\w'’\-]*[a-z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*[a-z][\w'’\-]*){0,2}"
#: `its key Yugansk division`, `Yukos's Yugansk unit`, `their German subsidiary Opel`.
_UNIT = re.compile(
    r"(?:\b(?:its|their)|[A-Z]\w+['’]s?)\s+(?:(?:key|main|biggest|largest|core|former|"
    r"production|oil|own)\s+){0,2}"
    rf"({_NAME})\s+(?:division|unit|subsidiary|arm|affiliate)\b"
)
#: Substrings every cue holds, tested before any pattern (most parts have none).
_NEED_WORDS = ("division", "unit", "subsidiar", "arm ", "affiliate")
_NEED = re.compile(r"\b(?:division|unit|subsidiary|arm|affiliate)\b")


def company_units(parts: Mapping[int, str], spans: Spans) -> None:
    """A name after a possessive and before `division`, `unit`, `subsidiary`, `arm` or
    `affiliate` (`its key Yugansk division`) is an organisation where the model read a
    place, a person or a work; a place the gazetteer knows stays one (`its US unit`)."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if not any(word in text for word in _NEED_WORDS) or not _NEED.search(text):
            continue
        for match in _UNIT.finditer(text):
            start, end = match.span(1)
            if gazetteer.lookup_place(match.group(1)) is not None:
                continue
            new = Span(part, start, end, "org", "company-unit")
            rivals = spans.overlapping(new)
            if all(not s.sure and s.type in {"place", "person", "work"} for s in rivals):
                spans.put(new)
