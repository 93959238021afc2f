"""Read marks and stars: shown at once, stored a moment later, a burst gathered into one write.

Opening an article marks it read. Written at once, every open would start a write on the
serial pool while the pane paints (a Python thread wanting the interpreter lock beside the UI
thread), and during an import that write would wait behind the worker's write transaction and
then end with a counts refresh and an index kick, all while the next article opens
(bench/README.md, "The window during a 100k import"). So this writer only remembers the
change, which the list and the pane already show (`ArticleTableModel.update_row` keeps it as
an override until `settle`), and stores everything pending in one transaction once the reader
pauses: `QUIET_MS` after the last change, at most `MAX_DELAY_MS` after the first. Ten articles
opened with `j j j …` are one write, made after the pane has painted.

A write waits at most `WAIT_S` for another writer (an import's batch in the worker process);
if the library is still held, the changes go back to the pending ones (under any newer change
of the same flag) and are tried again later, backing off to `RETRY_MS[-1]`, so no thread is
ever parked on SQLite's ten-second busy timeout and nothing is lost. Any other failure is said
in the status bar (`failed`) and tried again up to `ATTEMPTS` times, then given up: the rows
show what the library holds. Closing the window stores what is pending (`close`, bounded).
A write that must come after the marks ("Mark all read" on a feed) goes through
`write_after`, which stores them first in the same job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.jobs import JobRunner

log = logging.getLogger(__name__)

FLAGS = ("read", "starred")


def _empty() -> dict[str, dict[int, bool]]:
    return {flag: {} for flag in FLAGS}


@dataclass(slots=True)
class _Attempt:
    """One write on its way; the job's thread fills in how it went."""

    changes: dict[str, dict[int, bool]]
    #: True: stored; False: another writer held the library (nothing changed); None: failed.
    stored: bool | None = None
    error: str = ""
    ids: set[int] = field(default_factory=set)


