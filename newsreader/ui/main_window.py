"""The main window: the shell that lays out the widgets and connects the controllers.

What the window owns itself is small: the layout, saved state (geometry, splitters, sort, the
last article read, the theme), drag and drop, and the status bar. Everything else lives in a
controller that emits signals, and is connected here:

- `ListingController` (ui/listing.py): what the list shows (view, sort, search session) and
  which article is current (the selection policy).
- `ReadingController` (ui/reading.py): the open article in the reading pane, its legend and
  entity panel.
- `ArticleActions` (ui/article_actions.py): flags, delete and undo, export, copy.
- `BackgroundWork` (ui/background.py): first run, import, entity recognition, progress, cancel.
- `SidebarController` (ui/sidebar_controller.py): the sidebar's counts and entities.
- `LibraryWatcher` (ui/library_watch.py): changes made by another process.
- `ActionTable` (ui/actions.py): every command, its keys and its menu place, as a table.

Everything slow runs through one `JobRunner`; the UI thread reads only the article for the
pane: list rows, counts, searches and the watcher's polls are read in pool threads (a read on
the UI thread can wait on the disk while an import commits; bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.library import FirstRun, Library
from newsreader.core.models import Article, Entity, ImportReport, SearchResults
from newsreader.ui import icons, theme
from newsreader.ui.actions import ActionTable
from newsreader.ui.article_actions import ArticleActions
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.article_view import ArticleTable
from newsreader.ui.background import BackgroundWork
from newsreader.ui.dialogs import ExportDialog, ImportReportDialog, ShortcutsDialog
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.feeds_wiring import install_feeds
from newsreader.ui.jobs import IndexFollower, JobRunner
from newsreader.ui.library_watch import LibraryWatcher, relist_needed
from newsreader.ui.listing import Listing, ListingController
from newsreader.ui.palette import TYPE_PLURALS
from newsreader.ui.reader import ReaderView
from newsreader.ui.reader_activity import ReaderActivity
from newsreader.ui.reading import PLACEHOLDER, ReadingController
from newsreader.ui.search_bar import SearchBar, SearchInfo
from newsreader.ui.search_snippets import LazySnippets
from newsreader.ui.search_sort import SearchSortBox
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import ALL, Sidebar, SidebarData, View
from newsreader.ui.sidebar_controller import SidebarController
from newsreader.ui.status_progress import IndexProgress, StatusProgress
from newsreader.ui.worker_process import WorkerProcess, WorkerTask

#: Default splitter sizes (sidebar, list, reading pane) at the default 1360 px width: wide
#: enough for a full headline in the list and a 72-character measure in the pane.
DEFAULT_SPLIT = (250, 530, 580)


class MainWindow(QMainWindow):
    """The Newsreader window over one `Library` (see the module docstring)."""

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        *,
        seed_sample: bool = True,
        worker: WorkerProcess | None = None,
    ) -> None:
        """`worker`: the background worker process, when the caller started it already (a
        new library: `newsreader.ui.app` starts the worker that stores the sample before it
        builds the window, so that the two start side by side)."""
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.jobs = JobRunner(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Newsreader")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.resize(1360, 860)
        self.report_dialog: ImportReportDialog | None = None
        # The saved theme first, so every widget is built in its colours.
        if self.settings.theme != "system":
            self._apply_theme(self.settings.theme)

        sort_column = self.settings.sort_column
        keys = ArticleTableModel.SORT_KEYS
        # The reader's opens and scrolls hold background re-reads back (ui/reader_activity.py).
        self.activity = ReaderActivity()
        self.listing = ListingController(
            library,
            self.jobs,
            self,
            sort=keys[sort_column] if 0 <= sort_column < len(keys) else "published",
            descending=self.settings.sort_descending,
            activity=self.activity,
        )
        self._build_widgets()
        self.reading = ReadingController(
            library,
            self.reader,
            self.legend,
            self.entity_panel,
            self,
            unstored_flags=lambda article_id: self.article_actions.flags.unstored(article_id),
            neighbours=self._neighbours,
        )
        self.article_actions = ArticleActions(library, self.jobs, self.listing, self.settings, self)
        self.article_actions.known_article = self.reading.known_article
        if worker is not None:
            worker.setParent(self)
        self.background = BackgroundWork(library, self.jobs, self, worker=worker)
        self.sidebar_feed = SidebarController(library, self.jobs, self, activity=self.activity)
        self.watcher = LibraryWatcher(library, self, jobs=self.jobs)
        self.commands = ActionTable(self, self._handlers())
        self._build_menus_and_toolbar()
        self._connect()
        self._restore_state()

        # Feeds (issue 9): the Feeds panel, its menu actions and refresh, in their own modules.
        self.feeds = install_feeds(self, self)
        self.sidebar_feed.ready.connect(lambda _data: self.feeds.reload())
        # The search index follows the library in the background (issue 8): resumes what a
        # killed process left, rebuilds an unusable index, and follows every write.
        self.indexing = IndexFollower(library, self.jobs, self, worker=self.background.worker)
        self.indexing.progress.connect(self.index_progress.update_event)
        self.indexing.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.indexing.caught_up.connect(self._index_caught_up)
        self.indexing.kick()
        self.sidebar_feed.refresh()
        last = self.settings.last_article
        self.listing.load_view(ALL, select=last or None)
        self._import_saved_searches_from_settings()
        if seed_sample:
            self.background.first_run()
        for notice in library.notices:
            self.statusBar().showMessage(notice, 8000)

    # -- construction --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.sidebar = Sidebar(self)
        self.model = self.listing.model
        self.lazy_snippets = LazySnippets(self.library, self.jobs, self.model, self)
        self.table = ArticleTable(self.model, self)
        old_selection = self.table.selectionModel()
        self.table.setSelectionModel(self.listing.selection)
        old_selection.deleteLater()

        self.search_bar = SearchBar(self)
        self.search_sort = SearchSortBox(self)
        self.search_info = SearchInfo(self)
        self.empty_label = QLabel("", self)
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)
        self.empty_label.hide()
        self.entity_panel = EntityPanel(self)

        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(self.search_info)
        middle_layout.addWidget(self.table, 1)
        middle_layout.addWidget(self.empty_label, 1)
        self.middle_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.middle_splitter.setObjectName("middleSplitter")
        self.middle_splitter.addWidget(middle)
        self.middle_splitter.addWidget(self.entity_panel)
        self.middle_splitter.setStretchFactor(0, 3)
        self.middle_splitter.setStretchFactor(1, 1)
        self.middle_splitter.setSizes([600, 180])

        self.legend = LegendBar(self.settings.hidden_entity_types, self)
        self.reader = ReaderView(self)
        self.reader.set_zoom(self.settings.zoom)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.legend)
        right_layout.addWidget(self.reader, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.middle_splitter)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes(list(DEFAULT_SPLIT))
        self.setCentralWidget(self.splitter)

        self.progress = StatusProgress(self)
        self.statusBar().addPermanentWidget(self.progress)
        self.index_progress = IndexProgress(self)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.counts_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _handlers(self) -> dict[str, Callable[..., object]]:
        acts = self.article_actions
        return {
            "import_files": self.import_files_dialog,
            "import_folder": self.import_folder_dialog,
            "export": self.export_selection,
            "quit": self.close,
            "copy_markdown": self.copy_markdown,
            "delete": acts.delete_selection,
            "undo": acts.undo_delete,
            "find": self.search_bar.focus,
            "save_search": lambda: self.save_search(self.search_bar.query),
            "next": self.next_article,
            "previous": lambda: self.listing.step(-1),
            "page_down": self.page_down,
            "page_up": self.page_up,
            "star": acts.toggle_star,
            "read": acts.toggle_read,
            "zoom_in": lambda: self.zoom(+1),
            "zoom_out": lambda: self.zoom(-1),
            "zoom_reset": lambda: self.zoom(None),
            "mark_on_open": self._set_mark_on_open,
            "shortcuts": self.show_shortcuts,
            "syntax": self.search_bar.show_help,
            "about": self.show_about,
        }

    def _build_menus_and_toolbar(self) -> None:
        self.commands["undo"].setEnabled(False)
        self.commands["mark_on_open"].setChecked(self.settings.mark_read_on_open)
        highlight = QMenu("&Highlight entities", self)
        for button in self.legend.buttons.values():
            action = QAction(button.text(), highlight)
            action.setCheckable(True)
            action.setChecked(button.isChecked())
            action.toggled.connect(button.setChecked)
            button.toggled.connect(action.setChecked)
            action.setToolTip(f"Highlight {TYPE_PLURALS.get(button.objectName()[7:], '')}")
            highlight.addAction(action)
        self.theme_menu = QMenu("&Theme", self)
        self.theme_actions: dict[str, QAction] = {}
        group = QActionGroup(self.theme_menu)
        for name in theme.THEMES:
            action = QAction(theme.THEME_LABELS[name], self.theme_menu)
            action.setCheckable(True)
            action.setChecked(name == self.settings.theme)
            action.triggered.connect(lambda _on=False, n=name: self.set_theme(n))
            group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[name] = action
        self.menus = self.commands.fill_menus(
            self.menuBar(), {"highlight": highlight, "theme": self.theme_menu}
        )

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.commands.fill_toolbar(toolbar)
        spacer = QWidget(toolbar)
        spacer.setFixedWidth(12)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_bar)
        toolbar.addWidget(self.search_sort)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar
        # Escape from the list or reading pane also leaves a search.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.clear_search)

    def _connect(self) -> None:
        listing, reading, acts, work = (
            self.listing,
            self.reading,
            self.article_actions,
            self.background,
        )
        status = self.statusBar()
        # Listing -> list, pane, sidebar, search widgets.
        listing.current_changed.connect(self._on_current)
        listing.listing_shown.connect(self._on_listing)
        listing.search_changed.connect(self._on_search_changed)
        self.search_sort.sort_changed.connect(listing.set_search_sort)
        listing.view_changed.connect(lambda view: self.sidebar.select(view, notify=False))
        listing.sort_changed.connect(self._on_sort_changed)
        listing.failed.connect(self._job_error)
        listing.search_failed.connect(
            # Never a dialog storm while typing: one calm line above the list.
            lambda message: self.search_info.show_message(f"This search could not run: {message}")
        )
        self.table.clicked.connect(self._on_table_clicked)
        self.table.verticalScrollBar().valueChanged.connect(lambda _value: self.activity.note())
        # Reading.
        reading.opened.connect(self._on_opened)
        # What may change an article read before (ui/article_cache.py): another process's
        # commit, an import's batch, an undo, a delete.
        self.watcher.changed.connect(lambda: reading.library_changed(self.watcher.moved))
        work.articles_added.connect(lambda: reading.library_changed({"articles"}))
        work.import_finished.connect(lambda _report: reading.library_changed({"articles"}))
        acts.restored.connect(lambda _articles: reading.library_changed({"articles"}))
        acts.removed.connect(reading.forget)
        self.reader.entity_clicked.connect(lambda entity_id: self.show_entity(entity_id, ""))
        self.entity_panel.entity_activated.connect(self.show_entity)
        self.legend.visible_types_changed.connect(
            lambda _visible: setattr(self.settings, "hidden_entity_types", self.legend.hidden_types)
        )
        # Sidebar and search bar.
        self.sidebar.view_selected.connect(self._on_sidebar_view)
        self.sidebar.entity_filter_changed.connect(self.sidebar_feed.set_filter)
        self.sidebar.more_requested.connect(self.sidebar_feed.more)
        self.sidebar.remove_saved_search.connect(self.remove_saved_search)
        self.sidebar_feed.ready.connect(self._show_sidebar)
        self.sidebar_feed.failed.connect(self._job_error)
        self.search_bar.query_changed.connect(self.run_search)
        self.search_bar.escape_pressed.connect(self.clear_search)
        self.search_bar.down_pressed.connect(self._focus_list)
        self.search_bar.save_requested.connect(self.save_search)
        self.search_info.suggestion_clicked.connect(
            lambda text: self.search_bar.set_query(text, immediate=True)
        )
        # Article actions.
        acts.message.connect(status.showMessage)
        acts.changed.connect(self.sidebar_feed.schedule)
        acts.changed.connect(self.watcher.absorb)
        acts.flags_changed.connect(
            lambda i, read, starred: reading.update_flags(i, read=read, starred=starred)
        )
        acts.undo_available.connect(self.commands["undo"].setEnabled)
        acts.restored.connect(self._on_restored)
        acts.failed.connect(self._job_error)
        acts.export_failed.connect(
            lambda message: QMessageBox.warning(
                self, "Export failed", f"Nothing was overwritten.\n\n{message}"
            )
        )
        # Background work.
        work.progress.connect(self.progress.update_event)
        work.idle.connect(self.progress.hide)
        work.message.connect(status.showMessage)
        work.failed.connect(self._job_error)
        work.articles_added.connect(self._on_articles_added)
        work.first_run_done.connect(self._on_first_run)
        work.import_finished.connect(self._on_import_finished)
        work.entities_recognised.connect(self._on_entities_recognised)
        work.recognising_changed.connect(self._on_recognising)
        self.progress.cancel.clicked.connect(work.cancel)
        # Another process changed the library.
        self.watcher.changed.connect(self.refresh_from_library)
        self.watcher.bookkeeping.connect(self._index_caught_up)

    # -- state ----------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = self.settings
        geometry = s.geometry("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for name, splitter in (("splitter", self.splitter), ("middle", self.middle_splitter)):
            state = s.geometry(name)
            if state is not None:
                splitter.restoreState(state)
        header_state = s.geometry("header")
        if header_state is not None:
            self.table.horizontalHeader().restoreState(header_state)
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        header.blockSignals(False)

    def save_state(self) -> None:
        s = self.settings
        s.set_geometry("geometry", self.saveGeometry())
        s.set_geometry("splitter", self.splitter.saveState())
        s.set_geometry("middle", self.middle_splitter.saveState())
        s.set_geometry("header", self.table.horizontalHeader().saveState())
        s.set_sort(
            ArticleTableModel.SORT_KEYS.index(self.listing.sort_key), self.listing.sort_descending
        )
        s.zoom = self.reader.zoom
        s.hidden_entity_types = self.legend.hidden_types
        s.last_article = self.reading.article_id or 0
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.watcher.stop()
        self.jobs.cancel_all()
        self.indexing.stop()  # the worker process: what it had not done, the next open does
        self.article_actions.flags.close()  # read marks and stars not stored yet (bounded)
        self.jobs.wait(10_000)
        self.jobs.close()
        self.reading.close()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # Follow the palette live (the system's, or View → Theme): redraw in the new colours.
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events:
            self.model.palette_changed()
            self.reading.render(keep_scroll=True)
        super().changeEvent(event)

    def _apply_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, name)

    def set_theme(self, name: str) -> None:
        """View → Theme: system, light or dark; applied at once and remembered."""
        self.settings.theme = name
        self._apply_theme(name)
        action = self.theme_actions.get(name)
        if action is not None:
            action.setChecked(True)

    # -- what the compatibility API of the old window offered (tests, scripts, other modules) ---

    @property
    def view(self) -> View:
        return self.listing.view

    @property
    def sort_key(self) -> str:
        return self.listing.sort_key

    @property
    def sort_descending(self) -> bool:
        return self.listing.sort_descending

    @property
    def search_results(self) -> SearchResults | None:
        return self.listing.search_results

    @property
    def current_article(self) -> Article | None:
        return self.reading.article

    @property
    def import_job(self) -> WorkerTask | None:
        return self.background.import_job

    @property
    def entity_job(self) -> WorkerTask | None:
        return self.background.entity_job

    @property
    def last_report(self) -> ImportReport | None:
        return self.background.last_report

    @property
    def export_dialog(self) -> ExportDialog | None:
        return self.article_actions.export_dialog

    def run_search(self, query: str) -> None:
        self.listing.run_search(query)

    def start_import(self, paths: Sequence[str | Path]) -> WorkerTask | None:
        return self.background.start_import(paths)

    def start_entity_recognition(self) -> WorkerTask | None:
        return self.background.start_entity_recognition()

    def refresh_sidebar(self) -> None:
        self.sidebar_feed.refresh()

    def next_article(self) -> None:
        self.listing.step(+1)

    def export_selection(self) -> ExportDialog | None:
        return self.article_actions.export_selection()

    def copy_markdown(self) -> None:
        self.article_actions.copy_markdown(self.reading.article_id)

    # -- listing and reading ------------------------------------------------------------------

    def _on_current(self, article_id: int | None) -> None:
        placeholder = PLACEHOLDER
        if article_id is None and self.listing.searching and self.model.rowCount():
            placeholder = "Pick a result to read it here (↓ or j)."
        self.reading.show(article_id, placeholder)

    def _neighbours(self, article_id: int) -> list[int]:
        """The rows above and below an article in the list (what j and k open next)."""
        row = self.model.row_of(article_id)
        if row is None:
            return []
        ids = self.model.ids
        return [ids[r] for r in (row + 1, row - 1) if 0 <= r < len(ids)]

    def _on_opened(self, article: Article) -> None:
        if self.settings.mark_read_on_open and not article.read and article.id is not None:
            self.article_actions.set_read([article.id], True)

    def _on_listing(self, listing: Listing) -> None:
        self.table.show_snippets(bool(listing.snippets) or listing.results is not None)
        if listing.results is not None:
            self.lazy_snippets.start(listing.results.highlight)
            self.search_info.show_results(listing.results, len(listing.ids))
        else:
            self.lazy_snippets.stop()
        empty = not listing.ids
        self.table.setHidden(empty)
        self.empty_label.setHidden(not empty)
        if empty:
            self.empty_label.setText(self._empty_message())

    def _empty_message(self) -> str:
        if self.listing.searching:
            return "Nothing matches this search.\nTry fewer words, or check the spelling."
        return {
            "unread": "No unread articles. Well read!",
            "starred": "No starred articles yet.\nPress s to star the article you are reading.",
            "entity": "No article mentions this entity any more.",
        }.get(self.view.kind, "No articles here yet.\nImport files with Ctrl+O or drop them here.")

    def _on_search_changed(self, results: SearchResults | None) -> None:
        if results is None:
            self.search_bar.clear()
            self.search_info.clear_info()
            self.reading.set_terms(())
        else:
            self.reading.set_terms(results.highlight or results.terms)

    def _on_sort_changed(self, key: str, descending: bool) -> None:
        keys = ArticleTableModel.SORT_KEYS
        self.settings.set_sort(keys.index(self.listing.sort_key), descending)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.column() == ArticleTableModel.STAR:
            article_id = self.model.article_id(index.row())
            if article_id is not None:
                self.article_actions.toggle_star([article_id])

    def _on_sidebar_view(self, view: View) -> None:
        if view.kind == "saved":
            self.search_bar.set_query(view.value, immediate=True)
            return
        self._leave_typed_search()
        self.listing.load_view(view)

    def _leave_typed_search(self) -> None:
        """Choosing a view drops a query still being typed (its timer must not fire later)."""
        if self.search_bar.query and not self.listing.searching:
            self.search_bar.clear()

    def show_entity(self, entity_id: int, name: str) -> None:
        """List every article that mentions an entity (a click in the text or the panel).

        The entity's name is read off the UI thread first (a click in the text names only its
        id), as every read of the window is."""
        library = self.library
        self.jobs.start(
            "entity-name",
            lambda progress, cancel: library.entity(entity_id),
            on_result=lambda entity: self._show_entity(entity_id, name, entity),
            on_error=self._job_error,
        )

    def _show_entity(self, entity_id: int, name: str, entity: Entity | None) -> None:
        label = entity.name if entity is not None else (name or f"Entity {entity_id}")
        self._leave_typed_search()
        self.listing.load_view(View("entity", label, label, entity_id))
        self.statusBar().showMessage(f"Articles mentioning {label}", 5000)

    def _on_restored(self, articles: list[Article]) -> None:
        first = articles[0].id if articles else None
        if self.listing.searching:
            self.listing.reload()
        else:
            self.listing.load_view(self.view, select=first)

    def clear_search(self) -> None:
        """Esc: clear the search and return to the previous view."""
        if not self.listing.clear_search() and self.search_bar.query:
            self.search_bar.clear()
        self.table.setFocus()

    def _focus_list(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and self.listing.current_id is None:
            self.listing.select_row(0)

    def page_down(self) -> None:
        bar = self.reader.verticalScrollBar()
        if bar.value() >= bar.maximum():
            self.next_article()
        else:
            bar.setValue(bar.value() + bar.pageStep())

    def page_up(self) -> None:
        bar = self.reader.verticalScrollBar()
        bar.setValue(bar.value() - bar.pageStep())

    def zoom(self, delta: int | None) -> None:
        self.reader.set_zoom(0 if delta is None else self.reader.zoom + delta)
        self.settings.zoom = self.reader.zoom

    def _set_mark_on_open(self, value: bool) -> None:
        self.settings.mark_read_on_open = value

    # -- sidebar, saved searches ----------------------------------------------------------------

    def _show_sidebar(self, data: SidebarData) -> None:
        self.reading.recognising = self.entity_job is not None or bool(data.entities_pending)
        current = (
            View("saved", self.listing.session.query)
            if self.listing.session is not None
            else self.view
        )
        self.sidebar.populate(data, current)
        self.counts_label.setText(
            f"{data.total:,} articles · {data.unread:,} unread" if data.total else ""
        )

    def save_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            self.statusBar().showMessage("Type a search first, then save it.", 4000)
            return
        library = self.library

        def save(progress: Any, cancel: Any) -> None:
            library.save_search(query, query)

        def saved(_result: None) -> None:
            self.statusBar().showMessage(f"Saved search “{query}” in the sidebar.", 4000)
            self.sidebar_feed.refresh()

        self.jobs.start("save-search", save, on_result=saved, on_error=self._job_error)

    def remove_saved_search(self, name: str) -> None:
        library = self.library

        def remove(progress: Any, cancel: Any) -> None:
            library.remove_saved_search(name)

        self.jobs.start(
            "remove-search",
            remove,
            on_result=lambda _r: self.sidebar_feed.refresh(),
            on_error=self._job_error,
        )

    def _import_saved_searches_from_settings(self) -> None:
        """Saved searches used to live in the settings file: move them into the library."""
        old = self.settings.saved_searches
        if not old:
            return
        library = self.library

        def move(progress: Any, cancel: Any) -> None:
            for query in old:
                if library.saved_search(query) is None:
                    library.save_search(query, query)

        def moved(_result: None) -> None:
            self.settings.saved_searches = []
            self.sidebar_feed.refresh()

        self.jobs.start("saved-from-settings", move, on_result=moved, on_error=self._job_error)

    # -- background work -------------------------------------------------------------------------

    def refresh_from_library(self) -> None:
        """Another process changed the library: re-list and re-count, keeping the selection."""
        if self.import_job is not None:
            return  # the import refreshes the list as it goes
        if relist_needed(self.watcher.moved, self.listing.view) or self.listing.searching:
            self.listing.reload()
        self.sidebar_feed.refresh()

    def _on_articles_added(self) -> None:
        self.listing.grow()
        self.sidebar_feed.schedule()

    def _on_first_run(self, _first: FirstRun) -> None:
        self.listing.reload()
        self.sidebar_feed.refresh()

    def _on_import_finished(self, report: ImportReport) -> None:
        # Both wait for a still moment (at most a few seconds) rather than land between two
        # of the reader's opens: a full listing of a big library costs an open's time.
        self.listing.catch_up()
        self.sidebar_feed.schedule()
        if report.skipped or report.notes or report.cancelled:
            self.report_dialog = ImportReportDialog(report, self)
            self.report_dialog.open()

    def _on_entities_recognised(self, count: int) -> None:
        if count:
            self.sidebar_feed.refresh()
            self.reading.refresh_mentions()

    def _on_recognising(self, running: bool) -> None:
        # Recognition writes a batch every moment: the window catches up once it is done
        # rather than re-listing on every batch.
        self.reading.recognising = running
        self.watcher.pause(running)
        if not running:
            self.listing.reload()

    def import_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import files",
            self.settings.import_folder,
            "Articles and datasets (*.txt *.md *.html *.htm *.jsonl *.json *.csv *.tsv *.sgm"
            " *.xml *.rss *.atom *.opml);;All files (*)",
        )
        if files:
            self.settings.import_folder = str(Path(files[0]).parent)
            self.start_import(files)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Import folder", self.settings.import_folder
        )
        if folder:
            self.settings.import_folder = folder
            self.start_import([folder])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    def _index_caught_up(self) -> None:
        """Search again when the index has caught up: results shown may have been partial."""
        results = self.listing.search_results
        if results is not None and results.notice:
            self.listing.reload()

    # -- help --------------------------------------------------------------------------------------

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Newsreader",
            "<b>Newsreader</b><br/>Read a lot of news, and find things in it again.<br/>"
            f"Library: <code>{self.library.directory}</code>",
        )

    def _job_error(self, message: str) -> None:
        self.statusBar().showMessage(f"Something went wrong: {message}", 15_000)
