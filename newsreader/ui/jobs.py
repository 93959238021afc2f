"""The one helper for background work: callables on QThreadPool, results back by signal.

Long work (import, entity recognition, indexing, search, listing 100k ids) must never block
the UI thread. A `Job` runs a plain callable on the pool; the core reports progress through its
Qt-free callback, which the job turns into a signal. Signals cross threads queued, so every
slot runs on the UI thread. Jobs of one *kind* (e.g. "search") carry a generation number: when a
newer job of that kind has started, older results are dropped instead of overwriting fresh ones.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, SignalInstance, Slot

from newsreader.core.entities import ModelMissingError
from newsreader.core.library import Library
from newsreader.core.progress import CancelToken, ProgressEvent
from newsreader.core.search.index import IndexBusyError
from newsreader.core.storage import StorageError
from newsreader.ui.worker_process import WorkerProcess

log = logging.getLogger(__name__)

#: Failures whose message already tells the user what happened and what to do: reported
#: without a traceback (a missing entity model is a state, not a bug).
EXPECTED_ERRORS: tuple[type[Exception], ...] = (
    ModelMissingError,
    IndexBusyError,
    StorageError,
    OSError,
)

#: A job body: gets a progress callback and a cancel token, returns a result.
JobBody = Callable[[Callable[[ProgressEvent], None], CancelToken], Any]


@dataclass(slots=True)
class _Callbacks:
    on_result: Callable[[Any], None] | None = None
    on_progress: Callable[[ProgressEvent], None] | None = None
    on_error: Callable[[str], None] | None = None
    on_done: Callable[[], None] | None = None


class JobSignals(QObject):
    """Signals of one job (a `Job` is no QObject, so it carries this one).

    Each signal carries the job itself, so that the runner's slots (bound methods of a QObject
    living on the UI thread, hence queued connections) know whose result arrived.
    """

    progress = Signal(object, object)  # job, ProgressEvent
    finished = Signal(object, object)  # job, the body's return value
    failed = Signal(object, str)  # job, a one-line message for the status bar


class Job:
    """One unit of background work; see the module docstring.

    A plain object whose `run` the pool calls, not a `QRunnable`: a Python `QRunnable` given
    to `QThreadPool.start` with auto-delete off is kept alive by the pool's wrapper for as long
    as the pool lives, so every job ever run (its body's closure and whatever that held, a
    100k-id list say) stayed in memory, and every full garbage collection walked them all
    again (bench/README.md: collections of 50-200 ms on the UI thread during an import). The
    pool lets go of a plain callable once it has run.
    """

    def __init__(
        self,
        kind: str,
        body: JobBody,
        generation: int,
        callbacks: _Callbacks,
    ) -> None:
        self.kind = kind
        self.body = body
        self.generation = generation
        self.callbacks = callbacks
        self.cancel_token = CancelToken()
        self.signals = JobSignals()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self) -> None:
        def report(event: ProgressEvent) -> None:
            self._emit(self.signals.progress, event)

        try:
            result = self.body(report, self.cancel_token)
        except EXPECTED_ERRORS as exc:
            log.info("background job %s stopped: %s", self.kind, exc)
            self._emit(self.signals.failed, str(exc) or type(exc).__name__)
        except Exception as exc:  # a crash in a job is reported, never kills the app
            log.error("background job %s failed:\n%s", self.kind, traceback.format_exc())
            self._emit(self.signals.failed, str(exc) or type(exc).__name__)
        else:
            self._emit(self.signals.finished, result)

    def _emit(self, signal: SignalInstance, value: object) -> None:
        try:
            signal.emit(self, value)
        except RuntimeError:
            # The window closed while this job ran: there is no one left to tell.
            self.cancel_token.cancel()


class JobRunner(QObject):
    """Runs jobs on a thread pool; drops results that a newer job of the same kind made stale."""

    busy_changed = Signal(bool)
    #: A job's kind, whenever a job of that kind reports progress or ends (for followers
    #: such as `IndexFollower`, which must hear about writes without each caller telling it).
    job_progressed = Signal(str)
    job_ended = Signal(str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        #: One thread for small writes, so that they reach the database in the order the
        #: user made them (star then unstar must not land as unstar then star).
        self.serial_pool = QThreadPool(self)
        self.serial_pool.setMaxThreadCount(1)
        #: One thread for the library's follower work (the index check that decides whether
        #: the worker process has anything to do), so that it never takes a thread of the
        #: shared pool from a search or a listing.
        self.background_pool = QThreadPool(self)
        self.background_pool.setMaxThreadCount(1)
        #: Two threads for the small reads the UI thread would otherwise make itself (a page
        #: of list rows), so that they never queue behind a search or a 100k-id listing,
        #: and one read waiting on the disk does not hold up the next.
        self.reads_pool = QThreadPool(self)
        self.reads_pool.setMaxThreadCount(2)
        self._generation: dict[str, int] = {}
        # Holding the jobs keeps their Python objects (and signal QObjects) alive until done.
        self._running: set[Job] = set()
        self._closed = False

    def is_current(self, job: Job) -> bool:
        return self._generation.get(job.kind) == job.generation

    def start(
        self,
        kind: str,
        body: JobBody,
        *,
        on_result: Callable[[Any], None] | None = None,
        on_progress: Callable[[ProgressEvent], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_done: Callable[[], None] | None = None,
        serial: bool = False,
        background: bool = False,
        reads: bool = False,
    ) -> Job:
        """Run `body` in the pool; callbacks run on the UI thread, only while the job is current.

        `on_done` always runs (even for a stale job), so callers can tidy up progress widgets.
        `serial` jobs run one at a time, in the order started (see `serial_pool`);
        `background` jobs on `background_pool`, `reads` on `reads_pool`.
        """
        generation = self._generation.get(kind, 0) + 1
        self._generation[kind] = generation
        job = Job(kind, body, generation, _Callbacks(on_result, on_progress, on_error, on_done))
        if self._closed:
            return job  # never run: see `close`
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        self._running.add(job)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        pool = self.serial_pool if serial else self.background_pool if background else self.pool
        if reads:
            pool = self.reads_pool
        pool.start(job.run)
        return job

    @Slot(object, object)
    def _on_progress(self, job: Job, event: ProgressEvent) -> None:
        if job in self._running and self.is_current(job) and job.callbacks.on_progress:
            job.callbacks.on_progress(event)
        self.job_progressed.emit(job.kind)

    @Slot(object, object)
    def _on_finished(self, job: Job, result: object) -> None:
        if self.is_current(job) and job.callbacks.on_result:
            job.callbacks.on_result(result)
        self._finish(job)

    @Slot(object, str)
    def _on_failed(self, job: Job, message: str) -> None:
        if self.is_current(job) and job.callbacks.on_error:
            job.callbacks.on_error(message)
        self._finish(job)

    def _finish(self, job: Job) -> None:
        self._running.discard(job)
        # Deleted by the UI thread's event loop, which owns it, whichever thread lets go of
        # the job last (the pool's, once `run` has returned).
        job.signals.deleteLater()
        if job.callbacks.on_done is not None:
            job.callbacks.on_done()
        self.job_ended.emit(job.kind)
        if not self._running:
            self.busy_changed.emit(False)

    def close(self) -> None:
        """The window has closed: start nothing more. A timer that fires after the close (a
        search typed a moment before) would otherwise start a job on a library that is being
        closed, and reopen the index files the close let go of."""
        self._closed = True

    def running(self, kind: str | None = None) -> list[Job]:
        return [job for job in self._running if kind is None or job.kind == kind]

    def cancel_all(self) -> None:
        for job in self._running:
            job.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every pool is idle (used at shutdown and in tests)."""
        return (
            self.serial_pool.waitForDone(msecs)
            and self.background_pool.waitForDone(msecs)
            and self.reads_pool.waitForDone(msecs)
            and self.pool.waitForDone(msecs)
        )


