"""The sidebar as a user sees it: counts, sources, saved searches, entities by type with a
"more…" row (point 4), the filter box, the context menu; and its feed (SidebarController)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from newsreader.core.entities import ModelMissingError, recognizer
from newsreader.core.library import Library
from newsreader.core.models import Entity
from newsreader.core.saved_searches import SavedSearch
from newsreader.ui.jobs import JobRunner
from newsreader.ui.main_window import MainWindow
from newsreader.ui.sidebar import ALL, TOP_ENTITIES, Sidebar, SidebarData, View, count_text
from newsreader.ui.sidebar_controller import SidebarController, gather
from tests.ui.conftest import wait_idle, wait_working
from tests.ui.helpers import watched_model


def _children(item: QTreeWidgetItem) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]  # type: ignore[union-attr]


def _places(count: int) -> list[Entity]:
    return [Entity(n, f"Place {n}", "place", article_count=1000 - n) for n in range(count)]


@pytest.fixture
def sidebar(qtbot: QtBot) -> Iterator[Sidebar]:
    """A sidebar whose tree model Qt's model tester watches through every test."""
    widget = Sidebar()
    qtbot.addWidget(widget)
    with watched_model(widget.tree.model()):
        yield widget


def test_counts_sources_and_saved_searches_show(sidebar: Sidebar) -> None:
    data = SidebarData(
        total=12,
        unread=3,
        starred=0,
        sources=[("BBC", 10), ("", 2)],
        saved=[SavedSearch("Kursk fighting", "kursk OR belgorod")],
    )
    sidebar.populate(data, ALL)
    library = sidebar.tree.topLevelItem(0)
    assert library is not None
    assert [(library.child(i).text(0), count_text(library.child(i))) for i in range(3)] == [  # type: ignore[union-attr]
        ("All articles", "12"),
        ("Unread", "3"),
        ("Starred", ""),
    ]
    sources = sidebar.tree.topLevelItem(1)
    assert sources is not None and _children(sources) == ["BBC", "(no source)"]
    saved = sidebar.item_for(View("saved", "kursk OR belgorod"))
    assert saved is not None and saved.text(0) == "Kursk fighting"
    assert "kursk OR belgorod" in saved.toolTip(0)


def test_a_more_row_follows_a_type_with_more_entities(qtbot: QtBot, sidebar: Sidebar) -> None:
    asked: list[str] = []
    picked: list[View] = []
    sidebar.more_requested.connect(asked.append)
    sidebar.view_selected.connect(picked.append)
    sidebar.populate(
        SidebarData(total=5, entities={"place": _places(TOP_ENTITIES)}, more={"place"}), ALL
    )
    places = sidebar._type_items["place"]
    names = _children(places)
    assert names[:TOP_ENTITIES] == [f"Place {n}" for n in range(TOP_ENTITIES)]  # by count
    assert names[-1] == "more…"
    more = places.child(places.childCount() - 1)
    assert more is not None
    sidebar.tree.setCurrentItem(more)
    assert asked == ["place"] and picked == []
    current = sidebar.current_view()
    assert current is not None and current.key == ALL.key, "asking for more is not a view"
    # Everything fits now: no "more…" row.
    sidebar.populate(SidebarData(total=5, entities={"place": _places(20)}), ALL)
    assert _children(places)[-1] == "Place 19"


def test_the_feed_pages_entities_and_the_filter_starts_over(
    qtbot: QtBot, sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _places(60)

    def entities(
        entity_type: str | None = None, *, top: int | None = None, prefix: str = "", **_: object
    ) -> list[Entity]:
        found = [e for e in everything if e.type == entity_type and e.name.startswith(prefix)]
        return found[:top] if top is not None else found

    monkeypatch.setattr(sample_library, "entities", entities)
    data = gather(sample_library, "", {})
    assert len(data.entities["place"]) == TOP_ENTITIES and data.more == {"place"}
    assert data.total == 5 and data.sources == [("Newsreader sample", 5)]

    feed = SidebarController(sample_library, JobRunner())
    shown: list[SidebarData] = []
    feed.ready.connect(shown.append)
    feed.more("place")
    qtbot.waitUntil(lambda: bool(shown))
    assert len(shown[-1].entities["place"]) == 3 * TOP_ENTITIES and "place" in shown[-1].more
    feed.more("place")
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert len(shown[-1].entities["place"]) == 60 and not shown[-1].more
    feed.set_filter("Place 3")
    qtbot.waitUntil(lambda: len(shown) == 3)
    assert [e.name for e in shown[-1].entities["place"]] == [
        "Place 3",
        *[f"Place 3{n}" for n in range(10)],
    ]
    assert feed.limits == {}


def test_saved_search_context_menu_removes_by_name(qtbot: QtBot, sidebar: Sidebar) -> None:
    removed: list[str] = []
    sidebar.remove_saved_search.connect(removed.append)
    sidebar.populate(SidebarData(saved=[SavedSearch("Kursk", "kursk")]), ALL)
    item = sidebar.item_for(View("saved", "kursk"))
    assert item is not None
    # What the menu's action does (the menu itself is modal: exercised through its signal).
    sidebar.remove_saved_search.emit("Kursk")
    assert removed == ["Kursk"]


def test_the_sample_lists_its_missing_places_after_more(qtbot: QtBot, window: MainWindow) -> None:
    try:
        recognizer.model_id()
    except ModelMissingError as exc:
        pytest.skip(f"named-entity model not installed: {exc}")
    window.start_entity_recognition()
    wait_working(qtbot, lambda: window.entity_job is None, window.indexing.worker, 120_000)
    wait_idle(qtbot, window)
    places = window.sidebar._type_items["place"]
    names = _children(places)
    assert names[-1] == "more…", "the sample names more than fifteen places"
    counts = [int(count_text(places.child(i))) for i in range(places.childCount() - 1)]
    assert counts == sorted(counts, reverse=True)
    more = places.child(places.childCount() - 1)
    assert more is not None
    window.sidebar.tree.setCurrentItem(more)
    qtbot.waitUntil(lambda: places.childCount() > TOP_ENTITIES + 1)
    wait_idle(qtbot, window)
    more_names = _children(places)
    assert {"Ukraine", "Russia", "Taiwan"} <= set(more_names)
    # The filter box keeps working, and the list still shows what it showed.
    QTest.keyClicks(window.sidebar.filter, "Tai")
    qtbot.waitUntil(lambda: _children(places) == ["Taiwan"])
    assert window.view.kind == "all"
