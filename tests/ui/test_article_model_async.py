"""The list's rows read off the UI thread: exact against the synchronous model.

The window's model reads each page of rows in a background job (`PageStarter`), so a read
can land after the list has grown, lost rows, been sorted, or had a flag written: late,
out of order, or superseded. These tests drive the model with generated sequences of
scrolls, growths, removals, flag changes, refreshes and sorts, with the reads run and
delivered at random moments, and check (1) a row never shows another article's columns,
and (2) once the reads have landed, every row is what the synchronous model shows after
the same sequence, and what the library holds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from newsreader.core.models import ArticleRow
from newsreader.ui.article_model import (
    PAGE_SIZE,
    PREFETCH_AHEAD,
    ArticleTableModel,
    prepare_growth,
)

_START = datetime(2024, 1, 1, tzinfo=UTC)


def _row(article_id: int) -> ArticleRow:
    return ArticleRow(
        id=article_id,
        title=f"Story {article_id}",
        source=f"source-{article_id % 7}",
        published=_START + timedelta(hours=article_id) if article_id % 5 else None,
        imported=_START,
        read=article_id % 3 == 0,
        starred=article_id % 4 == 0,
    )


@dataclass
class FakeLibrary:
    """Rows by id, read when a job runs (not when it is started), as the real one is."""

    rows: dict[int, ArticleRow] = field(default_factory=dict)
    reads: int = 0

    def fetch(self, ids: Sequence[int]) -> list[ArticleRow]:
        self.reads += 1
        return [self.rows[i] for i in ids if i in self.rows]


@dataclass
class _Read:
    kind: str
    read: Callable[[], list[ArticleRow] | None]
    deliver: Callable[[list[ArticleRow] | None], None]
    generation: int
    result: list[ArticleRow] | None = None
    done: bool = False


class FakeJobs:
    """A `PageStarter` whose reads run, and land, when the test says: in any order, with the
    library changed between a read and its delivery, and (as `JobRunner` does) a newer job
    of the same kind superseding an older one's result."""

    def __init__(self, rng: random.Random, *, supersede: bool, fail_rate: float = 0.0) -> None:
        self.rng = rng
        self.supersede = supersede
        self.fail_rate = fail_rate
        self.queue: list[_Read] = []
        self.generation: dict[str, int] = {}
        self.started = 0

    def __call__(
        self,
        kind: str,
        read: Callable[[], list[ArticleRow] | None],
        deliver: Callable[[list[ArticleRow] | None], None],
    ) -> None:
        self.started += 1
        generation = self.generation.get(kind, 0) + 1
        self.generation[kind] = generation
        self.queue.append(_Read(kind, read, deliver, generation))

    def step(self) -> None:
        """Advance one job: run its read, or deliver what it read."""
        if not self.queue:
            return
        job = self.rng.choice(self.queue)
        if not job.done:
            job.done = True
            job.result = None if self.rng.random() < self.fail_rate else job.read()
            return
        self.queue.remove(job)
        if self.supersede and self.generation[job.kind] != job.generation:
            return  # stale: `JobRunner` drops its result
        job.deliver(job.result)

    def drain(self) -> None:
        while self.queue:
            self.step()


def _expected(
    library: FakeLibrary, overrides: dict[int, dict[str, bool]], article_id: int
) -> ArticleRow:
    found = library.rows[article_id]
    flags = overrides.get(article_id, {})
    return replace(
        found, read=flags.get("read", found.read), starred=flags.get("starred", found.starred)
    )


def _flagged(row: ArticleRow, flag: str, value: bool) -> ArticleRow:
    return replace(row, read=value) if flag == "read" else replace(row, starred=value)


_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.UserRole,
)


def _cells(model: ArticleTableModel, row: int) -> list[object]:
    out: list[object] = []
    for column in range(model.columnCount()):
        index = model.index(row, column)
        for role in _ROLES:
            value = model.data(index, role)
            # Icons and fonts compare by what they show.
            if role == Qt.ItemDataRole.DecorationRole and value is not None:
                value = value.cacheKey() == model._star_on.cacheKey()
            elif role == Qt.ItemDataRole.FontRole:
                value = value is not None and value.bold()
            out.append(value)
    return out


