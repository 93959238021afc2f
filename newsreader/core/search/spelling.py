"""The vocabulary "did you mean" suggests from, and the rule for when to suggest.

Suggestions must be real words, but the searchable fields hold stems ("invas" for
"invasion"). Whoosh's answer is a second, unstemmed field; measured on news text it roughly
doubled the postings written per article and halved bulk-import speed. The vocabulary is only
a hint, so it lives beside the index instead: a word → article-count table filled from the
same text at a fraction of the cost (one regular expression and a set per article), saved
atomically with each commit and rebuilt with the index.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh.spelling import ListCorrector

VOCABULARY_FILE = "vocabulary.json"

#: Words as the spelling suggestions see them: letters only (no digits, no underscores).
_LETTERS = re.compile(r"[^\W\d_]{3,}")

#: A word found in at most this many articles may be a misspelling of a much commoner one...
RARE_WORD_ARTICLES = 3
#: ... if the commoner word is found in at least this many times as many articles.
COMMONER_FACTOR = 20


def words_of(*texts: str) -> set[str]:
    """The distinct lower-case words of some text that are worth suggesting."""
    found: set[str] = set()
    for text in texts:
        found.update(_LETTERS.findall(text.lower()))
    return found


class Vocabulary:
    """Each word of the indexed text with the number of articles it appears in.

    Thread-safe: writers count words as they add articles while searches look words up.
    Loaded lazily from `path`; a missing or unreadable file reads as empty.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None
        self._sorted: list[str] | None = None
        self._dirty = False
        self._mtime: int | None = None

    def _loaded(self) -> dict[str, int]:
        """The counts (call with the lock held)."""
        if self._counts is None:
            try:
                self._mtime = self.path.stat().st_mtime_ns
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._counts = {str(k): int(v) for k, v in data.items()}
            except (OSError, ValueError, TypeError, AttributeError):
                self._counts = {}
        return self._counts

    def exists(self) -> bool:
        return self.path.is_file()

    def add(self, words: Iterable[str]) -> None:
        with self._lock:
            counts = self._loaded()
            for word in words:
                counts[word] = counts.get(word, 0) + 1
            self._sorted = None
            self._dirty = True

    def remove(self, words: Iterable[str]) -> None:
        with self._lock:
            counts = self._loaded()
            for word in words:
                left = counts.get(word, 0) - 1
                if left > 0:
                    counts[word] = left
                else:
                    counts.pop(word, None)
            self._sorted = None
            self._dirty = True

    def clear(self) -> None:
        with self._lock:
            self._counts = {}
            self._sorted = None
            self._dirty = True

    def save(self) -> None:
        """Write the table atomically (a crash leaves the old file or the new, never half)."""
        with self._lock:
            if not self._dirty:
                return
            data = json.dumps(self._loaded(), ensure_ascii=False, separators=(",", ":"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".vocabulary-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(data)
                Path(tmp).replace(self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._dirty = False
            self._mtime = self.path.stat().st_mtime_ns

    def reload(self) -> None:
        """Forget what is in memory; read the file again on next use (after a rebuild)."""
        with self._lock:
            self._counts = None
            self._sorted = None
            self._dirty = False

    def _reload_if_changed(self) -> None:
        """Pick up a table another process saved (a command-line import beside a window)."""
        with self._lock:
            if self._counts is None or self._dirty:
                return
            try:
                mtime = self.path.stat().st_mtime_ns
            except OSError:
                return
            if mtime != self._mtime:
                self._counts = None
                self._sorted = None

    def articles(self, word: str) -> int:
        with self._lock:
            return self._loaded().get(word, 0)

    def _candidates(self, word: str) -> Iterator[tuple[int, str]]:
        """(distance, word) for words within one edit (two for longer words), nearest first."""
        with self._lock:
            if self._sorted is None:
                self._sorted = sorted(self._loaded())
            ordered = self._sorted
        if not ordered:
            return
        max_distance = 1 if len(word) <= 4 else 2
        # prefix=1: misspellings rarely touch the first letter, and it makes lookup far faster.
        for negative_distance, candidate in ListCorrector(ordered)._suggestions(
            word, max_distance, 1
        ):
            if candidate != word:
                yield -negative_distance, candidate

    def correct(self, word: str) -> str | None:
        """A commoner close spelling for a word found in few or no articles, if there is one.

        A word the library has in more than `RARE_WORD_ARTICLES` articles is taken as meant;
        a rare one is corrected only to a word `COMMONER_FACTOR` times commoner, so that a
        rare but real name ("Sudzha") is not "corrected" to a frequent neighbour.
        """
        word = word.lower()
        if not _LETTERS.fullmatch(word):
            return None
        self._reload_if_changed()
        found_in = self.articles(word)
        if found_in > RARE_WORD_ARTICLES:
            return None
        best: tuple[int, int, str] | None = None  # (distance, -articles, word): smallest wins
        for distance, candidate in self._candidates(word):
            count = self.articles(candidate)
            if found_in and count < found_in * COMMONER_FACTOR:
                continue
            key = (distance, -count, candidate)
            if best is None or key < best:
                best = key
        return best[2] if best else None
