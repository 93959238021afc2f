"""Sections 4 and 5: import with progress, cancel and a skip report; export and copy as Markdown."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from tests import worker_stubs
from tests.ui.conftest import wait_idle, wait_working
from tests.ui.helpers import click_row, press, row_with


def _article_file(folder: Path, n: int) -> Path:
    path = folder / f"story-{n}.txt"
    path.write_text(
        f"Harbour council approves plan number {n}\n\n"
        f"The harbour council approved plan number {n} on Tuesday after a long debate.\n\n"
        "Residents said the plan would change the waterfront for a generation.\n",
        encoding="utf-8",
    )
    return path


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(300, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_files_imports_them_and_reports_skips(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    good = _article_file(folder, 1)
    binary = folder / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    _drop(window, [good, binary])
    assert window.progress.isVisible()  # progress shows in the status bar at once
    qtbot.waitUntil(lambda: window.report_dialog is not None, timeout=20_000)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 6
    assert any("Harbour council" in t for t in (window.model.row(r).title for r in range(6)))  # type: ignore[union-attr]
    dialog = window.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert "1 new" in dialog.summary.text() and "1 skipped" in dialog.summary.text()
    row = dialog.skipped.topLevelItem(0)
    assert row is not None and row.text(0).endswith("photo.txt") and row.text(1)
    assert not window.progress.isVisible()


def test_import_can_be_cancelled_from_the_status_bar(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1200):
        _article_file(folder, n)
    job = window.start_import([folder])
    assert job is not None
    QTest.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 60_000)
    wait_idle(qtbot, window, timeout=60_000)
    report = window.last_report
    assert report is not None and report.cancelled
    assert 0 <= report.new < 1200
    assert window.library.count() == 5 + report.new  # what was stored stays, nothing else
    assert window.model.rowCount() == 5 + report.new


def test_new_articles_appear_while_an_import_runs(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsreader.ui.background.LIVE_REFRESH_S", 0.05)
    folder = tmp_path / "live"
    folder.mkdir()
    for n in range(700):
        _article_file(folder, n)
    # The import runs in the worker process: a stand-in that reads each file 3 ms slower
    # (storing alone is too quick to catch the list mid-import).
    assert window.background.worker.pid() == 0, "no worker runs yet: the stand-in starts"
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("slow-read", directory),
    )
    window.start_import([folder])
    qtbot.waitUntil(
        lambda: 5 < window.model.rowCount() < 705 and window.import_job is not None, timeout=60_000
    )
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 60_000)
    wait_idle(qtbot, window, timeout=60_000)
    assert window.model.rowCount() == 705


def _export_dialog_for_current(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.export_dialog is not None and window.export_dialog.isVisible()


def test_export_one_article_to_markdown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    click_row(window, row_with(window, "Kenyan"))
    _export_dialog_for_current(qtbot, window)
    dialog = window.export_dialog
    assert dialog is not None
    assert dialog.destination.text().endswith(".md")
    target = tmp_path / "kenya.md"
    dialog.destination.setText(str(target))
    bold = dialog.marking.button(1)
    # Click the radio's indicator, where a user clicks (the widget is wider than its label).
    QTest.mouseClick(bold, Qt.MouseButton.LeftButton, pos=QPoint(6, bold.height() // 2))
    assert bold.isChecked()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    QTest.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists)
    wait_idle(qtbot, window)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    html = markdown.markdown(text.split("---\n", 2)[2])
    assert "Kenyan policeman" in html
    assert Settings().export_entities == "bold"  # the choice is remembered
    _export_dialog_for_current(qtbot, window)
    assert window.export_dialog is not None and window.export_dialog.entities == "bold"
    window.export_dialog.reject()


def test_export_a_selection_to_a_folder(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.table.selectAll()
    _export_dialog_for_current(qtbot, window)
    dialog = window.export_dialog
    assert dialog is not None
    folder = tmp_path / "out"
    dialog.destination.setText(str(folder))
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: folder.is_dir() and len(list(folder.glob("*.md"))) == 5)
    wait_idle(qtbot, window)
    assert "Exported 5 articles" in window.statusBar().currentMessage()


def test_export_never_overwrites(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "taken.md"
    target.write_text("mine", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(
        "newsreader.ui.main_window.QMessageBox.warning",
        lambda parent, title, text: warnings.append(text),
    )
    _export_dialog_for_current(qtbot, window)
    dialog = window.export_dialog
    assert dialog is not None
    dialog.destination.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(warnings))
    assert target.read_text(encoding="utf-8") == "mine"
    assert "Nothing was overwritten" in warnings[0]


def test_copy_as_markdown(qtbot: QtBot, window: MainWindow) -> None:
    click_row(window, row_with(window, "Vance"))
    press(
        qtbot,
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    text = QGuiApplication.clipboard().text()
    assert text.startswith("---\n") and "Vance" in text


def test_file_menu_imports_files_and_folders(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _article_file(tmp_path, 1)
    folder = tmp_path / "folder"
    folder.mkdir()
    _article_file(folder, 2)
    monkeypatch.setattr(
        "newsreader.ui.main_window.QFileDialog.getOpenFileNames",
        lambda *args, **kwargs: ([str(one)], ""),
    )
    monkeypatch.setattr(
        "newsreader.ui.main_window.QFileDialog.getExistingDirectory",
        lambda *args, **kwargs: str(folder),
    )
    press(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.import_job is None and window.model.rowCount() == 6)
    window.commands["import_folder"].trigger()
    qtbot.waitUntil(lambda: window.import_job is None and window.model.rowCount() == 7)
    wait_idle(qtbot, window)
    assert Settings().import_folder == str(folder)
