"""When the reader last opened an article or scrolled the list, so that background re-reads
(the list's growth during an import, the sidebar's recounts, the listing at an import's end)
wait for a still moment instead of competing with what the reader is doing.

During a 100k import the slowest article opens had a list growth job or a sidebar recount
beside them (bench/README.md, issue 8): a job thread holds the interpreter lock for part of
its run, and an open that needed it waited. None of those re-reads is urgent: the import's
progress shows in the status bar, and what the list gains is below or above what the reader
is looking at. So each waits until the reader has been still for `QUIET_S`, but never more
than `MAX_HOLD_S` after it was due, so that the list never lags far behind the import (about
5,000 articles at SQLite speed) even while the reader holds the arrow key down.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: A held re-read runs once the reader has opened or scrolled nothing for this long.
QUIET_S = 0.5
#: ... or at the latest this long after it was due.
MAX_HOLD_S = 3.0


class ReaderActivity:
    """The time of the reader's last open or scroll, and when held work may run."""

    def __init__(
        self,
        quiet_s: float = QUIET_S,
        max_hold_s: float = MAX_HOLD_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self.max_hold_s = max_hold_s
        self.clock = clock
        self._last = float("-inf")

    def note(self) -> None:
        """The reader opened an article or scrolled the list just now."""
        self._last = self.clock()

    def ready_at(self, due_since: float) -> float:
        """When work due since `due_since` (a `clock()` time) may run: once the reader has
        been still for `quiet_s`, and at the latest `max_hold_s` after it was due."""
        return min(self._last + self.quiet_s, due_since + self.max_hold_s)

    def wait_s(self, due_since: float) -> float:
        """How long from now that is (0 or less: now)."""
        return self.ready_at(due_since) - self.clock()


class Hold:
    """One piece of held-back work (a growth, a listing, a recount): since when it has been
    due, so that its wait is bounded from the first time it was asked for."""

    def __init__(self, activity: ReaderActivity) -> None:
        self.activity = activity
        self.since: float | None = None

    def mark(self) -> float:
        """Mark it due, if it was not since the last `clear`; returns since when it is."""
        if self.since is None:
            self.since = self.activity.clock()
        return self.since

    def wait_s(self) -> float:
        """How long it must still wait (0 or less: now), marking it due."""
        return self.activity.wait_s(self.mark())

    def latest_s(self) -> float:
        """How long until it runs whatever the reader does (`max_hold_s` after it was due)."""
        return self.mark() + self.activity.max_hold_s - self.activity.clock()

    def clear(self) -> None:
        """It ran, or was overtaken (a full listing covers a held growth)."""
        self.since = None


def never_held() -> ReaderActivity:
    """For controllers used alone (tests, benchmarks): nothing is ever held back."""
    return ReaderActivity(quiet_s=0.0, max_hold_s=float("inf"))
