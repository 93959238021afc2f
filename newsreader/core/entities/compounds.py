"""Hyphenated headline words that are no names: `Adult-Themed`, `Anti-Abortion`, `At-Risk`.

A Title-Case headline capitalises both halves of a compound, and the vocabulary splits on
hyphens, so neither the sentence-case step (`headlines`) nor the dictionary (`headline_words`)
knows `Adult-Themed` for a plain word; the model then reads it as an organisation, and a
small library's sidebar lists it. A name written with a hyphen (`Spider-Man`, `Coca-Cola`,
`Rolls-Royce`) has a rare half, or two nouns; a plain compound is made of common words and
opens with a prefix or a function word (`Anti-`, `Pro-`, `At-`) or ends in an inflection
(`-Themed`, `-Driving`).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import headlines
from newsreader.core.entities import words as english
from newsreader.core.models import TITLE_PART

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: Prefixes written with a hyphen, which no name opens with.
_PREFIXES = frozenset(
    [
        "anti",
        "pro",
        "non",
        "pre",
        "post",
        "self",
        "ex",
        "co",
        "multi",
        "mid",
        "semi",
        "over",
        "under",
        "well",
        "all",
        "high",
        "low",
        "long",
        "short",
        "half",
        "full",
        "part",
        "cross",
        "counter",
        "inter",
        "intra",
        "ultra",
    ]
)


def plain_compound(word: str) -> bool:
    """A hyphenated word of common English halves that opens with a prefix or a function
    word or ends in an inflection (`Anti-Abortion`, `At-Risk`, `Adult-Themed`); not
    `Spider-Man` (two nouns), `Coca-Cola` or `Rolls-Royce` (a rare half)."""
    halves = word.split("-")
    if len(halves) < 2 or not all(h.isalpha() for h in halves):
        return False
    if not all(english.common(h) for h in halves):
        return False
    first = halves[0].lower()
    return first in _PREFIXES or first in english.stop_words() or english.inflected(halves[-1])


def compounds(parts: Mapping[int, str], spans: Spans) -> None:
    """In a Title-Case headline, a one-word model span that is a plain hyphenated compound
    (`plain_compound`) and that the body does not write so is no name: dropped."""
    if "-" not in parts.get(TITLE_PART, ""):
        return
    for span, surface in headlines.unbacked_title_names(parts, spans):
        if " " not in surface and plain_compound(surface):
            spans.by_part[TITLE_PART].remove(span)
