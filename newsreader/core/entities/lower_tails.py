"""A lower-case word at the end of a name span is the noun the name modifies, not part of
the name: `Stansted airport` is the place `Stansted`, `the Nation of Islam group` the
organisation `Nation of Islam`, `Le Matin newspaper` the paper `Le Matin`.

English capitalises every main word of a proper name; a lower-case last word is a common
noun after it (`airport`, `group`, `stadium`, `newspaper`, `fans`), which the small model
sometimes runs its span over. The sidebar would then list `Stansted airport` beside
`Stansted`. Works are left alone (`Lord of the Rings` ends in a capital anyway, but titles
may end in anything), and so are a rule's spans; the span is cut to its last capitalised
word, and only if what is left starts with a capital.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: One or more lower-case words at the end of a span, after a space.
_TAIL = re.compile(r"(?:\s+[a-z][a-z'’\-]*)+$")
#: The types whose spans are cut.
_NAMED = frozenset({"person", "org", "place"})


def lower_tails(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span of a person, an organisation or a place that ends in lower-case words
    (`Stansted airport`) ends at its last capitalised word."""
    for part, found in spans.by_part.items():
        text = parts[part]
        for span in found:
            if span.sure or span.type not in _NAMED:
                continue
            tail = _TAIL.search(text, span.start, span.end)
            if tail is None or tail.start() <= span.start:
                continue
            if text[span.start].isupper():
                span.end = tail.start()
