"""Whoosh's two-process writer without forking the caller: sub-writers from a fork server.

Whoosh's `MpWriter` (`processes=True` drains: two processes, a segment each) starts its
sub-writers with `multiprocessing`'s default start method, which is `fork` on Linux. Forking
a process that has threads copies whatever locks its other threads hold at that instant, and
the child may hang on one of them: the window's worker has an import, an index and a
recognition thread, the command line a progress-bar thread. So `ProcessWriter` starts them
with the `forkserver` method (`spawn` where there is none): a small server process, started
by fork+exec (safe from any thread) and preloaded with this module, forks each sub-writer
from its single thread, so a sub-writer still starts in milliseconds. As with every
`multiprocessing` start method but fork, the main module must be safe to import (its work
under ``if __name__ == "__main__":``, as in every entry point of Newsreader).

What it adds to Whoosh's writer, which trusts its sub-writers blindly:

- **Nothing is lost when a sub-writer dies** (kill -9, the out-of-memory killer): Whoosh
  waits a second for each result and then commits without the missing segment, documents
  and all. Here the commit fails (`SubWriterFailed`) and nothing is committed, so the caller
  keeps its outbox rows (`newsreader.core.indexer`, which then goes on in one process). A
  sub-writer that cannot be started at all fails the same way.
- **No orphans.** A sub-writer ends as soon as the process that started it ends (it watches
  `multiprocessing.parent_process().sentinel`, the write end of a pipe that process holds),
  even by kill -9; `cancel()` kills the sub-writers; the fork server exits with its caller.
- **Cancellable within a fraction of a second**: `interrupted` is polled wherever the parent
  waits for a sub-writer (`POLL_S`), and when true the sub-writers are killed and
  `newsreader.core.progress.Cancelled` is raised.
- **The caller's priority**: a sub-writer runs at the niceness of the thread that started it
  (the worker's 19), and leaves Ctrl-C to its caller (no traceback in the terminal).
- **The fast write path** (`fastwrite`) is what the parent has installed, not whatever the
  fork server imported (`tests/test_fastanalysis.py` builds with Whoosh's code too).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from newsreader.core.progress import Cancelled
from newsreader.core.search import fastanalysis, fastwrite

#: How often (seconds) a parent waiting on its sub-writers looks at `interrupted` and at
#: whether one of them died.
POLL_S = 0.2
#: How long a finished sub-writer may take to exit after sending its segment (seconds).
EXIT_WAIT_S = 10.0
METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class SubWriterFailed(Exception):
    """A sub-writer process ended without handing over its segment: nothing was committed."""


def context() -> BaseContext:
    """The `multiprocessing` context sub-writers start in (module docstring)."""
    ctx = multiprocessing.get_context(METHOD)
    if METHOD == "forkserver":
        # Takes effect when the server starts (the first sub-writer of this process).
        ctx.set_forkserver_preload(_preload())
    return ctx


def _preload() -> list[str]:
    """What the fork server imports once, so that each sub-writer it forks starts at once:
    this module (Whoosh, the schema, the fast write path) and the caller's main module,
    which `multiprocessing` re-runs in every child as ``__mp_main__``."""
    names = ["__main__", __name__]
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    name = getattr(spec, "name", None)
    if name and not name.endswith("__main__"):
        names.append(name)
    return names


def _niceness() -> int:
    """The calling thread's niceness (Linux keeps it per thread); 0 where unknown."""
    try:
        return os.getpriority(os.PRIO_PROCESS, 0)
    except (AttributeError, OSError):
        return 0


class _SubWriter(SubWriterTask):  # type: ignore[misc]
    """Whoosh's sub-writer, started by `context()`, with the guards of the module docstring."""

    _start_method = METHOD

    def __init__(self, *args: Any, niceness: int, fast: bool) -> None:
        super().__init__(*args)
        self.niceness = niceness
        self.fast = fast
        self.daemon = True  # also ended by multiprocessing when the parent exits normally

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        return context().Process._Popen(process_obj)  # type: ignore[attr-defined]

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
        _exit_with_parent()
        if self.niceness > _niceness():
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, 0, self.niceness)
        fastwrite.install(self.fast)
        super().run()


