"""Progress of the running background job, with a cancel button, for the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from newsreader.core.progress import ProgressEvent
from newsreader.ui import icons


class StatusProgress(QWidget):
    """Progress and a cancel button for the running background job, in the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("jobProgress")
        self.bar.setMaximumWidth(180)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setObjectName("cancelJob")
        self.cancel.setIcon(icons.icon("cancel"))
        self.cancel.setToolTip("Cancel: what is already stored stays")
        self.cancel.setAutoRaise(True)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def update_event(self, event: ProgressEvent) -> None:
        names = {"import": "Importing", "index": "Indexing", "entities": "Recognising entities"}
        stage = names.get(event.stage, event.stage.title())
        # What is counted: an import's progress counts files (one may hold thousands of
        # articles), recognition and indexing count articles.
        unit = "files" if event.stage == "import" else "articles"
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(min(event.done, event.total))
            noun = unit[:-1] if event.total == 1 else unit
            self.label.setText(f"{stage}: {event.done:,} of {event.total:,} {noun}")
        else:
            self.bar.setRange(0, 0)
            self.label.setText(f"{stage}…")
        self.label.setToolTip(event.message)
        self.show()
