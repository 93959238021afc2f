"""The model in a process of its own beside the caller: recognition as a two-stage pipeline.

With one process, the model and the caller's own work on its results (the rule layers,
canonical names, writing mentions, the search index) share one interpreter lock; a thread
(`recognizer.entities_beside`) overlaps only the model's matrix products with that work
(bench/README.md, *Throughput*). Here the model runs in a child process and sends back only
each text's `(start, end, label)` tuples, so the two stages run side by side on two cores
where two are free. That is two processes' CPU: `bench.ner_throughput` reports it against
raw `nlp.pipe` with one process and with two.

The child is started by `multiprocessing`'s fork server (`procwriter.context()`: started by
fork+exec, safe from a process with threads, such as the window's worker) and loads the model
itself, which takes a second or two; until it says it is ready, the calling thread runs the
model on the first texts, a batch at a time, so nothing waits for the start. What comes back
is exactly what `recognizer.entities` gives: the same texts through the same model, the
entities of each text independent of the batch it was in (`tests/test_model_process.py`).

- **A child that dies or fails** (kill -9, the out-of-memory killer, an error in the model)
  costs nothing but time: the texts it had not answered, and all after them, are recognised
  in the calling thread, in order (logged as a warning).
- **No orphans**: the child exits when the caller's end of the pipe closes (the caller ended,
  however); closing the generator (a cancel, Ctrl-C in the caller) kills it at once. The
  child leaves Ctrl-C to the caller and runs at the calling thread's niceness (the window's
  worker runs at 19).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any

from newsreader.core.entities import recognizer

log = logging.getLogger(__name__)

Found = list[tuple[int, int, str]]

#: Batches of texts the child holds at a time (one it works on, one waiting), so it never
#: waits for the caller between two batches, and the caller reads texts only as needed.
IN_FLIGHT = 2
_READY = "ready"
#: CPU seconds of the recogniser processes that ended when their work was done, in all: the
#: fork server's children are not this process's, so `os.times` does not count them
#: (`bench.ner_throughput` adds this).
ended_cpu_seconds = 0.0


def _serve(conn: Connection, niceness: int) -> None:  # pragma: no cover - runs in the child
    """In the child: load the model, say so, then answer batches of texts until told to end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    if niceness > _niceness():
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
    # Batches are read as they arrive, so the caller's send never waits for a batch to end.
    batches: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                batches.put(conn.recv())
        except (EOFError, OSError):
            os._exit(0)  # the caller has gone (or closed its end): nothing to answer

    try:
        recognizer.load()
        conn.send(_READY)
        threading.Thread(target=read, name="batches", daemon=True).start()
        while True:
            texts = batches.get()
            if texts is None:
                times = os.times()
                conn.send(("cpu", times.user + times.system))
                return
            conn.send(recognizer._entities_of(texts))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the caller has gone
    except BaseException as exc:  # told to the caller, which goes on without this process
        with contextlib.suppress(Exception):
            conn.send(("error", repr(exc)))


def _niceness() -> int:
    """The calling thread's niceness (Linux keeps it per thread); 0 where unknown."""
    try:
        return os.getpriority(os.PRIO_PROCESS, 0)
    except (AttributeError, OSError):
        return 0


