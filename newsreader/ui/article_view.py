"""The article list view, configured once here so that the window stays about wiring."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.snippet_delegate import SnippetDelegate
from newsreader.ui.views import route_letter


class OneLineDelegate(QStyledItemDelegate):
    """Source and date stay on one line: only titles wrap."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class ArticleTable(QTableView):
    """The article list view, configured once here so the window stays about wiring."""

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleList")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        # Titles wrap onto a second line: at the default window size a headline shows whole
        # (or nearly: the second line is elided), not cut after thirty characters.
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMouseTracking(True)
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100k rows to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        #: One line of text with padding; every row is two (a wrapped title, or a search
        #: result's title and snippet), so entering a search never changes the layout.
        self.row_height = self.fontMetrics().height() + 12
        self.two_line_height = self.row_height * 2 - 4
        vertical.setDefaultSectionSize(self.two_line_height)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ArticleTableModel.STAR, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ArticleTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ArticleTableModel.SOURCE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ArticleTableModel.DATE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ArticleTableModel.STAR, 30)
        header.resizeSection(ArticleTableModel.SOURCE, 120)
        header.resizeSection(
            ArticleTableModel.DATE, self.fontMetrics().horizontalAdvance("28 Sep 2026") + 24
        )
        header.setSortIndicator(ArticleTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.setItemDelegateForColumn(ArticleTableModel.TITLE, SnippetDelegate(model, self))
        one_line = OneLineDelegate(self)
        self.setItemDelegateForColumn(ArticleTableModel.SOURCE, one_line)
        self.setItemDelegateForColumn(ArticleTableModel.DATE, one_line)
        # Rows an import adds above the ones on screen push those down by as many pixels:
        # the view scrolls with them, so the articles the reader looks at stay put (at the
        # very top of the list, new articles show up instead, as a reader there expects).
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        self._inserted_above = False
        model.rowsAboutToBeInserted.connect(self._rows_about_to_be_inserted)
        model.rowsInserted.connect(self._rows_inserted)
        model.layoutAboutToBeChanged.connect(self._hold_anchor)
        model.layoutChanged.connect(self._restore_anchor)

    def _rows_about_to_be_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._inserted_above = self.verticalScrollBar().value() > 0 and first <= self.rowAt(0)

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._inserted_above:
            self._inserted_above = False
            self.updateGeometries()  # the scroll range grows before the value moves
            bar = self.verticalScrollBar()
            bar.setValue(
                bar.value() + (last - first + 1) * self.verticalHeader().defaultSectionSize()
            )

    def _hold_anchor(self) -> None:
        top = self.rowAt(0)
        if self.verticalScrollBar().value() <= 0 or top < 0:
            self._anchor = None
            return
        model = self.model()
        self._anchor = (QPersistentModelIndex(model.index(top, 0)), self.rowViewportPosition(top))

    def _restore_anchor(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or not anchor[0].isValid():
            return
        self.updateGeometries()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.rowViewportPosition(anchor[0].row()) - anchor[1])

    def keyboardSearch(self, search: str) -> None:
        """Off: letters are the window's shortcuts (see `newsreader.ui.views`)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if route_letter(self, event):
            event.accept()
            return
        super().keyPressEvent(event)

    def show_snippets(self, on: bool) -> None:
        """Search results put their snippet on the second line (rows stay two lines high)."""
        if self.verticalHeader().defaultSectionSize() != self.two_line_height:
            self.verticalHeader().setDefaultSectionSize(self.two_line_height)
