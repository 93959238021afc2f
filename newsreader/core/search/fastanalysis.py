"""The postings of title, kicker and body computed without Whoosh's token generators.

Every article's text is indexed twice: stemmed (`text_analyzer`, frequencies only) and as
written (`exact_analyzer`, positions for quoted phrases). Through Whoosh each of the ~550
words of a body passes a generator chain twice (a `Token` object, a tokenizer and a filter per
word, then a dictionary update per word in the format's `word_values`); in a profile of a
1,500-article drain that was over a quarter of the indexer's time (bench/README.md).

Here one text is split once for both fields, one regular-expression `findall` (the
tokenizer's own pattern), lower-cased and accent-folded as one joined string, and cached
by identity so that `body` and `exact_body`, which hold the same string object, share it.
The stemmed field then counts words with `Counter` and filters and stems each *distinct*
word once; the exact field groups positions by word. The output is what Whoosh's
`field.index(value)` yields, term for term (UTF-8 term, frequency, weight, encoded value):
`tests/test_fastanalysis.py` compares the two on generated text (accents, other scripts,
stop words, numbers, punctuation, empty and long values) and compares indexes built both ways.

The fields are `StemmedText` and `ExactText`, plain `TEXT` fields whose `index()` takes this
path for a string value (anything else, or `ENABLED = False`, goes through Whoosh as before).
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh import fields
from whoosh.analysis import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from newsreader.core.search.schema import (
    _NAME_GAP,
    PackedPositions,
    _stem,
    exact_analyzer,
    name_analyzer,
    text_analyzer,
)

#: Switch for tests that compare with Whoosh's own analysis (`tests/test_fastanalysis.py`).
ENABLED = True

#: The tokenizer's pattern (`RegexTokenizer()`), its group made non-capturing so that
#: `findall` returns whole matches; matching is unchanged.
_WORDS = re.compile(default_pattern.pattern.replace("(", "(?:"), default_pattern.flags)
#: Joins a text's words for lower-casing and folding them in one call. A space is neither
#: a word character nor cased nor case-ignorable, so each word lowers exactly as on its own
#: (the final-sigma rule looks no further than a word's ends), and no folding maps to one.
_JOIN = " "
assert all(_JOIN not in v for v in accent_map.values())
_LITTLE_ENDIAN = sys.byteorder == "little"
#: `pack_uint(n)` for the frequencies nearly every posting has.
_PACKED = [pack_uint(n) for n in range(1024)]

#: Recently split texts: id → (the text itself, its words). Holding the text keeps its id
#: from being reused while cached; the `is` check makes a stale or racing entry a miss.
_recent: dict[int, tuple[str, list[str]]] = {}
_RECENT_MAX = 8


def folded_words(value: str) -> list[str]:
    """The words of `value` as `RegexTokenizer() | FoldFilter()` yields them, in order."""
    key = id(value)
    hit = _recent.get(key)
    if hit is not None and hit[0] is value:
        return hit[1]
    words: list[str] = _WORDS.findall(value)
    if words:
        joined = _JOIN.join(words).lower()
        if not joined.isascii():
            joined = joined.translate(accent_map)
        words = joined.split(_JOIN)
    if len(_recent) >= _RECENT_MAX:
        _recent.clear()
    _recent[key] = (value, words)
    return words


def _packed(n: int) -> bytes:
    return _PACKED[n] if n < 1024 else bytes(pack_uint(n))


def stemmed_counts(words: list[str]) -> dict[str, int]:
    """Stem → frequency, as `NewsWordFilter` makes them (stop words and one-letter words
    dropped); each distinct word is filtered and stemmed once."""
    freqs: dict[str, int] = {}
    get = freqs.get
    stop = STOP_WORDS
    for word, count in Counter(words).items():
        if len(word) >= 2 and word not in stop:
            term = _stem(word)
            freqs[term] = get(term, 0) + count
    return freqs


#: What a field's `index` returns: (word, frequency, weight, encoded value) per word.
Postings = list[tuple[bytes, int, float, bytes]]


def _encoded(items: Iterable[tuple[str, list[int]]], field_boost: float, fmt: Any) -> Postings:
    """Postings of (word, positions) pairs, each value encoded by Whoosh's own `fmt`."""
    return [
        (word.encode("utf-8"), len(p), float(len(p)) * field_boost, fmt.encode(p))
        for word, p in items
    ]


