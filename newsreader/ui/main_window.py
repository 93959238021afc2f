"""The main window: wires the sidebar, article list, reading pane and search to the `Library`.

Everything slow goes through `JobRunner` (listing ids, searching, importing, recognising
entities, deleting, exporting many); what stays on the UI thread is cheap: one article read
for the reading pane, one page of list rows, flag writes. Each kind of listing job shares one
generation counter ("list"), so whatever the user asked for last is what the list shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from newsreader.core import filenames
from newsreader.core.export import EntityStyle
from newsreader.core.library import Library
from newsreader.core.models import Article, ImportReport, Mention, SearchResults
from newsreader.core.progress import ProgressEvent
from newsreader.core.storage import ArticleFilter, SortKey
from newsreader.ui import icons
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.article_view import ArticleTable
from newsreader.ui.dialogs import ExportDialog, ImportReportDialog, ShortcutsDialog
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.jobs import IndexFollower, Job, JobRunner
from newsreader.ui.reader import ReaderView
from newsreader.ui.search_bar import SearchBar, SearchInfo
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import ALL, TOP_ENTITIES, Sidebar, SidebarData, View
from newsreader.ui.status_progress import IndexProgress, StatusProgress

#: Ranked hits fetched with snippets per search; the rest of the matches are listed by id.
SEARCH_HITS = 200
#: While an import runs, refresh the list at most this often (seconds).
LIVE_REFRESH_S = 1.0


@dataclass(slots=True)
class Listing:
    """What a listing job produced: ids in display order, snippets, and search results."""

    ids: list[int]
    snippets: dict[int, str] = field(default_factory=dict)
    results: SearchResults | None = None


class MainWindow(QMainWindow):
    """The Newsreader window over one `Library`."""

    def __init__(
        self, library: Library, settings: Settings | None = None, *, seed_sample: bool = True
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.jobs = JobRunner(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Newsreader")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.resize(1360, 860)

        self.view: View = ALL
        self.previous_view: View = ALL
        self.previous_article: int | None = None
        self.search_results: SearchResults | None = None
        self.current_article: Article | None = None
        self.current_mentions: list[Mention] = []
        self.sort_key: SortKey = "published"
        self.sort_descending = True
        self.undo_stack: list[list[Article]] = []
        self.import_job: Job | None = None
        self.entity_job: Job | None = None
        self.last_report: ImportReport | None = None
        self.report_dialog: ImportReportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._pending_select: int | None = None
        self._last_live_refresh = 0.0
        self._entity_filter = ""
        #: Articles awaiting NER, as of the last sidebar refresh (never counted on the UI thread).
        self._entities_pending = 0
        self._writes = 0

        self._build_widgets()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._restore_state()
        self._sidebar_timer = QTimer(self)
        self._sidebar_timer.setSingleShot(True)
        self._sidebar_timer.setInterval(300)
        self._sidebar_timer.timeout.connect(self.refresh_sidebar)

        self.indexing = IndexFollower(library, self.jobs, self)
        self.indexing.progress.connect(self.index_progress.update_event)
        self.indexing.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.indexing.caught_up.connect(self._index_caught_up)
        self.indexing.kick()  # resumes what a killed process left; rebuilds an unusable index
        self.refresh_sidebar()
        self.load_view(ALL)
        if seed_sample:
            self._seed_sample()
        for notice in library.notices:
            self.statusBar().showMessage(notice, 8000)

    # -- construction --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.sidebar = Sidebar(self)
        self.sidebar.view_selected.connect(self._on_sidebar_view)
        self.sidebar.entity_filter_changed.connect(self._on_entity_filter)
        self.sidebar.remove_saved_search.connect(self.remove_saved_search)

        self.model = ArticleTableModel(self.library.rows, self)
        self.model.sort_requested.connect(self._on_sort)
        self.table = ArticleTable(self.model, self)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.clicked.connect(self._on_table_clicked)

        self.search_bar = SearchBar(self)
        self.search_bar.query_changed.connect(self.run_search)
        self.search_bar.escape_pressed.connect(self.clear_search)
        self.search_bar.down_pressed.connect(self._focus_list)
        self.search_bar.save_requested.connect(self.save_search)
        self.search_info = SearchInfo(self)
        self.search_info.suggestion_clicked.connect(
            lambda text: self.search_bar.set_query(text, immediate=True)
        )
        self.empty_label = QLabel("", self)
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)
        self.empty_label.hide()

        self.entity_panel = EntityPanel(self)
        self.entity_panel.entity_activated.connect(self.show_entity)

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
        self.middle_splitter.setSizes([560, 220])

        self.legend = LegendBar(self.settings.hidden_entity_types, self)
        self.legend.visible_types_changed.connect(self._on_visible_types)
        self.reader = ReaderView(self)
        self.reader.entity_clicked.connect(lambda entity_id: self.show_entity(entity_id, ""))
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
        self.splitter.setSizes([230, 470, 660])
        self.setCentralWidget(self.splitter)

        self.progress = StatusProgress(self)
        self.progress.cancel.clicked.connect(self.cancel_jobs)
        self.statusBar().addPermanentWidget(self.progress)
        self.index_progress = IndexProgress(self)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.counts_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _action(
        self,
        text: str,
        slot: Any,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        icon: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(icons.icon(icon))
        if shortcuts:
            # Standard keys differ by platform and may repeat an explicit one (F1 for Help on
            # Linux): a duplicate would make the shortcut ambiguous and never fire.
            unique: dict[str, QKeySequence] = {}
            for shortcut in shortcuts:
                sequence = QKeySequence(shortcut)
                if not sequence.isEmpty():
                    unique.setdefault(sequence.toString(), sequence)
            action.setShortcuts(list(unique.values()))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        # Window-wide, so j/k/s/m work wherever the focus is; text fields still get their
        # own letters because a QLineEdit claims printable keys before shortcuts fire.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        seq = QKeySequence
        self.act_import_files = self._action(
            "Import &files…",
            self.import_files_dialog,
            [seq.StandardKey.Open],
            "import",
            "Import article files, datasets or corpora",
        )
        self.act_import_folder = self._action(
            "Import f&older…",
            self.import_folder_dialog,
            ["Ctrl+Shift+O"],
            "import-folder",
            "Import every article file in a folder (recursively)",
        )
        self.act_export = self._action(
            "&Export to Markdown…",
            self.export_selection,
            ["Ctrl+E"],
            "export",
            "Export the selected articles to Markdown",
        )
        self.act_quit = self._action("&Quit", self.close, [seq.StandardKey.Quit])
        self.act_copy_md = self._action(
            "Copy as &Markdown",
            self.copy_markdown,
            ["Ctrl+Shift+C"],
            "copy",
            "Copy the current article as Markdown",
        )
        self.act_delete = self._action(
            "&Delete",
            self.delete_selection,
            [seq.StandardKey.Delete],
            "delete",
            "Delete the selected articles (Ctrl+Z undoes)",
        )
        self.act_undo = self._action(
            "&Undo delete", self.undo_delete, [seq.StandardKey.Undo], "undo"
        )
        self.act_undo.setEnabled(False)
        self.act_find = self._action(
            "&Find…", self.focus_search, [seq.StandardKey.Find, "/"], "search"
        )
        self.act_save_search = self._action(
            "&Save search",
            lambda: self.save_search(self.search_bar.query),
            ["Ctrl+D"],
            "saved-search",
        )
        self.act_next = self._action("&Next article", self.next_article, ["J", "N"], "next")
        self.act_prev = self._action(
            "&Previous article", self.previous_article_, ["K", "P"], "previous"
        )
        self.act_page_down = self._action("Page down", self.page_down, ["Space"])
        self.act_page_up = self._action("Page up", self.page_up, ["Shift+Space"])
        self.act_star = self._action("&Star", self.toggle_star, ["S"], "star", "Star or unstar (s)")
        self.act_read = self._action(
            "Mark &read / unread", self.toggle_read, ["M"], "mark-read", "Mark read or unread (m)"
        )
        self.act_zoom_in = self._action(
            "&Larger text", lambda: self.zoom(+1), [seq.StandardKey.ZoomIn, "Ctrl+="], "zoom-in"
        )
        self.act_zoom_out = self._action(
            "&Smaller text", lambda: self.zoom(-1), [seq.StandardKey.ZoomOut], "zoom-out"
        )
        self.act_zoom_reset = self._action(
            "&Default text size", lambda: self.zoom(None), ["Ctrl+0"]
        )
        self.act_mark_on_open = QAction("Mark articles read when &opened", self)
        self.act_mark_on_open.setCheckable(True)
        self.act_mark_on_open.setChecked(self.settings.mark_read_on_open)
        self.act_mark_on_open.toggled.connect(self._set_mark_on_open)
        self.act_shortcuts = self._action(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            [seq.StandardKey.HelpContents, "F1", "?"],
            "keyboard",
        )
        self.act_syntax = self._action("Search &syntax", self.search_bar.show_help, [], "help")
        self.act_about = self._action("&About Newsreader", self.show_about)
        # Escape from the list or reading pane also leaves a search.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.clear_search)

    def _build_menus_and_toolbar(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.act_import_files, self.act_import_folder])
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.act_undo, self.act_copy_md, self.act_delete])
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_find, self.act_save_search])
        view_menu = menu.addMenu("&View")
        view_menu.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        view_menu.addSeparator()
        types_menu = view_menu.addMenu("&Highlight entities")
        for button in self.legend.buttons.values():
            action = QAction(button.text(), types_menu)
            action.setCheckable(True)
            action.setChecked(button.isChecked())
            action.toggled.connect(button.setChecked)
            button.toggled.connect(action.setChecked)
            types_menu.addAction(action)
        view_menu.addAction(self.act_mark_on_open)
        article_menu = menu.addMenu("&Article")
        article_menu.addActions(
            [self.act_next, self.act_prev, self.act_star, self.act_read, self.act_export]
        )
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.act_shortcuts, self.act_syntax, self.act_about])

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.addActions([self.act_import_files, self.act_import_folder, self.act_export])
        toolbar.addSeparator()
        toolbar.addActions([self.act_star, self.act_read, self.act_delete])
        toolbar.addSeparator()
        spacer = QWidget(toolbar)
        spacer.setFixedWidth(12)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

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
        column = s.sort_column
        if 0 <= column < len(ArticleTableModel.SORT_KEYS):
            self.sort_key = ArticleTableModel.SORT_KEYS[column]
            self.sort_descending = s.sort_descending
            order = (
                Qt.SortOrder.DescendingOrder
                if self.sort_descending
                else Qt.SortOrder.AscendingOrder
            )
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)
            self.model.sort_column, self.model.sort_order = column, order

    def save_state(self) -> None:
        s = self.settings
        s.set_geometry("geometry", self.saveGeometry())
        s.set_geometry("splitter", self.splitter.saveState())
        s.set_geometry("middle", self.middle_splitter.saveState())
        s.set_geometry("header", self.table.horizontalHeader().saveState())
        s.set_sort(ArticleTableModel.SORT_KEYS.index(self.sort_key), self.sort_descending)
        s.zoom = self.reader.zoom
        s.hidden_entity_types = self.legend.hidden_types
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # Follow the system palette live: re-render the article in the new colours.
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events:
            self.model.palette_changed()
            if self.current_article is not None:
                self._show_current_article(keep_scroll=True)
        super().changeEvent(event)

    # -- first run, sidebar --------------------------------------------------------------------

    def _seed_sample(self) -> None:
        library = self.library

        def seed(progress: Any, cancel: Any) -> ImportReport | None:
            return library.ensure_sample(progress=progress)

        def seeded(report: ImportReport | None) -> None:
            if report is not None and report.new:
                self.statusBar().showMessage(
                    f"Welcome: the sample library ({report.new} articles) is ready to read.", 8000
                )
                self.reload_view()
                self.refresh_sidebar()
            self.start_entity_recognition()

        self.jobs.start("sample", seed, on_result=seeded, on_error=self._job_error)

    def refresh_sidebar(self) -> None:
        """Gather sidebar counts and entities off the UI thread, then show them."""
        library = self.library
        prefix = self._entity_filter

        def gather(progress: Any, cancel: Any) -> SidebarData:
            entities = {
                t: library.entities(t, top=TOP_ENTITIES, prefix=prefix)
                for t in ("person", "org", "place", "group", "event", "work")
            }
            return SidebarData(
                total=library.count(),
                unread=library.count(ArticleFilter(unread=True)),
                starred=library.count(ArticleFilter(starred=True)),
                sources=library.sources(),
                entities=entities,
                entities_pending=library.entities_pending(),
            )

        self.jobs.start("sidebar", gather, on_result=self._show_sidebar, on_error=self._job_error)

    def _show_sidebar(self, data: SidebarData) -> None:
        self._entities_pending = data.entities_pending
        self.sidebar.populate(data, self.settings.saved_searches)
        if self.search_results is not None:
            self.sidebar.select(View("saved", self.search_results.query), notify=False)
        self.counts_label.setText(
            f"{data.total:,} articles · {data.unread:,} unread" if data.total else ""
        )

    def _schedule_sidebar(self) -> None:
        self._sidebar_timer.start()

    def _on_entity_filter(self, text: str) -> None:
        self._entity_filter = text
        self.refresh_sidebar()

    # -- listing ---------------------------------------------------------------------------------

    def _on_sidebar_view(self, view: View) -> None:
        if view.kind == "saved":
            self.search_bar.set_query(view.value, immediate=True)
            return
        if self.search_results is not None or self.search_bar.query:
            self.search_bar.clear()
            self.search_results = None
            self.search_info.clear_info()
            self.reader.set_terms(())
        self.load_view(view)

    def load_view(self, view: View, *, select: int | None = None) -> None:
        """List a view's articles (ids fetched off the UI thread)."""
        self.view = view
        self._pending_select = select
        library = self.library
        sort, descending = self.sort_key, self.sort_descending

        def list_ids(progress: Any, cancel: Any) -> Listing:
            if view.kind == "entity":
                ids = library.entity_article_ids(view.entity_id)
                return Listing(library.ids(ArticleFilter(ids=tuple(ids)), sort, descending))
            where = {
                "all": ArticleFilter(),
                "unread": ArticleFilter(unread=True),
                "starred": ArticleFilter(starred=True),
                "source": ArticleFilter(source=view.value),
            }[view.kind]
            return Listing(library.ids(where, sort, descending))

        self.jobs.start("list", list_ids, on_result=self._show_listing, on_error=self._job_error)

    def reload_view(self) -> None:
        """Re-list what is shown (after an import or delete), keeping the current article."""
        current = self.current_article.id if self.current_article else None
        if self.search_results is not None:
            self.run_search(self.search_results.query, select=current)
        else:
            self.load_view(self.view, select=current)

    def _show_listing(self, listing: Listing) -> None:
        keep = self._pending_select
        if keep is None and self.current_article is not None:
            keep = self.current_article.id
        self.table.show_snippets(bool(listing.snippets))
        self.model.set_ids(listing.ids, listing.snippets)
        if listing.results is not None:
            self.search_info.show_results(listing.results, len(listing.ids))
            self.reader.set_terms(listing.results.terms)
        empty = not listing.ids
        self.table.setHidden(empty)
        self.empty_label.setHidden(not empty)
        if empty:
            self.empty_label.setText(self._empty_message())
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and listing.ids and self._pending_select is None:
            row = None if self.current_article is not None else 0
        if row is not None:
            self._select_row(row)
        elif self.current_article is not None:
            # What was open may not be in this list: keep it readable, but select nothing.
            self.table.selectionModel().clearSelection()
        self._pending_select = None

    def _empty_message(self) -> str:
        if self.search_results is not None:
            return "Nothing matches this search.\nTry fewer words, or check the spelling."
        return {
            "unread": "No unread articles. Well read!",
            "starred": "No starred articles yet.\nPress s to star the article you are reading.",
            "entity": "No article mentions this entity any more.",
        }.get(self.view.kind, "No articles here yet.\nImport files with Ctrl+O or drop them here.")

    def _on_sort(self, key: str, descending: bool) -> None:
        self.sort_key = key  # type: ignore[assignment]  # one of ArticleTableModel.SORT_KEYS
        self.sort_descending = descending
        self.settings.set_sort(ArticleTableModel.SORT_KEYS.index(self.sort_key), descending)
        if self.search_results is not None:
            self._sort_search_results()
        else:
            self.reload_view()

    def _sort_search_results(self) -> None:
        library, ids = self.library, list(self.model.ids)
        sort, descending = self.sort_key, self.sort_descending
        snippets = {i: self.model.snippet(i) for i in ids if self.model.snippet(i)}
        results = self.search_results

        def sorted_ids(progress: Any, cancel: Any) -> Listing:
            return Listing(
                library.ids(ArticleFilter(ids=tuple(ids)), sort, descending), snippets, results
            )

        self.jobs.start("list", sorted_ids, on_result=self._show_listing, on_error=self._job_error)

    # -- search ----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_bar.focus()

    def run_search(self, query: str, *, select: int | None = None) -> None:
        """Search off the UI thread; a newer search or view makes this one's results stale."""
        query = query.strip()
        if not query:
            self.clear_search()
            return
        if self.search_results is None:
            # Entering search: remember where the user was, for Esc.
            self.previous_view = self.view
            self.previous_article = self.current_article.id if self.current_article else None
        self.search_results = SearchResults(query=query, total=0, hits=())
        self.sidebar.select(View("saved", query), notify=False)
        self._pending_select = select
        library = self.library

        def search(progress: Any, cancel: Any) -> Listing:
            results = library.search(query, limit=SEARCH_HITS)
            ids = [hit.article_id for hit in results.hits]
            if results.total > len(ids):
                # The rest of the matches, in rank order, listed without snippets.
                seen = set(ids)
                ids.extend(i for i in library.search_ids(query) if i not in seen)
            return Listing(ids, {h.article_id: h.snippet for h in results.hits}, results)

        self.jobs.start("list", search, on_result=self._show_search, on_error=self._search_error)

    def _show_search(self, listing: Listing) -> None:
        self.search_results = listing.results
        self._show_listing(listing)

    def _search_error(self, message: str) -> None:
        # Never a dialog storm while typing: one calm line above the list.
        self.search_info.show_message(f"This search could not run: {message}")

    def clear_search(self) -> None:
        """Esc: clear the search and return to the previous view and article."""
        if self.search_results is None and not self.search_bar.query:
            self.table.setFocus()
            return
        self.search_bar.clear()
        self.search_results = None
        self.search_info.clear_info()
        self.reader.set_terms(())
        self.sidebar.select(self.previous_view, notify=False)
        self.load_view(self.previous_view, select=self.previous_article)
        self.table.setFocus()

    def save_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            self.statusBar().showMessage("Type a search first, then save it.", 4000)
            return
        saved = self.settings.saved_searches
        if query not in saved:
            saved.append(query)
            self.settings.saved_searches = saved
        self.sidebar.set_saved(saved)
        self.sidebar.select(View("saved", query), notify=False)
        self.statusBar().showMessage(f"Saved search “{query}” in the sidebar.", 4000)

    def remove_saved_search(self, query: str) -> None:
        saved = [q for q in self.settings.saved_searches if q != query]
        self.settings.saved_searches = saved
        self.sidebar.set_saved(saved)

    def _focus_list(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self._select_row(0)

    # -- reading ---------------------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, ArticleTableModel.TITLE)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self.model.article_id(current.row()) if current.isValid() else None
        if article_id is not None:
            self.open_article(article_id)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.column() == ArticleTableModel.STAR:
            article_id = self.model.article_id(index.row())
            if article_id is not None:
                self._set_star(article_id)

    def open_article(self, article_id: int) -> None:
        if self.current_article is not None and self.current_article.id == article_id:
            return
        article = self.library.get(article_id)
        if article is None:
            self.reader.show_placeholder("This article is no longer in the library.")
            return
        self.current_article = article
        self.current_mentions = self.library.mentions(article_id)
        self._show_current_article()
        if self.settings.mark_read_on_open and not article.read:
            self._set_read(article_id, True)

    def _show_current_article(self, *, keep_scroll: bool = False) -> None:
        article = self.current_article
        if article is None:
            return
        terms = self.search_results.terms if self.search_results else ()
        value = self.reader.verticalScrollBar().value()
        self.reader.show_article(article, self.current_mentions, terms, self.legend.visible_types)
        if keep_scroll:
            self.reader.verticalScrollBar().setValue(value)
        self.legend.set_present({m.type for m in self.current_mentions})
        self._fill_entity_panel()

    def _fill_entity_panel(self) -> None:
        """The panel lists the entities of the types the legend shows (dates hidden by default)."""
        visible = self.legend.visible_types
        shown = [m for m in self.current_mentions if m.type in visible]
        if shown:
            message = ""
        elif self.entity_job is not None or self._entities_pending:
            message = "Entities are being recognised; they appear here when ready."
        else:
            message = "No entities recognised in this article."
        self.entity_panel.set_mentions(shown, message)

    def _on_visible_types(self, visible: set[str]) -> None:
        self.settings.hidden_entity_types = self.legend.hidden_types
        self.reader.set_visible_types(visible)
        self._fill_entity_panel()

    def show_entity(self, entity_id: int, name: str) -> None:
        """List every article that mentions an entity (a click in the text or the panel)."""
        entity = self.library.entity(entity_id)
        label = entity.name if entity is not None else (name or f"Entity {entity_id}")
        view = View("entity", label, label, entity_id)
        if self.search_results is not None or self.search_bar.query:
            self.search_bar.clear()
            self.search_results = None
            self.search_info.clear_info()
            self.reader.set_terms(())
        self.sidebar.select(view, notify=False)
        current = self.current_article.id if self.current_article else None
        self.load_view(view, select=current)
        self.statusBar().showMessage(f"Articles mentioning {label}", 5000)

    def next_article(self) -> None:
        self._step(+1)

    def previous_article_(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.model.rowCount():
            return
        current = self.table.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        row = max(0, min(self.model.rowCount() - 1, row))
        self._select_row(row)

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

    # -- flags -----------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected articles, in list order (or the open one if nothing is selected)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [i for i in (self.model.article_id(r) for r in rows) if i is not None]
        if not ids and self.current_article is not None and self.current_article.id is not None:
            ids = [self.current_article.id]
        return ids

    def _set_read(self, article_id: int, read: bool) -> None:
        library = self.library
        self._write(lambda: library.set_read([article_id], read), [article_id])
        self.model.update_row(article_id, read=read)
        if self.current_article is not None and self.current_article.id == article_id:
            self.current_article = replace(self.current_article, read=read)

    def _set_star(self, article_id: int, starred: bool | None = None) -> None:
        if starred is None:
            row = self.model.row_of(article_id)
            current = self.model.row(row) if row is not None else None
            starred = not (current.starred if current else False)
        library = self.library
        self._write(lambda: library.set_starred([article_id], starred), [article_id])
        self.model.update_row(article_id, starred=starred)
        if self.current_article is not None and self.current_article.id == article_id:
            self.current_article = replace(self.current_article, starred=starred)
        self.statusBar().showMessage("Starred" if starred else "Unstarred", 2000)

    def toggle_star(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self.model.row(r) for r in (self.model.row_of(i) for i in ids) if r is not None]
        starred = not all(r.starred for r in rows if r is not None)
        for article_id in ids:
            self._set_star(article_id, starred)

    def toggle_read(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self.model.row(r) for r in (self.model.row_of(i) for i in ids) if r is not None]
        read = not all(r.read for r in rows if r is not None)
        library = self.library
        self._write(lambda: library.set_read(ids, read), ids)
        for article_id in ids:
            self.model.update_row(article_id, read=read)
        self.statusBar().showMessage("Marked read" if read else "Marked unread", 2000)

    def _write(self, change: Callable[[], None], ids: Sequence[int]) -> None:
        """Apply a small change (a flag) off the UI thread; the list already shows it.

        Writes wait for SQLite's write lock, which an import or NER batch may hold for a
        moment; the reader should never feel that. Each write is its own job kind, so none is
        dropped as stale, and the sidebar counts follow once it is stored.
        """
        self._writes += 1

        def run(progress: Any, cancel: Any) -> None:
            change()

        self.model.hold(ids)

        def done() -> None:
            self.model.settle(ids)
            self._schedule_sidebar()

        self.jobs.start(
            f"write-{self._writes}", run, on_error=self._job_error, on_done=done, serial=True
        )

    # -- delete / undo -------------------------------------------------------------------------

    def delete_selection(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = sorted(r for r in (self.model.row_of(i) for i in ids) if r is not None)
        next_row = rows[0] if rows else 0
        library = self.library
        self.model.remove_ids(ids)
        if self.current_article is not None and self.current_article.id in ids:
            self.current_article = None
            self.reader.show_placeholder("Deleted. Ctrl+Z brings it back.")
            self.entity_panel.set_mentions([], "")
        if self.model.rowCount():
            self._select_row(min(next_row, self.model.rowCount() - 1))

        def delete(progress: Any, cancel: Any) -> list[Article]:
            return library.delete(ids)

        def deleted(articles: list[Article]) -> None:
            self.undo_stack.append(articles)
            self.act_undo.setEnabled(True)
            count = len(articles)
            self.statusBar().showMessage(
                f"Deleted {count} article{'s' if count != 1 else ''}. Ctrl+Z to undo.", 8000
            )
            self._schedule_sidebar()

        self.jobs.start(
            f"delete-{time.monotonic_ns()}",
            delete,
            on_result=deleted,
            on_error=self._job_error,
            serial=True,
        )

    def undo_delete(self) -> None:
        if not self.undo_stack:
            return
        articles = self.undo_stack.pop()
        self.act_undo.setEnabled(bool(self.undo_stack))
        library = self.library

        def restore(progress: Any, cancel: Any) -> list[Article]:
            library.restore(articles)
            return articles

        def restored(back: list[Article]) -> None:
            first = back[0].id if back else None
            self.statusBar().showMessage(f"Restored {len(back)} article(s).", 4000)
            if self.search_results is None:
                self.load_view(self.view, select=first)
            else:
                self.reload_view()
            self._schedule_sidebar()

        self.jobs.start(
            "restore", restore, on_result=restored, on_error=self._job_error, serial=True
        )

    # -- import --------------------------------------------------------------------------------

    def import_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import files",
            self.settings.import_folder,
            "Articles and datasets (*.txt *.md *.html *.htm *.jsonl *.json *.csv *.xml *.rss"
            " *.atom *.opml);;All files (*)",
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

    def start_import(self, paths: Sequence[str | Path]) -> Job | None:
        """Import in the background; the list grows as batches are stored."""
        if self.import_job is not None:
            self.statusBar().showMessage("An import is already running; wait or cancel it.", 5000)
            return None
        library = self.library
        sources = [str(p) for p in paths]

        def run(progress: Any, cancel: Any) -> ImportReport:
            return library.import_paths(sources, progress=progress, cancel=cancel, index=False)

        self.progress.update_event(ProgressEvent("import", 0, None))
        self._last_live_refresh = time.monotonic()
        self.import_job = self.jobs.start(
            "import",
            run,
            on_result=self._import_finished,
            on_progress=self._import_progress,
            on_error=self._job_error,
            on_done=self._import_done,
        )
        return self.import_job

    def _index_caught_up(self) -> None:
        """Search again when the index has caught up: results shown may have been partial."""
        if self.search_results is not None and self.search_results.notice:
            self.reload_view()

    def _import_progress(self, event: ProgressEvent) -> None:
        self.progress.update_event(event)
        now = time.monotonic()
        if now - self._last_live_refresh >= LIVE_REFRESH_S:
            self._last_live_refresh = now
            self.reload_view()
            self._schedule_sidebar()

    def _import_finished(self, report: ImportReport) -> None:
        self.last_report = report
        self.statusBar().showMessage(f"Import: {report.summary()}", 10_000)
        self.reload_view()
        self.refresh_sidebar()
        if report.skipped or report.cancelled:
            self.report_dialog = ImportReportDialog(report, self)
            self.report_dialog.open()
        if report.new:
            self.start_entity_recognition()

    def _import_done(self) -> None:
        self.import_job = None
        self._hide_progress_if_idle()

    def cancel_jobs(self) -> None:
        for job in (self.import_job, self.entity_job):
            if job is not None:
                job.cancel()
        self.statusBar().showMessage("Cancelling… what is stored stays.", 4000)

    def _hide_progress_if_idle(self) -> None:
        if self.import_job is None and self.entity_job is None:
            self.progress.hide()

    # -- entities --------------------------------------------------------------------------------

    def start_entity_recognition(self) -> None:
        """Recognise entities in articles that have none yet, in the background."""
        if self.entity_job is not None:
            return
        library = self.library

        def run(progress: Any, cancel: Any) -> int:
            # One process: forking spaCy workers from a threaded Qt process is unsafe.
            return library.extract_entities(
                progress=progress, cancel=cancel, n_process=1, index=False
            )

        def finished(count: int) -> None:
            if count:
                self.statusBar().showMessage(f"Entities recognised in {count:,} articles.", 6000)
                self.refresh_sidebar()
                if self.current_article is not None and self.current_article.id is not None:
                    self.current_mentions = self.library.mentions(self.current_article.id)
                    self._show_current_article(keep_scroll=True)

        def done() -> None:
            self.entity_job = None
            self._hide_progress_if_idle()

        self.entity_job = self.jobs.start(
            "entities",
            run,
            on_result=finished,
            on_progress=self.progress.update_event,
            on_error=lambda message: self.statusBar().showMessage(
                f"Entities are not available: {message}", 15_000
            ),
            on_done=done,
        )

    # -- export ----------------------------------------------------------------------------------

    def export_selection(self) -> ExportDialog | None:
        """Ask where to export the selection (or the open article), then write it."""
        ids = self.selected_ids()
        if not ids:
            self.statusBar().showMessage("Select an article to export.", 4000)
            return None
        folder = Path(self.settings.export_folder or Path.home())
        if len(ids) == 1:
            article = self.library.get(ids[0])
            title = article.title if article is not None else ""
            suggested = folder / filenames.safe_filename(title, article_id=ids[0])
        else:
            suggested = folder / "newsreader-export"
        dialog = ExportDialog(len(ids), suggested, self.settings.export_entities, self)
        dialog.accepted.connect(lambda: self._export(ids, dialog.path, dialog.entities))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _export(self, ids: list[int], destination: Path, entities: EntityStyle) -> None:
        self.settings.export_entities = entities
        self.settings.export_folder = str(destination.parent if len(ids) == 1 else destination)
        library = self.library

        def write(progress: Any, cancel: Any) -> list[Path]:
            return library.export_markdown(ids, destination, entities=entities)

        def written(files: list[Path]) -> None:
            where = files[0] if len(files) == 1 else destination
            self.statusBar().showMessage(f"Exported {len(files)} article(s) to {where}", 8000)

        def failed(message: str) -> None:
            QMessageBox.warning(self, "Export failed", f"Nothing was overwritten.\n\n{message}")

        self.jobs.start("export", write, on_result=written, on_error=failed)

    def copy_markdown(self) -> None:
        if self.current_article is None or self.current_article.id is None:
            return
        # Marked as the last export was: one remembered choice for both ways out.
        text = self.library.to_markdown(
            self.current_article.id, entities=self.settings.export_entities
        )
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage("Copied the article as Markdown.", 3000)

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
