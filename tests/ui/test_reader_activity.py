"""Background re-reads wait while the reader opens articles or scrolls (`ui/reader_activity.py`):
the list's growth during an import, the sidebar's recounts and the import's last listing are
held back until the reader is still, never longer than the hold's bound, and the list still
ends exactly as the view listed again (generated sequences of batches, opens and scrolls)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.storage import ArticleFilter
from newsreader.ui.article_view import ArticleTable
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import ListingController
from newsreader.ui.main_window import MainWindow
from newsreader.ui.reader_activity import ReaderActivity
from newsreader.ui.sidebar import ALL, View
from newsreader.ui.sidebar_controller import SidebarController
from tests.ui.conftest import wait_idle
from tests.ui.test_live_list import _store


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_held_until_the_reader_is_still_but_never_past_the_bound() -> None:
    clock = Clock()
    activity = ReaderActivity(quiet_s=0.5, max_hold_s=3.0, clock=clock)
    due = clock.now
    assert activity.wait_s(due) <= 0, "a reader who did nothing holds nothing back"
    activity.note()
    assert activity.wait_s(due) == pytest.approx(0.5)
    for _ in range(20):  # an arrow key held down: an open every 100 ms
        clock.now += 0.1
        activity.note()
        assert activity.wait_s(due) <= 0.5
    assert clock.now - due == pytest.approx(2.0)
    clock.now = due + 3.0
    activity.note()
    assert activity.wait_s(due) <= 1e-9, "3 s after it was due it runs, reader busy or not"


def _controller(
    qtbot: QtBot, library: Library, activity: ReaderActivity, view: View = ALL
) -> tuple[ListingController, ArticleTable]:
    listing = ListingController(library, JobRunner(), activity=activity)
    table = ArticleTable(listing.model)
    table.setSelectionModel(listing.selection)
    qtbot.addWidget(table)
    table.resize(600, 300)
    table.show()
    table.verticalScrollBar().valueChanged.connect(lambda _v: activity.note())
    listing.load_view(view)
    qtbot.waitUntil(lambda: not listing.jobs.running())
    return listing, table


def _settled(listing: ListingController) -> bool:
    return not (
        listing.jobs.running()
        or listing._growth_timer.isActive()
        or listing._catch_up_timer.isActive()
    )


def test_a_growth_waits_while_the_reader_opens_articles(qtbot: QtBot, library: Library) -> None:
    first: list[tuple[int | None, int, str]] = [(d, d, "wire") for d in range(6)]
    _store(library, first * 10)
    activity = ReaderActivity(quiet_s=0.6, max_hold_s=1.5)
    listing, _table = _controller(qtbot, library, activity)
    assert listing.model.rowCount() == 60
    _store(library, [(3, 9, "wire")] * 5)
    started = time.monotonic()
    listing.select_row(1)
    listing.grow()
    assert not listing.jobs.running("list"), "an article just opened: the growth waits"
    grown_at = None
    rng = random.Random(3)
    while time.monotonic() - started < 4.0:  # the reader keeps opening, every 50 ms
        listing.select_row(rng.randrange(listing.model.rowCount()))
        qtbot.wait(50)
        if grown_at is None and listing.model.rowCount() == 65:
            grown_at = time.monotonic() - started
    assert grown_at is not None, "the list caught up although the reader never stopped"
    assert 1.2 <= grown_at <= 3.5, f"grown {grown_at:.2f} s after it was due (bound 1.5 s)"
    assert listing.model.ids == library.ids()


def test_once_the_reader_is_still_the_growth_comes_soon(qtbot: QtBot, library: Library) -> None:
    first: list[tuple[int | None, int, str]] = [(d, d, "wire") for d in range(6)]
    _store(library, first)
    activity = ReaderActivity(quiet_s=0.3, max_hold_s=5.0)
    listing, table = _controller(qtbot, library, activity)
    _store(library, [(9, 9, "wire")] * 3)
    table.verticalScrollBar().setValue(1)  # scrolled, then left alone
    started = time.monotonic()
    listing.grow()
    assert not listing.jobs.running("list")
    qtbot.waitUntil(lambda: listing.model.rowCount() == 9, timeout=3000)
    assert 0.2 <= time.monotonic() - started < 4.0
    assert listing.model.ids == library.ids()


@pytest.mark.parametrize("seed", range(8))
def test_held_growths_end_exactly_as_the_view_listed_again(
    qtbot: QtBot, tmp_path: Path, seed: int
) -> None:
    """Batches stored as an import stores them, each followed by the window's growth request,
    between opens, scrolls and pauses of every length around the hold's; at the end, once the
    reader is still, the list is the view listed again by SQLite."""
    rng = random.Random(seed)
    view = rng.choice([ALL, View("source", "wire")])
    where = ArticleFilter(source="wire") if view.kind == "source" else ArticleFilter()
    library = Library.open(tmp_path / "lib", update_index=False)
    try:
        _store(library, [(rng.choice([None, *range(7)]), rng.randrange(5), "wire")] * 8)
        activity = ReaderActivity(quiet_s=0.04, max_hold_s=0.15)
        listing, table = _controller(qtbot, library, activity, view)
        bar = table.verticalScrollBar()
        for _ in range(40):
            step = rng.random()
            if step < 0.35:
                batch = [
                    (rng.choice([None, *range(7)]), rng.randrange(5), rng.choice(["wire", "desk"]))
                    for _ in range(rng.randrange(1, 12))
                ]
                _store(library, batch)
                listing.grow()
            elif step < 0.6 and listing.model.rowCount():
                listing.select_row(rng.randrange(listing.model.rowCount()))
            elif step < 0.75:
                bar.setValue(rng.randrange(bar.maximum() + 1))
            elif step < 0.8:
                listing.catch_up()  # as at an import's end
            else:
                qtbot.wait(rng.choice([1, 10, 30, 60, 200]))
        qtbot.waitUntil(lambda: _settled(listing), timeout=5000)
        assert listing.model.ids == library.ids(where), "the list did not end exact"
        assert listing.current_id is None or listing.current_id in listing.model.ids
    finally:
        library.close()


def test_a_scheduled_recount_waits_for_a_still_moment(qtbot: QtBot, library: Library) -> None:
    _store(library, [(1, 1, "wire")] * 3)
    activity = ReaderActivity(quiet_s=0.5, max_hold_s=1.2)
    jobs = JobRunner()
    sidebar = SidebarController(library, jobs, activity=activity)
    counts: list[int] = []
    sidebar.ready.connect(lambda data: counts.append(data.total))
    started = time.monotonic()
    sidebar.schedule()
    while not counts and time.monotonic() - started < 4:
        activity.note()  # the reader keeps opening articles
        sidebar.schedule()  # and each read mark asks for a recount
        qtbot.wait(40)
    elapsed = time.monotonic() - started
    assert counts == [3], "a recount asked for again and again still comes"
    assert 1.0 <= elapsed <= 3.0, f"recounted after {elapsed:.2f} s (bound 1.2 s)"
    sidebar.refresh()  # an explicit refresh (a filter typed) is never held
    qtbot.waitUntil(lambda: len(counts) == 2, timeout=1000)
    jobs.wait(5000)


def test_the_window_holds_a_growth_while_the_list_scrolls(qtbot: QtBot, window: MainWindow) -> None:
    """The list is made longer than its viewport first: the five sample rows fit, so setting
    the scroll bar changed nothing and noted no scroll, and only the article the window
    opened on start (`QUIET_S` before) held the growth, which on a loaded machine had passed
    by the time the window was idle."""
    _store(window.library, [(1, 1, "wire")] * 40)
    window.listing.grow()
    qtbot.waitUntil(lambda: window.model.rowCount() == 45, timeout=10_000)
    wait_idle(qtbot, window)
    bar = window.table.verticalScrollBar()
    assert bar.value() < bar.maximum(), "the list can scroll"
    _store(window.library, [(2, 2, "wire")] * 4)
    bar.setValue(bar.maximum())
    window.listing.grow()
    assert not window.jobs.running("list") and window.listing._growth_timer.isActive()
    qtbot.waitUntil(lambda: window.model.rowCount() == 49, timeout=10_000)
    wait_idle(qtbot, window)
    assert window.model.ids == window.library.ids(
        sort=window.listing.sort_key, descending=window.listing.sort_descending
    )