def _exit_with_parent() -> None:
    """End this process as soon as the one that started it ends, however it ends."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class ProcessWriter(MpWriter):  # type: ignore[misc]
    """`whoosh.multiproc.MpWriter` with its sub-writers started safely (module docstring)."""

    def __init__(
        self,
        ix: Any,
        procs: int,
        batchsize: int = 100,
        multisegment: bool = False,
        **kwargs: Any,
    ) -> None:
        SegmentWriter.__init__(self, ix, **kwargs)  # not MpWriter's: its queues are fork's
        self.procs = procs
        self.batchsize = batchsize
        self.subargs = kwargs
        self.multisegment = multisegment
        self.tasks: list[_SubWriter] = []
        ctx = context()
        self.jobqueue = ctx.Queue(procs * 4)
        self.resultqueue = ctx.Queue()
        self.docbuffer: list[Any] = []
        self._grouping = 0
        self._added_sub = False
        #: Polled while waiting on sub-writers: true cancels the writer (module docstring).
        self.interrupted: Callable[[], bool] = lambda: False

    def _new_task(self) -> _SubWriter:
        task = _SubWriter(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            niceness=_niceness(),
            fast=fastanalysis.ENABLED,
        )
        try:
            task.start()
        except Exception as exc:  # no fork server here (a frozen app without its hook, say)
            raise SubWriterFailed(f"could not start an indexing process ({exc})") from exc
        self.tasks.append(task)  # only started ones: `cancel` kills what is in the list
        return task

    def _enqueue(self) -> None:
        """Whoosh's, but never blocked for good on a queue no live sub-writer reads."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job: Any) -> None:
        while True:
            self._check()
            try:
                self.jobqueue.put(job, timeout=POLL_S)
                return
            except queue.Full:
                continue

    def _check(self) -> None:
        """Raise if cancelled or if a sub-writer died before it was told to finish."""
        if self.interrupted():
            raise Cancelled()
        dead = [t.exitcode for t in self.tasks if t.exitcode is not None]
        if dead:
            raise SubWriterFailed(f"an indexing process ended early (exit code {dead[0]})")

    def commit(self, mergetype: Any = None, optimize: Any = None, merge: Any = None) -> None:
        self._check_state()  # not again after a cancel (Whoosh's would start new tasks)
        super().commit(mergetype=mergetype, optimize=optimize, merge=merge)

    def add_document(self, **fields: Any) -> None:
        try:
            super().add_document(**fields)
        except BaseException:
            self.cancel()
            raise

    def _results(self) -> list[Any]:
        """Every sub-writer's (run, field names, segment), or `SubWriterFailed`."""
        results: list[Any] = []
        while len(results) < len(self.tasks):
            if self.interrupted():
                raise Cancelled()
            try:
                results.append(self.resultqueue.get(timeout=POLL_S))
                continue
            except queue.Empty:
                pass
            codes = [t.exitcode for t in self.tasks]
            if any(code not in (None, 0) for code in codes):
                raise SubWriterFailed(f"an indexing process was stopped (exit codes {codes})")
            if all(code == 0 for code in codes):
                try:  # all ended well: what they sent is in the pipe, or was never sent
                    results.append(self.resultqueue.get(timeout=1.0))
                except queue.Empty:
                    raise SubWriterFailed("an indexing process ended without its segment") from None
        for task in self.tasks:
            task.join(EXIT_WAIT_S)
            if task.exitcode is None:
                task.kill()
                task.join()
        return results

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        try:
            if self.docbuffer:
                self._enqueue()
            for _task in self.tasks:
                self._put(None)  # finish up
            finalsegments = self._merge_segments(mergetype, optimize, merge)
            results = self._results()
            if self.multisegment:
                # A sub-writer that got no job (the other took them all) wrote an empty
                # segment: leave it out (its files go with the commit's clean-up).
                finalsegments += [seg for _, _, seg in results if seg.doc_count_all()]
                if self._added:
                    finalsegments.append(self._finalize_segment())
                else:
                    self._close_segment()
            else:
                self._merge_subsegments(results, mergetype)
                self._close_segment()
                self._assemble_segment()
                finalsegments.append(self.get_segment())
        except BaseException:
            self.cancel()
            raise
        self._commit_toc(finalsegments)
        self._finish()
        self._close_queues(flush=True)

    def cancel(self) -> None:
        """Kill the sub-writers (their files are temporary) and give up what was added."""
        for task in self.tasks:
            if task.exitcode is None:
                task.kill()
        for task in self.tasks:
            task.join(EXIT_WAIT_S)
        self._close_queues(flush=False)
        if not self.is_closed:
            SegmentWriter.cancel(self)

    def _close_queues(self, *, flush: bool) -> None:
        for q in (self.jobqueue, self.resultqueue):
            if not flush:
                q.cancel_join_thread()  # nobody reads what is left: do not wait to send it
            q.close()
            if flush:
                q.join_thread()
