"""The Feeds section of the sidebar: subscriptions in their folders, unread counts, failures.

It shows a snapshot (`list[Source]`, gathered off the UI thread by `FeedsController`) and
reports what the user asked for by signals carrying source ids; it never calls the library.
A feed whose last refresh failed is marked, with the error in words as its tooltip; a feed
the server said is gone (410) is marked as stopped.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.sources import Source
from newsreader.ui.views import configure_side_tree

_ID_ROLE = Qt.ItemDataRole.UserRole + 11
FAILED_MARK = "⚠"
#: Not ⏹ (U+23F9): DejaVu, the font scripts/setup.sh installs, has no glyph for it.
STOPPED_MARK = "⊘"


def tooltip(source: Source) -> str:
    """What hovering a feed says: address, last success, and the last error in words."""
    lines = [source.location]
    if source.last_success is not None:
        lines.append(
            "Last refreshed " + source.last_success.astimezone().strftime("%Y-%m-%d %H:%M")
        )
    else:
        lines.append("Not refreshed yet")
    if not source.active:
        lines.append("Stopped: " + (source.last_error or "refreshing was turned off"))
    elif source.last_error:
        lines.append("Last refresh failed: " + source.last_error)
        if source.next_attempt is not None:
            when = source.next_attempt.astimezone().strftime("%H:%M")
            lines.append(f"Next attempt after {when}")
    return "\n".join(lines)


class FeedsPanel(QWidget):
    """See the module docstring."""

    feed_selected = Signal(str)  # the source name (the article list filters by it)
    add_requested = Signal()
    refresh_requested = Signal(list)  # source ids; empty: every feed
    rename_requested = Signal(int)
    move_requested = Signal(int)
    properties_requested = Signal(int)
    mark_read_requested = Signal(int)
    unsubscribe_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 4, 2)
        title = QLabel("Feeds", self)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        header.addWidget(title, 1)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip("Add a feed…")
        self.add_button.setAccessibleName("Add feed")
        self.add_button.clicked.connect(self.add_requested.emit)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText("⟳")
        self.refresh_button.setToolTip("Refresh every feed")
        self.refresh_button.setAccessibleName("Refresh feeds")
        self.refresh_button.clicked.connect(lambda: self.refresh_requested.emit([]))
        header.addWidget(self.add_button)
        header.addWidget(self.refresh_button)
        layout.addLayout(header)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("feedsTree")
        self.tree.setColumnCount(2)
        configure_side_tree(self.tree, self._context_menu)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemClicked.connect(self._on_activated)
        columns = self.tree.header()
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        self.empty = QLabel("No feeds yet. Add one with +, or File → Import OPML…", self)
        self.empty.setWordWrap(True)
        self.empty.setContentsMargins(8, 4, 8, 8)
        self.empty.setEnabled(False)
        layout.addWidget(self.empty)
        self.sources: dict[int, Source] = {}

    # -- showing ---------------------------------------------------------------------------------

    def populate(self, feeds: list[Source]) -> None:
        """Show feeds in their folders (nested with `/`), keeping the selection."""
        current = self.current_id()
        self.tree.clear()
        self.sources = {f.id: f for f in feeds}
        folders: dict[str, QTreeWidgetItem] = {}

        def folder_item(path: str) -> QTreeWidgetItem | None:
            if not path:
                return None
            if path not in folders:
                parent_path, _, name = path.rpartition("/")
                parent = folder_item(parent_path)
                item = QTreeWidgetItem([name, ""])
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                if parent is None:
                    self.tree.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                folders[path] = item
            return folders[path]

        # Folders first (so a folder's subfolders come before its feeds), then the feeds.
        for path in sorted({f.folder for f in feeds if f.folder}, key=str.casefold):
            folder_item(path)
        unread_by_folder: dict[str, int] = {}
        for feed in sorted(feeds, key=lambda f: (f.folder.casefold(), f.name.casefold())):
            parent = folder_item(feed.folder)
            label = feed.name
            if not feed.active:
                label = f"{STOPPED_MARK} {label}"
            elif feed.failing:
                label = f"{FAILED_MARK} {label}"
            item = QTreeWidgetItem([label, str(feed.unread) if feed.unread else ""])
            item.setData(0, _ID_ROLE, feed.id)
            item.setToolTip(0, tooltip(feed))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if feed.unread:
                bold = QFont(item.font(0))
                bold.setBold(True)
                item.setFont(0, bold)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            path = feed.folder
            while path:
                unread_by_folder[path] = unread_by_folder.get(path, 0) + feed.unread
                path = path.rpartition("/")[0]
            if feed.id == current:
                self.tree.setCurrentItem(item)
        for path, item in folders.items():
            count = unread_by_folder.get(path, 0)
            item.setText(1, str(count) if count else "")
        self.tree.expandAll()
        self.empty.setVisible(not feeds)
        self.tree.setVisible(bool(feeds))

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, _ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def item_for(self, source_id: int) -> QTreeWidgetItem | None:
        for item in self._feed_items():
            if item.data(0, _ID_ROLE) == source_id:
                return item
        return None

    def _feed_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if item.data(0, _ID_ROLE) is not None:
                found.append(item)
            stack += [item.child(i) for i in range(item.childCount())]
        return found

    # -- interaction ---------------------------------------------------------------------------

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        source_id = item.data(0, _ID_ROLE)
        if source_id is not None and source_id in self.sources:
            self.feed_selected.emit(self.sources[source_id].name)

    def menu_for(self, source_id: int) -> QMenu:
        """The context menu of a feed (built apart from showing it, so tests can use it)."""
        menu = QMenu(self)
        entries: list[tuple[str, SignalInstance | None]] = [
            ("Refresh", None),
            ("Rename…", self.rename_requested),
            ("Move to folder…", self.move_requested),
            ("Properties…", self.properties_requested),
            ("Mark all read", self.mark_read_requested),
            ("Unsubscribe…", self.unsubscribe_requested),
        ]
        for text, signal in entries:
            action = QAction(text, menu)
            if signal is None:
                action.triggered.connect(lambda: self.refresh_requested.emit([source_id]))
            else:
                action.triggered.connect(lambda _=False, s=signal: s.emit(source_id))
            menu.addAction(action)
            if text in ("Refresh", "Properties…"):
                menu.addSeparator()
        return menu

    def _context_menu(self, point: QPoint) -> None:
        item = self.tree.itemAt(point)
        source_id = item.data(0, _ID_ROLE) if item is not None else None
        if source_id is None:
            return
        self.menu_for(int(source_id)).exec(self.tree.viewport().mapToGlobal(point))
