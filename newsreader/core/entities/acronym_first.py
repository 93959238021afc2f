"""An acronym written before its full name in brackets is that name: `The FOMC ( Federal Open
Market Committee ) has been forecasting ...`.

The acronyms layer knows the usual order, `Kurdistan Democratic Party ( KDP )`; news also
writes the short form first and explains it in brackets. The small model often finds the
full name and misses the acronym, and then misses it again further on (`The policy-making
FOMC is to meet`), where the consistency layer marks it once the acronym has a type. The
acronym must be spelled by the name's capital initials, in order (`FOMC`: Federal Open
Market Committee), so an unrelated capitalised word before a bracket is not taken.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_ACRONYM_BEFORE = re.compile(r"(?<![\w.&-])([A-Z][A-Z&]{1,7})\s*\(\s*$")
_TYPES = frozenset({"org", "place", "event", "work", "group"})


def spelled_by(acronym: str, name: str) -> bool:
    """The acronym's letters are the name's capital initials in order, the first the
    first (`FOMC` by Federal Open Market Committee; small words such as `of` skipped)."""
    initials = [w[0] for w in name.split() if w[:1].isupper()]
    letters = [c for c in acronym if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0] or len(letters) < 2:
        return False
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def acronym_first(parts: Mapping[int, str], spans: Spans) -> None:
    """`ACRONYM ( Full Name )`: the acronym gets the full name's type, where the model
    found the full name and no other span covers the acronym."""
    from newsreader.core.entities.layers import Span

    for span in list(spans):
        if span.type not in _TYPES:
            continue
        text = parts[span.part]
        name = text[span.start : span.end]
        if " " not in name or not text[span.end : span.end + 3].lstrip().startswith(")"):
            continue
        match = _ACRONYM_BEFORE.search(text, max(0, span.start - 14), span.start)
        if match is None or not spelled_by(match.group(1), name):
            continue
        new = Span(span.part, match.start(1), match.end(1), span.type, "acronym")
        if spans.free(new):
            spans.add(new)
