"""Fixes to two of Whoosh's matchers, applied when the search package is imported.

Both were found by comparing the vectorised scorer (`fastscore`) with Whoosh.

`AndNotMatcher` (`a -b`, `a NOT b`) checks its first candidate against the excluded matcher
only when both happen to start on the same document. When the excluded words' first
document comes earlier, the first candidate is kept even if it contains them: `film -china`
then lists one article per index segment that says "China". Whoosh's later candidates are
checked properly (`_find_next` skips the excluded matcher forward first), so the fix is to do
the same for the first one.

`AndMaybeMatcher` (`a ANDMAYBE b`: b only adds to the score) skips its optional matcher to
the id it was asked for rather than to where its required matcher landed, so inside an AND
(with a date range, say) it loses b's score for some articles and ranks them too low.

`tests/test_fastscore.py` compares the vectorised scorer with Whoosh so fixed, and
`tests/test_search.py` shows the user-visible difference.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher


def _find_first(self: Any) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


def _skip_to(self: Any, id: int) -> bool:
    if not self.a.is_active():
        raise matching.ReadTooFar
    ra = bool(self.a.skip_to(id))
    rb = False
    if self.a.is_active() and self.b.is_active():
        rb = bool(self.b.skip_to(self.a.id()))
    return ra or rb


def apply() -> None:
    """Install the fixes (idempotent)."""
    AndNotMatcher._find_first = _find_first
    AndMaybeMatcher.skip_to = _skip_to