def _position_postings(
    items: Iterable[tuple[str, list[int]]], field_boost: float, fmt: Any
) -> Postings:
    """Postings of (word, positions) pairs; `PackedPositions` values packed here directly
    (the same bytes as its `encode` on a little-endian machine), any other format by `fmt`."""
    if type(fmt) is PackedPositions and _LITTLE_ENDIAN:
        return [
            (
                word.encode("utf-8"),
                len(poslist),
                float(len(poslist)) * field_boost,
                _packed(len(poslist)) + array("I", poslist).tobytes(),
            )
            for word, poslist in items
        ]
    return _encoded(items, field_boost, fmt)


def stemmed_postings(value: str, field_boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """What `Frequency.word_values` through `text_analyzer()` yields, as `field.index` does."""
    return [
        (term.encode("utf-8"), freq, float(freq) * field_boost, _packed(freq))
        for term, freq in stemmed_counts(folded_words(value)).items()
    ]


def word_positions(words: list[str]) -> dict[str, list[int]]:
    """Each distinct word's positions (its indexes in `words`), ascending."""
    positions: dict[str, list[int]] = {}
    get = positions.get
    for i, word in enumerate(words):
        found = get(word)
        if found is None:
            positions[word] = [i]
        else:
            found.append(i)
    return positions


def exact_postings(
    value: str, field_boost: float, fmt: Any
) -> list[tuple[bytes, int, float, bytes]]:
    """What `PackedPositions.word_values` through `exact_analyzer()` yields."""
    items = word_positions(folded_words(value)).items()
    return _position_postings(items, field_boost, fmt)


class _OnePassText(fields.TEXT):  # type: ignore[misc]  # whoosh is untyped
    """A TEXT field whose plain-string values are indexed by `_postings` in one pass
    (module docstring); any other value or mode goes through Whoosh's analyzer as usual."""

    def _postings(self, value: str) -> Postings:
        raise NotImplementedError

    def index(self, value: Any, **kwargs: Any) -> Any:
        if ENABLED and type(value) is str and kwargs.get("mode", "index") == "index":
            return self._postings(value)
        return super().index(value, **kwargs)


class StemmedText(_OnePassText):
    """Title, kicker, body: `TEXT(analyzer=text_analyzer(), phrase=False)`, indexed through
    `stemmed_postings` (module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(analyzer=text_analyzer(), phrase=False, **kwargs)

    def _postings(self, value: str) -> Postings:
        return stemmed_postings(value, self.format.field_boost)


class ExactText(_OnePassText):
    """The `exact_*` twins: `TEXT(analyzer=exact_analyzer())` with `PackedPositions`,
    indexed through `exact_postings` (module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(analyzer=exact_analyzer(), **kwargs)
        self.format = PackedPositions()

    def _postings(self, value: str) -> Postings:
        return exact_postings(value, self.format.field_boost, self.format)


#: A name list's words and its line breaks, in order, in one `findall` (a word never holds
#: a line break: the tokenizer's pattern is word characters and dots).
_NAME_TOKENS = re.compile(_WORDS.pattern + "|\n", _WORDS.flags)
_BREAK = "\n"
assert all(_BREAK not in v for v in accent_map.values())


def name_postings(
    value: str, field_boost: float, fmt: Any
) -> list[tuple[bytes, int, float, bytes]]:
    """What `PackedPositions.word_values` through `name_analyzer()` yields: the words of
    each line (a name) at consecutive positions, `schema._NAME_GAP` positions between two
    names (`schema.NameListTokenizer`).

    One pass over the whole list: its words and line breaks found, lower-cased and folded
    together (`folded_words`' joining argument; a line break, like the space joining them,
    is neither cased nor case-ignorable), then numbered, a break adding the gap."""
    tokens: list[str] = _NAME_TOKENS.findall(value)
    if tokens:
        joined = _JOIN.join(tokens).lower()
        if not joined.isascii():
            joined = joined.translate(accent_map)
        tokens = joined.split(_JOIN)
    positions: dict[str, list[int]] = {}
    get = positions.get
    i = 0
    for token in tokens:
        if token == _BREAK:
            i += _NAME_GAP
            continue
        found = get(token)
        if found is None:
            positions[token] = [i]
        else:
            found.append(i)
        i += 1
    return _position_postings(positions.items(), field_boost, fmt)


class NameText(_OnePassText):
    """The entity fields of the entity index: `TEXT(analyzer=name_analyzer())` with
    `PackedPositions`, indexed through `name_postings` (recognition writes ~70 names an
    article, and Whoosh's token generators were a third of writing them)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(analyzer=name_analyzer(), **kwargs)
        self.format = PackedPositions()

    def _postings(self, value: str) -> Postings:
        return name_postings(value, self.format.field_boost, self.format)
