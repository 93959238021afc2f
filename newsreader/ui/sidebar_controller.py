"""Gathers what the sidebar shows (counts, sources, saved searches, entities by type) off the
UI thread, debounced, and remembers how far each entity type has been paged ("more…").

A scheduled recount (an import's batches, the reader's read marks) also waits while the reader
opens articles or scrolls (`ui/reader_activity.py`), at most `MAX_HOLD_S` after it was first
asked for: a recount beside an article open slowed the open (bench/README.md, issue 8), and
counts a second or two late are nothing a reader minds. An explicit `refresh()` (a filter typed,
"more…", the window's first listing) runs at once."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library
from newsreader.core.storage import ArticleFilter
from newsreader.ui.jobs import JobRunner
from newsreader.ui.reader_activity import Hold, ReaderActivity, never_held
from newsreader.ui.sidebar import TOP_ENTITIES, VISIBLE_ENTITY_TYPES, SidebarData

#: Coalesce bursts of changes (a run of flag writes, a live import) into one refresh.
DEBOUNCE_MS = 300


def gather(library: Library, prefix: str, limits: dict[str, int]) -> SidebarData:
    """One snapshot (in a worker thread). Each type fetches one entity beyond its limit, to
    know whether a "more…" row is due without counting them all."""
    entities = {}
    more = set()
    for entity_type in VISIBLE_ENTITY_TYPES:
        limit = limits.get(entity_type, TOP_ENTITIES)
        found = library.entities(entity_type, top=limit + 1, prefix=prefix)
        if len(found) > limit:
            more.add(entity_type)
        entities[entity_type] = found[:limit]
    return SidebarData(
        total=library.count(),
        unread=library.count(ArticleFilter(unread=True)),
        starred=library.count(ArticleFilter(starred=True)),
        sources=library.sources(include_feeds=False),
        entities=entities,
        entities_pending=library.entities_pending(),
        more=more,
        saved=library.saved_searches(),
    )


class SidebarController(QObject):
    """Emits `ready(SidebarData)` after `refresh()` (now) or `schedule()` (debounced)."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        parent: QObject | None = None,
        activity: ReaderActivity | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        self.activity = activity if activity is not None else never_held()
        self.prefix = ""
        self.limits: dict[str, int] = {}
        #: A scheduled recount, held back while the reader is busy.
        self._hold = Hold(self.activity)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._scheduled)

    def refresh(self) -> None:
        self._timer.stop()
        self._hold.clear()
        library, prefix, limits = self.library, self.prefix, dict(self.limits)

        def run(progress: Any, cancel: Any) -> SidebarData:
            return gather(library, prefix, limits)

        self.jobs.start("sidebar", run, on_result=self.ready.emit, on_error=self.failed.emit)

    def schedule(self) -> None:
        """Recount soon: after `DEBOUNCE_MS` without another call (a burst is one recount),
        and once the reader is still; never later than `MAX_HOLD_S` after the first call."""
        latest = self._hold.latest_s()
        self._timer.start(max(0, math.ceil(min(DEBOUNCE_MS / 1000, latest) * 1000)))

    def _scheduled(self) -> None:
        wait = self._hold.wait_s()
        if wait > 0:
            self._timer.start(math.ceil(wait * 1000))
            return
        self.refresh()

    def set_filter(self, prefix: str) -> None:
        """Filter entities by a name or alias prefix; paging starts over."""
        self.prefix = prefix
        self.limits.clear()
        self.refresh()

    def more(self, entity_type: str) -> None:
        """List the next page of an entity type."""
        self.limits[entity_type] = self.limits.get(entity_type, TOP_ENTITIES) + TOP_ENTITIES * 2
        self.refresh()