class FlagWriter(QObject):
    """See the module docstring."""

    #: Changes were stored: counts (unread, starred) need refreshing.
    written = Signal()
    #: A line for the status bar: the changes could not be stored (yet).
    failed = Signal(str)
    #: Changes of these articles (list of ids) were given up: show what the library holds.
    gave_up = Signal(object)

    #: Store once no change came for this long (milliseconds)...
    QUIET_MS = 300
    #: ... or at the latest this long after the first change still pending.
    MAX_DELAY_MS = 1500
    #: How long one write waits for another writer's transaction (seconds).
    WAIT_S = 0.1
    #: Delays before trying again while the library is held by another writer.
    RETRY_MS: tuple[int, ...] = (250, 500, 1000, 2000)
    #: After this long held by another writer, say so in the status bar (seconds).
    TELL_AFTER_S = 15.0
    #: Failures other than "busy" before the changes are given up.
    ATTEMPTS = 3
    #: How long closing the window may wait to store what is pending (seconds).
    CLOSE_WAIT_S = 5.0

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        model: ArticleTableModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        self.model = model
        self._pending = _empty()
        self._inflight: _Attempt | None = None
        #: Ids whose overrides the model keeps (one `hold` each) until their change is stored.
        self._held: set[int] = set()
        self._first_change: float | None = None
        self._busy_since: float | None = None
        self._busy_tries = 0
        self._told_busy = False
        self._errors = 0
        self._writes = 0
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    # -- asking ----------------------------------------------------------------------------

    def set(self, ids: Iterable[int], flag: str, value: bool) -> None:
        """Remember that `flag` of these articles is now `value`; stored a moment later."""
        if flag not in FLAGS:
            raise ValueError(f"not a flag: {flag!r}")
        pending = self._pending[flag]
        for article_id in ids:
            pending[article_id] = value
            self._hold(article_id)
        if self._first_change is None:
            self._first_change = time.monotonic()
        self._schedule()

    @property
    def pending(self) -> int:
        """How many changes wait to be written (not counting one on its way)."""
        return sum(len(values) for values in self._pending.values())

    def unstored(self, article_id: int) -> dict[str, bool]:
        """This article's changes not in the library yet (being written, or pending, the
        newer winning): what a read of it must be overlaid with to show what the list shows."""
        changes: dict[str, bool] = {}
        sources = [self._inflight.changes] if self._inflight is not None else []
        for values in [*sources, self._pending]:
            for flag, by_id in values.items():
                if article_id in by_id:
                    changes[flag] = by_id[article_id]
        return changes

    @property
    def busy(self) -> bool:
        """Whether a change is not stored yet (pending, or being written)."""
        return self._inflight is not None or self.pending > 0

    def flush(self) -> None:
        """Start storing what is pending now (right after the write on its way, if any)."""
        self._timer.stop()
        if self._closed or self._inflight is not None or not self.pending:
            return
        attempt = _Attempt(self._take())
        attempt.ids = {i for values in attempt.changes.values() for i in values}
        self._inflight = attempt
        self._writes += 1
        library, wait_s = self.library, self.WAIT_S

        def write(progress: Any, cancel: Any) -> None:
            try:
                attempt.stored = library.set_flags(
                    read=attempt.changes["read"], starred=attempt.changes["starred"], wait_s=wait_s
                )
            except Exception as exc:  # said in the status bar, never a traceback
                log.warning("storing flags failed", exc_info=True)
                attempt.error = str(exc) or type(exc).__name__

        self.jobs.start(
            f"flags-{self._writes}", write, on_done=lambda: self._landed(attempt), serial=True
        )

    def write_after(
        self,
        kind: str,
        body: Callable[[], object],
        *,
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> None:
        """Run `body`, a write that must come after every mark made so far ("Mark all read"
        on a feed), on the serial pool: the marks not stored yet (pending, or on their way)
        are stored first in the same job, waiting for another writer as any write does, so
        none is lost and none lands after `body` to undo it (an article marked unread a
        moment before "Mark all read" ends read). If they cannot be stored, `body` does not
        run (`on_error`), and they are kept and tried again as usual."""
        self._timer.stop()
        changes = self._take()
        previous = self._inflight
        if previous is not None:
            # Stored again if it did land (the same values); its own landing is ignored.
            for flag, values in previous.changes.items():
                changes[flag] = {**values, **changes[flag]}
        attempt = _Attempt(changes)
        attempt.ids = {i for values in changes.values() for i in values}
        self._inflight = attempt
        self._writes += 1
        library = self.library

        def write(progress: Any, cancel: Any) -> object:
            try:
                attempt.stored = library.set_flags(read=changes["read"], starred=changes["starred"])
            except Exception as exc:
                log.warning("storing flags failed", exc_info=True)
                attempt.error = str(exc) or type(exc).__name__
                raise
            return body()

        self.jobs.start(
            kind,
            write,
            on_result=on_result,
            on_error=on_error,
            on_done=lambda: self._landed(attempt),
            serial=True,
        )

    def close(self, timeout_s: float | None = None) -> bool:
        """The window closes: store what is pending, waiting at most `timeout_s` (default
        `CLOSE_WAIT_S`) for another writer. True when nothing is left unstored."""
        self._timer.stop()
        self._closed = True
        deadline = time.monotonic() + (self.CLOSE_WAIT_S if timeout_s is None else timeout_s)
        attempt, self._inflight = self._inflight, None
        if attempt is not None:
            left_ms = max(0, round((deadline - time.monotonic()) * 1000))
            self.jobs.serial_pool.waitForDone(left_ms)
            if attempt.stored is not True:
                self._restore(attempt.changes)  # stored again if unsure: the same values
        changes = self._take()
        if not any(changes.values()):
            return True
        while True:
            left = deadline - time.monotonic()
            try:
                if self.library.set_flags(
                    read=changes["read"], starred=changes["starred"], wait_s=max(0.0, left)
                ):
                    return True
            except Exception:
                log.warning("storing flags at close failed", exc_info=True)
                return False
            if left <= 0:
                count = sum(len(v) for v in changes.values())
                log.warning("%d read/star changes not stored: the library stayed busy", count)
                return False

    # -- after a write ---------------------------------------------------------------------

    def _landed(self, attempt: _Attempt) -> None:
        if self._closed or attempt is not self._inflight:
            return
        self._inflight = None
        if attempt.stored:
            self._busy_since, self._busy_tries, self._told_busy, self._errors = None, 0, False, 0
            self._settle(attempt.ids)
            self.written.emit()
            if self.pending:
                self._schedule()
            return
        self._restore(attempt.changes)
        if attempt.stored is False:  # another writer held the library: try again later
            now = time.monotonic()
            self._busy_since = self._busy_since or now
            if now - self._busy_since >= self.TELL_AFTER_S and not self._told_busy:
                self._told_busy = True
                self.failed.emit(
                    "Read and star marks wait for another program writing to the library;"
                    " they are kept and stored when it is done."
                )
            delay = self.RETRY_MS[min(self._busy_tries, len(self.RETRY_MS) - 1)]
            self._busy_tries += 1
            self._timer.start(delay)
            return
        self._errors += 1
        if self._errors >= self.ATTEMPTS:
            self._errors = 0
            lost = self._take()
            ids = {i for values in lost.values() for i in values}
            self._settle(ids)
            self.gave_up.emit(sorted(ids))
            self.failed.emit(
                f"Read and star marks of {len(ids):,} article{'s' if len(ids) != 1 else ''}"
                f" could not be stored: {attempt.error}"
            )
            return
        self._timer.start(self.RETRY_MS[-1])

    # -- bookkeeping -----------------------------------------------------------------------

    def _schedule(self) -> None:
        first = self._first_change if self._first_change is not None else time.monotonic()
        left_ms = self.MAX_DELAY_MS - (time.monotonic() - first) * 1000
        self._timer.start(max(0, min(self.QUIET_MS, round(left_ms))))

    def _take(self) -> dict[str, dict[int, bool]]:
        taken, self._pending = self._pending, _empty()
        self._first_change = None
        return taken

    def _restore(self, changes: dict[str, dict[int, bool]]) -> None:
        """Put changes that were not stored back, under any newer change of the same flag."""
        for flag, values in changes.items():
            self._pending[flag] = {**values, **self._pending[flag]}
        if self._first_change is None and self.pending:
            self._first_change = time.monotonic()

    def _hold(self, article_id: int) -> None:
        if article_id not in self._held:
            self._held.add(article_id)
            self.model.hold([article_id])

    def _settle(self, ids: Iterable[int]) -> None:
        """Let the model trust the library again for ids with no change left to store."""
        waiting = {i for values in self._pending.values() for i in values}
        done = [i for i in ids if i in self._held and i not in waiting]
        self._held.difference_update(done)
        if done:
            self.model.settle(done)
