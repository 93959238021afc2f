"""The window's import report shows each skipped name on one line, quoted like the CLI's."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from newsreader.core.models import ImportReport, Notice, Skipped
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


def test_report_dialog_lists_notes_after_the_skips(qtbot: QtBot) -> None:
    report = ImportReport(
        new=3,
        skipped=[Skipped("/in/a.bin", "binary file")],
        notes=[Notice("/in/report.txt", "too long to show and search in one piece: stored as 3")],
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    assert "1 imported with a note below" in dialog.summary.text()
    row = dialog.skipped.topLevelItem(1)
    assert row is not None
    assert (row.text(0), row.text(1)) == (
        "/in/report.txt",
        "too long to show and search in one piece: stored as 3",
    )
