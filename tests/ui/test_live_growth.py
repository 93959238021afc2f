"""The window's list growing while an import stores articles (`ListingController.grow`):
the library is asked only for what was stored since the last growth, and what the reader
sees stays put: the selected rows, the open article, the rows on screen, the counts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.storage import ArticleFilter
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.article_view import ArticleTable
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import ListingController
from newsreader.ui.main_window import MainWindow
from newsreader.ui.sidebar import ALL, COUNT_ROLE, View
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import rows_landed

START = datetime(2024, 1, 1, tzinfo=UTC)


def _articles(hours: range, prefix: str = "Story") -> list[Article]:
    return [
        Article(
            title=f"{prefix} {h}",
            paragraphs=(f"Body of {prefix.lower()} {h}.",),
            source="wire",
            published=START + timedelta(hours=h),
        )
        for h in hours
    ]


class Reads:
    """Counts the library reads a growth makes: full listings, and reads of new rows."""

    def __init__(self, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
        self.after: list[int] = []
        self.full = 0
        keyed, ids = library.keyed_ids, library.ids

        def keyed_ids(*args: Any, **kwargs: Any) -> Any:
            self.after.append(kwargs.get("after", 0))
            return keyed(*args, **kwargs)

        def full_ids(*args: Any, **kwargs: Any) -> Any:
            self.full += 1
            return ids(*args, **kwargs)

        monkeypatch.setattr(library, "keyed_ids", keyed_ids)
        monkeypatch.setattr(library, "ids", full_ids)


@pytest.fixture
def controller(qtbot: QtBot, library: Library) -> tuple[ListingController, ArticleTable]:
    library.storage.add_articles(_articles(range(0, 600, 2)))
    listing = ListingController(library, JobRunner())
    table = ArticleTable(listing.model)
    table.setSelectionModel(listing.selection)
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    listing.load_view(ALL)
    qtbot.waitUntil(lambda: not listing.jobs.running() and listing.model.rowCount() == 300)
    return listing, table


def _grow(qtbot: QtBot, listing: ListingController) -> None:
    listing._next_growth = 0.0  # not spaced out: each call is a growth
    listing.grow()
    qtbot.waitUntil(lambda: not listing.jobs.running())


def test_growth_reads_only_new_rows_and_keeps_selection_current_and_scroll(
    qtbot: QtBot,
    library: Library,
    controller: tuple[ListingController, ArticleTable],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing, table = controller
    model = listing.model
    listing.select_row(150)
    current = listing.current_id
    extend = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (151, 152):
        listing.selection.select(model.index(row, ArticleTableModel.TITLE), extend)
    selected = listing.selected_ids()
    assert len(selected) == 3
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = model.article_id(table.rowAt(0))
    offset = table.rowViewportPosition(table.rowAt(0))
    reads = Reads(library, monkeypatch)
    for batch in (range(1, 200, 2), range(201, 600, 2), range(600, 640)):
        library.storage.add_articles(_articles(batch))
        with qtbot.assertNotEmitted(model.modelReset):
            _grow(qtbot, listing)
        assert model.ids == library.storage.ids()
        assert listing.current_id == current
        assert model.article_id(listing.selection.currentIndex().row()) == current
        assert listing.selected_ids() == selected
        assert model.article_id(table.rowAt(0)) == top, "the rows on screen moved"
        assert table.rowViewportPosition(table.rowAt(0)) == offset
    # The first growth lists the view with its keys; every later one reads only new rows.
    assert reads.after[0] == 0 and all(after > 0 for after in reads.after[1:])
    assert reads.full == 0
    assert len(reads.after) == 3
    rows_landed(model, 0, 1)
    titles = [model.data(model.index(r, ArticleTableModel.TITLE)) for r in (0, 1)]
    assert titles == ["Story 639", "Story 638"]


def test_at_the_top_of_the_list_new_articles_show(
    qtbot: QtBot, library: Library, controller: tuple[ListingController, ArticleTable]
) -> None:
    listing, table = controller
    assert table.verticalScrollBar().value() == 0
    library.storage.add_articles(_articles(range(700, 720)))
    _grow(qtbot, listing)
    assert listing.model.article_id(table.rowAt(0)) == library.storage.ids()[0]


def test_in_the_unread_view_the_article_being_read_stays(
    qtbot: QtBot, library: Library, controller: tuple[ListingController, ArticleTable]
) -> None:
    """Read during an import, the open article neither vanishes nor makes the list jump."""
    listing, _table = controller
    listing.load_view(View("unread", label="Unread"))
    qtbot.waitUntil(lambda: not listing.jobs.running())
    listing.select_row(10)
    reading = listing.current_id
    assert reading is not None
    library.set_read([reading], True)
    for batch in (range(1, 100, 2), range(101, 200, 2)):
        library.storage.add_articles(_articles(batch))
        _grow(qtbot, listing)
        assert listing.current_id == reading
        assert listing.model.row_of(reading) is not None
    shown = set(listing.model.ids)
    assert shown == {*library.storage.ids(ArticleFilter(unread=True)), reading}


def test_another_programs_delete_lists_the_view_again(
    qtbot: QtBot, library: Library, controller: tuple[ListingController, ArticleTable]
) -> None:
    listing, _table = controller
    library.storage.add_articles(_articles(range(1, 50, 2)))
    _grow(qtbot, listing)
    gone = listing.model.ids[5]
    library.delete([gone])  # by another program: the window is not told
    library.storage.add_articles(_articles(range(51, 60, 2)))
    _grow(qtbot, listing)
    assert listing.model.ids == library.storage.ids()
    assert listing.model.row_of(gone) is None


def test_the_window_s_own_delete_keeps_growth_incremental(
    qtbot: QtBot,
    library: Library,
    controller: tuple[ListingController, ArticleTable],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing, _table = controller
    _grow(qtbot, listing)
    gone = listing.model.ids[7:9]
    library.delete(gone)
    listing.remove(gone)
    reads = Reads(library, monkeypatch)
    library.storage.add_articles(_articles(range(1, 30, 2)))
    _grow(qtbot, listing)
    assert listing.model.ids == library.storage.ids()
    assert reads.after and reads.after[0] > 0 and reads.full == 0


def test_growths_are_spaced_by_their_cost(
    qtbot: QtBot, library: Library, controller: tuple[ListingController, ArticleTable]
) -> None:
    """A growth that took t seconds holds the next one back for t / GROWTH_SHARE - t."""
    listing, _table = controller
    _grow(qtbot, listing)
    listing._next_growth = time.monotonic() + 0.4
    library.storage.add_articles(_articles(range(1, 9, 2)))
    listing.grow()
    assert not listing.jobs.running("list") and listing._growth_timer.isActive()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 304, timeout=5000)


def test_unread_counts_follow_an_import_s_growth(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    library.storage.add_articles(_articles(range(40)))
    window: MainWindow = open_window(qtbot, library)
    library.storage.add_articles(_articles(range(40, 70)))
    window.background.articles_added.emit()  # as an import's progress does
    wait_idle(qtbot, window)
    unread = ArticleFilter(unread=True)

    def counted() -> bool:
        return bool(window.sidebar._unread.data(0, COUNT_ROLE) == str(library.count(unread)))

    qtbot.waitUntil(counted)
    assert library.count(unread) >= 69  # the open article was marked read
    assert window.model.rowCount() == 70


def test_listed_again_the_unread_view_keeps_the_article_being_read(
    qtbot: QtBot, library: Library, controller: tuple[ListingController, ArticleTable]
) -> None:
    """The import's end (or another program's change) lists the view again: the article
    read meanwhile stays open and listed; the next time the view is chosen it is gone."""
    listing, _table = controller
    unread = View("unread", label="Unread")
    listing.load_view(unread)
    qtbot.waitUntil(lambda: not listing.jobs.running())
    listing.select_row(3)
    reading = listing.current_id
    assert reading is not None
    library.set_read([reading], True)
    listing.reload()
    qtbot.waitUntil(lambda: not listing.jobs.running())
    assert listing.current_id == reading
    assert listing.model.row_of(reading) == 3
    listing.load_view(unread)
    qtbot.waitUntil(lambda: not listing.jobs.running())
    assert listing.model.row_of(reading) is None


@pytest.mark.parametrize("sort", ["title", "starred"])
def test_a_list_sorted_by_title_or_a_flag_grows_by_listing_again(
    qtbot: QtBot,
    library: Library,
    controller: tuple[ListingController, ArticleTable],
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
) -> None:
    listing, _table = controller
    listing.set_sort(sort, False)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: not listing.jobs.running())
    listing.select_row(20)
    reading = listing.current_id
    reads = Reads(library, monkeypatch)
    library.storage.add_articles(_articles(range(1, 80, 2), prefix="Late"))
    _grow(qtbot, listing)
    assert listing.model.ids == library.storage.ids(sort=sort, descending=False)  # type: ignore[arg-type]
    assert listing.current_id == reading
    assert reads.full == 1 and not reads.after