def _run_sequence(seed: int, qtbot: QtBot) -> tuple[int, int]:
    rng = random.Random(seed)
    watched = seed % 20 == 0  # Qt's model tester checks every signal: slow on big lists
    size = 150 if watched else rng.choice([150, 700, 1300])
    library = FakeLibrary({i: _row(i) for i in range(1, size)})
    jobs = FakeJobs(rng, supersede=rng.random() < 0.7, fail_rate=rng.choice([0.0, 0.05]))
    lazy = ArticleTableModel(library.fetch, start_page=jobs)
    reference = ArticleTableModel(library.fetch)  # reads in place: the synchronous model
    tester = (
        QAbstractItemModelTester(lazy, QAbstractItemModelTester.FailureReportingMode.Fatal)
        if watched
        else None
    )
    ids = sorted(library.rows, reverse=True)
    for model in (lazy, reference):
        model.set_ids(ids)
    next_id = max(library.rows) + 1
    overrides: dict[int, dict[str, bool]] = {}  # held flag writes, as the window's
    writes: list[tuple[int, str, bool, str]] = []  # (id, flag, value, stage)
    top = 0
    checks = 0
    blanks = 0

    both = (lazy, reference)

    def look(first: int, count: int) -> None:
        """The view paints these rows: never another article's columns in a row."""
        nonlocal blanks
        for row in range(first, min(first + count, lazy.rowCount())):
            shown = lazy.data(lazy.index(row, ArticleTableModel.TITLE), Qt.ItemDataRole.UserRole)
            if shown is None:
                blanks += 1
            else:
                assert shown == lazy.article_id(row), f"row {row} shows another article"
            reference.row(row)

    def check() -> None:
        nonlocal checks
        jobs.drain()
        first, last = top, min(top + 60, lazy.rowCount()) - 1
        while not lazy.ensure_rows(first, last):
            jobs.drain()
        assert lazy.ids == reference.ids
        for row in range(first, last + 1):
            article_id = lazy.article_id(row)
            assert article_id is not None
            assert lazy.row(row) == reference.row(row) == _expected(library, overrides, article_id)
            assert _cells(lazy, row) == _cells(reference, row)
        checks += 1

    for _step in range(rng.randint(40, 120)):
        op = rng.random()
        if op < 0.30:  # scroll
            if lazy.rowCount():
                top = max(
                    0, min(lazy.rowCount() - 1, top + rng.choice([-1, 1]) * rng.randint(1, 400))
                )
                look(top, 30)
        elif op < 0.45:  # the library moves on: reads run and land
            for _ in range(rng.randint(1, 6)):
                jobs.step()
        elif op < 0.55:  # an import grows the list (newest first, some between old rows)
            new = list(lazy.ids)
            for _ in range(rng.randint(1, 40)):
                library.rows[next_id] = _row(next_id)
                new.insert(rng.randint(0, len(new)) if rng.random() < 0.3 else 0, next_id)
                next_id += 1
            growth = prepare_growth(tuple(lazy.ids), lazy.version, new)
            lazy.set_ids(new, growth=growth if rng.random() < 0.7 else None)
            reference.set_ids(new)
        elif op < 0.62:  # a delete
            if lazy.ids:
                gone = rng.sample(lazy.ids, min(len(lazy.ids), rng.randint(1, 5)))
                for article_id in gone:
                    del library.rows[article_id]
                    overrides.pop(article_id, None)
                for model in both:
                    model.remove_ids(gone)
                writes[:] = [w for w in writes if w[0] not in gone]
        elif op < 0.74:  # the reader flips a flag: shown at once, stored later, then settled
            if lazy.ids:
                article_id = rng.choice(lazy.ids)
                flag = rng.choice(["read", "starred"])
                value = not getattr(_expected(library, overrides, article_id), flag)
                overrides.setdefault(article_id, {})[flag] = value
                for model in both:
                    model.hold([article_id])
                    if flag == "read":
                        model.update_row(article_id, read=value)
                    else:
                        model.update_row(article_id, starred=value)
                writes.append((article_id, flag, value, "held"))
        elif op < 0.84:  # a held write reaches the library, or settles
            if writes:
                number = rng.randrange(len(writes))
                article_id, flag, value, stage = writes[number]
                if stage == "held":
                    library.rows[article_id] = _flagged(library.rows[article_id], flag, value)
                    writes[number] = (article_id, flag, value, "stored")
                else:
                    del writes[number]
                    if not any(w[0] == article_id for w in writes):
                        overrides.pop(article_id, None)
                    for model in both:
                        model.settle([article_id])
        elif op < 0.90:  # another program changes a flag; the watcher lists again
            if lazy.ids:
                article_id = rng.choice(lazy.ids)
                if article_id not in overrides:
                    found = library.rows[article_id]
                    library.rows[article_id] = replace(found, starred=not found.starred)
                for model in both:
                    model.set_ids(list(model.ids))
        elif op < 0.95:  # a sort: the same ids in another order
            order = list(lazy.ids)
            rng.shuffle(order)
            for model in both:
                model.set_ids(order)
        else:
            check()
    # Every write stored and settled: the list is the library's.
    for article_id, flag, value, stage in writes:
        if stage == "held":
            library.rows[article_id] = _flagged(library.rows[article_id], flag, value)
        for model in both:
            model.settle([article_id])
    overrides.clear()
    check()
    if tester is not None:
        shiboken6.delete(tester)
    return checks, blanks


