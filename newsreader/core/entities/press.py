"""Newspapers and news agencies named with what they are: `PAP news agency reported`,
`Liberte newspaper said`, `quoted by the daily Sueddeutsche Zeitung`.

News cites its sources by name and kind, and the small model reads the name as a place
(`Liberte`), a person (`Sueddeutsche Zeitung`), takes the kind into the name (`PAP news
agency`) or misses it (`Itar-Tass news agency`). The descriptors layer knows `newspaper X`;
this one knows the kind after the name and `the daily X`: the name is an organisation. A known
place (`a London newspaper`), a weekday (`Sunday newspaper`) and a group's adjective
(`Polish newspaper`, which the model reads as a group) are not names of the paper.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer
from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_NAME = r"[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|de|del|della|dello|di|du|la|le))*?"
_KIND = r"(?:news\s+agency|newspaper|daily|weekly|magazine)"
_AFTER = re.compile(rf"(?<![\w'’-])({_NAME})\s+{_KIND}\b")
_BEFORE = re.compile(r"\b(?:the\s+)?(?:daily|weekly)\s+([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)")
#: Substrings every cue holds, tested before any pattern (most parts have none).
_NEED_WORDS = ("agency", "newspaper", "daily", "weekly", "magazine")
_NEED = re.compile(r"\b(?:agency|newspaper|daily|weekly|magazine)\b")
_OVER = frozenset({"person", "place", "work", "org"})
_NOT_NAMES = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "The",
        "A",
        "An",
        "This",
        "That",
        "Its",
        "His",
        "Her",
        "Their",
        "State",
        "Government",
        "Party",
        "Opposition",
        "Official",
    ]
)


def press(parts: Mapping[int, str], spans: Spans) -> None:
    """A name right before `news agency`, `newspaper`, `daily`, `weekly` or `magazine`, or
    after `the daily` / `the weekly`, is an organisation (a span that took the kind in
    ends before it)."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if not any(word in text for word in _NEED_WORDS) or not _NEED.search(text):
            continue
        for pattern in (_AFTER, _BEFORE):
            for match in pattern.finditer(text):
                start, end = match.span(1)
                name = match.group(1)
                if name.split()[0] in _NOT_NAMES or gazetteer.lookup_place(name) is not None:
                    continue
                if len(name) < 3 or (
                    " " not in name and english.common(name) and not name.isupper()
                ):
                    continue
                new = Span(part, start, end, "org", "press")
                rivals = spans.overlapping(new)
                if all(not s.sure and s.type in _OVER for s in rivals):
                    spans.put(new)