class IndexFollower(QObject):
    """Keeps the window's search index following the library, from the background worker.

    Every write lands in SQLite with an outbox row (`newsreader.core.indexer`); the worker
    process (`ui/worker_process.py`, `newsreader.core.worker`) drains it into Whoosh, so that
    indexing never competes with the UI thread for the interpreter. This tells the worker when
    to look: whenever a job that may have written ends or reports progress (at most every two
    seconds while an import runs, so its articles become searchable as they go), and once when
    the window opens (which also rebuilds an unusable index, and resumes what a killed process
    left). The worker is started only when there is something to index (`index_needs_update`,
    a cheap check run off the UI thread), so a window over an up-to-date library runs none.

    The window's own small writes (flags, delete/undo) go the same way: one indexer per
    window, and the Whoosh writer never opens in the window's process, where even a small
    commit can fold segments together for seconds.
    """

    #: The index progress (`ProgressEvent`, or None when a drain ended), for the status bar
    #: (`StatusProgress.IndexProgress`).
    progress = Signal(object)
    #: A drain ended and applied something: a shown search may now find more.
    caught_up = Signal()
    #: Something the user should be told (an index rebuilt, say).
    notice = Signal(str)

    KIND = "index"
    #: Kinds of job that only read: their ending changes nothing the index shows.
    _READERS = frozenset(
        {
            KIND,
            "list",
            "sidebar",
            "search",
            "export",
            "feeds-list",
            "feeds-export",
            "health",
            "watch",
            "watch-absorb",
            "entity-name",
        }
    )
    #: Prefixes of reading kinds named per request (a list's snippets for the rows painted).
    _READER_PREFIXES = ("snippets-", "rows-")
    _KICK_EVERY_S = 2.0

    def __init__(
        self,
        library: Library,
        runner: JobRunner,
        parent: QObject | None = None,
        worker: WorkerProcess | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.worker = worker if worker is not None else WorkerProcess(library.directory, self)
        self._check: Job | None = None
        self._again = False
        self._last_kick = 0.0
        runner.job_ended.connect(self._on_job_ended)
        runner.job_progressed.connect(self._on_job_progressed)
        self.worker.progress.connect(self._on_progress)
        self.worker.indexed.connect(self._on_indexed)
        self.worker.failed.connect(self._on_failed)
        self.worker.notice.connect(self.notice.emit)
        self.worker.idle.connect(lambda: self.progress.emit(None))

    def running(self) -> bool:
        """Whether indexing (or anything else asked of the worker) is still under way."""
        return self._check is not None or self.worker.busy

    def kick(self) -> None:
        """Have the worker drain the outbox now (or right after the drain that is running)."""
        self._last_kick = time.monotonic()
        if self.worker.running:
            self.worker.request("index")
            return
        if self._check is not None:
            self._again = True
            return
        self._again = False
        library = self.library

        def check(progress: Callable[[ProgressEvent], None], cancel: CancelToken) -> bool:
            return library.index_needs_update()

        self._check = self.runner.start(
            self.KIND,
            check,
            on_result=self._on_checked,
            on_error=self.notice.emit,
            on_done=self._on_check_done,
            background=True,
        )

    def stop(self) -> None:
        """The window closes: stop the worker (what it had not indexed, the next start does)."""
        self.worker.stop()

    def _on_checked(self, needed: bool) -> None:
        if needed:
            self.worker.request("index")

    def _on_check_done(self) -> None:
        self._check = None
        if self._again:
            self.kick()

    def _on_progress(self, lane: str, event: ProgressEvent) -> None:
        if lane == "index":
            self.progress.emit(event)

    def _on_indexed(self, applied: int, notices: list[str]) -> None:
        for text in notices:
            self.notice.emit(text)
        if applied:
            self.caught_up.emit()

    def _on_failed(self, lane: str, message: str) -> None:
        if lane not in ("entities", "import"):  # those are `BackgroundWork`'s to tell
            self.notice.emit(message)
            self.progress.emit(None)

    def _reads_only(self, kind: str) -> bool:
        return kind in self._READERS or kind.startswith(self._READER_PREFIXES)

    def _on_job_ended(self, kind: str) -> None:
        if not self._reads_only(kind):
            self.kick()

    def _on_job_progressed(self, kind: str) -> None:
        if self._reads_only(kind):
            return
        if time.monotonic() - self._last_kick >= self._KICK_EVERY_S:
            self.kick()
