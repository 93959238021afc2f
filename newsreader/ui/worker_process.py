"""The window's end of the background worker process (`newsreader.core.worker`).

A `QProcess` runs the worker; commands go to its standard input, and its JSON lines are read
as they arrive (`readyReadStandardOutput`), so the UI thread never waits on it. The window
starts it on the first piece of work and keeps it for the session; closing the window asks it
to quit, then terminates it (the outbox makes that safe: the next start resumes).

A worker that dies unexpectedly is restarted and given again what it was doing, up to
`MAX_RESTARTS` times a minute; after that the window says so in the status bar (articles stay
stored and listed; the next start of the window indexes them) — never a traceback. An import
is not given again (a second run would report the stored articles as duplicates): the window
says it stopped, and what it had committed stays listed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

import newsreader
from newsreader.core import worker

log = logging.getLogger(__name__)

#: How long a closing window waits for the worker to stop at its next batch before
#: terminating it (milliseconds): an idle worker quits at once, a busy one is terminated
#: (safe: what it had not committed stays in the outbox for the next start).
QUIT_WAIT_MS = 1000
MAX_RESTARTS = 3
RESTART_WINDOW_S = 60.0


def worker_command(directory: Path) -> list[str]:
    """The worker's command line (a seam: tests start stand-ins that crash or lack a model)."""
    return worker.command(directory)


def _environment() -> QProcessEnvironment:
    """The window's environment, with this copy of Newsreader first on the module path, so
    that `python -m newsreader.core.worker` finds it even when run from a source checkout
    that is not installed (a bundle carries its own modules)."""
    env = QProcessEnvironment.systemEnvironment()
    if not getattr(sys, "frozen", False):
        here = str(Path(newsreader.__file__).resolve().parents[1])
        rest = env.value("PYTHONPATH", "")
        env.insert("PYTHONPATH", os.pathsep.join(p for p in (here, rest) if p))
    return env


class WorkerTask:
    """A handle on work the worker does for the window (recognition): it can be cancelled."""

    def __init__(self, process: WorkerProcess, kind: str) -> None:
        self.process = process
        self.kind = kind

    def cancel(self) -> None:
        self.process.cancel(self.kind)


