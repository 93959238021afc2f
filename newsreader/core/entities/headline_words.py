"""Plain English words a Title-Case headline capitalised, which the model took for names.

`headlines.sentence_case` lowers a headline's common words before the model reads it, but
keeps the capital of a word too rare for wordfreq to call common: `... In Landslide`,
`Faces Felony Charges`, `Terrible At Apologizing`, `Stealth Cameo Revealed`. The model then
reads the capital as a name, and a small library's sidebar lists `Landslide` as a place and
`Cameo` as a person. Whether such a word is a name, a dictionary tells
(`dictionary.plain_word`: in WordNet, and never capitalised in the model's vocabulary), and
so does the article: a word the body names too is kept whatever it is.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import dictionary, headlines
from newsreader.core.entities import words as english
from newsreader.core.models import TITLE_PART

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_NEXT_WORD = re.compile(r" ([A-Z][\w'’\-]*)")


def headline_words(parts: Mapping[int, str], spans: Spans) -> None:
    """In a Title-Case headline, a model span the body does not name that starts with a
    plain English word (`dictionary.plain_word`: `Landslide`, `Felony`, `Cameo`) is
    dropped, and one that ends in such words loses them (`China Vows` is `China`). A
    one-word span stays when a rare capitalised word follows it (`Stormy` of a headline's
    `Stormy Daniels`, which the library completes)."""
    # A span the body names as written stays (a body in lower case says it is no name).
    title = parts.get(TITLE_PART, "")
    for span, surface in headlines.unbacked_title_names(parts, spans):
        words = surface.split()
        if dictionary.plain_word(words[0]):
            if len(words) == 1 and _name_follows(title, span.end):
                continue
            spans.by_part[TITLE_PART].remove(span)
            continue
        while len(words) > 1 and dictionary.plain_word(words[-1]):
            words.pop()
        span.end = _end_of(title, span.start, words)


def _end_of(title: str, start: int, words: list[str]) -> int:
    """Where the first `len(words)` words of the span starting at `start` end."""
    end = start
    for word in words:
        end = title.index(word, end) + len(word)
    return end


def _name_follows(title: str, end: int) -> bool:
    """A capitalised word right after `end` that may go on with the name: no plain word,
    and too rare to be a headline's common word (`Daniels`, not `Vote` or `Charges`)."""
    following = _NEXT_WORD.match(title, end)
    if following is None:
        return False
    word = following.group(1)
    lower = word.lower()
    return english.zipf(lower) < english.COMMON_ZIPF and not dictionary.plain_word(word)


#: The rules that read capitals as names: a run ending in `Party` or `Airport` is only a
#: name where its capitals are, which a Title-Case headline does not tell.
_CAPITALS_RULES = frozenset({"org-word", "place-word"})


def headline_runs(parts: Mapping[int, str], spans: Spans) -> None:
    """In a Title-Case headline, a run the org-word or place-word rule took for a name
    (`Are Still Ready To Party`, `One Demeaning Thing In Exchange`) is dropped when it takes
    in a word that kept its capital for its position only or that the model was shown
    lowered, and the body does not name it whole (`headlines.unsupported`)."""
    title = parts.get(TITLE_PART)
    if title is None or not headlines.is_title_case(title):
        return
    runs = [s for s in spans.by_part.get(TITLE_PART, ()) if s.rule in _CAPITALS_RULES]
    if not runs:
        return
    cased = headlines.sentence_case(title, headlines.body_capitals(parts))
    for span in runs:
        if headlines.unsupported(parts, span.start, span.end, cased):
            spans.by_part[TITLE_PART].remove(span)
