"""A new user's first start: the bundled sample is stored by the worker process, like any
import, and listed as soon as it is stored; a worker that cannot run says so calmly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from tests import worker_stubs
from tests.ui.conftest import FIRST_RUN_WAIT_MS, wait_idle, wait_working


def _open(qtbot: QtBot, library: Library, messages: list[str]) -> MainWindow:
    window = MainWindow(library, Settings(), seed_sample=True)
    qtbot.addWidget(window)
    window.statusBar().messageChanged.connect(messages.append)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_sample_is_stored_by_the_worker_and_listed(
    qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the window's process must not import the sample itself")

    # Only the window's process is patched: the worker process seeds with the real code.
    monkeypatch.setattr(Library, "ensure_sample", not_here)
    messages: list[str] = []
    window = _open(qtbot, library, messages)
    wait_working(qtbot, lambda: window.model.rowCount() == 5, window.indexing.worker, 30_000)
    assert window.background.worker.running
    assert any("Welcome: the sample library (5 articles)" in m for m in messages), messages
    wait_idle(qtbot, window, timeout=FIRST_RUN_WAIT_MS)
    assert window.reader.article is not None  # the newest article is open, ready to read
    assert library.count() == 5
    window.close()


def test_a_second_start_does_not_seed_again(qtbot: QtBot, sample_library: Library) -> None:
    messages: list[str] = []
    window = _open(qtbot, sample_library, messages)
    wait_idle(qtbot, window, timeout=FIRST_RUN_WAIT_MS)
    assert window.model.rowCount() == 5
    assert not any("Welcome" in m for m in messages)
    window.close()


def test_a_worker_that_cannot_run_says_so_without_a_traceback(
    qtbot: QtBot,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("crash", Path(directory)),
    )
    messages: list[str] = []
    window = _open(qtbot, library, messages)
    qtbot.waitUntil(lambda: not window.background.busy, timeout=30_000)
    assert any("the sample library could not be added" in m for m in messages), messages
    assert not any("Traceback" in m for m in messages)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert window.model.rowCount() == 0
    window.close()
