"""Point 8: saved searches live in the library: the window, the CLI and `--library` agree."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from newsreader.cli import main
from newsreader.core.library import Library
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import View
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import titles


def test_saved_searches_from_the_old_settings_file_move_into_the_library(
    qtbot: QtBot, sample_library: Library
) -> None:
    Settings().saved_searches = ["kursk", "greenland"]
    window = open_window(qtbot, sample_library)
    assert [s.query for s in sample_library.saved_searches()] == ["kursk", "greenland"]
    assert Settings().saved_searches == []
    assert window.sidebar.item_for(View("saved", "greenland")) is not None
    window.close()


def test_a_search_saved_in_the_cli_shows_in_the_window_and_runs(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.watcher.timer.setInterval(100)
    assert (
        main(["--library", str(window.library.directory), "searches", "add", "Vance", "greenland"])
        == 0
    )
    qtbot.waitUntil(lambda: window.sidebar.item_for(View("saved", "greenland")) is not None)
    item = window.sidebar.item_for(View("saved", "greenland"))
    assert item is not None and item.text(0) == "Vance"
    window.sidebar.tree.setCurrentItem(item)
    wait_idle(qtbot, window)
    assert window.search_bar.field.text() == "greenland"
    assert len(titles(window)) == 1 and "Vance" in titles(window)[0]


def test_removing_a_saved_search_in_the_window_removes_it_from_the_library(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.library.save_search("Kursk", "kursk")
    window.refresh_sidebar()
    wait_idle(qtbot, window)
    assert window.sidebar.item_for(View("saved", "kursk")) is not None
    window.sidebar.remove_saved_search.emit("Kursk")  # what the context menu's action does
    wait_idle(qtbot, window)
    assert window.library.saved_searches() == []
    assert window.sidebar.item_for(View("saved", "kursk")) is None
