"""Notices when another process (`newsreader import` in a terminal, a second window, the
worker's feed refresh) changed what the window shows, so the window can refresh its lists and
counts.

Two reads, the cheap one first. SQLite's `PRAGMA data_version` on the UI thread's connection
changes whenever any other connection commits; reading it touches no table and takes no lock,
so polling it every couple of seconds costs nothing. But it moves for commits no reader sees
too: the indexer deleting the outbox rows it applied (6-10 times in a 100k drain, each of
which used to re-list 100k ids and re-count the sidebar). So when it moves, the watcher reads
the library's change stamps (`Library.change_stamps`: counters that triggers bump in the
transaction of every change a reader sees, migration 7) and reports a change only if one of
them moved.

What changed decides what is re-read (`relist_needed`): the list for articles and flags (and
entities in an entity's view), the sidebar for anything. A commit that moved no stamp is
reported as `bookkeeping`: nothing shown changed, but another program's indexer may have
caught up, so a search whose results said they may be incomplete is run again.

The window's own worker threads use other connections, so their writes count too: `pause(True)`
while the window itself writes in bulk (an import refreshes the list on its own); changes made
while paused are taken as seen, and `absorb()` takes the window's own small writes as seen.

In the window both reads run off the UI thread (a job on the `JobRunner`'s reads pool): even
the stamps' one-page read can wait on the disk while an import commits (bench/README.md).
`PRAGMA data_version` counts per connection, and each pool thread has its own, so the last
version is kept per thread. Without a `JobRunner` (tests of the watcher alone) the reads run
in place and `poll` answers at once.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library
from newsreader.ui.jobs import JobRunner
from newsreader.ui.sidebar import View

POLL_MS = 2000

#: The concerns the article list shows, whatever the view.
LIST_CONCERNS = frozenset({"articles", "flags"})


def relist_needed(moved: frozenset[str], view: View) -> bool:
    """Whether a change to these concerns changes what the list shows in this view (the
    sidebar shows every concern, so it is always counted again)."""
    return bool(moved & LIST_CONCERNS) or (view.kind == "entity" and "entities" in moved)


class LibraryWatcher(QObject):
    """Emits `changed` when something the window shows changed since the last poll; `moved`
    then holds which concerns ('articles', 'flags', 'entities', 'sources', 'searches')."""

    changed = Signal()
    #: Another connection committed, but nothing the window shows changed (the indexer).
    bookkeeping = Signal()
    #: A poll's reads landed: True when it reported a change (`changed`).
    polled = Signal(bool)

    KIND = "watch"
    #: Absorbing is a job kind of its own: were it a "watch" job, it would supersede a poll
    #: still on its way, and a change another program made just before would be dropped
    #: with that poll's result instead of reported.
    ABSORB_KIND = "watch-absorb"

    def __init__(
        self,
        library: Library,
        parent: QObject | None = None,
        interval_ms: int = POLL_MS,
        *,
        jobs: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        self._paused = False
        self.moved: frozenset[str] = frozenset()
        #: The data version each reading thread's connection last saw (see the docstring).
        self._versions: dict[int, int] = {}
        self._stamps: dict[str, int] | None = None
        self.absorb()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _read(self) -> tuple[int, int, dict[str, int]] | None:
        """(this thread, its connection's data version, the stamps), or None if the database
        cannot be read (closed or damaged: nothing to watch, never a crash). Runs in a pool
        thread in the window. The stamps are read first, and every time: a connection that
        runs nothing but `PRAGMA data_version` was seen not to notice another's commit (it
        did on the UI thread, whose connection read list rows all the time); the stamps'
        read starts a read transaction, which does, and costs one page off the UI thread."""
        thread = threading.get_ident()
        try:
            stamps = self.library.change_stamps()
            version = self.library.data_version()
        except Exception:
            return None
        return thread, version, stamps

    def _run(self, then: Any, kind: str = KIND) -> bool:
        if self.jobs is None:
            return bool(then(self._read()))

        def body(progress: Any, cancel: Any) -> tuple[int, int, dict[str, int]] | None:
            return self._read()

        self.jobs.start(kind, body, on_result=then, reads=True)
        return False

    def poll(self) -> bool:
        """Check now; True (and `changed` emitted) when something the window shows changed.
        With a `JobRunner` the reads run off the UI thread: False at once, and `polled` says
        what they found once they land."""
        return self._run(self._polled)

    def _polled(self, read: tuple[int, int, dict[str, int]] | None) -> bool:
        changed = self._compare(read)
        self.polled.emit(changed)
        return changed

    def _compare(self, read: tuple[int, int, dict[str, int]] | None) -> bool:
        if read is None:
            return False
        thread, version, stamps = read
        if self._versions.get(thread) == version and stamps == self._stamps:
            return False
        self._versions[thread] = version
        moved = frozenset(
            concern
            for concern in stamps.keys() | (self._stamps or {}).keys()
            if stamps.get(concern) != (self._stamps or {}).get(concern)
        )
        self._stamps = stamps
        if self._paused:
            return False
        if not moved:
            self.bookkeeping.emit()
            return False
        self.moved = moved
        self.changed.emit()
        return True

    def pause(self, paused: bool) -> None:
        self._paused = paused

    def absorb(self) -> None:
        """Take the database as it is now as seen: the window's own write just landed and it
        already shows it, so re-listing for it would only cost time. Not while a poll is on its
        way: that poll reports what it read, this write included (`ABSORB_KIND`)."""
        if self.jobs is not None and self.jobs.running(self.KIND):
            # A poll is on its way: absorbing now could take another program's change, made
            # just before, as seen. The poll reports it instead (and this write with it: one
            # re-read more, never a change missed).
            return
        self._run(self._absorbed, self.ABSORB_KIND)

    def _absorbed(self, read: tuple[int, int, dict[str, int]] | None) -> None:
        if read is not None:
            thread, version, stamps = read
            self._versions[thread] = version
            self._stamps = stamps

    def stop(self) -> None:
        self.timer.stop()
