"""The window's long work runs in a worker process: imports are listed at once and become
searchable as the worker drains the outbox; closing the window mid-way loses nothing; a worker
that dies is restarted, or reported in the status bar, never shown as a traceback."""

from __future__ import annotations

import json
import logging
import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import ProgressEvent
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from tests import worker_stubs
from tests.ui.conftest import open_window, wait_idle, wait_working


def _articles(count: int, word: str = "lighthouse") -> list[Article]:
    return [
        Article(title=f"{word.title()} keeper {n}", paragraphs=(f"The {word} at cape {n}.",))
        for n in range(count)
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real worker without spaCy's model: recognition fails at once (keeps tests fast)."""
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("no-model", directory),
    )


@pytest.mark.usefixtures("no_model")
def test_an_import_is_listed_at_once_and_the_worker_makes_it_searchable(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dataset = tmp_path / "harbours.jsonl"
    lines = [
        json.dumps({"title": f"Harbour master {n}", "body": f"The harbour of port {n} reopened."})
        for n in range(600)
    ]
    dataset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown: list[str] = []
    window.indexing.progress.connect(
        lambda event: shown.append(window.index_progress.text()) if event else None
    )
    assert window.indexing.worker.pid() == 0, "an up-to-date library starts no worker"
    window.start_import([dataset])
    wait_working(qtbot, lambda: window.import_job is None, window.indexing.worker, 30_000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 605, timeout=10_000)
    wait_idle(qtbot, window, timeout=60_000)
    assert window.indexing.worker.pid() > 0, "the worker process did the indexing"
    assert window.library.index_pending() == 0
    assert window.library.search("harbour").total == 600
    assert any(text.startswith("Indexing ") and text.endswith(" for search") for text in shown)
    assert window.index_progress.isHidden(), "the progress goes once everything is searchable"


@pytest.mark.usefixtures("no_model")
def test_a_search_shown_during_indexing_is_run_again_when_the_worker_caught_up(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.search_bar.set_query("lighthouse", immediate=True)
    wait_idle(qtbot, window)
    assert window.search_results is not None and window.search_results.total == 0
    window.library.import_items(_articles(30), index=False)  # as `newsreader import` would
    window.indexing.kick()
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: window.search_results is not None and window.search_results.total == 30,
        timeout=10_000,
    )


def test_closing_the_window_while_indexing_leaves_the_rest_to_the_next_open(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with Library.open(tmp_path / "lib") as library:
        library.import_items(_articles(3000), index=False)
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        window = MainWindow(library, Settings(), seed_sample=False)
        qtbot.addWidget(window)
        with qtbot.waitSignal(
            window.indexing.progress,
            check_params_cb=lambda event: isinstance(event, ProgressEvent),
            timeout=30_000,
        ):
            window.show()
        pid = window.indexing.worker.pid()
        assert pid > 0
        window.close()
        assert not _alive(pid), "closing the window stops its worker"
        left = library.index_pending()
        assert 0 < left < 3000, "the worker stopped between batches, keeping what it committed"
    finally:
        library.close()
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        window = open_window(qtbot, library)
        wait_idle(qtbot, window, timeout=60_000)
        assert library.index_pending() == 0
        assert library.search("lighthouse").total == 3000
        window.close()
    finally:
        library.close()


def test_a_worker_killed_mid_way_is_restarted_and_finishes(qtbot: QtBot, tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as library:
        library.import_items(_articles(2000), index=False)
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        window = MainWindow(library, Settings(), seed_sample=False)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.indexing.worker.pid() > 0, timeout=30_000)
        first = window.indexing.worker.pid()
        os.kill(first, signal.SIGKILL)
        qtbot.waitUntil(lambda: "restarted" in window.statusBar().currentMessage(), timeout=30_000)
        wait_idle(qtbot, window, timeout=60_000)
        assert window.indexing.worker.pid() not in (0, first)
        assert library.index_pending() == 0
        assert library.search("lighthouse").total == 2000
        window.close()
    finally:
        library.close()


def test_a_worker_that_keeps_dying_is_reported_in_the_status_bar(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("crash", directory),
    )
    with Library.open(tmp_path / "lib") as library:
        library.import_items(_articles(20), index=False)
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        window = open_window(qtbot, library)
        message = window.statusBar().currentMessage()
        assert "Background indexing stopped unexpectedly" in message
        assert "next time it opens" in message
        assert not window.indexing.running() and window.index_progress.isHidden()
        assert library.count() == 20, "the articles stay listed and readable"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        window.close()
    finally:
        library.close()
