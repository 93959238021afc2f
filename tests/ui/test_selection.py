"""Point 3: the selection, the list, the reading pane and the sidebar always agree."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from newsreader.core.entities import ModelMissingError, recognizer
from newsreader.core.models import Entity
from newsreader.ui.main_window import MainWindow
from newsreader.ui.sidebar import ALL, Sidebar, SidebarData, View
from tests.ui.conftest import wait_idle, wait_working
from tests.ui.helpers import click_row, row_with


def assert_agree(window: MainWindow) -> None:
    """The pane shows the list's current row, or nothing when no row is current, and only
    the current row is selected; the sidebar highlights what the list shows, or nothing."""
    index = window.table.currentIndex()
    current = window.model.article_id(index.row()) if index.isValid() else None
    shown = window.current_article.id if window.current_article is not None else None
    assert shown == current, f"pane shows {shown}, list has {current} current"
    assert (window.reader.article is None) == (current is None)
    selected = {i.row() for i in window.table.selectionModel().selectedRows()}
    assert selected == ({index.row()} if current is not None else set())
    highlighted = window.sidebar.current_view()
    expected = (
        View("saved", window.search_results.query)
        if window.search_results is not None
        else window.view
    )
    if highlighted is not None:
        assert highlighted.key == expected.key, f"sidebar shows {highlighted}, list {expected}"


def test_a_search_with_no_results_clears_the_pane(qtbot: QtBot, window: MainWindow) -> None:
    click_row(window, row_with(window, "Japan"))
    assert_agree(window)
    window.search_bar.set_query("zzyzx")
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 0
    assert window.current_article is None
    assert "Japan" not in window.reader.toPlainText()
    assert_agree(window)


def test_a_search_keeps_the_open_article_only_if_it_is_a_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, row_with(window, "Ukraine"))
    window.search_bar.set_query("kursk")
    wait_idle(qtbot, window)
    opened = window.current_article
    assert opened is not None and "Ukraine" in opened.title
    assert_agree(window)
    window.search_bar.set_query("greenland")
    wait_idle(qtbot, window)
    assert window.reading.article_id is None, "the Ukraine story is not a result"
    assert "Pick a result" in window.reader.toPlainText()
    assert_agree(window)


def test_views_open_their_first_article_when_the_open_one_is_not_in_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, row_with(window, "Japan"))
    window.library.set_starred([window.model.ids[0]])
    window.refresh_sidebar()
    wait_idle(qtbot, window)
    window.sidebar.select(View("starred", label="Starred"))
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 1
    assert window.current_article is not None
    assert window.current_article.id == window.model.ids[0]
    assert_agree(window)


def test_deleting_the_open_article_opens_the_next(qtbot: QtBot, window: MainWindow) -> None:
    click_row(window, 1)
    following = window.model.article_id(2)
    window.article_actions.delete_selection()
    wait_idle(qtbot, window)
    assert window.current_article is not None and window.current_article.id == following
    assert_agree(window)


def _entities(sidebar_data: SidebarData, names: list[str]) -> SidebarData:
    sidebar_data.entities = {
        "place": [Entity(n, name, "place", article_count=9 - n) for n, name in enumerate(names)]
    }
    return sidebar_data


def test_sidebar_never_claims_a_view_the_list_does_not_show(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    picked: list[View] = []
    sidebar.view_selected.connect(picked.append)
    kursk = View("entity", "Kursk", "Kursk", 1)
    sidebar.populate(_entities(SidebarData(total=5), ["Belgorod", "Kursk"]), ALL)
    sidebar.select(kursk)
    assert picked == [kursk]
    # The filter box now hides Kursk: nothing is highlighted (not "All articles").
    sidebar.populate(_entities(SidebarData(total=5), ["Belgorod"]), kursk)
    assert sidebar.current_view() is None
    # Cleared again: Kursk is listed and highlighted once more, and nothing was re-chosen.
    sidebar.populate(_entities(SidebarData(total=5), ["Belgorod", "Kursk"]), kursk)
    current = sidebar.current_view()
    assert current is not None and current.key == kursk.key
    assert picked == [kursk]


def test_clearing_the_entity_filter_keeps_the_entity_view(qtbot: QtBot, window: MainWindow) -> None:
    try:
        recognizer.model_id()
    except ModelMissingError as exc:
        pytest.skip(f"named-entity model not installed: {exc}")
    window.start_entity_recognition()
    wait_working(qtbot, lambda: window.entity_job is None, window.indexing.worker, 120_000)
    wait_idle(qtbot, window)
    sidebar = window.sidebar
    QTest.keyClicks(sidebar.filter, "Kur")
    qtbot.waitUntil(lambda: sidebar._type_items["place"].childCount() == 1)
    wait_idle(qtbot, window)
    kursk = sidebar._type_items["place"].child(0)
    assert kursk is not None
    sidebar.tree.setCurrentItem(kursk)
    wait_idle(qtbot, window)
    assert window.view.label == "Kursk"
    assert_agree(window)
    sidebar.filter.clear()
    qtbot.waitUntil(lambda: sidebar._type_items["place"].childCount() > 1)
    wait_idle(qtbot, window)
    assert window.view.label == "Kursk", "the list still shows Kursk's articles"
    highlighted = sidebar.current_view()
    assert highlighted is None or highlighted.label == "Kursk"
    assert_agree(window)


def test_choosing_a_view_while_typing_drops_the_half_typed_search(
    qtbot: QtBot, window: MainWindow
) -> None:
    QTest.keyClicks(window.search_bar.field, "kur")  # the debounce timer is running
    window.sidebar.select(View("unread", label="Unread"))
    wait_idle(qtbot, window)
    qtbot.wait(400)  # longer than the debounce: no search may start now
    wait_idle(qtbot, window)
    assert window.search_results is None and window.search_bar.field.text() == ""
    assert window.view.kind == "unread"
    assert_agree(window)
