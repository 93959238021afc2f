"""Long work the window starts: first run (the sample), imports, entity recognition.

The first run (the bundled sample), imports and recognition (parsing files and spaCy: pure
Python for long stretches, which in a thread of the window would compete with the UI thread
for the interpreter lock, bench/README.md) all run in the worker process
(`ui/worker_process.py`), so the window has one import path; progress arrives as the same
`ProgressEvent`s and an import's report as the same `ImportReport`, so the window shows the
same status text and report dialog as for work done in-process. This controller keeps which
ones are running, turns their progress into `progress` signals for the status
bar, asks the list to grow while an import stores batches (at most every `LIVE_REFRESH_S`),
and cancels them on request. What is stored when a job is cancelled stays.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from newsreader.core.library import FirstRun, Library
from newsreader.core.models import ImportReport
from newsreader.core.progress import ProgressEvent
from newsreader.ui.jobs import JobRunner
from newsreader.ui.worker_process import WorkerProcess, WorkerTask

#: While an import runs, refresh the list at most this often (seconds).
LIVE_REFRESH_S = 1.0


class BackgroundWork(QObject):
    """See the module docstring."""

    #: Progress of the running job (ProgressEvent), for the status bar.
    progress = Signal(object)
    #: Nothing is running any more: hide the progress.
    idle = Signal()
    #: An import stored more articles: list them (throttled).
    articles_added = Signal()
    #: The sample was imported into a new library (FirstRun).
    first_run_done = Signal(object)
    #: An import finished or was cancelled (ImportReport).
    import_finished = Signal(object)
    #: Entity recognition finished: how many articles got entities.
    entities_recognised = Signal(int)
    #: Whether entity recognition is running.
    recognising_changed = Signal(bool)
    #: A line for the status bar: (text, milliseconds).
    message = Signal(str, int)
    failed = Signal(str)

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        parent: QObject | None = None,
        worker: WorkerProcess | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        #: The child process that recognises (and indexes); shared with the `IndexFollower`.
        self.worker = worker if worker is not None else WorkerProcess(library.directory, self)
        self.import_job: WorkerTask | None = None
        #: Whether the first run's sample is being stored (in the worker).
        self.seeding = False
        self.entity_job: WorkerTask | None = None
        self.last_report: ImportReport | None = None
        self._last_live_refresh = 0.0
        self.worker.progress.connect(self._entities_progress)
        self.worker.progress.connect(self._import_progress)
        self.worker.recognised.connect(self._entities_finished)
        self.worker.failed.connect(self._entities_failed)
        self.worker.imported.connect(self._import_finished)
        self.worker.failed.connect(self._import_failed)
        self.worker.seeded.connect(self._seeded)
        self.worker.failed.connect(self._seed_failed)

    @property
    def busy(self) -> bool:
        return self.import_job is not None or self.entity_job is not None or self.seeding

    # -- first run -------------------------------------------------------------------------------

    def first_run(self) -> None:
        """Seed a new library with the sample (in the worker, like any import), then
        recognise what awaits recognition. Called while the window is being built, so the
        worker starts beside the window's first paint."""
        self.seeding = True
        if not self.worker.seeding:  # else started before the window was built (ui/app.py)
            self.worker.first_run()

    def _seeded(self, sample: ImportReport | None) -> None:
        if not self.seeding:
            return
        self.seeding = False
        first = FirstRun(self.library.directory, sample)
        if first.seeded and first.sample is not None:
            count = first.sample.new
            self.message.emit(
                f"Welcome: the sample library ({count} articles) is ready to read.", 8000
            )
            self.first_run_done.emit(first)
        # Also catches up on articles an earlier session (or the CLI) left unrecognised.
        self.start_entity_recognition()
        self._idle_check()

    def _seed_failed(self, lane: str, message: str) -> None:
        if lane != "first-run" or not self.seeding:
            return
        self.seeding = False
        self.failed.emit(f"the sample library could not be added ({message})")
        self._idle_check()

    # -- import ----------------------------------------------------------------------------------

    def start_import(self, paths: Sequence[str | Path]) -> WorkerTask | None:
        """Import in the worker process; `articles_added` fires as batches are stored.

        The worker stores at SQLite speed (`Library.import_paths(index=False)`) and drains
        the index outbox behind; the list re-reads SQLite as the progress arrives."""
        if self.import_job is not None:
            self.message.emit("An import is already running; wait or cancel it.", 5000)
            return None
        self.progress.emit(ProgressEvent("import", 0, None))
        self._last_live_refresh = time.monotonic()
        self.import_job = WorkerTask(self.worker, "import")
        self.worker.import_paths([str(p) for p in paths])
        return self.import_job

    def _import_progress(self, lane: str, event: ProgressEvent) -> None:
        if lane != "import" or self.import_job is None:
            return
        self.progress.emit(event)
        now = time.monotonic()
        if now - self._last_live_refresh >= LIVE_REFRESH_S:
            self._last_live_refresh = now
            self.articles_added.emit()

    def _import_finished(self, report: ImportReport) -> None:
        if self.import_job is None:
            return
        self.last_report = report
        self.message.emit(f"Import: {report.summary()}", 10_000)
        self.import_finished.emit(report)
        if report.new:
            self.start_entity_recognition()
        self._import_done()

    def _import_failed(self, lane: str, message: str) -> None:
        if lane != "import" or self.import_job is None:
            return
        self.failed.emit(message)
        self.articles_added.emit()  # what it had stored stays: list it
        self._import_done()

    def _import_done(self) -> None:
        self.import_job = None
        self._idle_check()

    # -- entities --------------------------------------------------------------------------------

    def start_entity_recognition(self) -> WorkerTask | None:
        """Recognise entities in articles that have none yet, in the worker process."""
        if self.entity_job is not None:
            return None
        self.entity_job = WorkerTask(self.worker, "entities")
        self.worker.request("entities")
        self.recognising_changed.emit(True)
        return self.entity_job

    def _entities_progress(self, lane: str, event: ProgressEvent) -> None:
        if lane == "entities" and self.entity_job is not None:
            self.progress.emit(event)

    def _entities_finished(self, count: int) -> None:
        if self.entity_job is None:
            return
        if count:
            self.message.emit(f"Entities recognised in {count:,} articles.", 6000)
        self.entities_recognised.emit(count)
        self._entities_done()

    def _entities_failed(self, lane: str, message: str) -> None:
        if lane != "entities" or self.entity_job is None:
            return
        self.message.emit(f"Entities are not available: {message}", 15_000)
        self._entities_done()

    def _entities_done(self) -> None:
        self.entity_job = None
        self.recognising_changed.emit(False)
        self._idle_check()

    # -- cancel ----------------------------------------------------------------------------------

    def cancel(self) -> None:
        for job in (self.import_job, self.entity_job):
            if job is not None:
                job.cancel()
        self.message.emit("Cancelling… what is stored stays.", 4000)

    def _idle_check(self) -> None:
        if not self.busy:
            self.idle.emit()
