"""Point 2: the window notices another process changing the library, and keeps its place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.library_watch import LibraryWatcher
from newsreader.ui.main_window import MainWindow
from newsreader.ui.sidebar import View, count_text
from tests.ui.conftest import wait_idle
from tests.ui.helpers import click_row, row_with, sidebar_item, story_files


def _import_in_another_process(library: Library, folder: Path) -> None:
    """`newsreader --library DIR import FOLDER`, as a user would in a terminal."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--library",
            str(library.directory),
            "import",
            "--no-entities",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )


def _poll(qtbot: QtBot, watcher: LibraryWatcher) -> bool:
    """Poll now and wait for the reads to land (the window's watcher reads off the UI
    thread); whether it reported a change."""
    with qtbot.waitSignal(watcher.polled, timeout=10_000) as blocker:
        watcher.poll()
    return bool(blocker.args[0])


def test_watcher_reports_a_commit_from_another_connection(
    qtbot: QtBot, sample_library: Library
) -> None:
    watcher = LibraryWatcher(sample_library, interval_ms=50)
    assert not watcher.poll(), "nothing changed yet"
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        other = Library.open(sample_library.directory)
        other.set_starred([1])
        other.close()
    assert not watcher.poll(), "a change is reported once"
    watcher.pause(True)
    other = Library.open(sample_library.directory)
    other.set_read([1], False)
    other.close()
    assert not watcher.poll(), "paused: taken as seen"
    watcher.stop()


def test_an_import_in_a_terminal_shows_up_without_losing_the_selection(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.watcher.timer.setInterval(100)
    click_row(window, row_with(window, "Japan"))
    wait_idle(qtbot, window)
    reading = window.current_article
    assert reading is not None
    assert window.counts_label.text().startswith("5 articles")
    _import_in_another_process(window.library, story_files(tmp_path / "new", 3))
    qtbot.waitUntil(lambda: window.model.rowCount() == 8, timeout=10_000)
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("8 articles"), timeout=10_000)
    wait_idle(qtbot, window)
    assert count_text(sidebar_item(window, 0, 0)) == "8"
    current = window.current_article
    assert current is not None and current.id == reading.id, "still reading the same article"
    index = window.table.currentIndex()
    assert window.model.article_id(index.row()) == reading.id


def test_a_search_refreshes_with_the_new_matches(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.watcher.timer.setInterval(100)
    window.search_bar.set_query("harbour")
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 0
    _import_in_another_process(window.library, story_files(tmp_path / "new", 2))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    assert window.search_results is not None and window.search_results.total == 2


def test_the_windows_own_writes_do_not_make_it_re_list(qtbot: QtBot, window: MainWindow) -> None:
    window.watcher.timer.stop()
    listed: list[object] = []
    window.listing.listing_shown.connect(listed.append)
    window.article_actions.toggle_star()
    wait_idle(qtbot, window)
    assert not _poll(qtbot, window.watcher), "a star the window made is not news to it"
    assert listed == []


def test_a_poll_on_its_way_still_reports_when_the_windows_own_write_is_absorbed(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Another program stars an article; the window's poll is on its way when the window's
    own write lands and is taken as seen. The other program's star must still be news."""
    window.watcher.timer.stop()
    other = Library.open(window.library.directory)
    try:
        first = window.model.article_id(0)
        assert first is not None
        other.set_starred([first], True)
        with qtbot.waitSignal(window.watcher.changed, timeout=10_000):
            window.watcher.poll()
            window.watcher.absorb()  # as a flag write of the window landing would
        assert "flags" in window.watcher.moved
    finally:
        other.close()


def _articles(count: int, word: str = "harbour") -> list[Article]:
    return [
        Article(
            title=f"The {word} council approves plan {n}",
            paragraphs=(f"The {word} council approved plan {n} on Tuesday.",),
            source="Council news",
        )
        for n in range(count)
    ]


def test_another_programs_indexing_is_not_news_but_its_import_is(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The indexer emptying the outbox commits (SQLite's data version moves), yet nothing the
    window shows changed: no re-listing of the list, no recount of the sidebar."""
    window.watcher.timer.stop()
    listed: list[object] = []
    counted: list[object] = []
    window.listing.listing_shown.connect(listed.append)
    window.sidebar_feed.ready.connect(counted.append)
    other = Library.open(window.library.directory)
    try:
        other.import_items(_articles(3), index=False)
        assert _poll(qtbot, window.watcher), "three new articles are news"
        assert "articles" in window.watcher.moved
        qtbot.waitUntil(lambda: window.model.rowCount() == 8, timeout=10_000)
        wait_idle(qtbot, window)
        listed.clear()
        counted.clear()
        version = window.library.data_version()
        assert other.index_pending() == 3
        other.update_index()
        assert other.index_pending() == 0
        assert window.library.data_version() != version, "the indexer did commit"
        assert not _poll(qtbot, window.watcher), "but only its own bookkeeping"
        wait_idle(qtbot, window)
        assert listed == [] and counted == []
        assert window.model.rowCount() == 8
    finally:
        other.close()


def test_a_star_set_in_a_second_window_shows_in_the_first(qtbot: QtBot, window: MainWindow) -> None:
    window.watcher.timer.setInterval(100)
    assert count_text(sidebar_item(window, 0, 2)) in ("", "0")
    star = window.model.index(1, ArticleTableModel.STAR)
    assert window.model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "not starred"
    other = Library.open(window.library.directory)
    try:
        other.set_starred([window.model.article_id(1) or 0])
    finally:
        other.close()
    qtbot.waitUntil(lambda: count_text(sidebar_item(window, 0, 2)) == "1", timeout=10_000)
    qtbot.waitUntil(
        lambda: window.model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "starred"
    )


def test_a_search_saved_elsewhere_recounts_the_sidebar_without_re_listing(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.watcher.timer.stop()
    listed: list[object] = []
    window.listing.listing_shown.connect(listed.append)
    other = Library.open(window.library.directory)
    try:
        other.save_search("Greenland", "greenland")
    finally:
        other.close()
    assert _poll(qtbot, window.watcher) and window.watcher.moved == {"searches"}
    qtbot.waitUntil(lambda: window.sidebar.item_for(View("saved", "greenland")) is not None)
    wait_idle(qtbot, window)
    assert listed == [], "the list shows no saved search: it stays as it was"


def test_a_search_shown_while_another_program_indexes_finds_the_new_articles(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The indexer's commit changes nothing the list shows, except a search that said its
    results may be incomplete: that one is searched again."""
    window.watcher.timer.stop()
    other = Library.open(window.library.directory)
    try:
        other.import_items(_articles(2, "lighthouse"), index=False)
        assert _poll(qtbot, window.watcher)
        window.search_bar.set_query("lighthouse", immediate=True)
        wait_idle(qtbot, window)
        results = window.search_results
        assert results is not None and results.total == 0 and results.notice
        other.update_index()
        with qtbot.waitSignal(window.watcher.bookkeeping, timeout=5000):
            assert not _poll(qtbot, window.watcher)
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    finally:
        other.close()
