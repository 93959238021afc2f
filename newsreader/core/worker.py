"""The window's background worker: a child process that indexes and recognises entities.

Why a process: Whoosh's indexing and spaCy's recognition are Python. Run in threads of the
window's process they share one interpreter lock with the UI thread, and the window stutters
(an article took 157 ms to open, a scroll frame 1.5 s, during a 5k import; bench/README.md).
In a child process they run on their own core, and the window only reads a few lines of JSON.

No other channel is needed: SQLite holds the work. The index outbox says what the index must
still show (`newsreader.core.indexer`) and the recognition status what awaits recognition, so
the child just opens the library and drains both; a child killed at any point loses nothing,
and the next one resumes. The window tells it *when* to look, on standard input, one command
a line, each with a sequence number:

    index 7              drain the index outbox until it is empty
    entities 8           recognise every pending article (then index their names)
    cancel-entities 9    stop recognising at the next batch (what is committed stays)
    import 10 {"paths": ["/a/folder", "/b.jsonl"]}
                         import files and folders (`Library.import_paths`), one at a time
    cancel-import 11     stop the import at its next batch (what is committed stays)
    first-run 12         seed a new library with the bundled sample (`Library.first_run`),
                         in the import's turn, so the window has one import path
    quit                 stop at the next batch and exit (end of input means the same)

and hears back on standard output, one JSON object a line (``event`` says which):

    {"event": "ready", "pid": 123}
    {"event": "progress", "lane": "index", "stage": "index", "done": 250, "total": 5000, ...}
    {"event": "indexed", "applied": 5000, "notices": []}      a drain ended: search again
    {"event": "recognised", "count": 40}                      recognition ended
    {"event": "imported", "report": {"new": 5, "skipped": [...], ...}}   an import ended
    {"event": "first-run", "report": {"new": 5, ...}}   the sample is stored (report null
                                       when the library had it or had articles already)
    {"event": "failed", "lane": "entities", "message": "...", "expected": true}
    {"event": "idle", "seq": 9}       nothing left to do for any command up to number 9

Anything else the libraries print goes to standard error (the window logs it), never into
the protocol. The import runs here too, for the same reason (reading files is Python), with
`index=False`: its batches are committed at SQLite speed (the window lists them as they land)
and this worker's index drain follows behind, every `INDEX_DURING_RECOGNITION_S`, until
5,000 articles wait: that backlog is indexed by two processes once the import has stored
everything (`Worker._drain`). The
progress events are the core's own `ProgressEvent`s, so the status bar shows the same text as
for work done in-process. Started by `command()`: ``python -m
newsreader.core.worker``, or the bundle's own binary with `WORKER_FLAG` (packaging/launcher.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from newsreader.core import indexer
from newsreader.core.entities import ModelMissingError
from newsreader.core.indexer import DrainReport
from newsreader.core.library import Library
from newsreader.core.models import ImportReport, Notice, Skipped
from newsreader.core.progress import CancelToken, ProgressEvent
from newsreader.core.storage import StorageError

log = logging.getLogger("newsreader.worker")

#: The first argument that makes the bundle's binary (whose `sys.executable` is the app, not
#: a Python interpreter) run the worker instead of the window or the command line.
WORKER_FLAG = "--newsreader-worker"
#: Articles per index commit: the indexer's own default (`indexer.BATCH`, as on the command
#: line), not the small batches a thread of the window had to use so that closing the window
#: never waited long: a worker that does not quit at once is terminated, which the outbox
#: makes safe.
INDEX_BATCH: int | None = None
#: Whether big backlogs (`indexer.BULK_THRESHOLD`) are indexed by two processes, as on the
#: command line (`core/search/procwriter.py`; bench/README.md, "two writer processes").
INDEX_PROCESSES = True
#: While recognition runs, its entity names are indexed at most this often (seconds).
INDEX_DURING_RECOGNITION_S = 2.0
#: The worker yields the CPU to the window when both want it: the lowest Unix priority
#: (niceness 19), under which Linux gives it about 1.5% of a core the window also wants.
NICENESS = 19


def lower_priority() -> str:
    """Run every thread of this process (and the threads they start) at the lowest priority.

    During a 100k import the window's frames and article opens waited behind the worker for a
    core (bench/README.md, "The window during a 100k import"): niceness +5 was set on the main
    thread only, after numpy had started its BLAS threads (which do recognition's arithmetic)
    at niceness 0, and +5 still left the worker a third of the window's share. Linux keeps
    niceness per thread, so every thread in /proc/self/task is set, and threads started later
    inherit it.

    Niceness 19, not the `SCHED_IDLE` policy: a `SCHED_IDLE` worker gets no CPU at all while
    other programs keep every core busy, and if that happens while it holds the library's
    write transaction, the window's next write (a star, a read mark) waits for it until
    SQLite's busy timeout and fails. At niceness 19 the worker still gets a small share, so a
    transaction it holds always ends. Returns "nice" when applied, "" where it cannot be."""
    if not hasattr(os, "setpriority"):
        return ""
    tasks = Path("/proc/self/task")
    threads = [int(t.name) for t in tasks.iterdir()] if tasks.is_dir() else [0]
    try:
        for thread in threads:
            # On Linux PRIO_PROCESS with a thread id sets that thread's niceness.
            os.setpriority(os.PRIO_PROCESS, thread, NICENESS)
    except OSError:  # a thread that just ended, or not permitted: keep what was set
        return ""
    return "nice"


def command(directory: str | os.PathLike[str]) -> list[str]:
    """The program and arguments that start a worker on the library in `directory`."""
    if getattr(sys, "frozen", False):  # PyInstaller: the app binary dispatches on the flag
        return [sys.executable, WORKER_FLAG, "--library", str(directory)]
    return [sys.executable, "-m", "newsreader.core.worker", "--library", str(directory)]


class Worker:
    """Runs the commands of one window on one library (module docstring), in two threads:
    indexing and recognition, so that recognised names become searchable as they go."""

    def __init__(self, library: Library, out: TextIO) -> None:
        self.library = library
        self._out = out
        self._write = threading.Lock()
        self._state = threading.Condition()
        self._seq = 0
        self._index_wanted = False
        self._entities_wanted = False
        self._index_running = False
        self._entities_running = False
        #: Imports asked for, each with its own cancel token: one cancelled before it starts
        #: still runs (at once stopped), so that the window hears its (cancelled) report.
        #: (None in place of the paths: the first run's sample, `first-run`.)
        self._imports: list[tuple[list[str] | None, CancelToken]] = []
        self._import_running = False
        self._import_cancel = CancelToken()
        self._stop = CancelToken()
        self._entities_cancel = CancelToken()
        self._threads = [
            threading.Thread(target=self._index_loop, name="index", daemon=True),
            threading.Thread(target=self._entities_loop, name="entities", daemon=True),
            threading.Thread(target=self._import_loop, name="import", daemon=True),
        ]

    # -- the protocol ----------------------------------------------------------------------

    def emit(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **fields}, ensure_ascii=False)
        with self._write:
            try:
                self._out.write(line + "\n")
                self._out.flush()
            except (OSError, ValueError):  # the window is gone; the quit follows
                self._stop.cancel()

    def handle(self, line: str) -> bool:
        """Act on one command line; False when it asks the worker to stop."""
        words = line.split(maxsplit=2)
        if not words:
            return True
        verb = words[0]
        with self._state:
            if len(words) > 1 and words[1].isdigit():
                self._seq = max(self._seq, int(words[1]))
            if verb == "quit":
                self._stop.cancel()
                self._entities_cancel.cancel()
                self._cancel_imports()
                self._state.notify_all()
                return False
            if verb == "index":
                self._index_wanted = True
            elif verb == "entities":
                self._entities_wanted = True
            elif verb == "cancel-entities":
                self._entities_wanted = False
                self._entities_cancel.cancel()
            elif verb == "import":
                paths = _import_paths(words[2] if len(words) > 2 else "")
                if paths is None:
                    self.emit(
                        "failed",
                        lane="import",
                        message="the import was not understood",
                        expected=False,
                    )
                else:
                    self._imports.append((paths, CancelToken()))
            elif verb == "cancel-import":
                self._cancel_imports()
            elif verb == "first-run":
                self._imports.append((None, CancelToken()))
            else:
                log.warning("unknown command %r ignored", line.strip())
            self._state.notify_all()
            self._idle_if_done()
        return True

    def _cancel_imports(self) -> None:
        """Cancel the running import and those waiting (call with `_state` held)."""
        self._import_cancel.cancel()
        for _paths, cancel in self._imports:
            cancel.cancel()

    def _idle_if_done(self) -> None:
        """Say "idle" when nothing is wanted or running (call with `_state` held)."""
        busy = (
            self._index_wanted
            or self._entities_wanted
            or self._index_running
            or self._entities_running
            or bool(self._imports)
            or self._import_running
        )
        if not busy and not self._stop.cancelled:
            self.emit("idle", seq=self._seq)

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop both loops at their next batch and wait for them."""
        with self._state:
            self._stop.cancel()
            self._entities_cancel.cancel()
            self._cancel_imports()
            self._state.notify_all()
        for thread in self._threads:
            thread.join()

    def serve(self, commands: TextIO) -> None:
        """Read commands until "quit" or the end of input (the window closed or died)."""
        for line in commands:
            if not self.handle(line):
                break

    def _want_index(self) -> None:
        with self._state:
            self._index_wanted = True
            self._state.notify_all()

    def _index_loop(self) -> None:
        while True:
            with self._state:
                while not (self._index_wanted or self._stop.cancelled):
                    self._state.wait()
                if self._stop.cancelled:
                    return
                self._index_wanted = False
                self._index_running = True
                # Seen with the flag: an import that ends after this asks for a drain again.
                importing = self._import_running or bool(self._imports)
            try:
                report = self._drain(importing)
                if report is not None and report.ran:
                    self.emit("indexed", applied=report.applied, notices=report.notices)
            except Exception as exc:  # told to the window; the next command tries again
                self._failed("index", exc)
            finally:
                with self._state:
                    self._index_running = False
                    self._idle_if_done()
            self._tidy()

    def _drain(self, importing: bool) -> DrainReport | None:
        """Index what waits; None when a big backlog waits for the import to end.

        Beside an import, only a small backlog is indexed (in this process, only what was
        there when the drain began): its first articles are searchable at once. A big one
        (`indexer.BULK_THRESHOLD`) waits until the import has stored everything and is then
        indexed by two processes from a fork server, never a fork of this multithreaded
        process (core/search/procwriter.py). Storing first and indexing after makes a big
        import searchable sooner, and stores it faster, than indexing beside it: the two
        would share this process's interpreter lock and the machine's two cores
        (bench/README.md, "two writer processes").
        """
        if importing and INDEX_PROCESSES and self.library.index_pending() >= indexer.BULK_THRESHOLD:
            return None
        return self.library.update_index(
            progress=lambda event: self._progress("index", event),
            cancel=self._stop,
            batch_size=INDEX_BATCH,
            processes=INDEX_PROCESSES and not importing,
            until_empty=not importing,
        )

    def _tidy(self) -> None:
        """Merge the index's segments while nothing waits to be indexed (`merging`).

        After each drain: the merges a commit must not do (`Library.tidy_index`), in bounded
        steps that give way to new work at once (an import's articles) or soon (recognised
        names). Not reported: merging changes no search result, only their speed.
        """

        def interrupted() -> bool:
            return self._stop.cancelled or bool(self._imports) or self._import_running

        if interrupted():
            return
        try:
            report = self.library.tidy_index(cancel=self._stop, interrupted=interrupted)
        except Exception:  # an optimisation only: the next idle moment tries again
            log.warning("merging the index failed:\n%s", traceback.format_exc())
            return
        if report.steps:
            log.info(
                "merged %d segment groups (%d documents, longest %.1f s)%s",
                report.steps,
                report.merged_docs,
                report.longest_s,
                "; gave way to new work" if report.interrupted else "",
            )

    def _entities_loop(self) -> None:
        while True:
            with self._state:
                while not (self._entities_wanted or self._stop.cancelled):
                    self._state.wait()
                if self._stop.cancelled:
                    return
                self._entities_wanted = False
                self._entities_running = True
                # Cancelled by "cancel-entities" and by "quit" alike (see `handle`, `stop`).
                cancel = self._entities_cancel = CancelToken()
            last_index = time.monotonic()

            def progress(event: ProgressEvent) -> None:
                nonlocal last_index
                self._progress("entities", event)
                if time.monotonic() - last_index >= INDEX_DURING_RECOGNITION_S:
                    last_index = time.monotonic()
                    self._want_index()

            try:
                # One spaCy process: this worker has threads (forking it is unsafe), and the
                # machine's other core belongs to the window.
                count = self.library.extract_entities(
                    progress=progress, cancel=cancel, n_process=1, index=False
                )
                self.emit("recognised", count=count)
            except ModelMissingError as exc:
                self.emit("failed", lane="entities", message=str(exc), expected=True)
            except Exception as exc:
                self._failed("entities", exc)
            finally:
                self._want_index()  # what was recognised gets its names into the index
                with self._state:
                    self._entities_running = False
                    self._idle_if_done()

    def _import_loop(self) -> None:
        while True:
            with self._state:
                while not (self._imports or self._stop.cancelled):
                    self._state.wait()
                if self._stop.cancelled:
                    return
                paths, cancel = self._imports.pop(0)
                self._import_running = True
                # Cancelled by "cancel-import" and by "quit" alike (see `_cancel_imports`).
                self._import_cancel = cancel
            last_index = time.monotonic()

            lane = "import" if paths is not None else "first-run"

            def progress(event: ProgressEvent, lane: str = lane) -> None:
                nonlocal last_index
                self._progress(lane, event)
                if time.monotonic() - last_index >= INDEX_DURING_RECOGNITION_S:
                    last_index = time.monotonic()
                    self._want_index()  # what is stored becomes searchable as it goes

            try:
                if paths is None:
                    first = self.library.first_run(progress=progress, index=False)
                    sample = None if first.sample is None else asdict(first.sample)
                    self.emit("first-run", report=sample)
                else:
                    report = self.library.import_paths(
                        paths, progress=progress, cancel=cancel, index=False
                    )
                    self.emit("imported", report=asdict(report))
            except Exception as exc:
                self._failed(lane, exc)
            finally:
                with self._state:
                    self._import_running = False
                    # In the same breath: a drain that saw the import running waits for this.
                    self._index_wanted = True
                    self._state.notify_all()
                    self._idle_if_done()

    def _progress(self, lane: str, event: ProgressEvent) -> None:
        self.emit("progress", lane=lane, **asdict(event))

    def _failed(self, lane: str, exc: Exception) -> None:
        expected = isinstance(exc, StorageError | OSError)
        if not expected:
            log.error("%s failed:\n%s", lane, traceback.format_exc())
        self.emit("failed", lane=lane, message=str(exc) or type(exc).__name__, expected=expected)


def event_from(fields: dict[str, Any]) -> ProgressEvent:
    """The `ProgressEvent` of a "progress" line (the window's side of `Worker._progress`)."""
    return ProgressEvent(
        str(fields.get("stage", "")),
        int(fields.get("done", 0)),
        None if fields.get("total") is None else int(fields["total"]),
        str(fields.get("message", "")),
    )


def _import_paths(text: str) -> list[str] | None:
    """The paths of an "import" command's JSON (`{"paths": [...]}`), or None if malformed."""
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    paths = fields.get("paths") if isinstance(fields, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return paths


def import_command(seq: int, paths: Sequence[str]) -> str:
    """The "import" command line for `paths` (the window's side of `Worker.handle`)."""
    return f"import {seq} {json.dumps({'paths': list(paths)}, ensure_ascii=False)}"


def report_from(fields: dict[str, Any]) -> ImportReport:
    """The `ImportReport` of an "imported" line (the window's side of `_import_loop`)."""
    return ImportReport(
        new=int(fields.get("new", 0)),
        duplicates=int(fields.get("duplicates", 0)),
        skipped=[Skipped(str(s["origin"]), str(s["reason"])) for s in fields.get("skipped", [])],
        new_ids=[int(i) for i in fields.get("new_ids", [])],
        cancelled=bool(fields.get("cancelled", False)),
        notes=[Notice(str(n["origin"]), str(n["message"])) for n in fields.get("notes", [])],
    )


def _protocol_stream() -> TextIO:
    """Keep standard output for the protocol; send whatever else prints to standard error."""
    sys.stdout.flush()
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "w", encoding="utf-8", buffering=1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a worker on `--library` until told to quit; the process exit code."""
    parser = argparse.ArgumentParser(
        prog="newsreader-worker", description="The window's background worker (not for people)."
    )
    parser.add_argument("--library", metavar="DIR", required=True)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    out = _protocol_stream()
    # The window decides when this stops (Ctrl-C in its terminal reaches the whole group).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lower_priority()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s: %(message)s")
    try:
        library = Library.open(Path(args.library), daily_backup=False, update_index=False)
    except (StorageError, OSError) as exc:
        out.write(json.dumps({"event": "failed", "lane": "open", "message": str(exc)}) + "\n")
        return 2
    worker = Worker(library, out)
    worker.start()
    worker.emit("ready", pid=os.getpid())
    try:
        worker.serve(sys.stdin)
    finally:
        worker.stop()
        library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
