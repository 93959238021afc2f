"""Gathers what the sidebar shows (counts, sources, saved searches, entities by type) off the
UI thread, debounced, and remembers how far each entity type has been paged ("more…")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.core.library import Library
from newsreader.core.storage import ArticleFilter
from newsreader.ui.jobs import JobRunner
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

    def __init__(self, library: Library, jobs: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        self.prefix = ""
        self.limits: dict[str, int] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        self._timer.stop()
        library, prefix, limits = self.library, self.prefix, dict(self.limits)

        def run(progress: Any, cancel: Any) -> SidebarData:
            return gather(library, prefix, limits)

        self.jobs.start("sidebar", run, on_result=self.ready.emit, on_error=self.failed.emit)

    def schedule(self) -> None:
        self._timer.start()

    def set_filter(self, prefix: str) -> None:
        """Filter entities by a name or alias prefix; paging starts over."""
        self.prefix = prefix
        self.limits.clear()
        self.refresh()

    def more(self, entity_type: str) -> None:
        """List the next page of an entity type."""
        self.limits[entity_type] = self.limits.get(entity_type, TOP_ENTITIES) + TOP_ENTITIES * 2
        self.refresh()
