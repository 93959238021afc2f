"""The window's imports run in the worker process (`newsreader.core.worker`), so that parsing
files never competes with the UI thread: the articles are listed as they are committed, the
report and its dialog are the same as for an import in-process, cancel keeps what is stored,
and a worker that dies mid-import is reported in plain words, never as a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core import ingest
from newsreader.core.models import Article, Notice, Skipped
from newsreader.ui.main_window import MainWindow
from tests import worker_stubs
from tests.ui.conftest import wait_idle, wait_working
from tests.ui.helpers import story_files


def _stub(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command(mode, directory),
    )


@pytest.fixture
def nothing_parsed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a file in the window's own process fails the test: the worker must do it."""

    def forbidden(path: Path, source: str) -> list[Article | Skipped | Notice]:
        raise AssertionError(f"the window's process read {path}")

    monkeypatch.setattr(ingest, "read_file", forbidden)


@pytest.mark.usefixtures("nothing_parsed_here")
def test_the_worker_imports_for_the_window_and_the_report_is_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(monkeypatch, "no-model")
    folder = story_files(tmp_path / "in", 3)
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 8)
    said: list[str] = []
    window.background.message.connect(lambda text, _ms: said.append(text))
    window.start_import([folder])
    assert window.progress.isVisible()
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 30_000)
    assert window.background.worker.pid() > 0
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 8
    report = window.last_report
    assert report is not None and report.summary() == "3 new, 0 duplicates, 1 skipped"
    assert "Import: 3 new, 0 duplicates, 1 skipped" in said
    dialog = window.report_dialog
    assert dialog is not None and dialog.isVisible()
    row = dialog.skipped.topLevelItem(0)
    assert row is not None and row.text(0).endswith("photo.txt")
    assert row.text(1) == report.skipped[0].reason == "binary file"
    assert window.library.search("harbour").total == 3, "and the worker indexed them"


def test_a_worker_that_dies_mid_import_is_reported_and_keeps_what_it_stored(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _stub(monkeypatch, "crash-import")
    folder = story_files(tmp_path / "in", 1000)
    window.start_import([folder])
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 60_000)
    message = window.statusBar().currentMessage()
    assert "The import stopped unexpectedly" in message
    assert "crashing mid-import on purpose" in message
    assert "import the same files again" in message and "Traceback" not in message
    wait_idle(qtbot, window, timeout=60_000)
    stored = window.library.count() - 5
    assert 0 < stored < 1000, "the batches committed before the crash stay"
    qtbot.waitUntil(lambda: window.model.rowCount() == 5 + stored, timeout=10_000)
    assert window.library.index_pending() == 0, "the restarted worker indexed them"
    assert window.library.search("harbour").total == stored
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # As the message says: importing again adds the rest, the stored ones are duplicates.
    window.start_import([folder])
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 60_000)
    wait_idle(qtbot, window, timeout=60_000)
    report = window.last_report
    assert report is not None and (report.new, report.duplicates) == (1000 - stored, stored)
    assert window.model.rowCount() == 1005
