"""The search field, its syntax help, and the line that says what a search found.

Typing searches as you go: each keystroke restarts a short timer (200 ms) and only when it fires
is a query sent, so a fast typist sends one query, not ten. The window runs it off the UI thread
and discards stale results.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.models import SearchResults
from newsreader.ui import icons

DEBOUNCE_MS = 200

SYNTAX_HELP = """
<h3 style="margin-top:0">Search syntax</h3>
<table cellspacing="0" cellpadding="3">
<tr><td><code>kursk offensive</code></td>
<td>both words (stemmed: <i>offensives</i> matches)</td></tr>
<tr><td><code>"gas pipeline"</code></td><td>the exact phrase</td></tr>
<tr><td><code>kursk OR belgorod</code></td><td>either word</td></tr>
<tr><td><code>fire NOT pipeline</code>, <code>-pipeline</code></td><td>leave a word out</td></tr>
<tr><td><code>ukrain*</code></td><td>words starting with <i>ukrain</i></td></tr>
<tr><td><code>title:greenland</code></td><td>only in the title (also <code>kicker:</code>,
<code>body:</code>, <code>source:</code>)</td></tr>
<tr><td><code>person:putin</code></td><td>articles naming a person (also <code>org:</code>,
<code>place:</code>, <code>entity:</code>)</td></tr>
<tr><td><code>published:2024</code></td><td>a year, a month (<code>published:2024-08</code>),
a range <code>published:[2024-01 to 2024-06]</code>, or after a day
<code>published:&gt;2024-08-01</code></td></tr>
</table>
<p>A query that cannot be read is searched as plain words, and says so.
<b>Esc</b> clears the search and returns to where you were.</p>
"""


class SyntaxHelp(QFrame):
    """A popup with the query syntax, shown from the search field's ? button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("syntaxHelp")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.label = QLabel(SYNTAX_HELP, self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(460)
        layout.addWidget(self.label)


class SearchField(QLineEdit):
    """A line edit that reports Esc (clear and go back) and Down (into the results)."""

    escape_pressed = Signal()
    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """Search field with syntax help and save buttons; emits debounced `query_changed`."""

    query_changed = Signal(str)
    escape_pressed = Signal()
    down_pressed = Signal()
    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.field = SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search  (Ctrl+F or /)   e.g.  person:putin kursk")
        self.field.setClearButtonEnabled(True)
        self.field.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.field.setMinimumWidth(280)
        layout.addWidget(self.field, 1)

        self.help_button = QToolButton(self)
        self.help_button.setObjectName("searchHelpButton")
        self.help_button.setIcon(icons.icon("help"))
        self.help_button.setToolTip("Search syntax: fields, phrases, AND / OR / NOT, person:")
        self.help_button.setAutoRaise(True)
        self.help_button.clicked.connect(self.show_help)
        layout.addWidget(self.help_button)

        self.save_button = QToolButton(self)
        self.save_button.setObjectName("saveSearchButton")
        self.save_button.setIcon(icons.icon("saved-search"))
        self.save_button.setToolTip("Save this search to the sidebar (Ctrl+D)")
        self.save_button.setAutoRaise(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.query))
        layout.addWidget(self.save_button)

        self.help_popup = SyntaxHelp(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.query))
        self.field.textChanged.connect(self._on_text)
        self.field.escape_pressed.connect(self.escape_pressed)
        self.field.down_pressed.connect(self.down_pressed)

    @property
    def query(self) -> str:
        return self.field.text().strip()

    def _on_text(self, _text: str) -> None:
        self.save_button.setEnabled(bool(self.query))
        self._timer.start()

    def set_query(self, text: str, *, immediate: bool = True) -> None:
        """Put a query in the field (a saved search, a did-you-mean) and run it at once."""
        self.field.blockSignals(True)
        self.field.setText(text)
        self.field.blockSignals(False)
        self.save_button.setEnabled(bool(text.strip()))
        self._timer.stop()
        if immediate:
            self.query_changed.emit(self.query)

    def clear(self) -> None:
        self.set_query("", immediate=False)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_help(self) -> None:
        self.help_popup.adjustSize()
        below = self.help_button.mapToGlobal(self.help_button.rect().bottomRight())
        self.help_popup.move(below.x() - self.help_popup.width(), below.y() + 4)
        self.help_popup.show()


class SearchInfo(QLabel):
    """The line above the results: count, a clickable "did you mean", the fallback notice."""

    suggestion_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchInfo")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setContentsMargins(8, 4, 8, 4)
        self.linkActivated.connect(self._on_link)
        self._suggestion: str | None = None
        self.hide()

    @property
    def suggestion(self) -> str | None:
        return self._suggestion

    def show_results(self, results: SearchResults, shown: int) -> None:
        count = results.total
        parts = [
            f"<b>{count:,}</b> result{'s' if count != 1 else ''} for "
            f"<b>{html.escape(results.query)}</b>"
        ]
        if shown < count:
            parts[0] += f" (best {shown:,} listed)"
        self._suggestion = results.suggestion
        if results.suggestion:
            parts.append(
                f"Did you mean <a href='suggest'><b>{html.escape(results.suggestion)}</b></a>?"
            )
        if results.notice:
            parts.append(f"<i>{html.escape(results.notice)}</i>")
        self.setText(" · ".join(parts))
        self.show()

    def show_message(self, message: str) -> None:
        self._suggestion = None
        self.setText(f"<i>{html.escape(message)}</i>")
        self.show()

    def clear_info(self) -> None:
        self._suggestion = None
        self.setText("")
        self.hide()

    def _on_link(self, _link: str) -> None:
        if self._suggestion:
            self.suggestion_clicked.emit(self._suggestion)
