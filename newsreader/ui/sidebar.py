"""The sidebar: the views a reader switches between (All, Unread, Starred, each source, saved
searches, and the entities that recur across the library, by type, with article counts).

It only displays a `SidebarData` snapshot gathered off the UI thread (`SidebarController`),
and reports which view the user picked; it never queries the library itself. Each entity type
lists its most mentioned entities, by article count; when there are more, a "more…" row asks
for the next page (`more_requested`), and the filter field searches all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QPainter, QPalette
from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, Entity
from newsreader.core.saved_searches import SavedSearch
from newsreader.ui import icons
from newsreader.ui import palette as colours
from newsreader.ui.article_model import short_source
from newsreader.ui.views import QuietTree, configure_side_tree

ViewKind = Literal["all", "unread", "starred", "source", "saved", "entity"]

#: Entities listed per type at first, and how many more each "more…" click adds.
TOP_ENTITIES = 15
#: The entity types the sidebar lists: the core's types, less those hidden by default.
VISIBLE_ENTITY_TYPES: tuple[str, ...] = tuple(
    t for t in ENTITY_TYPES if t not in HIDDEN_ENTITY_TYPES
)

_VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
_MORE_ROLE = Qt.ItemDataRole.UserRole + 2
#: Marks a column drawn in the palette's muted colour, re-applied when the palette changes.
_MUTED_ROLE = Qt.ItemDataRole.UserRole + 3
#: A row's article count, painted at its right edge by `CountDelegate`. One column only:
#: QTreeWidget's model gives column 1 the children of column 0, which item-model checks reject.
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4


def count_text(item: QTreeWidgetItem | None) -> str:
    """The count a sidebar row shows ("" for none)."""
    value = item.data(0, COUNT_ROLE) if item is not None else None
    return value if isinstance(value, str) else ""


class CountDelegate(QStyledItemDelegate):
    """Paints a row's name and, right-aligned in the muted colour, its count."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), option.fontMetrics.height() + 3))
        return size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        count = index.data(COUNT_ROLE)
        if not isinstance(count, str) or not count:
            super().paint(painter, option, index)
            return
        width = option.fontMetrics.horizontalAdvance(count) + 10
        name = QStyleOptionViewItem(option)
        name.rect = option.rect.adjusted(0, 0, -width, 0)
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the row's background (selection) under the count too
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        super().paint(painter, name, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        painter.save()
        painter.setPen(option.palette.color(role))
        painter.drawText(
            option.rect.adjusted(0, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            count,
        )
        painter.restore()


@dataclass(frozen=True, slots=True)
class View:
    """What the article list shows: a fixed view, a source, a saved query or an entity."""

    kind: ViewKind
    value: str = ""
    label: str = ""
    entity_id: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}:{self.entity_id}"


ALL = View("all", label="All articles")


@dataclass(slots=True)
class SidebarData:
    """A snapshot of everything the sidebar shows, gathered in one background job."""

    total: int = 0
    unread: int = 0
    starred: int = 0
    sources: list[tuple[str, int]] = field(default_factory=list)
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    entities_pending: int = 0
    #: Entity types with more entities than listed (a "more…" row follows them).
    more: set[str] = field(default_factory=set)
    saved: list[SavedSearch] = field(default_factory=list)


class Sidebar(QWidget):
    """See the module docstring. `view_selected` fires when the user picks a view."""

    view_selected = Signal(object)  # View
    entity_filter_changed = Signal(str)
    remove_saved_search = Signal(str)  # its name
    more_requested = Signal(str)  # an entity type

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.tree = QuietTree(self)
        self.tree.setObjectName("sidebarTree")
        self.tree.setColumnCount(1)
        self.tree.setItemDelegate(CountDelegate(self.tree))
        self.tree.setRootIsDecorated(True)
        configure_side_tree(self.tree, self._context_menu)
        self.tree.header().setStretchLastSection(True)
        self.tree.currentItemChanged.connect(self._on_current)
        layout.addWidget(self.tree, 1)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("entityFilter")
        self.filter.setPlaceholderText("Filter entities…")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(icons.icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(
            lambda: self.entity_filter_changed.emit(self.filter.text().strip())
        )
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        layout.addWidget(self.filter)

        self._library = self._section("Library")
        self._all = self._add(self._library, ALL, "all")
        self._unread = self._add(self._library, View("unread", label="Unread"), "unread")
        self._starred = self._add(self._library, View("starred", label="Starred"), "star")
        self._sources = self._section("Sources")
        self._saved = self._section("Saved searches")
        self._entities = self._section("Entities")
        self._type_items: dict[str, QTreeWidgetItem] = {}
        for entity_type in VISIBLE_ENTITY_TYPES:
            item = QTreeWidgetItem(self._entities, [colours.TYPE_PLURALS[entity_type]])
            item.setIcon(0, icons.icon(entity_type, colours.type_accent(entity_type)))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setHidden(True)
            self._type_items[entity_type] = item
        self._entities_note = QTreeWidgetItem(self._entities, ["No entities yet"])
        self._entities_note.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self._style_note(self._entities_note)
        self.tree.expandAll()
        self.tree.setCurrentItem(self._all)

    # -- building ------------------------------------------------------------------------------

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title.upper()])
        font = item.font(0)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.82)
        font.setLetterSpacing(font.SpacingType.PercentageSpacing, 106)
        item.setFont(0, font)
        self._mute(item, 0)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setFirstColumnSpanned(False)
        return item

    def _add(
        self, parent: QTreeWidgetItem, view: View, icon_name: str, count: int | None = None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [view.label])
        item.setIcon(0, icons.icon(icon_name))
        item.setData(0, _VIEW_ROLE, view)
        item.setToolTip(0, view.label)
        self._set_count(item, "" if count is None else f"{count:,}")
        return item

    @staticmethod
    def _set_count(item: QTreeWidgetItem, text: str) -> None:
        item.setData(0, COUNT_ROLE, text)

    def _style_note(self, item: QTreeWidgetItem) -> None:
        font = item.font(0)
        font.setItalic(True)
        item.setFont(0, font)
        self._mute(item, 0)

    def _mute(self, item: QTreeWidgetItem, column: int) -> None:
        item.setForeground(column, self.palette().color(QPalette.ColorRole.PlaceholderText))
        item.setData(column, _MUTED_ROLE, True)

    def changeEvent(self, event: QEvent) -> None:
        """View → Theme or a new system palette: muted text follows the new palette."""
        if event.type() == QEvent.Type.PaletteChange:
            muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
            stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
            while stack:
                item = stack.pop()
                if item is None:
                    continue
                if item.data(0, _MUTED_ROLE):
                    item.setForeground(0, muted)
                stack.extend(item.child(i) for i in range(item.childCount()))
        super().changeEvent(event)

    def populate(self, data: SidebarData, current: View | None = None) -> None:
        """Show a fresh snapshot with `current` (what the list shows) selected if listed.

        A view the snapshot does not list (an entity filtered out, a search) leaves nothing
        selected: the sidebar never claims the list shows something it does not.
        """
        if current is None:
            current = self.current_view()
        self.tree.blockSignals(True)
        try:
            self._set_count(self._all, f"{data.total:,}")
            self._set_count(self._unread, f"{data.unread:,}" if data.unread else "")
            self._set_count(self._starred, f"{data.starred:,}" if data.starred else "")
            self._sources.takeChildren()
            for name, count in data.sources:
                label = short_source(name) if name else "(no source)"
                item = self._add(self._sources, View("source", name, label), "source", count)
                item.setToolTip(0, name or label)
            self._fill_saved(data.saved)
            self._fill_entities(data)
            self.tree.expandItem(self._sources)
            self.tree.expandItem(self._saved)
            self.tree.expandItem(self._entities)
            target = self._find(current) if current else self._all
            if target is None:
                self.tree.setCurrentIndex(QModelIndex())
                self.tree.clearSelection()
            else:
                self.tree.setCurrentItem(target)
        finally:
            self.tree.blockSignals(False)
        if current is not None and current.kind == "source" and self._find(current) is None:
            # The source's last article was deleted: show everything rather than nothing.
            # (An entity filtered out of the sidebar keeps its list: filtering is not choosing.)
            self.view_selected.emit(ALL)

    def _fill_saved(self, saved: list[SavedSearch]) -> None:
        self._saved.takeChildren()
        for search in saved:
            item = self._add(self._saved, View("saved", search.query, search.name), "saved-search")
            item.setToolTip(0, f"{search.name}: {search.query}")
        if not saved:
            note = QTreeWidgetItem(self._saved, ["Ctrl+D saves a search"])
            note.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._style_note(note)

    def set_saved(self, saved: list[SavedSearch]) -> None:
        self.tree.blockSignals(True)
        try:
            current = self.current_view()
            self._fill_saved(saved)
            self.tree.expandItem(self._saved)
            if current is not None:
                self.tree.setCurrentItem(self._find(current) or self._all)
        finally:
            self.tree.blockSignals(False)

    def _fill_entities(self, data: SidebarData) -> None:
        any_shown = False
        for entity_type, type_item in self._type_items.items():
            type_item.takeChildren()
            found = data.entities.get(entity_type, [])
            for entity in found:
                view = View("entity", entity.name, entity.name, entity.id)
                child = self._add(type_item, view, entity_type, entity.article_count)
                child.setIcon(0, icons.icon(entity_type, colours.type_accent(entity_type)))
                child.setToolTip(
                    0,
                    f"{colours.TYPE_LABELS[entity_type]}: {entity.name} — "
                    f"{entity.article_count} article{'s' if entity.article_count != 1 else ''}",
                )
            if entity_type in data.more:
                more = QTreeWidgetItem(type_item, ["more…"])
                more.setData(0, _MORE_ROLE, entity_type)
                more.setToolTip(
                    0, f"List more {colours.TYPE_PLURALS[entity_type].lower()} (by article count)"
                )
                self._style_note(more)
            type_item.setHidden(not found)
            any_shown = any_shown or bool(found)
        if any_shown:
            self._entities_note.setHidden(True)
        else:
            self._entities_note.setHidden(False)
            if self.filter.text().strip():
                self._entities_note.setText(0, "No entity matches the filter")
            elif data.entities_pending:
                self._entities_note.setText(0, f"Recognising… {data.entities_pending:,} to go")
            else:
                self._entities_note.setText(0, "No entities yet")
        for type_item in self._type_items.values():
            self.tree.expandItem(type_item)

    # -- selection -----------------------------------------------------------------------------

    def _find(self, view: View) -> QTreeWidgetItem | None:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            found = item.data(0, _VIEW_ROLE)
            if isinstance(found, View) and found.key == view.key:
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def item_for(self, view: View) -> QTreeWidgetItem | None:
        return self._find(view)

    def current_view(self) -> View | None:
        item = self.tree.currentItem()
        view = item.data(0, _VIEW_ROLE) if item is not None else None
        return view if isinstance(view, View) else None

    def select(self, view: View, *, notify: bool = True) -> None:
        """Select a view's item (if listed); `notify=False` changes only the highlight."""
        item = self._find(view)
        self.tree.blockSignals(not notify)
        try:
            if item is None:
                self.tree.setCurrentIndex(QModelIndex())
                self.tree.clearSelection()
            else:
                self.tree.setCurrentItem(item)
        finally:
            self.tree.blockSignals(False)

    def _on_current(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            return
        more = current.data(0, _MORE_ROLE)
        if isinstance(more, str):
            # Asking for more is not choosing a view: the highlight stays where it was.
            self.tree.blockSignals(True)
            try:
                if previous is not None:
                    self.tree.setCurrentItem(previous)
                else:
                    self.tree.setCurrentIndex(QModelIndex())
            finally:
                self.tree.blockSignals(False)
            self.more_requested.emit(more)
            return
        view = current.data(0, _VIEW_ROLE)
        if isinstance(view, View):
            self.view_selected.emit(view)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        view = item.data(0, _VIEW_ROLE) if item is not None else None
        if not isinstance(view, View) or view.kind != "saved":
            return
        menu = QMenu(self)
        remove = QAction(icons.icon("delete"), f"Remove saved search “{view.label}”", menu)
        remove.triggered.connect(lambda: self.remove_saved_search.emit(view.label))
        menu.addAction(remove)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
