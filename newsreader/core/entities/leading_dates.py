"""An organisation's or a place's name never opens with a month: `the August Chicago NAPM`.

Financial news dates its figures by month (`the August National Association of Purchasing
Management index`, `Sept Brent`), and the small model takes the month into the name that
follows, so the sidebar lists `August Chicago NAPM` beside `NAPM`. A month at the start of an
organisation or a place the model found, before another capitalised word, is cut off. `May`
is left (`May Department Stores`), and so are the abbreviations that are also first names
(`Jan Smuts Airport`); people keep theirs (`August Wilson`).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_MONTH = re.compile(
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Feb|Apr|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?=[A-Z])"
)


def leading_dates(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span read as an organisation or a place that opens with a month before a
    capitalised word starts after the month."""
    for span in spans:
        if span.sure or span.type not in {"org", "place"}:
            continue
        match = _MONTH.match(parts[span.part], span.start, span.end)
        if match is not None:
            span.start = match.end()
