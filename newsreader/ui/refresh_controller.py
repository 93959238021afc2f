"""Feeds in the window: refresh (on demand and on an interval), add, rename, move, mark read,
unsubscribe with undo, and OPML import/export, all as background jobs.

The controller adapts `Library`'s feed methods to the `FeedsPanel`; the UI thread never waits
on the network or the database: every call runs in a `JobRunner` job and its result comes back
by signal. `library_changed` tells the window to re-read its lists; `articles_added` that new
articles await entity recognition.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from newsreader.core.feeds.fulltext import FullTextError
from newsreader.core.feeds.refresh import RefreshReport
from newsreader.core.feeds.service import AddedFeed, OpmlImportReport, RemovedSource
from newsreader.core.feeds.subscribe import FeedError
from newsreader.core.library import Library
from newsreader.core.progress import ProgressEvent
from newsreader.core.sources import Source, SourceError
from newsreader.core.storage import ArticleFilter
from newsreader.ui.add_feed_dialog import AddFeedDialog
from newsreader.ui.feeds_sidebar import FeedsPanel
from newsreader.ui.flag_writer import FlagWriter
from newsreader.ui.jobs import JobRunner
from newsreader.ui.settings import Settings

#: Settings key of the refresh interval in minutes (0: only on demand).
INTERVAL_KEY = "feeds/refresh_minutes"
DEFAULT_INTERVAL = 30


def refresh_interval(settings: Settings) -> int:
    value: Any = settings.qsettings.value(INTERVAL_KEY, DEFAULT_INTERVAL)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULT_INTERVAL


class FeedsController(QObject):
    """See the module docstring."""

    library_changed = Signal()
    articles_added = Signal()
    status = Signal(str)
    progress = Signal(object)  # ProgressEvent of a running refresh
    busy_changed = Signal(bool)

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        panel: FeedsPanel,
        settings: Settings,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.library = library
        self.jobs = jobs
        self.panel = panel
        self.settings = settings
        self.window = window
        self.feeds: list[Source] = []
        self.last_removed: RemovedSource | None = None
        self.last_report: RefreshReport | None = None
        #: The window's actions for feeds (add_feed, refresh_feeds, import_opml, …).
        self.actions: dict[str, QAction] = {}
        #: The window's read and star marks not stored yet, sent before "Mark all read".
        self.flags: FlagWriter | None = None
        panel.add_requested.connect(self.add_feed_dialog)
        panel.refresh_requested.connect(self.refresh)
        panel.rename_requested.connect(self.rename)
        panel.move_requested.connect(self.move)
        panel.properties_requested.connect(self.properties)
        panel.mark_read_requested.connect(self.mark_all_read)
        panel.unsubscribe_requested.connect(self.unsubscribe)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.refresh([], scheduled=True))
        self.set_interval(refresh_interval(settings))

    # -- listing -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the feeds (counts, status) in the background and show them."""
        library = self.library
        self.jobs.start(
            "feeds-list",
            lambda progress, cancel: library.feeds(),
            on_result=self._show,
            on_error=self.status.emit,
        )

    def _show(self, feeds: list[Source]) -> None:
        self.feeds = feeds
        self.panel.populate(feeds)

    def folders(self) -> list[str]:
        return sorted({f.folder for f in self.feeds if f.folder}, key=str.casefold)

    def set_interval(self, minutes: int) -> None:
        """Refresh every `minutes` while the window is open (0: only when asked)."""
        self.settings.qsettings.setValue(INTERVAL_KEY, minutes)
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    # -- refresh -------------------------------------------------------------------------------

    @property
    def refreshing(self) -> bool:
        return bool(self.jobs.running("feeds-refresh"))

    def refresh(self, source_ids: list[int], *, scheduled: bool = False) -> None:
        """Refresh every feed (empty list) or the ones given; one refresh at a time.
        `scheduled`: the interval timer's refresh (quiet; feeds' own intervals respected)."""
        if self.refreshing:
            if not scheduled:
                self.status.emit("Feeds are being refreshed already.")
            return
        library = self.library
        refs: list[str | int] | None = [str(i) for i in source_ids] or None

        def run(progress: Callable[[ProgressEvent], None], cancel: Any) -> RefreshReport:
            # The index follows from the worker process (`IndexFollower`), not this thread.
            return library.refresh_feeds(
                refs, progress=progress, cancel=cancel, scheduled=scheduled, index=False
            )

        self.busy_changed.emit(True)
        self.status.emit("Refreshing feeds…")
        self.jobs.start(
            "feeds-refresh",
            run,
            on_result=self._refreshed,
            on_progress=self.progress.emit,
            on_error=self.status.emit,
            on_done=lambda: self.busy_changed.emit(False),
        )

    def _refreshed(self, report: RefreshReport) -> None:
        self.last_report = report
        self.status.emit(f"Feeds: {report.summary()}")
        self._changed(bool(report.new_ids or report.updated_ids))

    def _changed(self, articles: bool = True) -> None:
        self.reload()
        self.library_changed.emit()
        if articles:
            self.articles_added.emit()

    # -- subscribing ---------------------------------------------------------------------------

    def add_feed_dialog(self) -> AddFeedDialog:
        dialog = AddFeedDialog(self.library, self.jobs, self.folders(), self.window)
        dialog.added.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, added: AddedFeed) -> None:
        new = added.first_fetch.new if added.first_fetch is not None else 0
        self.status.emit(f"Subscribed to {added.source.name}: {new} new articles.")
        self._changed(bool(new))

    def import_opml_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import subscriptions", "", "OPML (*.opml *.xml);;All files (*)"
        )
        if path:
            self.import_opml(Path(path))

    def import_opml(self, path: Path, *, fetch: bool = True) -> None:
        library = self.library

        def run(progress: Any, cancel: Any) -> OpmlImportReport | str:
            try:
                return library.import_opml(path, fetch=fetch, progress=progress, cancel=cancel)
            except FeedError as exc:
                return str(exc)

        def done(report: OpmlImportReport | str) -> None:
            if isinstance(report, str):
                self.status.emit(report)
                return
            self.status.emit(f"OPML: {report.summary()}")
            self._changed(bool(report.refresh and report.refresh.new_ids))

        self.jobs.start(
            "feeds-opml", run, on_result=done, on_progress=self.progress.emit,
            on_error=self.status.emit,
        )  # fmt: skip

    def export_opml_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export subscriptions", "subscriptions.opml", "OPML (*.opml)"
        )
        if path:
            library = self.library
            self.jobs.start(
                "feeds-export",
                lambda progress, cancel: library.export_opml(path),
                on_result=lambda n: self.status.emit(f"Wrote {n} feeds to {path}."),
                on_error=self.status.emit,
            )

    # -- one feed ------------------------------------------------------------------------------

    def _source(self, source_id: int) -> Source | None:
        return next((f for f in self.feeds if f.id == source_id), None)

    def _write(self, body: Callable[[], object], message: str, articles: bool = False) -> None:
        def run(progress: Any, cancel: Any) -> str:
            try:
                body()
            except SourceError as exc:
                return str(exc)
            return message

        def done(text: str) -> None:
            self.status.emit(text)
            self._changed(articles)

        self.jobs.start("feeds-write", run, on_result=done, on_error=self.status.emit, serial=True)

    def rename(self, source_id: int, name: str | None = None) -> None:
        source = self._source(source_id)
        if source is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self.window, "Rename feed", "Name:", text=source.name)
            if not ok:
                return
        library, new = self.library, name
        self._write(lambda: library.rename_source(source_id, new), f"Renamed to {name.strip()}.")

    def move(self, source_id: int, folder: str | None = None) -> None:
        source = self._source(source_id)
        if source is None:
            return
        if folder is None:
            folders = ["", *self.folders()]
            current = folders.index(source.folder) if source.folder in folders else 0
            folder, ok = QInputDialog.getItem(
                self.window, "Move feed", "Folder (a/b nests; empty for none):", folders,
                current, True,
            )  # fmt: skip
            if not ok:
                return
        library, target = self.library, folder
        self._write(lambda: library.move_source(source_id, target), f"Moved {source.name}.")

    def mark_all_read(self, source_id: int) -> None:
        """Mark every article of a feed read, after the read and star marks the window has
        not stored yet (`FlagWriter.write_after`): a mark made a moment before is neither
        lost nor stored after this to undo it."""
        source = self._source(source_id)
        if source is None:
            return
        library = self.library

        def mark() -> None:
            library.set_read(library.ids(ArticleFilter(source=source.name)), True)

        message = f"Marked every article of {source.name} read."
        if self.flags is None:
            self._write(mark, message, articles=False)
            return

        def done(_result: object) -> None:
            self.status.emit(message)
            self._changed(articles=False)

        self.flags.write_after("feeds-write", mark, on_result=done, on_error=self.status.emit)

    def properties(self, source_id: int) -> None:
        source = self._source(source_id)
        if source is None:
            return
        from newsreader.ui.feeds_sidebar import tooltip

        box = QMessageBox(self.window)
        box.setWindowTitle(f"{source.name}: properties")
        box.setText(f"<b>{source.name}</b>")
        interval = source.interval_minutes or refresh_interval(self.settings)
        box.setInformativeText(
            f"{tooltip(source)}\n\n{source.articles} articles, {source.unread} unread."
            f"\nRefreshed every {interval} minutes while the window is open."
            f"\nFull text from links: {'on' if source.full_text else 'off'}."
        )
        library = self.library
        wanted = not source.full_text
        toggle = box.addButton(
            "Fetch full text of new entries" if wanted else "Keep the feed's summaries",
            QMessageBox.ButtonRole.ActionRole,
        )
        toggle.setToolTip("Fetch each new entry's page for its text (feeds with summaries only)")
        toggle.clicked.connect(
            lambda: self._write(
                lambda: library.set_feed_options(source_id, full_text=wanted),
                f"{source.name}: full text {'on' if wanted else 'off'}.",
            )
        )
        if not source.active:
            resume = box.addButton("Resume refreshing", QMessageBox.ButtonRole.ActionRole)
            resume.clicked.connect(
                lambda: self._write(
                    lambda: library.set_feed_options(source_id, active=True),
                    f"{source.name} will be refreshed again.",
                )
            )
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()

    def unsubscribe(self, source_id: int, *, confirm: bool = True) -> None:
        source = self._source(source_id)
        if source is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self.window,
                "Unsubscribe",
                f"Unsubscribe from {source.name} and delete its {source.articles} articles?"
                "\n\nEdit → Undo brings them back.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        library = self.library

        def run(progress: Any, cancel: Any) -> RemovedSource:
            return library.remove_source(source_id)

        def done(removed: RemovedSource) -> None:
            self.last_removed = removed
            self.status.emit(f"Unsubscribed from {source.name} (Undo brings it back).")
            self._changed(articles=False)

        self.jobs.start("feeds-write", run, on_result=done, on_error=self.status.emit, serial=True)

    def fetch_full_text(self, article_id: int) -> None:
        """Replace an article's summary with the text of its link, in the background."""
        library = self.library

        def run(progress: Any, cancel: Any) -> str:
            try:
                article = library.fetch_full_text(article_id)
            except (FullTextError, KeyError) as exc:
                return f"No full text: {exc}"
            return f"Full text of “{article.title}”: {len(article.paragraphs)} paragraphs."

        def done(message: str) -> None:
            self.status.emit(message)
            self._changed(articles=not message.startswith("No full text"))

        self.jobs.start("feeds-write", run, on_result=done, on_error=self.status.emit, serial=True)

    def undo_unsubscribe(self) -> bool:
        """Put the last unsubscribed feed back with its articles; False if there is none."""
        removed, self.last_removed = self.last_removed, None
        if removed is None:
            return False
        library = self.library
        self._write(
            lambda: library.restore_source(removed),
            f"Subscribed to {removed.source.name} again.",
            articles=False,
        )
        return True
