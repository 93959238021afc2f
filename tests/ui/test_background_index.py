"""The window's index follows the library in the background: at open, and after every write."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import ProgressEvent
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from newsreader.ui.status_progress import IndexProgress
from tests.ui.conftest import wait_idle


def _articles(count: int) -> list[Article]:
    return [
        Article(title=f"Lighthouse keeper {n}", paragraphs=(f"The lighthouse at cape {n}.",))
        for n in range(count)
    ]


def test_the_window_indexes_what_a_killed_import_left(qtbot: QtBot, tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as library:
        library.import_items(_articles(40), index=False)  # then the process "died"
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        assert library.search("lighthouse").total == 0
        window = MainWindow(library, Settings(), seed_sample=False)
        qtbot.addWidget(window)
        assert window.indexing.running(), "indexing runs in the background, not before the window"
        wait_idle(qtbot, window)
        assert library.index_pending() == 0
        assert library.search("lighthouse").total == 40
        window.close()
    finally:
        library.close()


def test_a_missing_index_is_rebuilt_after_the_window_opens(
    qtbot: QtBot, sample_library: Library
) -> None:
    directory = sample_library.directory
    sample_library.close()
    shutil.rmtree(directory / "index")
    library = Library.open(directory, update_index=False)
    try:
        window = MainWindow(library, Settings(), seed_sample=False)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: "rebuilt" in window.statusBar().currentMessage(), timeout=20_000)
        wait_idle(qtbot, window)
        assert library.search("kursk").total == 1
        window.close()
    finally:
        library.close()


def test_delete_and_undo_reach_the_search_without_anyone_asking(
    qtbot: QtBot, window: MainWindow
) -> None:
    library = window.library
    [target] = library.search_ids("kursk")
    window.listing.load_view(window.listing.view, select=target)
    wait_idle(qtbot, window)
    window.article_actions.delete_selection()
    wait_idle(qtbot, window)
    assert library.search("kursk").total == 0 and library.index_pending() == 0
    window.article_actions.undo_delete()
    wait_idle(qtbot, window)
    assert library.search_ids("kursk") == [target] and library.index_pending() == 0


def test_index_progress_says_what_is_not_yet_searchable(qtbot: QtBot, window: MainWindow) -> None:
    label = window.index_progress
    assert isinstance(label, IndexProgress) and label.isHidden()
    label.update_event(ProgressEvent("index", 1200, 5000, "300/s"))
    assert label.isVisible() and label.text() == "Indexing 1,200 of 5,000 for search"
    label.update_event(ProgressEvent("wait", 0, None, "another Newsreader is indexing; waiting…"))
    assert label.text() == "Another Newsreader is indexing; waiting…"
    label.update_event(None)
    assert label.isHidden()


def test_import_progress_counts_the_articles_stored(window: MainWindow) -> None:
    window.progress.update_event(ProgressEvent("import", 0, 1, "big.jsonl"))
    window.progress.update_event(ProgressEvent("stored", 2500, None))
    assert window.progress.label.text() == "Importing: 2,500 articles stored"
    assert window.progress.bar.maximum() == 1, "the bar still counts files"
    window.progress.update_event(
        ProgressEvent("wait", 0, None, "another import is running; waiting…")
    )
    assert window.progress.label.text() == "Another import is running; waiting…"
