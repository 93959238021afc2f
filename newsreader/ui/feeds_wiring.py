"""Puts the feeds UI into the main window: the Feeds panel under the sidebar, File-menu
actions (Add feed, Refresh feeds, Import/Export OPML), Edit → Undo unsubscribe, and the
connections that keep the window's lists in step after a refresh.

Kept out of `main_window.py` so that the window needs one call (`install_feeds(self, self)`) and the
window's own restructuring is not tangled with feeds.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QSplitter, QStatusBar, QWidget

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import ProgressEvent
from newsreader.ui.article_actions import ArticleActions
from newsreader.ui.background import BackgroundWork
from newsreader.ui.feeds_sidebar import FeedsPanel
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import ListingController
from newsreader.ui.refresh_controller import FeedsController
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import Sidebar, View
from newsreader.ui.status_progress import StatusProgress
from newsreader.ui.worker_process import WorkerTask


class FeedsHost(Protocol):
    """What the feeds UI needs of the window (the window satisfies it; no import of it here,
    so that the ui modules keep forming no import cycle)."""

    library: Library
    jobs: JobRunner
    settings: Settings
    splitter: QSplitter
    sidebar: Sidebar
    listing: ListingController
    background: BackgroundWork
    progress: StatusProgress
    article_actions: ArticleActions

    @property
    def current_article(self) -> Article | None: ...

    def menuBar(self) -> QMenuBar: ...

    def statusBar(self) -> QStatusBar: ...

    def refresh_sidebar(self) -> None: ...

    def start_entity_recognition(self) -> WorkerTask | None: ...


def install_feeds(window: FeedsHost, parent: QWidget) -> FeedsController:
    """Add the feeds UI to `window` (whose widget is `parent`) and return its controller (its
    `actions` by name)."""
    panel = FeedsPanel(parent)
    left = QSplitter(Qt.Orientation.Vertical, parent)
    left.setObjectName("sidebarSplitter")
    left.setChildrenCollapsible(False)
    window.splitter.replaceWidget(window.splitter.indexOf(window.sidebar), left)
    left.addWidget(window.sidebar)
    left.addWidget(panel)
    left.setStretchFactor(0, 4)
    left.setStretchFactor(1, 1)  # the library and entities first; drag for more feeds
    controller = FeedsController(window.library, window.jobs, panel, window.settings, parent)
    controller.flags = window.article_actions.flags

    def changed() -> None:
        window.listing.reload()
        window.refresh_sidebar()

    def progress(event: ProgressEvent) -> None:
        window.progress.update_event(event)

    def busy(running: bool) -> None:
        if not running and not window.background.busy:
            window.progress.hide()

    controller.library_changed.connect(changed)
    controller.articles_added.connect(window.start_entity_recognition)
    controller.status.connect(lambda text: window.statusBar().showMessage(text, 8000))
    controller.progress.connect(progress)
    controller.busy_changed.connect(busy)
    panel.feed_selected.connect(
        lambda name: window.listing.load_view(View("source", name, label=name))
    )

    def action(text: str, slot: object, shortcut: str = "", tip: str = "") -> QAction:
        act = QAction(text, parent)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.setStatusTip(tip)
        act.triggered.connect(slot)
        return act

    controller.actions["add_feed"] = action(
        "Add &feed…", controller.add_feed_dialog, "Ctrl+Shift+N", "Subscribe to a feed"
    )
    controller.actions["refresh_feeds"] = action(
        "&Refresh feeds", lambda: controller.refresh([]), "Ctrl+R", "Fetch new entries now"
    )
    controller.actions["import_opml"] = action(
        "Import &OPML…", controller.import_opml_dialog, tip="Subscribe to a list of feeds"
    )
    controller.actions["export_opml"] = action(
        "E&xport OPML…", controller.export_opml_dialog, tip="Save the feeds as OPML"
    )
    controller.actions["undo_unsubscribe"] = action(
        "Undo &unsubscribe", controller.undo_unsubscribe
    )

    def full_text() -> None:
        article = window.current_article
        if article is None or article.id is None or not article.url:
            window.statusBar().showMessage("This article has no link to fetch its text from.", 6000)
            return
        controller.fetch_full_text(article.id)

    controller.actions["full_text"] = action(
        "Fetch &full text", full_text, tip="Replace the summary with the text of the article's link"
    )
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    file_menu = menus.get("File")
    feed_actions = [controller.actions[k] for k in ("add_feed", "refresh_feeds", "import_opml")]
    feed_actions.append(controller.actions["export_opml"])
    if isinstance(file_menu, QMenu) and file_menu.actions():
        first = file_menu.actions()[0]
        file_menu.insertActions(first, feed_actions)
        file_menu.insertSeparator(first)
    elif isinstance(file_menu, QMenu):
        file_menu.addActions(feed_actions)
    article_menu = menus.get("Article")
    if isinstance(article_menu, QMenu):
        article_menu.addSeparator()
        article_menu.addAction(controller.actions["full_text"])
    edit_menu = menus.get("Edit")
    if isinstance(edit_menu, QMenu):
        edit_menu.addAction(controller.actions["undo_unsubscribe"])
    return controller  # its first reload comes with the window's first sidebar refresh
