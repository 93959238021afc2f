"""Highlighted snippets: plain text with the matched words wrapped in « and ».

Plain text rather than HTML so that the command line, the window and JSON output can each
render the marks their own way, and article text never needs escaping here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsreader.core.search.schema import text_analyzer

MARK_OPEN = "«"
MARK_CLOSE = "»"
#: Enough text for two or three lines of a result list.
FRAGMENT_CHARS = 240
#: Words of context on either side of a match, in characters.
CONTEXT_CHARS = 60
_SPACE = re.compile(r"\s+")
_OWN_MARKS = str.maketrans({MARK_OPEN: "“", MARK_CLOSE: "”"})


class Snippets:
    """Makes the snippets for one search's hits.

    Whoosh's own highlighter re-analyses every hit's whole body (and re-expands the query's
    terms for each hit), which made snippets most of a search's time. Here the matched stems
    are known once per search; a regular expression finds the few words that could match
    (those starting like a matched stem) and only they are analysed. Text with non-ASCII
    letters, whose words accent folding may change, is analysed in full instead.
    """

    #: Above this many distinct prefixes (a very broad `e*`), analyse in full.
    MAX_PREFIXES = 300

    def __init__(self, analyzer: Any, stems: frozenset[str]) -> None:
        self._analyzer = analyzer
        self._stems = stems
        # A stem is nearly always a prefix of its words once its last letter is dropped
        # (Porter turns "economy" into "economi").
        prefixes = sorted({stem[:-1] if len(stem) > 3 else stem for stem in stems})
        self._candidates = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, prefixes)) + r")\w*", re.IGNORECASE)
            if prefixes and len(prefixes) <= self.MAX_PREFIXES
            else None
        )

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, stem) of each word of `text` whose stem was searched for."""
        if not self._stems:
            return []
        if self._candidates is not None and text.isascii():
            spans = []
            for match in self._candidates.finditer(text):
                for token in self._analyzer(match[0]):
                    if token.text in self._stems:
                        spans.append((match.start(), match.end(), token.text))
                        break
            return spans
        return [
            (token.startchar, token.endchar, token.text)
            for token in self._analyzer(text, chars=True)
            if token.text in self._stems
        ]

    def __call__(self, text: str) -> str:
        """The best window of `text` (most distinct matched stems) with matches in «»."""
        # The article's own guillemets would read as marks: show them as curly quotes (one
        # character for one, so offsets hold).
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
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where a result's `terms` occur in `text`, as the search matched them: (start, end).

    A word counts if it starts with a term (so a prefix search's `ukrain` marks "Ukrainian")
    or shares a term's stem (so `attacks` marks "attacked", as the search itself did). For a
    reading pane that wants to mark what the search found.
    """
    analyzer = text_analyzer()
    stems = frozenset(token.text for term in terms for token in analyzer(term))
    spans = {(a, b) for a, b, _ in Snippets(analyzer, stems)._matches(text)}
    words = sorted({term.casefold() for term in terms if term}, key=len, reverse=True)
    if words:
        starts = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")\w*", re.I)
        spans.update(match.span() for match in starts.finditer(text))
    return sorted(spans)