class _Child:
    """The model's process and the caller's end of its pipe; `None` answers mean it failed."""

    def __init__(self) -> None:
        from newsreader.core.search.procwriter import context

        ctx = context()
        self.conn, theirs = ctx.Pipe()
        self.process: Any = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(theirs, _niceness()), name="recogniser", daemon=True
        )
        self.ready = self.stopped = False
        self.start_error: BaseException | None = None

        def start() -> None:
            try:
                self.process.start()
            except BaseException as exc:  # no fork server here (a frozen app, say)
                self.start_error = exc
                return
            finally:
                theirs.close()  # the child has its own copy: EOF reaches it when ours closes
            if self.stopped:  # given up while starting (a cancel)
                self.process.kill()
                self.process.join()

        # Starting the fork server (the first child of this process) waits for its imports:
        # seconds on a busy machine, which this thread spends recognising instead.
        self.starter = threading.Thread(target=start, name="recogniser-start", daemon=True)
        self.starter.start()

    def poll_ready(self) -> bool | None:
        """True once the model is loaded there, False while not yet, None if it failed."""
        if self.ready:
            return True
        if self.starter.is_alive():
            return False
        if self.start_error is not None:
            log.warning("could not start the recogniser's process (%s)", self.start_error)
            return None
        try:
            if not self.conn.poll(0):
                return None if self.process.exitcode is not None else False
            message = self.conn.recv()
        except (EOFError, OSError):
            return None
        if message != _READY:
            log.warning("the recogniser's process failed to start: %s", message)
            return None
        self.ready = True
        return True

    def send(self, texts: list[str]) -> bool:
        try:
            self.conn.send(texts)
            return True
        except (OSError, ValueError):
            return False

    def receive(self) -> list[Found] | None:
        """The answer to the oldest batch sent, or None if the child failed or died."""
        try:
            wait([self.conn, self.process.sentinel])
            if not self.conn.poll(0):
                log.warning("the recogniser's process ended (exit code %s)", self.process.exitcode)
                return None
            answer = self.conn.recv()
        except (EOFError, OSError):
            log.warning("the recogniser's process ended (exit code %s)", self.process.exitcode)
            return None
        if isinstance(answer, tuple):
            log.warning("the recogniser's process failed: %s", answer[1])
            return None
        found: list[Found] = answer
        return found

    def finish(self) -> None:
        """End a child that has answered everything, counting its CPU seconds."""
        global ended_cpu_seconds
        with contextlib.suppress(Exception):
            self.conn.send(None)
            if self.conn.poll(5.0):
                answer = self.conn.recv()
                if isinstance(answer, tuple) and answer[0] == "cpu":
                    ended_cpu_seconds += float(answer[1])
            self.process.join(5.0)
        self.stop()

    def stop(self) -> None:
        """Kill the child now; one still starting is killed by its starter (or, if that has
        just looked, ends by itself at its first word to our closed end of the pipe)."""
        self.stopped = True
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.starter.is_alive() or self.start_error is not None:
            return
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()


def entities_apart(
    texts: Iterable[tuple[str, Any]], *, batch_size: int = 256
) -> Generator[tuple[Found, Any], None, None]:
    """`recognizer.entities` with the model in a child process (module docstring).

    The same (entities, context) pairs in the same order; `texts` are read here, in the
    calling thread, a batch at a time as the child needs them.
    """
    recognizer.load()  # a missing model fails here; the calling thread also needs it
    feed = iter(texts)
    try:
        child: _Child | None = _Child()
    except Exception as exc:  # no pipes or processes here: all in this thread
        log.warning("could not start the recogniser's process (%s)", exc)
        child = None
    try:
        # Until the child has loaded the model, this thread recognises a batch at a time.
        while child is not None:
            state = child.poll_ready()
            if state:
                break
            if state is None:
                child.stop()
                child = None
                break
            batch = list(islice(feed, batch_size))
            if not batch:
                child.stop()  # still loading: nothing of it to count
                child = None
                return
            yield from _here(batch)
        flight: deque[list[tuple[str, Any]]] = deque()
        while child is not None:
            sent = True
            while sent and len(flight) < IN_FLIGHT:
                batch = list(islice(feed, batch_size))
                if not batch:
                    break
                flight.append(batch)
                sent = child.send([text for text, _ in batch])
            if not flight:
                child.finish()
                child = None
                return
            found = child.receive() if sent else None
            if found is None or len(found) != len(flight[0]):
                child.stop()
                child = None
                break
            batch = flight.popleft()
            yield from zip(found, (context for _, context in batch), strict=True)
        # The child failed: what it had not answered, and the rest, in this thread, in order.
        while flight:
            yield from _here(flight.popleft())
        yield from recognizer.entities(feed, batch_size=batch_size)
    finally:
        if child is not None:
            child.stop()


def _here(batch: list[tuple[str, Any]]) -> Iterable[tuple[Found, Any]]:
    """One batch through the model in the calling thread."""
    found = recognizer._entities_of([text for text, _ in batch])
    return zip(found, (context for _, context in batch), strict=True)
