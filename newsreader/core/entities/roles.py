"""An actor's role is in a work: `her lead role in Eternal Sunshine of the Spotless Mind`.

Film titles in entertainment news are often named only in passing, with no `film X` or `X
sequel` for the works layer, and the small model reads them as organisations (`Eternal
Sunshine`, `The Motorcycle Diaries`). An acting role says what the name is: a name after
`lead role in`, `supporting role in`, `title role in`, `cameo in` ... is a work. A bare `role
in` is no cue: `his role in Enron`, `a role in Iraq`.

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

_ROLE = re.compile(
    r"\b(?:(?:lead|leading|title|supporting|starring|cameo|acting|breakthrough|screen)\s+"
    r"(?:role|part|turn)s?(?:\s+as\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?"
    r"|cameo(?:\s+appearance)?)\s+in\s+"
)
#: Substrings every cue holds, tested before any pattern (most parts have none).
_NEED_WORDS = ("role", "part", "turn", "cameo")
_NEED = re.compile(r"\b(?:role|roles|part|parts|turn|turns|cameo)\s")


def roles(parts: Mapping[int, str], spans: Spans) -> None:
    """A model span right after an acting role (`her lead role in X`, `a cameo in X`) is a
    work where the model read an organisation, a person or a place the gazetteer does not
    know."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if not any(word in text for word in _NEED_WORDS) or not _NEED.search(text):
            continue
        for match in _ROLE.finditer(text):
            starts = {match.end()}
            if text.startswith(("The ", "the "), match.end()):
                starts.add(match.end() + 4)
            for span in spans.by_part.get(part, ()):
                if span.start not in starts or span.sure:
                    continue
                if span.type not in {"org", "person", "place"}:
                    continue
                name = text[span.start : span.end]
                if gazetteer.lookup_place(name) is None:
                    spans.put(Span(part, span.start, span.end, "work", "works", span.label))
                break
