"""Names never start with a lower-case determiner, possessive or other function word.

The model now and then takes the word before a name into it: `a Hans Christian Andersen
award`, `a "Santa Fe Strong" sign`, `his Oscar`. The sidebar then lists `a Hans Christian
Andersen` beside `Hans Christian Andersen`. `layers.from_model` trims a leading `the`; this
layer trims any lower-case stop word (spaCy's list: `a`, `an`, `this`, `his`, `their` ...)
and the quotes after it, so the name starts where it does (`van`, `de`, `al` and the other
name particles are no stop words, and the model's spans rarely open with them anyway).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_LEADING_WORD = re.compile(r"([a-z]+)\s+[\"“‘'(]*")


def determiners(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span that opens with lower-case function words (`a Hans Christian Andersen`,
    `a "Santa Fe Strong`) starts after them and the quotes that follow; one left with no
    capitalised word is dropped."""
    from newsreader.core.entities.layers import NAME_TYPES

    for span in list(spans):
        if span.sure or span.type not in NAME_TYPES:
            continue
        text = parts[span.part]
        start = span.start
        while (match := _LEADING_WORD.match(text, start, span.end)) is not None:
            if match.group(1) not in english.stop_words():
                break
            start = match.end()
        if start == span.start:
            continue
        if start >= span.end or not text[start : span.end][:1].isupper():
            spans.by_part[span.part].remove(span)
        else:
            span.start = start
