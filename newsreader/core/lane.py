"""The write lane of a library: one runner of each kind of long write at a time.

SQLite is the only place a change is decided, and its own write lock already serialises the
short transactions every write is made of (a batch of imported articles, a flag, a delete),
across threads and processes alike. What it cannot serialise is *long work*: two imports into
one library at once, two recognisers going over the same pending articles, two processes
draining the index outbox into Whoosh (whose own lock fails the second writer with an error).
Each of those takes a `LaneLock` for as long as it runs:

- ``import``: `Library.import_items` (every reader: files, datasets, feeds);
- ``entities``: `Library.extract_entities`;
- ``index``: the indexer (`newsreader.core.indexer`), the only writer of the Whoosh index.

A lane lock is cross-process (a lock file in the library folder, via `filelock`, released by
the operating system when its holder dies, even by kill -9) and in-process (a thread lock, since
a file lock cannot tell two threads of one process apart). A caller that finds it held either
waits, after saying so through `on_wait` ("another import is running; waiting…"), or, with
`wait=False`, is told at once and carries on (a second indexer need not run: whoever holds the
lock drains the shared outbox).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from newsreader.core.progress import Cancelled, CancelToken

#: Seconds between checks for cancellation while waiting for a lane.
_POLL = 0.2

#: What a waiting caller is told, by lane.
WAIT_MESSAGES = {
    "import": "another import is running; waiting…",
    "entities": "another Newsreader is recognising entities; waiting…",
    "index": "another Newsreader is updating the search index; waiting…",
}

_thread_locks: dict[Path, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(path, threading.Lock())


class LaneLock:
    """The lock of one lane (`name`) of the library in `folder`; see the module docstring."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.path = (folder / f".{name}.lock").resolve()
        self.message = WAIT_MESSAGES.get(name, f"another Newsreader is busy ({name}); waiting…")
        self._thread = _thread_lock(self.path)

    @contextmanager
    def hold(
        self,
        *,
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[bool]:
        """Hold the lane for the `with` block; yields False (not held) only with `wait=False`.

        While waiting, `cancel` is checked every fraction of a second; a cancelled wait raises
        `Cancelled` (nothing was done yet, so nothing needs undoing).
        """
        told = False

        def waiting() -> None:
            nonlocal told
            if cancel is not None and cancel.cancelled:
                raise Cancelled
            if not told and on_wait is not None:
                on_wait(self.message)
            told = True

        if not self._thread.acquire(blocking=False):
            if not wait:
                yield False
                return
            waiting()
            while not self._thread.acquire(timeout=_POLL):
                waiting()
        try:
            lock = FileLock(str(self.path), thread_local=False)
            while True:
                try:
                    lock.acquire(timeout=0 if not told else _POLL)
                    break
                except Timeout:
                    if not wait:
                        yield False
                        return
                    waiting()
            try:
                yield True
            finally:
                lock.release()
        finally:
            self._thread.release()
