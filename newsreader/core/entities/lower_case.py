"""A name is written with a capital: a span the model took for a person, an organisation
or a place with no capital letter in it (`methanol`, `the run-up`, `par-71`, `price-in`,
`the south coast`, `the defence ministry`) is no name.

English writes proper names with a capital letter (`eBay` and `easyJet` have theirs
inside); the small model sometimes marks a lower-case noun, a hyphenated compound or a
descriptive phrase, which the sidebar would then list as a name. Only the model's spans are
dropped: a rule's evidence stands.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: The types whose spans must be names (groups, works, dates and numbers are left alone).
_NAMED = frozenset({"person", "org", "place"})


def lower_case(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span of a person, an organisation or a place with no capital letter in it is
    dropped."""
    for part, found in spans.by_part.items():
        text = parts[part]
        for span in list(found):
            if span.sure or span.type not in _NAMED:
                continue
            surface = text[span.start : span.end]
            if surface == surface.lower() and any(c.isalpha() for c in surface):
                found.remove(span)
