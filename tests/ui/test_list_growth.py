"""The list growing during an import: new rows go in without a reset, the selection and the
open article stay on their articles, and the fast path (worked out in the listing job's
thread, applied as one layout change when the new rows are many runs) agrees exactly with
the plain reference on many generated lists."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article, ArticleRow
from newsreader.ui.article_model import (
    MAX_INSERT_RUNS,
    ArticleTableModel,
    insertion_runs,
    prepare_growth,
    shifted_rows,
)
from newsreader.ui.article_view import ArticleTable
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import Listing, ListingController
from newsreader.ui.sidebar import ALL
from tests.ui.helpers import rows_landed


def _reference_runs(old: list[int], new: list[int]) -> list[tuple[int, list[int]]] | None:
    """The slow, obvious definition: `new` keeps `old` in order and only adds ids."""
    old_set = set(old)
    if not old_set.issubset(new) or [i for i in new if i in old_set] != old:
        return None
    runs: list[tuple[int, list[int]]] = []
    for row, article_id in enumerate(new):
        if article_id in old_set:
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == row:
            runs[-1][1].append(article_id)
        else:
            runs.append((row, [article_id]))
    return runs


def _generated(rng: random.Random) -> tuple[list[int], list[int]]:
    old = rng.sample(range(1, 400), rng.randrange(0, 60))
    new = list(old)
    fresh = [i for i in range(400, 800) if rng.random() < 0.1]
    for article_id in fresh[: rng.randrange(0, 40)]:
        new.insert(rng.randrange(len(new) + 1), article_id)
    change = rng.random()
    if change < 0.15 and new:
        del new[rng.randrange(len(new))]  # an article deleted meanwhile
    elif change < 0.3 and len(new) > 1:
        a, b = rng.sample(range(len(new)), 2)
        new[a], new[b] = new[b], new[a]  # re-sorted
    return old, new


def test_insertion_runs_agree_with_the_reference_on_generated_lists() -> None:
    rng = random.Random(8)
    for _ in range(3000):
        old, new = _generated(rng)
        assert insertion_runs(old, new) == _reference_runs(old, new), (old, new)


def test_shifted_rows_follow_each_old_id_to_its_new_row() -> None:
    rng = random.Random(9)
    checked = 0
    for _ in range(2000):
        old, new = _generated(rng)
        runs = insertion_runs(old, new)
        if runs is None or not old:
            continue
        rows = list(range(len(old)))
        assert shifted_rows(runs, rows) == [new.index(i) for i in old]
        checked += 1
    assert checked > 500


def _fetch(ids: Sequence[int]) -> list[ArticleRow]:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return [ArticleRow(i, f"Article {i}", "synthetic", when, when, False, False) for i in ids]


@pytest.mark.parametrize("runs", [3, MAX_INSERT_RUNS * 4])
def test_an_import_inserts_rows_and_keeps_the_selection(qtbot: QtBot, runs: int) -> None:
    """Few runs of new rows arrive as insertions, many as one layout change; either way no
    reset, every row right, and the selected and current article stay selected."""
    model = ArticleTableModel(_fetch)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    view = ArticleTable(model)
    qtbot.addWidget(view)
    old = list(range(0, 2000, 2))
    model.set_ids(old)
    selection = view.selectionModel()
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(model.index(700, ArticleTableModel.TITLE), flags)
    rng = random.Random(runs)
    new = list(old)
    for position in sorted(rng.sample(range(len(old)), runs), reverse=True):
        new[position:position] = [100_001 + position * 3, 100_002 + position * 3]
    growth = prepare_growth(tuple(model.ids), model.version, new)
    assert growth is not None and len(growth.runs) == runs
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_ids(new, growth=growth)
    assert model.ids == new
    assert [model.article_id(r) for r in range(model.rowCount())] == new
    assert model.row_of(1400) == new.index(1400)
    assert model.article_id(selection.currentIndex().row()) == 1400
    assert [model.article_id(i.row()) for i in selection.selectedRows()] == [1400]
    assert model.data(model.index(new.index(1400), ArticleTableModel.TITLE)) == "Article 1400"
    assert tester is not None


def test_growth_worked_out_for_an_older_list_is_not_applied(qtbot: QtBot) -> None:
    """A delete landed between the job's start and its result: the job's plan is stale, and
    the model works the change out again instead of applying it."""
    model = ArticleTableModel(_fetch)
    model.set_ids([10, 20, 30, 40])
    growth = prepare_growth(tuple(model.ids), model.version, [5, 10, 20, 30, 40])
    model.remove_ids([20])
    assert growth is not None
    model.set_ids([5, 10, 20, 30, 40], growth=growth)  # the job's listing still has 20
    assert model.ids == [5, 10, 20, 30, 40]
    assert model.row_of(40) == 4
    model.set_ids([5, 10, 30, 40], growth=growth)  # not insert-only from [5, 10, 20, 30, 40]
    assert model.ids == [5, 10, 30, 40]
    assert model.row_of(30) == 2


def test_a_reload_after_an_import_grows_the_list_in_place(qtbot: QtBot, library: Library) -> None:
    """The window re-lists every second while an import stores articles: the job works the
    new rows out against what the list held, nothing is reset, the open article stays."""
    start = datetime(2024, 1, 1, tzinfo=UTC)

    def articles(hours: range) -> list[Article]:
        return [
            Article(
                title=f"Story {h}",
                paragraphs=(f"Body {h}.",),
                source="s",
                published=start + timedelta(hours=h),
            )
            for h in hours
        ]

    library.storage.add_articles(articles(range(0, 400, 2)))
    jobs = JobRunner()
    listing = ListingController(library, jobs)
    listing.load_view(ALL)
    qtbot.waitUntil(lambda: not jobs.running() and listing.model.rowCount() == 200)
    listing.select_row(50)
    reading = listing.current_id
    library.storage.add_articles(articles(range(1, 400, 2)))  # between every two, newest first
    shown: list[Listing] = []
    listing.listing_shown.connect(shown.append)
    with qtbot.assertNotEmitted(listing.model.modelReset):
        listing.reload()
        qtbot.waitUntil(lambda: bool(shown) and not jobs.running())
    assert shown[0].growth is not None and len(shown[0].growth.runs) > MAX_INSERT_RUNS
    assert listing.model.ids == library.ids()
    assert listing.current_id == reading
    assert listing.model.article_id(listing.selection.currentIndex().row()) == reading
    rows_landed(listing.model, 0, 1)
    titles = [listing.model.data(listing.model.index(r, ArticleTableModel.TITLE)) for r in (0, 1)]
    assert titles == ["Story 399", "Story 398"]
