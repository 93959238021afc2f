"""A company named in full once and by its first word after: the short name is that company.

News names a company in full and then shortly: `Altria Group, RJ Reynolds Tobacco ...` and,
a paragraph later, `Altria rising 5%`. The model, which has never seen `Altria`, reads the
short name as a person. `person_chains` does the same for people (`Smirnov` after `Alexei
Smirnov`); this layer does it for organisations. In a large library, the store's
consolidation has other articles to go on; in a small one, the article is all there is.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer
from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: The model's readings a short name overrides (a group, `German`, stays a group).
_OVER = frozenset({"person", "place", "work"})


def short_orgs(parts: Mapping[int, str], spans: Spans) -> None:
    """A single word the model read as a person, place or work that is the first word of
    an organisation the article names in several words (`Altria` after `Altria Group`) is
    that organisation; not when a person the article names has the word in their name
    (`Morgan` beside `Piers Morgan`), nor a known place (`Manchester` of `Manchester
    United`), nor a common English word (`General` of `General Motors`)."""
    from newsreader.core.entities.layers import Span

    firsts: dict[str, set[str]] = defaultdict(set)
    people: set[str] = set()
    for span in spans:
        words = parts[span.part][span.start : span.end].split()
        if span.type == "org" and len(words) > 1:
            firsts[words[0]].add(" ".join(words))
        elif span.type == "person" and len(words) > 1:
            people.update(words)
    if not firsts:
        return
    for span in list(spans):
        if span.sure or span.type not in _OVER:
            continue
        word = parts[span.part][span.start : span.end]
        if word not in firsts or word in people or not word[1:].islower() or len(word) < 3:
            continue
        if english.common(word) or gazetteer.lookup_place(word) is not None:
            continue
        spans.put(Span(span.part, span.start, span.end, "org", "short-org", span.label))