@pytest.mark.parametrize("seed", range(60))
def test_rows_read_in_the_background_are_exact(qtbot: QtBot, seed: int) -> None:
    checks, _blanks = _run_sequence(seed, qtbot)
    assert checks >= 1


def test_a_row_paints_what_it_showed_while_its_page_is_read_again(qtbot: QtBot) -> None:
    """After a growth (every second of an import) the rows on screen keep their columns
    until the page is read again: no blink to blank."""
    library = FakeLibrary({i: _row(i) for i in range(1, 400)})
    jobs = FakeJobs(random.Random(1), supersede=True)
    model = ArticleTableModel(library.fetch, start_page=jobs)
    model.set_ids(sorted(library.rows, reverse=True))
    assert model.data(model.index(0, ArticleTableModel.TITLE)) is None, "not read yet: blank"
    jobs.drain()
    assert model.data(model.index(0, ArticleTableModel.TITLE)) == "Story 399"
    library.rows[400] = _row(400)
    new = [400, *model.ids]
    model.set_ids(new, growth=prepare_growth(tuple(model.ids), model.version, new))
    assert model.data(model.index(1, ArticleTableModel.TITLE)) == "Story 399", "kept"
    assert model.data(model.index(0, ArticleTableModel.TITLE)) is None, "a new row: blank"
    assert jobs.queue, "and its page is read again"
    jobs.drain()
    assert model.data(model.index(0, ArticleTableModel.TITLE)) == "Story 400"


def test_pages_ahead_of_the_scroll_are_read_before_they_are_painted(qtbot: QtBot) -> None:
    library = FakeLibrary({i: _row(i) for i in range(1, 2001)})
    jobs = FakeJobs(random.Random(2), supersede=True)
    model = ArticleTableModel(library.fetch, start_page=jobs)
    model.set_ids(sorted(library.rows))
    model.data(model.index(0, ArticleTableModel.TITLE))
    jobs.drain()
    blanks = 0
    for row in range(0, 1900, 10):  # a steady scroll down, the reads landing as it goes
        if model.data(model.index(row, ArticleTableModel.TITLE)) is None:
            blanks += 1
        jobs.step()
        jobs.step()
    assert blanks == 0, "every page was read before the scroll reached it"
    assert model.is_loaded(1899) and 1899 // PAGE_SIZE > 2


def test_pages_scrolled_past_before_their_read_started_are_not_read(qtbot: QtBot) -> None:
    """A drag of the scroll bar through a big list asks for a page every frame: the reads
    of pages already left behind are skipped, so the page on screen does not wait behind
    them."""
    library = FakeLibrary({i: _row(i) for i in range(1, 20_001)})
    jobs = FakeJobs(random.Random(3), supersede=True)
    model = ArticleTableModel(library.fetch, start_page=jobs)
    model.set_ids(sorted(library.rows))
    for row in range(0, 20_000, 400):
        model.data(model.index(row, ArticleTableModel.TITLE))
    asked = jobs.started
    jobs.drain()
    assert asked >= 100
    assert library.reads <= PREFETCH_AHEAD + 3, "only the pages around the last one painted"
    assert model.data(model.index(19_999, ArticleTableModel.TITLE)) == "Story 20000"
    assert model.data(model.index(0, ArticleTableModel.TITLE)) is None, "the first: skipped"
    jobs.drain()
    assert model.data(model.index(0, ArticleTableModel.TITLE)) == "Story 1", "read on return"
