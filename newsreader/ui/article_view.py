"""The article list view, configured once here so that the window stays about wiring."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.snippet_delegate import SnippetDelegate
from newsreader.ui.views import route_letter


class ArticleTable(QTableView):
    """The article list view, configured once here so the window stays about wiring."""

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleList")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
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
        self.row_height = self.fontMetrics().height() + 12
        vertical.setDefaultSectionSize(self.row_height)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ArticleTableModel.STAR, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ArticleTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ArticleTableModel.SOURCE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ArticleTableModel.DATE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ArticleTableModel.STAR, 30)
        header.resizeSection(ArticleTableModel.SOURCE, 130)
        header.resizeSection(ArticleTableModel.DATE, 96)
        header.setSortIndicator(ArticleTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.setItemDelegateForColumn(ArticleTableModel.TITLE, SnippetDelegate(model, self))

    def keyboardSearch(self, search: str) -> None:
        """Off: letters are the window's shortcuts (see `newsreader.ui.views`)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if route_letter(self, event):
            event.accept()
            return
        super().keyPressEvent(event)

    def show_snippets(self, on: bool) -> None:
        """Two-line rows (title and snippet) for search results, one line otherwise."""
        height = self.row_height * 2 - 4 if on else self.row_height
        if self.verticalHeader().defaultSectionSize() != height:
            self.verticalHeader().setDefaultSectionSize(height)
