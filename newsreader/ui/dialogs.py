"""Dialogs: the import report, Markdown export, and the keyboard shortcuts sheet."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.export import EntityStyle
from newsreader.core.ingest.naming import one_line, quote_name
from newsreader.core.models import ImportReport
from newsreader.ui import icons
from newsreader.ui.settings import ENTITY_MARKINGS
from newsreader.ui.views import QuietTree

#: (keys, what they do) in the order the sheet shows them; also the source for menu hints.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("j  /  n", "Next article"),
    ("k  /  p", "Previous article"),
    ("Space", "Scroll the article down a page (next article at the end)"),
    ("Shift+Space", "Scroll the article up a page"),
    ("s", "Star or unstar"),
    ("m", "Mark read or unread"),
    ("Delete", "Delete (Ctrl+Z undoes)"),
    ("Ctrl+F  /  /", "Search"),
    ("Esc", "Clear the search and go back"),
    ("Ctrl+D", "Save the search to the sidebar"),
    ("Ctrl+E", "Export to Markdown"),
    ("Ctrl+Shift+C", "Copy the article as Markdown"),
    ("Ctrl+O", "Import files"),
    ("Ctrl+Shift+O", "Import a folder"),
    ("Ctrl++  /  Ctrl+−", "Larger / smaller text"),
    ("Ctrl+0", "Default text size"),
    ("F1  /  ?", "This sheet"),
)


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts sheet (F1 or ?)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        rows = "".join(
            f"<tr><td align='right' style='padding:3px 14px 3px 0'><b><code>{html.escape(keys)}"
            f"</code></b></td><td style='padding:3px 0'>{html.escape(what)}</td></tr>"
            for keys, what in SHORTCUTS
        )
        self.label = QLabel(f"<table>{rows}</table>", self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ImportReportDialog(QDialog):
    """What an import did, and every file it skipped and why, so nothing vanishes silently."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle("Import report")
        self.resize(640, 380)
        layout = QVBoxLayout(self)
        title = "Import cancelled" if report.cancelled else "Import finished"
        self.summary = QLabel(
            f"<b>{title}</b>: {report.new:,} new, {report.duplicates:,} already in the library, "
            f"{len(report.skipped):,} skipped."
            + (f" {len(report.notes):,} imported with a note below." if report.notes else ""),
            self,
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.skipped = QuietTree(self)
        self.skipped.setObjectName("skippedList")
        self.skipped.setHeaderLabels(["Skipped or changed", "Why"])
        self.skipped.setRootIsDecorated(False)
        self.skipped.setAlternatingRowColors(True)
        for item in report.skipped:
            name, reason = quote_name(item.origin), one_line(item.reason)  # one line each
            row = QTreeWidgetItem(self.skipped, [name, reason])
            row.setToolTip(0, name)
            row.setToolTip(1, reason)
        for note in report.notes:  # imported, but changed: the user should know how
            name, message = quote_name(note.origin), one_line(note.message)
            row = QTreeWidgetItem(self.skipped, [name, message])
            row.setToolTip(0, name)
            row.setToolTip(1, message)
        self.skipped.resizeColumnToContents(0)
        self.skipped.setHidden(not report.skipped and not report.notes)
        layout.addWidget(self.skipped, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class ExportDialog(QDialog):
    """Export to Markdown: where to, and how entity names are marked (remembered).

    One article is written to a `.md` file; several go into a folder, one file each. The
    destination is a plain field with a Browse button, so the dialog works the same with any
    platform file dialog, and keyboard users can type a path.
    """

    def __init__(
        self,
        count: int,
        suggested: Path,
        entities: EntityStyle,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.count = count
        self.setWindowTitle("Export to Markdown")
        self.setWindowIcon(icons.icon("export"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        what = "this article" if count == 1 else f"{count:,} articles (one file each)"
        intro = QLabel(f"Export {what} as Markdown.", self)
        layout.addWidget(intro)

        form = QFormLayout()
        row = QHBoxLayout()
        self.destination = QLineEdit(str(suggested), self)
        self.destination.setObjectName("exportDestination")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row.addWidget(self.destination, 1)
        row.addWidget(browse)
        form.addRow("File:" if count == 1 else "Folder:", row)

        marks = QVBoxLayout()
        self.marking = QButtonGroup(self)
        labels = {
            "none": "None: plain text",
            "bold": "Bold: **Vladimir Putin**",
            "wikilinks": "Wiki links: [[Vladimir Putin]] (Obsidian, Logseq, …)",
        }
        for number, name in enumerate(ENTITY_MARKINGS):
            button = QRadioButton(labels[name], self)
            button.setObjectName(f"marking_{name}")
            button.setChecked(name == entities)
            self.marking.addButton(button, number)
            marks.addWidget(button)
        form.addRow("Entities:", marks)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def entities(self) -> EntityStyle:
        return ENTITY_MARKINGS[max(0, self.marking.checkedId())]

    @property
    def path(self) -> Path:
        return Path(self.destination.text().strip()).expanduser()

    def _browse(self) -> None:
        if self.count == 1:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to Markdown", str(self.path), "Markdown (*.md)"
            )
        else:
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder", str(self.path))
        if chosen:
            self.destination.setText(chosen)
