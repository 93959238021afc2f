"""A conjunction that opens a sentence is not part of the name after it: in `But Le Matin
newspaper , quoting witnesses , said`, the name is `Le Matin`; in `And Smith said`, `Smith`.

The sentence's first word is capitalised, so the small model sometimes runs a name span
over it. The `determiners` layer trims lower-case function words at a span's start (`a
Hans Christian Andersen`); this layer trims the capitalised conjunctions and sentence
adverbs that open a clause (`But`, `And`, `Yet`, `Although`, `Meanwhile` ...), none of which
begins a person's, an organisation's or a place's name. Titles of works are left alone
(`When Harry Met Sally`), and a span with nothing capitalised left is dropped. The rules'
spans are trimmed too (a rule that reads a capitalised run before `newspaper` took `But`
with it), so the layer runs after them, before the names are spread through the article.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_OPENERS = re.compile(
    r"(?:But|And|Or|Nor|Yet|So|Although|Though|While|Whereas|Because|If|Unless|However|"
    r"Meanwhile|Moreover|Nevertheless|Still|Also|Then|Thus|Hence)\s+"
)
#: The types whose spans are trimmed.
_NAMED = frozenset({"person", "org", "place", "group", "event"})


def opening_conjunctions(parts: Mapping[int, str], spans: Spans) -> None:
    """A span of a name that opens with a capitalised conjunction or sentence adverb
    (`But Le Matin`) starts after it; dropped if nothing capitalised is left."""
    for part, found in spans.by_part.items():
        text = parts[part]
        for span in list(found):
            if span.type not in _NAMED:
                continue
            opener = _OPENERS.match(text, span.start, span.end)
            if opener is None:
                continue
            if text[opener.end() : span.end][:1].isupper():
                span.start = opener.end()
            else:
                found.remove(span)
