"""The article open reads the library off the UI thread (issue 8, s8-8open).

What a reader notices: a click opens the article; a quick second click wins over the first
one's read still on its way; the pane keeps the article it shows until the new one is read
(no placeholder flashing by); stepping with j opens the next article at once from what was
read ahead; and after a change (another program's edit, a star, recognised entities) the pane
never shows the article as it was. The read-ahead cache is checked against fresh reads over
generated sequences of opens and edits.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article, Mention
from newsreader.ui.article_cache import ArticleCache
from newsreader.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.helpers import click_row, press, wait_pane

#: The library reads of one article the pane and its actions make.
READS = ("article_for_reading", "get", "mentions", "to_markdown")


@pytest.fixture
def main_thread_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every read of one article (`READS`) made on the UI thread, by name.

    A local stand-in for the statement hook engineer 8rows adds to core/storage.py: the
    open path's library calls, whichever `Library` makes them."""
    calls: list[str] = []
    for name in READS:
        original = getattr(Library, name)

        def wrapper(self: Library, *args: Any, _name: str = name, _f: Any = original) -> Any:
            if threading.current_thread() is threading.main_thread():
                calls.append(_name)
            return _f(self, *args)

        monkeypatch.setattr(Library, name, wrapper)
    yield calls


class Gate:
    """Holds the pane's reads of chosen articles until released (a slow disk, on demand)."""

    def __init__(self, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: dict[int, threading.Event] = {}
        read = library.article_for_reading

        def gated(article_id: int) -> tuple[Article, list[Mention]] | None:
            event = self.events.get(article_id)
            if event is not None:
                event.wait(20)
            return read(article_id)

        monkeypatch.setattr(library, "article_for_reading", gated)

    def hold(self, article_id: int) -> None:
        self.events[article_id] = threading.Event()

    def release(self, article_id: int) -> None:
        self.events.pop(article_id).set()


def _shown_title(window: MainWindow) -> str:
    return window.reader.toPlainText().split("\n", 1)[0]


def test_a_click_opens_the_article_without_reading_on_the_ui_thread(
    qtbot: QtBot, window: MainWindow, main_thread_reads: list[str]
) -> None:
    for row in (2, 0, 4):
        click_row(window, row)
        article = window.library.get(window.model.article_id(row) or 0)
        assert article is not None and article.title in window.reader.toPlainText()
        assert window.current_article is not None and window.current_article.id == article.id
    main_thread_reads.clear()  # the test's own reads above
    for key in (Qt.Key.Key_J, Qt.Key.Key_K, Qt.Key.Key_K, Qt.Key.Key_J):
        press(qtbot, window, key)
    assert window.current_article is not None
    assert window.current_article.id == window.model.article_id(window.table.currentIndex().row())
    window.copy_markdown()
    dialog = window.export_selection()
    assert dialog is not None and dialog.path.stem != f"article-{window.current_article.id}"
    dialog.reject()
    wait_idle(qtbot, window)
    assert main_thread_reads == [], "the UI thread read articles"
    wait_idle(qtbot, window)
    stored = window.library.get(window.current_article.id or 0)
    assert stored is not None and stored.read


def test_a_quick_second_click_wins_and_the_pane_never_flashes_a_placeholder(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    click_row(window, 0)
    first_title = _shown_title(window)
    gate = Gate(window.library, monkeypatch)
    slow, quick = window.model.article_id(3), window.model.article_id(4)
    assert slow is not None and quick is not None
    window.reading.cache.invalidate()  # nothing read ahead: both clicks must read
    gate.hold(slow)
    gate.hold(quick)
    opened: list[int] = []
    window.reading.opened.connect(lambda article: opened.append(article.id))
    window.listing.select_row(3)
    qtbot.wait(50)
    assert _shown_title(window) == first_title, "the pane keeps the article until the read"
    window.listing.select_row(4)
    gate.release(quick)
    qtbot.waitUntil(lambda: window.reading.article_id == quick)
    gate.release(slow)  # the first click's read lands last
    wait_idle(qtbot, window)
    assert window.reading.article_id == quick and opened == [quick]
    assert window.library.get(slow).read is False  # type: ignore[union-attr]
    assert window.library.get(quick).read is True  # type: ignore[union-attr]


def test_stepping_with_j_opens_the_next_article_at_once_from_the_read_ahead(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    click_row(window, 1)
    wait_idle(qtbot, window)  # the neighbours are read ahead
    gate = Gate(window.library, monkeypatch)
    following = window.model.article_id(2)
    assert following is not None and following in window.reading.cache
    gate.hold(following)  # a read of it now would never land in time
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_J)
    assert window.reading.article_id == following, "shown at once, before any event"
    assert window.library.get(following).title in window.reader.toPlainText()  # type: ignore[union-attr]
    gate.release(following)
    wait_idle(qtbot, window)


def test_the_pane_shows_another_programs_edit_and_never_the_old_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, 1)
    wait_idle(qtbot, window)
    shown, following = window.model.article_id(1), window.model.article_id(2)
    assert shown is not None and following is not None and following in window.reading.cache
    other = Library.open(window.library.directory)
    try:
        for article_id, title in ((shown, "Edited while open"), (following, "Edited ahead")):
            article = other.get(article_id)
            assert article is not None
            other.update_articles([replace(article, title=title)])
        window.watcher.poll()  # as its timer would, within two seconds
        qtbot.waitUntil(lambda: "Edited while open" in window.reader.toPlainText())
        press(qtbot, window, Qt.Key.Key_J)
        assert window.reading.article_id == following
        assert "Edited ahead" in window.reader.toPlainText()
    finally:
        other.close()


def test_recognised_entities_reach_the_open_article_and_the_read_ahead(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, 1)
    wait_idle(qtbot, window)
    shown, following = window.model.article_id(1), window.model.article_id(2)
    assert shown is not None and following is not None
    other = Library.open(window.library.directory)
    try:
        for article_id in (shown, following):
            _add_mention(other, article_id)
        window.reading.refresh_mentions()  # what the window does when recognition reports
        wait_idle(qtbot, window)
        assert [m.text for m in window.reading.mentions] == [_title_word(other, shown)]
        press(qtbot, window, Qt.Key.Key_J)
        assert [m.text for m in window.reading.mentions] == [_title_word(other, following)]
    finally:
        other.close()


def _title_word(library: Library, article_id: int) -> str:
    article = library.get(article_id)
    assert article is not None
    return article.title.split()[0]


def _add_mention(library: Library, article_id: int, *, drop: bool = False) -> None:
    """As a recognition run in another process would: the article's first title word is a
    person (or, with `drop`, the article has no mentions any more)."""
    word = _title_word(library, article_id)
    with library.storage.transaction() as db:
        db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        if not drop:
            db.execute(
                "INSERT OR IGNORE INTO entities (name, type, key) VALUES (?, 'person', ?)",
                (word, word.casefold()),
            )
            (entity_id,) = db.execute(
                "SELECT id FROM entities WHERE type = 'person' AND key = ?", (word.casefold(),)
            ).fetchone()
            db.execute(
                'INSERT INTO mentions (article_id, entity_id, part, start, "end", text)'
                " VALUES (?, ?, -1, 0, ?, ?)",
                (article_id, entity_id, len(word), word),
            )
        db.execute(
            "INSERT OR REPLACE INTO ner_status (article_id, model, processed)"
            " VALUES (?, 'test', datetime('now'))",
            (article_id,),
        )


# -- the read-ahead cache is exact --------------------------------------------------------------


def _expected(window: MainWindow, fresh: Library, article_id: int) -> tuple[Article, list[Mention]]:
    """What a fresh read shows: the library now, with the window's unstored read marks and
    stars over it (the list shows those too)."""
    found = fresh.article_for_reading(article_id)
    assert found is not None
    article, mentions = found
    unstored = window.article_actions.flags.unstored(article_id)
    article = replace(
        article,
        read=unstored.get("read", article.read),
        starred=unstored.get("starred", article.starred),
    )
    return article, mentions


def _edits(
    qtbot: QtBot, window: MainWindow, other: Library, rng: random.Random
) -> list[Callable[[], None]]:
    ids = list(window.model.ids)

    def settle() -> None:
        """The window's own flag writes stored and taken as seen before another program
        writes. A window's write that lands in the same moment as another program's
        change can take that change as seen until the next one (the watcher's `absorb`);
        this test checks the read ahead, not that race."""
        qtbot.waitUntil(
            lambda: (
                not window.article_actions.flags.busy
                and not window.jobs.running(window.watcher.ABSORB_KIND)
            ),
            timeout=10_000,
        )

    def poll() -> None:
        """The window hears of the other connection's commit (its watcher reads off the UI
        thread: until its read lands, nothing has told the window of the change)."""
        with qtbot.waitSignal(window.watcher.polled, timeout=10_000):
            window.watcher.poll()

    def step(key: Qt.Key) -> Callable[[], None]:
        return lambda: QTest.keyClick(window.table, key)

    def click() -> None:
        window.listing.select_row(rng.randrange(len(ids)))

    def star() -> None:
        window.article_actions.toggle_star()

    def mark() -> None:
        window.article_actions.toggle_read()

    def edit_elsewhere() -> None:
        settle()
        article = other.get(rng.choice(ids))
        assert article is not None
        other.update_articles([replace(article, title=f"{article.title} ✎{rng.randrange(99)}")])
        poll()

    def flag_elsewhere() -> None:
        settle()
        other.set_starred([rng.choice(ids)], rng.random() < 0.5)
        poll()

    def recognise_elsewhere() -> None:
        _add_mention(other, rng.choice(ids), drop=rng.random() < 0.3)
        window.reading.refresh_mentions()

    def store_marks() -> None:
        window.article_actions.flags.flush()

    return [
        step(Qt.Key.Key_J),
        step(Qt.Key.Key_J),
        step(Qt.Key.Key_K),
        click,
        star,
        mark,
        edit_elsewhere,
        flag_elsewhere,
        recognise_elsewhere,
        store_marks,
    ]


@pytest.mark.parametrize("seed", range(8))
def test_opens_from_the_read_ahead_equal_fresh_reads_over_generated_edits(
    qtbot: QtBot, window: MainWindow, seed: int
) -> None:
    rng = random.Random(seed)
    other = Library.open(window.library.directory)
    hits = 0
    try:
        window.activateWindow()
        window.table.setFocus()
        click_row(window, 0)
        edits = _edits(qtbot, window, other, rng)
        for _ in range(40):
            cached = set(window.reading.cache._entries)
            rng.choice(edits)()
            opened_from_cache = window.reading.article_id in cached
            wait_pane(window)
            article_id = window.reading.article_id
            assert article_id is not None
            assert article_id == window.listing.current_id
            expected = _expected(window, other, article_id)
            assert (window.reading.article, window.reading.mentions) == expected
            hits += opened_from_cache
            for cached_id in list(window.reading.cache._entries):
                entry = window.reading.cache._entries[cached_id]
                assert entry == _expected(window, other, cached_id), "a stale cache entry"
        assert hits, "the sequence never opened from the read ahead"
    finally:
        wait_idle(qtbot, window)
        other.close()


def test_the_cache_is_small_and_refuses_reads_older_than_a_change() -> None:
    article = Article(title="A", paragraphs=("x",), id=1)
    cache = ArticleCache(capacity=2)
    epoch = cache.epoch
    assert cache.put(1, (article, []), epoch)
    cache.invalidate()
    assert 1 not in cache
    assert not cache.put(1, (article, []), epoch), "read before the change"
    for i in (1, 2, 3):
        assert cache.put(i, (replace(article, id=i), []), cache.epoch)
    assert len(cache) == 2 and 1 not in cache
    cache.patch_flags(3, starred=True)
    entry = cache.get(3)
    assert entry is not None and entry[0].starred and not entry[0].read
    cache.forget([3])
    assert 3 not in cache


def test_thousands_of_opens_use_one_connection_per_read_thread(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A Qt pool thread loses its `threading.local` after every job: each open used to make
    (and keep open) a new SQLite connection, until the process ran out of files and every
    open said "could not be read"."""
    click_row(window, 0)
    wait_idle(qtbot, window)
    before = len(window.library.storage._all)
    for number in range(60):
        window.listing.select_row(number % 5)
        wait_pane(window)
    assert window.reading.article is not None, "the pane still reads"
    assert len(window.library.storage._all) <= before + window.reading.READ_THREADS
