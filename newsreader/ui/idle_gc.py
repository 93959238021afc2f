"""Full garbage collections at the reader's still moments, not in the middle of an open.

CPython runs a full (generation 2) collection when enough objects have survived the younger
generations, wherever the program is: on the UI thread that is an article open or a scroll
frame that takes 20-50 ms longer (bench/README.md, "collections of 20 ms or more on the UI
thread" during a 100k import). The young generations are cheap and stay automatic; this
collector raises the full collection's threshold so CPython never starts one by itself, and
runs it instead once the reader has been still for a moment (`ReaderActivity`: no open, no
scroll for its `quiet_s`), checking every `CHECK_MS`. A reader who never pauses still gets one at
the latest `MAX_DEFER_S` after it was due, so cyclic garbage cannot pile up.

Due means what CPython itself counts: generation 1 collections since the last full one
(`gc.get_count()[2]`) beyond the threshold it had.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from newsreader.ui.reader_activity import ReaderActivity

#: How often the collector looks whether a full collection is due and the reader still.
CHECK_MS = 1000
#: A full collection is never put off longer than this once due.
MAX_DEFER_S = 60.0
#: A full-collection threshold CPython never reaches by itself (generation 1 collections).
NEVER = 1 << 30


class IdleCollector(QObject):
    """See the module docstring. `stop` gives CPython its own threshold back."""

    def __init__(
        self,
        activity: ReaderActivity,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.activity = activity
        self.clock = clock
        young0, young1, self.full_threshold = gc.get_threshold()
        if self.full_threshold >= NEVER:  # installed twice: keep the first one's value
            self.full_threshold = 10
        gc.set_threshold(young0, young1, NEVER)
        self._due_since: float | None = None
        #: Full collections run here, and how many of them the reader never paused for.
        self.collections = 0
        self.forced = 0
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> bool:
        """Collect now if a full collection is due and the reader is still (or it waited
        `MAX_DEFER_S`); True when it collected."""
        if gc.get_count()[2] <= self.full_threshold:
            return False
        now = self.clock()
        if self._due_since is None:
            self._due_since = now
        # Still: the reader's held re-reads would run now (no open, no scroll for a moment).
        still = self.activity.wait_s(self.activity.clock()) <= 0
        overdue = now - self._due_since >= MAX_DEFER_S
        if not (still or overdue):
            return False
        gc.collect(2)
        self._due_since = None
        self.collections += 1
        self.forced += 0 if still else 1
        return True

    def stop(self) -> None:
        self.timer.stop()
        young0, young1, _never = gc.get_threshold()
        gc.set_threshold(young0, young1, self.full_threshold)
