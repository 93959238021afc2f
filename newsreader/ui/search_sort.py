"""The search results' order: best match first, or newest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

#: (label, the core's sort name), in menu order.
CHOICES: tuple[tuple[str, str], ...] = (("Best match", "relevance"), ("Newest first", "date"))


class SearchSortBox(QComboBox):
    """Chooses how search results are ordered; the same matches either way."""

    sort_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchSort")
        for label, value in CHOICES:
            self.addItem(label, value)
        self.setToolTip("Order search results by best match or by date, newest first")
        self.setAccessibleName("Order search results")
        self.currentIndexChanged.connect(lambda _: self.sort_changed.emit(self.sort))

    @property
    def sort(self) -> str:
        return str(self.currentData())

    def set_sort(self, value: str) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)