class WorkerProcess(QObject):
    """See the module docstring."""

    #: (lane, ProgressEvent): "index" or "entities" progress, as the core reports it.
    progress = Signal(str, object)
    #: A drain ended: (articles applied, notices for the user).
    indexed = Signal(int, object)
    #: Recognition ended: how many articles were recognised.
    recognised = Signal(int)
    #: An import ended (finished or cancelled): its `ImportReport`.
    imported = Signal(object)
    #: The first run's sample is stored: its `ImportReport`, or None (the library had it).
    seeded = Signal(object)
    #: (lane, message): work of that lane stopped with a message for the user.
    failed = Signal(str, str)
    #: Everything asked for so far is done.
    idle = Signal()
    #: A line for the status bar (a restart after a crash).
    notice = Signal(str)

    def __init__(self, directory: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self._process: QProcess | None = None
        self._seq = 0
        self._acked = 0
        self._recognising = False
        self._importing = False
        self._seeding = False
        self._stopping = False
        self._restarts: deque[float] = deque()
        self._stderr: deque[str] = deque(maxlen=20)
        self._buffer = b""

    # -- asking ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None

    @property
    def busy(self) -> bool:
        """Whether something asked for is not done yet."""
        return self._process is not None and (
            self._acked < self._seq or self._recognising or self._importing or self._seeding
        )

    @property
    def recognising(self) -> bool:
        return self._recognising

    def request(self, kind: str) -> None:
        """Ask for "index" (drain the outbox) or "entities" (recognise what is pending)."""
        if self._stopping:
            return
        if kind == "entities":
            self._recognising = True
        if self._process is None:
            self._start()
        self._send(kind)

    def import_paths(self, paths: Sequence[str]) -> None:
        """Import `paths` in the worker; `imported` (or `failed` for "import") says how it went."""
        if self._stopping:
            return
        self._importing = True
        if self._process is None:
            self._start()
        assert self._process is not None
        self._seq += 1
        self._process.write((worker.import_command(self._seq, paths) + "\n").encode())

    @property
    def importing(self) -> bool:
        return self._importing

    @property
    def seeding(self) -> bool:
        """Whether the first run's sample is asked for and not stored yet."""
        return self._seeding

    def first_run(self) -> None:
        """Seed a new library with the bundled sample in the worker, as any import is;
        `seeded` (or `failed` for "first-run") says how it went. Asking again is harmless:
        a library that has the sample is not seeded twice."""
        if self._stopping:
            return
        self._seeding = True
        if self._process is None:
            self._start()
        self._send("first-run")

    def cancel(self, kind: str) -> None:
        if kind in ("entities", "import") and self._process is not None:
            self._send(f"cancel-{kind}")

    def stop(self) -> None:
        """Stop the worker: quit at its next batch, else terminate, else kill (blocks ≤ 3 s)."""
        self._stopping = True
        process = self._process
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.write(b"quit\n")
            process.closeWriteChannel()
            if not process.waitForFinished(QUIT_WAIT_MS):
                process.terminate()
                if not process.waitForFinished(1000):
                    process.kill()
                    process.waitForFinished(1000)
        self._forget(process)

    def pid(self) -> int:
        """The worker's process id (0 when none runs)."""
        return int(self._process.processId()) if self._process is not None else 0

    # -- the process -----------------------------------------------------------------------

    def _start(self) -> None:
        program, *arguments = worker_command(self.directory)
        process = QProcess(self)
        process.setProgram(program)
        process.setArguments(arguments)
        process.setProcessEnvironment(_environment())
        process.readyReadStandardOutput.connect(self._read_output)
        process.readyReadStandardError.connect(self._read_errors)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        self._buffer = b""
        process.start()

    def _send(self, verb: str) -> None:
        assert self._process is not None
        self._seq += 1
        self._process.write(f"{verb} {self._seq}\n".encode())

    def _forget(self, process: QProcess) -> None:
        if self._process is process:
            self._process = None
        process.readyReadStandardOutput.disconnect(self._read_output)
        process.readyReadStandardError.disconnect(self._read_errors)
        process.finished.disconnect(self._on_finished)
        process.errorOccurred.disconnect(self._on_error)
        process.deleteLater()

    def _read_errors(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                self._stderr.append(line)
                log.info("worker: %s", line)

    def _read_output(self) -> None:
        if self._process is None:
            return
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("worker said something unexpected: %r", line[:200])
                continue
            if isinstance(message, dict):
                self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "progress":
            self.progress.emit(str(message.get("lane")), worker.event_from(message))
        elif event == "indexed":
            self.indexed.emit(int(message.get("applied", 0)), list(message.get("notices", [])))
        elif event == "recognised":
            self._recognising = False
            self.recognised.emit(int(message.get("count", 0)))
        elif event == "imported":
            self._importing = False
            report = message.get("report")
            self.imported.emit(worker.report_from(report if isinstance(report, dict) else {}))
        elif event == "first-run":
            self._seeding = False
            report = message.get("report")
            self.seeded.emit(worker.report_from(report) if isinstance(report, dict) else None)
        elif event == "failed":
            lane = str(message.get("lane"))
            if lane == "entities":
                self._recognising = False
            elif lane == "import":
                self._importing = False
            elif lane == "first-run":
                self._seeding = False
            self.failed.emit(lane, str(message.get("message", "")))
        elif event == "idle":
            self._acked = max(self._acked, int(message.get("seq", 0)))
            if not self.busy:
                self.idle.emit()

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            self._stderr.append(self._process.errorString())
            self._on_finished(-1, QProcess.ExitStatus.CrashExit)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process = self._process
        if process is None or self._stopping:
            return
        self._read_output()
        self._read_errors()
        self._forget(process)
        log.warning("background worker stopped (exit %s, %s)", code, status.name)
        was_busy = self._acked < self._seq or self._recognising or self._importing or self._seeding
        detail = self._stderr[-1] if self._stderr else f"exit code {code}"
        # An import is not given again (its report would call the stored articles
        # duplicates): the user is told, after any other line, so that this one stays shown.
        importing, self._importing = self._importing, False
        import_stopped = (
            f"The import stopped unexpectedly ({detail[:120]}). The articles it had stored stay"
            " in the library; import the same files again to add the rest (those already"
            " stored are counted as duplicates)."
        )
        now = time.monotonic()
        while self._restarts and now - self._restarts[0] > RESTART_WINDOW_S:
            self._restarts.popleft()
        if not was_busy:
            return  # it had nothing to do: the next request starts another
        if len(self._restarts) < MAX_RESTARTS:
            self._restarts.append(now)
            recognising = self._recognising
            self.request("index")
            if self._seeding:
                self.first_run()  # seeding twice is harmless: the sample goes in once
            if recognising:
                self.request("entities")
            if importing:
                self.failed.emit("import", import_stopped)
            else:
                self.notice.emit(
                    "The background indexer stopped unexpectedly and was restarted;"
                    " nothing is lost."
                )
            return
        # Give up for now: nothing is pending any more as far as the window is concerned.
        self._acked = self._seq
        if self._recognising:
            self._recognising = False
            self.failed.emit("entities", "the background worker stopped")
        if self._seeding:
            self._seeding = False
            self.failed.emit("first-run", "the background worker stopped")
        self.failed.emit(
            "worker",
            f"Background indexing stopped unexpectedly ({detail[:120]}). The articles are"
            " stored; Newsreader finishes indexing them the next time it opens.",
        )
        if importing:
            self.failed.emit("import", import_stopped)
        self.idle.emit()
