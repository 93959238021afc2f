"""Highlighted snippets: plain text with the matched words wrapped in « and ».

Plain text rather than HTML so that the command line, the window and JSON output can each
render the marks their own way, and article text never needs escaping here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from whoosh.support.charset import accent_map

from newsreader.core.models import Highlight
from newsreader.core.search.schema import stem_word, text_analyzer

MARK_OPEN = "«"
MARK_CLOSE = "»"
#: Enough text for two or three lines of a result list.
FRAGMENT_CHARS = 240
#: Words of context on either side of a match, in characters.
CONTEXT_CHARS = 60
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
#: A word as the index's tokenizer sees it (Whoosh's `RegexTokenizer` default).
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_OWN_MARKS = str.maketrans({MARK_OPEN: "“", MARK_CLOSE: "”"})


class Snippets:
    """Makes the snippets for one search's hits (or marks one article's text).

    Whoosh's own highlighter re-analyses every hit's whole body (and re-expands the query's
    terms for each hit), which made snippets most of a search's time. Here what matched is
    known once per search: the stems of the stemmed fields, exact words (a quoted word) and
    exact phrases. A regular expression finds the few words that could match a stem (those
    starting like it) and only they are stemmed, as the index stems them (`stem_word`, with
    cached Porter stems); exact words and phrases are found by a regular expression of their
    own. Accents are folded first, character for character
    (Whoosh's `accent_map` is one-to-one), so text with "£", curly quotes or "Sánchez"
    takes the same fast path as plain ASCII and the offsets still point into the original.
    """

    #: Above this many distinct prefixes, every word of the text is a candidate.
    MAX_PREFIXES = 300

    def __init__(
        self,
        stems: frozenset[str],
        *,
        words: frozenset[str] = frozenset(),
        phrases: frozenset[tuple[str, ...]] = frozenset(),
    ) -> None:
        self._stems = stems
        # A stem is nearly always a prefix of its words once its last letter is dropped
        # (Porter turns "economy" into "economi"): a regular expression of those prefixes
        # finds the few words worth stemming. Too many (a broad prefix) and every word is.
        prefixes = sorted({stem[:-1] if len(stem) > 3 else stem for stem in stems})
        self._candidates = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, prefixes)) + r")\w*", re.I)
            if 0 < len(prefixes) <= self.MAX_PREFIXES
            else _TOKEN
        )
        self._words = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if words
            else None
        )
        self._phrases = [
            (
                phrase,
                re.compile(
                    r"(?<!\w)" + r"\W+".join(map(re.escape, phrase)) + r"(?!\w)", re.IGNORECASE
                ),
            )
            for phrase in sorted(phrases)
            if phrase
        ]

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, what matched) of each marked word of `text`, in order."""
        folded = fold(text)
        spans: set[tuple[int, int, str]] = set()
        if self._stems:
            stems = self._stems
            for match in self._candidates.finditer(folded):
                stem = stem_word(match[0])
                if stem in stems:
                    spans.add((match.start(), match.end(), stem))
        if self._words is not None:
            for match in self._words.finditer(folded):
                spans.add((match.start(), match.end(), match[0].lower()))
        for phrase, pattern in self._phrases:
            key = " ".join(phrase)
            for match in pattern.finditer(folded):
                for word in _WORD.finditer(match[0]):
                    spans.add((match.start() + word.start(), match.start() + word.end(), key))
        # A word matched twice (by its stem and inside a phrase) is marked once.
        kept: list[tuple[int, int, str]] = []
        for span in sorted(spans):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept

    def __call__(self, text: str) -> str:
        """The best window of `text` (most distinct matched stems) with matches in «»."""
        # The article's own guillemets would read as marks: show them as curly quotes (one
        # character for one, so offsets hold).
        if MARK_OPEN in text or MARK_CLOSE in text:
            text = text.translate(_OWN_MARKS)
        spans = self._matches(text)
        if not spans:
            return lead(text)
        best_start, best_key = 0, (-1, -1)
        for i, (start, _, _) in enumerate(spans):
            window_end = start + FRAGMENT_CHARS - CONTEXT_CHARS
            inside = [span for span in spans[i:] if span[1] <= window_end]
            distinct = len({stem for _, _, stem in inside})
            key = (distinct, len(inside))
            if key > best_key:
                best_start, best_key = i, key
        first = spans[best_start][0]
        start = max(0, first - CONTEXT_CHARS)
        if start > 0:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else first
        end = min(len(text), start + FRAGMENT_CHARS)
        if end < len(text):
            space = text.rfind(" ", spans[best_start][1], end)
            end = space if space != -1 else end
        parts = ["… "] if start > 0 else []
        position = start
        for a, b, _ in spans:
            if a < start or b > end:
                continue
            parts += [text[position:a], MARK_OPEN, text[a:b], MARK_CLOSE]
            position = b
        parts.append(text[position:end])
        if end < len(text):
            parts.append(" …")
        return one_line("".join(parts))


def one_line(text: str) -> str:
    """Paragraph breaks become spaces: a snippet is one line in a list."""
    return _SPACE.sub(" ", text).strip()


def lead(text: str, limit: int = FRAGMENT_CHARS) -> str:
    """The start of the text, cut at a word boundary: the snippet when no body word matched
    (a title-only or date-only match)."""
    text = one_line(text[: limit * 2])  # the rest is never shown
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def fold(text: str) -> str:
    """Accents folded, one character for one, so offsets into the result hold for `text`.

    Only the non-ASCII characters are looked at (a body's few curly quotes and accented
    names), which is far cheaper than translating the whole text.
    """
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: accent_map.get(ord(m[0]), m[0]), text)


def for_part(highlight: Highlight, part: str) -> Snippets:
    """The marker for one part of an article ("title", "kicker", "body")."""
    return Snippets(
        highlight.stems.get(part, frozenset()),
        words=highlight.words.get(part, frozenset()),
        phrases=highlight.phrases.get(part, frozenset()),
    )


def match_spans(
    text: str, terms: Sequence[str] | Highlight, part: str = "body"
) -> list[tuple[int, int]]:
    """Where a search matched in `text` (one `part` of an article), as (start, end).

    Given the search's `Highlight` (`SearchResults.highlight`), this marks exactly what the
    search matched in that part: words sharing a searched stem (`attacks` marks "attacked"),
    the words a prefix stood for, exact words and phrases, and nothing in the body for a
    `title:` search. Given plain terms, a word counts if it starts with a term (so `ukrain`
    marks "Ukrainian") or shares a term's stem.
    """
    if isinstance(terms, Highlight):
        return sorted({(a, b) for a, b, _ in for_part(terms, part)._matches(text)})
    analyzer = text_analyzer()
    stems = frozenset(token.text for term in terms for token in analyzer(term))
    spans = {(a, b) for a, b, _ in Snippets(stems)._matches(text)}
    words = sorted({term.casefold() for term in terms if term}, key=len, reverse=True)
    if words:
        starts = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")\w*", re.I)
        spans.update(match.span() for match in starts.finditer(fold(text)))
    return sorted(spans)
