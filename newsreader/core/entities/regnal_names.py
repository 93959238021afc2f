"""A monarch's or a pope's regnal number is part of the name: `Henry VIII`, `Elizabeth I`,
`Charles VI`, `Pope John Paul II`.

The small model stops the person at the Roman numeral (`Henry` of `Henry VIII`), so the
sidebar lists a bare `Henry` and the reader cannot tell `Elizabeth I` from `Elizabeth II`,
which the canonical names then fold together. The numeral is a closed form (I to XXX) that
only follows a given name in English, so the rule needs no list of monarchs: a Roman
numeral right after a person the model found is that person's number. `I` is also the
pronoun (`told John I would`), so it counts only after a royal or papal title (`Queen
Elizabeth I`) or before a word that cannot start a clause with `I` as its subject
(`Pedro I , Emperor of Brazil`, `Elizabeth I born`, `of Henry I and`).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: I to XXX, then no more word characters (`Ivan` is no numeral, nor `Vic`).
_NUMERAL = re.compile(r" (X{0,3}(?:IX|IV|VI{0,3}|I{1,3}))(?![\w'’-])")
#: Titles that make a following `Name I` a regnal number for sure.
_ROYAL = frozenset(
    [
        "King",
        "Queen",
        "Emperor",
        "Empress",
        "Pope",
        "Tsar",
        "Czar",
        "Tsarina",
        "Kaiser",
        "Sultan",
        "Shah",
        "Pharaoh",
        "Prince",
        "Princess",
        "Duke",
        "Emir",
        "Archduke",
    ]
)
#: After `Name I` when it is a numeral: the end of the clause, or words that a subject `I`
#: could not be followed by (`Elizabeth I born`, `Henry I of England`, `Pedro I ,`).
_AFTER_ONE = re.compile(r"\s*(?:$|[,.;:)\"'’”]|-\s|(?:born|died|of|and)\b)")
#: The gate: a numeral at all (most parts have none).
_NEED = re.compile(r" [IVX]+(?![\w'’-])")


def regnal_names(parts: Mapping[int, str], spans: Spans) -> None:
    """A Roman numeral right after a person (`Henry VIII`, `Baudouin I`) is part of the
    person's name; `I` only after a royal title or before the clause ends or `born`, `of`,
    `and` ... (where it cannot be the pronoun)."""
    for part, text in parts.items():
        if not _NEED.search(text):
            continue
        for span in spans.by_part.get(part, ()):
            if span.type != "person":
                continue
            match = _NUMERAL.match(text, span.end)
            if match is None:
                continue
            numeral = match.group(1)
            if numeral == "I" and not (
                _royal_before(text, span.start, span.end) or _AFTER_ONE.match(text, match.end())
            ):
                continue
            blocked = any(
                other is not span and other.start < match.end() and span.end < other.end
                for other in spans.by_part[part]
            )
            if not blocked:
                span.end = match.end()


def _royal_before(text: str, start: int, end: int) -> bool:
    """A royal or papal title opens the span or is the word before it."""
    before = text[max(0, start - 20) : start].split()
    first = text[start:end].split()[:1]
    return bool(_ROYAL.intersection(before[-1:] + first))
