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
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library
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

    def __init__(
        self, library: Library, parent: QObject | None = None, interval_ms: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._paused = False
        self.moved: frozenset[str] = frozenset()
        self._version: int | None = None
        self._stamps: dict[str, int] | None = None
        self.absorb()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _version_now(self) -> int | None:
        try:
            return self.library.data_version()
        except Exception:  # a closed or damaged database: nothing to watch, never a crash
            return None

    def _stamps_now(self) -> dict[str, int] | None:
        try:
            return self.library.change_stamps()
        except Exception:  # as above
            return None

    def poll(self) -> bool:
        """Check now; True (and `changed` emitted) when something the window shows changed."""
        version = self._version_now()
        if version is None or version == self._version:
            return False
        stamps = self._stamps_now()
        if stamps is None:
            return False
        self._version = version
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
        already shows it, so re-listing for it would only cost time."""
        version = self._version_now()
        stamps = self._stamps_now()
        if version is not None and stamps is not None:
            self._version, self._stamps = version, stamps

    def stop(self) -> None:
        self.timer.stop()
