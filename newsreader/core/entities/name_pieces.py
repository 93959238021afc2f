"""A person's name the model found in pieces: `Shawn` of `Shawn Estes`, `Walter` and `Little`.

Rules v18 (issue 12, quality). The small model often marks one word of a two-word name
whose other word it does not know (`Muthiah Muralitharan`, `Igor Potapovich`), or marks the
two words as two people (`Walter` and `Little` of `13 - Walter Little`). A reader sees one
person. Two cases, over the model's person spans and the ones `chains` found (a surname
the article names in full elsewhere), so it runs after `chains`:

- two one-word person spans with a single space between them are one person (`Walter
  Little`; not `Cardinal` + `Joseph Bernardin`, nor words in capitals);
- a one-word person span next to a capitalised word that no span holds is one person with
  it (`Shawn` + `Estes`, `Muthiah` + `Muralitharan`), where that word is a name's word: it
  has lower-case letters after its capital, it is no frequent English word (`Bombs`,
  `Foundation`; Zipf frequency under `words.COMMON_ZIPF`, the word itself, not its stem:
  `Estes` is no inflection of `est`), no title (`President`, `Striker`),
  no month or day, and no place the gazetteer knows; and, before the span, it stands
  inside a sentence (after a lower-case word, a comma, a bracket or a dash), where a
  capital is a name's, not a sentence's first word.

Headlines and kickers are left alone: in Title Case every word has a capital. Nor is a name
joined that the article reads as something else elsewhere (`Alfa Romeo`, an organisation in
one paragraph, `Alfa` and `Romeo` two people in the next).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer
from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Span, Spans

#: The spans taken as pieces: the model's, and the names `chains` found again in pieces.
_PIECES = frozenset({"", "chain"})
#: A name's word: a capital and lower-case letters (`Estes`, `O'Brien`), no initials.
_NAME_WORD = re.compile(r"[A-Z][a-z][\w'’]*")
_WORD_AFTER = re.compile(r" ([A-Z][a-z][\w'’\-]*)(?![\w'’\-])")
_WORD_BEFORE = re.compile(r"(?<![\w'’\-])([A-Z][a-z][\w'’\-]*) $")
#: What stands before a word inside a sentence: a lower-case word, a comma, a bracket, a dash.
_INSIDE = re.compile(r"(?:[a-z]\w*|,|\(|-|–|—)\s+$")


def name_pieces(parts: Mapping[int, str], spans: Spans) -> None:
    """Two one-word person spans with one space between them are one person (`Walter
    Little`), and
    a one-word person span next to a capitalised word that no span holds, a name's word (no
    frequent English word, title, month or known place; before the span, one inside a
    sentence), is one person with it (`Shawn Estes`). Only the model's and `chains`' spans,
    only outside headlines and kickers."""
    from newsreader.core.entities.layers import TITLE_PART, Span

    # What the article reads as something else than a person is not joined into one
    # (`Alfa Romeo`, an organisation in one paragraph, `Alfa` and `Romeo` in the next).
    others = {parts[s.part][s.start : s.end] for s in spans if s.type != "person"}
    for part, text in parts.items():
        if part in (TITLE_PART, TITLE_PART - 1):
            continue
        people = sorted(
            (s for s in spans.by_part.get(part, ()) if s.type == "person" and s.rule in _PIECES),
            key=lambda s: s.start,
        )
        for first, second in pairwise(people):
            if (
                text[first.end : second.start] == " "
                and first in spans.by_part[part]
                and _NAME_WORD.fullmatch(text[first.start : first.end])
                and _NAME_WORD.fullmatch(text[second.start : second.end])
                and text[first.start : second.end] not in others
            ):
                _replace(spans, [first, second], Span(part, first.start, second.end, "person"))
        for span in [s for s in people if s in spans.by_part[part]]:
            name = text[span.start : span.end]
            if " " in name:
                continue
            if (after := _WORD_AFTER.match(text, span.end)) and _name_word(after.group(1)):
                new = Span(part, span.start, after.end(1), "person", label=span.label)
            elif (before := _WORD_BEFORE.search(text, 0, span.start)) and _name_word(
                before.group(1)
            ):
                if not _INSIDE.search(text, 0, before.start(1)):
                    continue
                new = Span(part, before.start(1), span.end, "person", label=span.label)
            else:
                continue
            if text[new.start : new.end] not in others and all(
                r is span for r in spans.overlapping(new)
            ):
                _replace(spans, [span], new)


def _replace(spans: Spans, old: list[Span], new: Span) -> None:
    part = spans.by_part[new.part]
    for span in old:
        part.remove(span)
    new.label = old[0].label
    part.append(new)


def _name_word(word: str) -> bool:
    from newsreader.core.entities.layers import _NOT_SURNAMES, _TITLE_WORDS

    return (
        word not in _NOT_SURNAMES
        and word not in _TITLE_WORDS
        and word.lower() not in english.stop_words()
        and english.zipf(word.lower()) < english.COMMON_ZIPF
        and gazetteer.lookup_place(word) is None
    )
