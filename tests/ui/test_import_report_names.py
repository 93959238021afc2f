"""The window's import report shows each skipped name on one line, quoted like the CLI's."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from newsreader.core.models import ImportReport, Skipped
from newsreader.ui.dialogs import ImportReportDialog


def test_report_dialog_quotes_a_name_with_a_newline(qtbot: QtBot) -> None:
    report = ImportReport(
        skipped=[
            Skipped("/in/evil.bin\nskipped /etc/passwd", "binary file"),
            Skipped("/in/..%2F..%2Fetc.txt", "hidden file (its name starts with a dot), not read"),
        ]
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    rows = [dialog.skipped.topLevelItem(i) for i in range(dialog.skipped.topLevelItemCount())]
    assert [(row.text(0), row.text(1)) for row in rows if row is not None] == [
        ('"/in/evil.bin\\nskipped /etc/passwd"', "binary file"),
        ("/in/..%2F..%2Fetc.txt", "hidden file (its name starts with a dot), not read"),
    ]
