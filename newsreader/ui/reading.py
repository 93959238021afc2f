"""The reading side: which article the pane shows, with its entities, legend and panel.

The listing controller says which article is current; this controller reads it and renders
it in the `ReaderView`, dims the legend's absent types and fills the entity panel. It keeps its
own copy of the article's flags in step with writes, and says when an article was opened, so
the window can mark it read.

The UI thread reads nothing here (the architecture's rule: it never blocks). During an import
every commit of the worker empties SQLite's page cache, and a read of one article then waited
on a disk busy with the import's writes, for up to a second (bench/README.md). So an open is
a background read on this controller's own two threads (never queued behind a search or a
listing on the shared pool), and the pane keeps the article it shows until the read lands: a
newer open supersedes one still on its way (latest wins), and a read that a heard change may
have made stale is read again. The open row's neighbours are read ahead into a small exact
cache (`ui/article_cache.py`), so stepping with j/k opens at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from newsreader.core.library import Library
from newsreader.core.models import Article, Highlight, Mention
from newsreader.ui.article_cache import ArticleCache, Reading, flagged
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.jobs import JobRunner
from newsreader.ui.reader import ReaderView, SearchMarks

PLACEHOLDER = "Select an article to read it here."
MISSING = "This article is no longer in the library."
RECOGNISING = "Entities are being recognised; they appear here when ready."
NO_ENTITIES = "No entities recognised in this article."

#: The change stamps' concerns that can change what an open article shows.
READ_CONCERNS = frozenset({"articles", "flags", "entities"})

#: The job kinds of this controller's reads (the `read-` prefix marks them as reads only).
OPEN_KIND = "read-article"
AHEAD_KIND = "read-neighbours"


def _no_flags(_article_id: int) -> dict[str, bool]:
    return {}


def _no_neighbours(_article_id: int) -> Sequence[int]:
    return ()


class ReadingController(QObject):
    """See the module docstring."""

    #: An article was opened in the pane (Article): the window may mark it read.
    opened = Signal(object)
    #: The pane now shows what was asked of it last (the article's id, or None for a
    #: placeholder): where an open ends, for tests and benchmarks.
    shown = Signal(object)

    #: Threads of the reads' own pool: an open beside a read-ahead still on its way.
    READ_THREADS = 2
    #: Articles kept read (the open one, its neighbours, the few just left).
    CACHE_SIZE = 8

    def __init__(
        self,
        library: Library,
        reader: ReaderView,
        legend: LegendBar,
        panel: EntityPanel,
        parent: QObject | None = None,
        *,
        unstored_flags: Callable[[int], dict[str, bool]] = _no_flags,
        neighbours: Callable[[int], Sequence[int]] = _no_neighbours,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.reader = reader
        self.legend = legend
        self.panel = panel
        self.article: Article | None = None
        self.mentions: list[Mention] = []
        self.terms: SearchMarks = ()
        #: Whether entity recognition is running or awaited (changes the panel's message).
        self.recognising = False
        #: The read marks and stars the window changed but has not stored yet (its
        #: `FlagWriter`): a read of the library is overlaid with them.
        self.unstored_flags = unstored_flags
        #: The ids to read ahead around an open article (the rows above and below it).
        self.neighbours = neighbours
        #: The article the pane is to show: the last asked for (None: a placeholder).
        self.wanted: int | None = None
        self.cache = ArticleCache(self.CACHE_SIZE)
        pool = QThreadPool(self)
        pool.setMaxThreadCount(self.READ_THREADS)
        pool.setExpiryTimeout(-1)  # its threads stay, and so do their SQLite connections
        self.reads = JobRunner(self, pool=pool)
        self._placeholder = PLACEHOLDER
        #: The window's own flag changes, numbered, so that a read which was on its way when
        #: one was made gets it (the write may have landed after the read, or before).
        self._flag_count = 0
        self._own_flags: dict[int, dict[str, tuple[int, bool]]] = {}
        #: A read ahead is to start once the event loop has painted the open article.
        self._ahead_due = False
        legend.visible_types_changed.connect(self._on_visible_types)

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article is not None else None

    @property
    def busy(self) -> bool:
        """Whether a read is on its way (an open, a read ahead, a re-read after a change)."""
        return self._ahead_due or bool(self.reads.running())

    # -- opening -----------------------------------------------------------------------------

    def show(self, article_id: int | None, placeholder: str = PLACEHOLDER) -> None:
        """Show an article, or `placeholder` when `article_id` is None or it is gone.

        From the cache at once, else when its read lands; until then the pane keeps what it
        shows."""
        if article_id is not None and article_id == self.wanted:
            return  # shown, or on its way (a placeholder is shown again: its text may differ)
        self.wanted = article_id
        self._placeholder = placeholder
        if article_id is None:
            self._show_missing(None)
            return
        if article_id == self.article_id:  # back to the shown one before the other landed
            self.shown.emit(article_id)
            return
        hit = self.cache.get(article_id)
        if hit is not None:
            self._land(article_id, hit)
            return
        self._read(article_id)

    def known_article(self, article_id: int) -> Article | None:
        """The article if the pane shows it or it is read ahead (no read), else None."""
        if self.article is not None and self.article.id == article_id:
            return self.article
        hit = self.cache.get(article_id)
        return hit[0] if hit is not None else None

    def _read(self, article_id: int) -> None:
        library = self.library
        epoch, count = self.cache.epoch, self._flag_count

        def read(progress: Any, cancel: Any) -> Reading | None:
            return library.article_for_reading(article_id)

        def landed(found: Reading | None) -> None:
            if self.wanted != article_id:
                return
            if found is not None:
                found = self._with_flags(article_id, found, count)
                if not self.cache.put(article_id, found, epoch):
                    self._read(article_id)  # a change was heard while it read: again
                    return
            # A reader who marked it read or unread while it was on its way has chosen:
            # opening it does not mark it read over that choice.
            chose = self._own_flags.get(article_id, {}).get("read")
            self._land(article_id, found, announce=chose is None or chose[0] <= count)

        self.reads.start(
            OPEN_KIND, read, on_result=landed, on_error=self._failed, on_done=self._tidy
        )

    def _land(self, article_id: int, found: Reading | None, *, announce: bool = True) -> None:
        if found is None:
            self._show_missing(article_id)
            return
        self.article, self.mentions = found
        self.render()
        self.shown.emit(article_id)
        if announce:
            self.opened.emit(self.article)
        # After the pane has painted: the read ahead's thread then never wants the
        # interpreter lock while the UI thread lays out and paints this article.
        self._ahead_due = True
        QTimer.singleShot(0, self, lambda: self._read_ahead_of(article_id))

    def _show_missing(self, article_id: int | None) -> None:
        self.article, self.mentions = None, []
        self.reader.show_placeholder(self._placeholder if article_id is None else MISSING)
        self.legend.set_present(set())
        self.panel.set_mentions([], "")
        self.shown.emit(article_id)

    def _failed(self, message: str) -> None:
        """The library could not be read (damaged, closed): say so in the pane, calmly."""
        if self.wanted is None or self.wanted == self.article_id:
            return
        self.article, self.mentions = None, []
        self.reader.show_placeholder(f"This article could not be read: {message}")
        self.legend.set_present(set())
        self.panel.set_mentions([], "")
        failed, self.wanted = self.wanted, None  # asking again reads again
        self.shown.emit(failed)

    def _read_ahead_of(self, article_id: int) -> None:
        self._ahead_due = False
        if self.article_id == article_id:  # still the open one
            self._read_ahead(article_id)

    def _read_ahead(self, article_id: int) -> None:
        wanted = [i for i in self.neighbours(article_id) if i not in self.cache]
        if not wanted:
            return
        library = self.library
        epoch, count = self.cache.epoch, self._flag_count

        def read(progress: Any, cancel: Any) -> list[tuple[int, Reading | None]]:
            return [(i, library.article_for_reading(i)) for i in wanted]

        def landed(found: list[tuple[int, Reading | None]]) -> None:
            for i, reading in found:
                if reading is not None:
                    self.cache.put(i, self._with_flags(i, reading, count), epoch)

        self.reads.start(AHEAD_KIND, read, on_result=landed, on_done=self._tidy)

    def _with_flags(self, article_id: int, found: Reading, count: int) -> Reading:
        """A read overlaid with the window's flag changes it may predate: those made while it
        was on its way, and those not stored yet."""
        changes = {
            flag: value
            for flag, (number, value) in self._own_flags.get(article_id, {}).items()
            if number > count
        }
        changes.update(self.unstored_flags(article_id))
        if not changes:
            return found
        article, mentions = found
        return flagged(article, read=changes.get("read"), starred=changes.get("starred")), mentions

    def _tidy(self) -> None:
        if not self.reads.running():
            self._own_flags.clear()  # no read is on its way that could predate them

    # -- changes -----------------------------------------------------------------------------

    def library_changed(self, concerns: Iterable[str] = READ_CONCERNS) -> None:
        """Something the window heard of may have changed articles (another process's commit,
        an import's batch, recognised entities, an undo): nothing read before is used again,
        and the open article is read again and redrawn (keeping the scroll) if it changed."""
        if not READ_CONCERNS & set(concerns):
            return
        self.cache.invalidate()
        article_id = self.article_id
        if article_id is None or self.wanted != article_id:
            return  # an open on its way reads again when it lands
        library = self.library
        epoch, count = self.cache.epoch, self._flag_count

        def read(progress: Any, cancel: Any) -> Reading | None:
            return library.article_for_reading(article_id)

        def landed(found: Reading | None) -> None:
            if self.wanted != article_id or self.article_id != article_id:
                return
            if found is None:
                self._show_missing(article_id)
                return
            found = self._with_flags(article_id, found, count)
            if not self.cache.put(article_id, found, epoch):
                self.library_changed()  # changed again meanwhile: read once more
                return
            if found != (self.article, self.mentions):
                self.article, self.mentions = found
                self.render(keep_scroll=True)
            self._read_ahead(article_id)

        self.reads.start(OPEN_KIND, read, on_result=landed, on_done=self._tidy)

    def refresh_mentions(self) -> None:
        """Entities were recognised: re-read the open article's mentions and redraw."""
        self.library_changed({"entities"})

    def forget(self, ids: Iterable[int]) -> None:
        """These articles were deleted: never open them from the cache."""
        self.cache.forget(ids)

    def update_flags(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        self._flag_count += 1
        own = self._own_flags.setdefault(article_id, {})
        for flag, value in (("read", read), ("starred", starred)):
            if value is not None:
                own[flag] = (self._flag_count, value)
        self.cache.patch_flags(article_id, read=read, starred=starred)
        article = self.article
        if article is None or article.id != article_id:
            return
        self.article = flagged(article, read=read, starred=starred)

    def close(self, timeout_ms: int = 10_000) -> None:
        """The window closes: start no more reads, and let those on their way end."""
        self.reads.close()
        self.reads.wait(timeout_ms)

    # -- drawing -----------------------------------------------------------------------------

    def render(self, *, keep_scroll: bool = False) -> None:
        """(Re)draw the open article: after a theme change, new entities, new terms."""
        article = self.article
        if article is None:
            return
        bar = self.reader.verticalScrollBar()
        value = bar.value()
        self.reader.show_article(article, self.mentions, self.terms, self.legend.visible_types)
        if keep_scroll:
            bar.setValue(value)
        self.legend.set_present({m.type for m in self.mentions})
        self.fill_panel()

    def set_terms(self, terms: SearchMarks) -> None:
        """What to mark as search hits: the search's `Highlight` (what the core matched, per
        part), or plain words; none outside a search."""
        self.terms = terms if isinstance(terms, Highlight) else tuple(terms)
        self.reader.set_terms(self.terms)

    def fill_panel(self) -> None:
        """The panel lists the entities of the types the legend shows (dates hidden)."""
        if self.article is None:
            self.panel.set_mentions([], "")
            return
        visible = self.legend.visible_types
        shown = [m for m in self.mentions if m.type in visible]
        message = "" if shown else (RECOGNISING if self.recognising else NO_ENTITIES)
        self.panel.set_mentions(shown, message)

    def _on_visible_types(self, visible: set[str]) -> None:
        self.reader.set_visible_types(visible)
        self.fill_panel()
