"""Names the model cut short, completed from the name the article itself gives.

In a Title-Case headline the model often stops a name early: `... Money Went To Stormy
Daniels` gave the organisation `Stormy`, while the body says `porn star Stormy Daniels`. The
consistency layer cannot mark the whole name there, because the cut span already holds the
place. The cure is the article's own evidence: where the text at a span goes on with the rest
of a longer name the article names (in the body or anywhere else), the span is that name.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: The types whose longer names are projected (dates and numbers are left alone).
_PROJECTED = frozenset({"person", "org", "place", "event", "work"})


def cut_short(parts: Mapping[int, str], spans: Spans) -> None:
    """A span the model cut short (`Stormy` in a headline's `... To Stormy Daniels`) where
    the text goes on with the rest of a longer name the article names elsewhere (`Stormy
    Daniels` in the body) becomes that name, with the type the article gives it; also when
    the cut is at the front (`Daniels` of `Stormy Daniels`). Only whole words, and only over
    the model's spans."""
    from newsreader.core.entities.layers import NAME_TYPES, Span

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for span in spans:
        surface = parts[span.part][span.start : span.end]
        if span.type in _PROJECTED and " " in surface and surface[:1].isupper():
            votes[surface][span.type] += 1000 if span.sure else 1
    if not votes:
        return
    by_word: dict[str, list[str]] = defaultdict(list)
    for surface in sorted(votes, key=len, reverse=True):
        for word in set(surface.split()):
            by_word[word].append(surface)
    for span in list(spans):
        if span.sure or span.type not in NAME_TYPES:
            continue
        text = parts[span.part]
        surface = text[span.start : span.end]
        first = surface.split()[0] if surface.split() else ""
        for longer in by_word.get(first, ()):
            if len(longer) <= len(surface):
                continue
            at = longer.find(surface)
            if at < 0 or (at and longer[at - 1] != " "):
                continue
            end_in_longer = at + len(surface)
            if end_in_longer < len(longer) and longer[end_in_longer] != " ":
                continue
            start = span.start - at
            end = start + len(longer)
            if start < 0 or text[start:end] != longer or not _whole(text, start, end):
                continue
            counter = votes[longer]
            kind = max(counter, key=lambda k: counter[k])
            spans.put(Span(span.part, start, end, kind, "cut-short", label=span.label))
            break


def _whole(text: str, start: int, end: int) -> bool:
    """No letter or digit right before `start` or right after `end`."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())
