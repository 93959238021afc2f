"""Notices when another process (`newsreader import` in a terminal, a second window) changed
the library, so the window can refresh its lists and counts.

SQLite's `PRAGMA data_version` on the UI thread's connection changes whenever any other
connection commits; reading it touches no table and takes no lock, so polling it every couple
of seconds costs nothing. The window's own worker threads use other connections, so their
writes count too: `pause(True)` while the window itself writes in bulk (an import refreshes
the list on its own); changes made while paused are taken as seen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library

POLL_MS = 2000


class LibraryWatcher(QObject):
    """Emits `changed` when the database changed since the last poll."""

    changed = Signal()

    def __init__(
        self, library: Library, parent: QObject | None = None, interval_ms: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._paused = False
        self._version = self._read()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _read(self) -> int | None:
        try:
            return self.library.data_version()
        except Exception:  # a closed or damaged database: nothing to watch, never a crash
            return None

    def poll(self) -> bool:
        """Check now; True (and `changed` emitted) when the library changed."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        if self._paused:
            return False
        self.changed.emit()
        return True

    def pause(self, paused: bool) -> None:
        self._paused = paused

    def absorb(self) -> None:
        """Take the database as it is now as seen: the window's own write just landed and it
        already shows it, so re-listing for it would only cost time."""
        version = self._read()
        if version is not None:
            self._version = version

    def stop(self) -> None:
        self.timer.stop()
