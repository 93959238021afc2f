"""The Add feed dialog: an address (a feed, or a web page that names feeds) and a folder.

Subscribing fetches the address, which can take seconds: the fetch runs as a background job
and the dialog stays responsive (Cancel works, the window repaints). A page that names several
feeds offers them as a list to choose from; an address that is not a feed says why, inline,
and nothing is subscribed to.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.feeds.service import AddedFeed
from newsreader.core.feeds.subscribe import FeedChoice, FeedError
from newsreader.core.library import Library
from newsreader.core.sources import SourceError
from newsreader.ui.jobs import JobRunner

_URL_ROLE = Qt.ItemDataRole.UserRole + 12


class AddFeedDialog(QDialog):
    """See the module docstring. `added` fires with the `AddedFeed` once subscribed."""

    added = Signal(object)  # AddedFeed

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        folders: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add feed")
        self.setObjectName("addFeedDialog")
        self.library = library
        self.jobs = jobs
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.org/feed.xml or the site's address")
        self.url.textChanged.connect(self._update_buttons)
        form.addRow("&Address:", self.url)
        self.folder = QComboBox(self)
        self.folder.setEditable(True)
        self.folder.addItems(["", *folders])
        self.folder.setToolTip("A folder in the sidebar (a/b nests); empty for none")
        form.addRow("&Folder:", self.folder)
        layout.addLayout(form)
        self.choices = QListWidget(self)
        self.choices.setVisible(False)
        self.choices.itemDoubleClicked.connect(lambda _item: self.subscribe())
        layout.addWidget(self.choices)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("addFeedMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Subscribe")
        self.buttons.accepted.connect(self.subscribe)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 200)
        self._busy = False
        self._update_buttons()

    def _update_buttons(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.url.text().strip()) and not self._busy)

    def subscribe(self) -> None:
        """Fetch and subscribe in the background; the result arrives in `_finished`."""
        if self._busy or not self.url.text().strip():
            return
        chosen = self.choices.currentItem() if self.choices.isVisible() else None
        url = chosen.data(_URL_ROLE) if chosen is not None else self.url.text().strip()
        folder = self.folder.currentText().strip()
        library = self.library

        def run(progress: Any, cancel: Any) -> AddedFeed | Exception:
            try:
                return library.add_feed(url, folder=folder)
            except (FeedError, SourceError) as exc:
                return exc  # an answer to show, not a failure of the job

        self._busy = True
        self._update_buttons()
        self.message.setText(f"Fetching {url}…")
        self.jobs.start("add-feed", run, on_result=self._finished, on_error=self._failed)

    def _finished(self, result: AddedFeed | Exception) -> None:
        self._busy = False
        self._update_buttons()
        if isinstance(result, FeedChoice):
            self.message.setText(f"{result} below, then Subscribe.")
            self.choices.clear()
            for url, title in result.links:
                item = QListWidgetItem(f"{title}  —  {url}" if title else url)
                item.setData(_URL_ROLE, url)
                self.choices.addItem(item)
            self.choices.setCurrentRow(0)
            self.choices.setVisible(True)
            return
        if isinstance(result, Exception):
            self.message.setText(str(result))
            return
        self.added.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy = False
        self._update_buttons()
        self.message.setText(message)
