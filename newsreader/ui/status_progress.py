"""Progress of background work for the status bar: the running job (with a cancel button),
and the search index catching up with the library (`IndexProgress`)."""

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
        if event.stage == "wait":  # another process holds the lane: say so, keep waiting
            self.bar.setRange(0, 0)
            self.label.setText(event.message[:1].upper() + event.message[1:])
        elif event.stage == "stored":  # articles committed (and listed); the bar counts files
            self.label.setText(f"Importing: {event.done:,} articles stored")
        elif event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(min(event.done, event.total))
            noun = unit[:-1] if event.total == 1 else unit
            self.label.setText(f"{stage}: {event.done:,} of {event.total:,} {noun}")
        else:
            self.bar.setRange(0, 0)
            self.label.setText(f"{stage}…")
        self.label.setToolTip(event.message)
        self.show()


class IndexProgress(QLabel):
    """ "Indexing 1,200 of 5,000 for search", while the index follows the library.

    Separate from `StatusProgress` because it runs beside an import or recognition (the
    articles are listed already; this says when they can be found), and has nothing to
    cancel: it stops with the window, and the next start resumes it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexProgress")
        self.setContentsMargins(0, 0, 12, 0)  # apart from the article counts beside it
        self.setToolTip(
            "Articles are listed as soon as they are stored; searches find them once indexed."
        )
        self.hide()

    def update_event(self, event: ProgressEvent | None) -> None:
        """Show a drain's progress; None (the drain ended) hides it."""
        if event is None:
            self.hide()
            return
        if event.stage == "wait":
            self.setText(event.message[:1].upper() + event.message[1:])
        elif event.stage == "index" and event.total:
            self.setText(f"Indexing {min(event.done, event.total):,} of {event.total:,} for search")
        else:
            return
        self.show()
