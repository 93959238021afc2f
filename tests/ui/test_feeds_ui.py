"""Feeds in the window: the Feeds panel, Add feed, refresh off the UI thread, unsubscribe and
undo, failures shown in words. Feeds are served from 127.0.0.1 inside the test.

The window's worker runs without the entity model here (`no_recognition`): a refresh that
stores entries asks for their recognition, which in the real worker loads spaCy and builds
the gazetteer, several seconds of CPU at niceness 19 that took minutes on a loaded machine,
and these tests look at feeds, not entities (tests/ui/test_entities_ui.py does).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.sources import Source
from newsreader.core.storage import ArticleFilter
from newsreader.ui.feeds_sidebar import FAILED_MARK, STOPPED_MARK, FeedsPanel
from newsreader.ui.flag_writer import FlagWriter
from newsreader.ui.main_window import MainWindow
from tests import worker_stubs
from tests.feedserver import FeedServer, Reply, Seen, items, rss
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import titles


@pytest.fixture(autouse=True)
def no_recognition(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real worker, but with no entity model: recognition is asked for and declined at
    once (module docstring)."""
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("no-model", directory),
    )


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def feeds_window(qtbot: QtBot, library: Library, server: FeedServer) -> Iterator[MainWindow]:
    server.routes["/world.xml"] = Reply(body=rss("World desk", items(3, "World")))
    server.routes["/tech.xml"] = Reply(body=rss("Tech desk", items(2, "Tech")))
    library.add_feed(server.url("/world.xml"), folder="News")
    library.add_feed(server.url("/tech.xml"), folder="News/Science")
    win = open_window(qtbot, library)
    yield win
    win.close()


def labels(panel: FeedsPanel) -> list[str]:
    """Every row of the panel as 'indent label count', top to bottom."""
    rows: list[str] = []

    def walk(item: object, depth: int) -> None:
        from PySide6.QtWidgets import QTreeWidgetItem

        assert isinstance(item, QTreeWidgetItem)
        rows.append("  " * depth + f"{item.text(0)} {item.text(1)}".rstrip())
        for i in range(item.childCount()):
            walk(item.child(i), depth + 1)

    for i in range(panel.tree.topLevelItemCount()):
        walk(panel.tree.topLevelItem(i), 0)
    return rows


def test_panel_shows_folders_unread_counts_and_failures(qtbot: QtBot) -> None:
    panel = FeedsPanel()
    qtbot.addWidget(panel)
    now = datetime.now(UTC)
    panel.populate(
        [
            Source(1, "feed", "World desk", "http://a/w", folder="News", unread=3, articles=5),
            Source(2, "feed", "Lab notes", "http://a/l", folder="News/Science", unread=2),
            Source(
                3,
                "feed",
                "Broken",
                "http://a/b",
                last_error="the feed was not found at this address (404)",
                last_attempt=now,
            ),
            Source(4, "feed", "Gone", "http://a/g", active=False, last_error="gone (410)"),
        ]
    )
    assert labels(panel) == [
        "News 5",
        "  Science 2",
        "    Lab notes 2",
        "  World desk 3",
        f"{FAILED_MARK} Broken",
        f"{STOPPED_MARK} Gone",
    ]
    broken = panel.item_for(3)
    assert broken is not None
    assert "Last refresh failed: the feed was not found at this address (404)" in broken.toolTip(0)
    gone = panel.item_for(4)
    assert gone is not None and "Stopped: gone (410)" in gone.toolTip(0)
    menu = [a.text() for a in panel.menu_for(1).actions() if a.text()]
    assert menu == [
        "Refresh",
        "Rename…",
        "Move to folder…",
        "Properties…",
        "Mark all read",
        "Unsubscribe…",
    ]


def test_window_lists_feeds_and_refresh_runs_off_the_ui_thread(
    qtbot: QtBot, feeds_window: MainWindow, server: FeedServer
) -> None:
    window = feeds_window
    # The window opened the newest article on start, so one World desk article is read, and
    # the panel's counts follow once the sidebar refreshes.
    qtbot.waitUntil(lambda: labels(window.feeds.panel)[0] == "News 4")
    assert labels(window.feeds.panel) == [
        "News 4",
        "  Science 2",
        "    Tech desk 2",
        "  World desk 2",
    ]
    release = threading.Event()

    def held(seen: Seen) -> Reply:
        release.wait(10)
        return Reply(body=rss("World desk", items(5, "World")))

    server.routes["/world.xml"] = held
    messages: list[str] = []
    window.background.message.connect(lambda text, _ms: messages.append(text))
    window.feeds.actions["refresh_feeds"].trigger()
    # The refresh waits on the network in a worker; the UI thread goes on serving events.
    qtbot.waitUntil(lambda: bool(server.hits("/world.xml")) and len(server.hits("/world.xml")) >= 2)
    assert window.feeds.refreshing
    qtbot.wait(50)  # events are processed while the server holds the answer
    assert window.feeds.refreshing
    release.set()
    qtbot.waitUntil(lambda: not window.feeds.refreshing, timeout=10_000)
    wait_idle(qtbot, window)
    assert window.library.index_pending() == 0, "the worker process indexed the new entries"
    assert len(window.library.search_ids("world number")) == 5
    assert "World desk 4" in [row.strip() for row in labels(window.feeds.panel)]
    assert any(m.startswith("Entities are not available") for m in messages), (
        "the new entries were given to recognition"
    )
    item = window.feeds.panel.item_for(window.library.find_source("World desk").id)
    assert item is not None
    window.feeds.panel.tree.setCurrentItem(item)
    window.feeds.panel._on_activated(item)
    wait_idle(qtbot, window)
    assert sorted(titles(window)) == [f"World number {i}" for i in range(1, 6)]


def test_failed_refresh_is_marked_with_the_reason(
    qtbot: QtBot, feeds_window: MainWindow, server: FeedServer
) -> None:
    window = feeds_window
    server.routes["/tech.xml"] = Reply(404, b"no", content_type="text/plain")
    window.feeds.refresh([])
    qtbot.waitUntil(lambda: not window.feeds.refreshing, timeout=10_000)
    wait_idle(qtbot, window)
    item = window.feeds.panel.item_for(window.library.find_source("Tech desk").id)
    assert item is not None and item.text(0) == f"{FAILED_MARK} Tech desk"
    assert "not found at this address (404)" in item.toolTip(0)
    assert window.library.count() == 5, "the failure removed nothing"


def test_add_feed_dialog_subscribes_or_offers_the_choice(
    qtbot: QtBot, feeds_window: MainWindow, server: FeedServer
) -> None:
    window = feeds_window
    server.routes["/sport.xml"] = Reply(body=rss("Sport desk", items(4, "Sport")))
    server.routes["/page"] = Reply(
        body=b'<html><head><link rel="alternate" type="application/rss+xml" title="Sport"'
        b' href="/sport.xml"><link rel="alternate" type="application/atom+xml" title="Other"'
        b' href="/other.xml"></head></html>',
        content_type="text/html",
    )
    dialog = window.feeds.add_feed_dialog()
    dialog.url.setText(server.url("/page"))
    dialog.folder.setEditText("Sport")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.choices.isVisible(), timeout=10_000)
    assert dialog.choices.count() == 2 and "choose one" in dialog.message.text()
    dialog.choices.setCurrentRow(0)
    with qtbot.waitSignal(dialog.added, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_idle(qtbot, window)
    assert labels(window.feeds.panel)[-2:] == ["Sport 4", "  Sport desk 4"]
    assert window.library.find_source("Sport desk").folder == "Sport"

    bad = window.feeds.add_feed_dialog()
    bad.url.setText("file:///etc/passwd")
    bad.subscribe()
    qtbot.waitUntil(lambda: "only http and https" in bad.message.text(), timeout=10_000)
    assert bad.isVisible(), "the dialog stays open to correct the address"
    bad.reject()


def test_unsubscribe_and_undo(qtbot: QtBot, feeds_window: MainWindow) -> None:
    window = feeds_window
    world = window.library.find_source("World desk")
    window.feeds.unsubscribe(world.id, confirm=False)
    wait_idle(qtbot, window)
    assert window.library.count() == 2
    assert all("World" not in row for row in labels(window.feeds.panel))
    window.feeds.actions["undo_unsubscribe"].trigger()
    wait_idle(qtbot, window)
    assert window.library.count() == 5
    assert "  World desk 2" in labels(window.feeds.panel)


def test_rename_move_and_mark_all_read(qtbot: QtBot, feeds_window: MainWindow) -> None:
    window = feeds_window
    world = window.library.find_source("World desk")
    window.feeds.rename(world.id, "Planet")
    wait_idle(qtbot, window)
    window.feeds.move(world.id, "Archive")
    wait_idle(qtbot, window)
    window.feeds.mark_all_read(world.id)
    wait_idle(qtbot, window)
    assert labels(window.feeds.panel)[:2] == ["Archive", "  Planet"]


def test_screenshot_of_the_sidebar_with_feeds(
    qtbot: QtBot, feeds_window: MainWindow, server: FeedServer, tmp_path: Path
) -> None:
    window = feeds_window
    server.routes["/tech.xml"] = Reply(503, b"", headers={"Retry-After": "600"})
    window.feeds.refresh([])
    qtbot.waitUntil(lambda: not window.feeds.refreshing, timeout=10_000)
    wait_idle(qtbot, window)
    left = window.splitter.widget(0)
    assert left is not None
    shot = tmp_path / "sidebar-feeds.png"
    assert left.grab().save(str(shot))
    assert shot.stat().st_size > 1000


def test_fetch_full_text_of_the_open_article(
    qtbot: QtBot, library: Library, server: FeedServer
) -> None:
    page = (
        "<html><head><title>Long read</title></head><body><article>"
        + "".join(
            f"<p>Part {n}: the whole report, much longer than the feed's one-line summary of it"
            " and with every detail the summary left out.</p>"
            for n in range(1, 5)
        )
        + "</article></body></html>"
    ).encode()
    server.routes["/page"] = Reply(body=page, content_type="text/html")
    entry = {"guid": "x", "title": "Long read", "link": server.url("/page"), "description": "Hi."}
    server.routes["/f.xml"] = Reply(body=rss("Summaries", [entry]))
    library.add_feed(server.url("/f.xml"))
    window = open_window(qtbot, library)
    [article_id] = library.ids()
    window.listing.select_id(article_id)
    wait_idle(qtbot, window)
    messages: list[str] = []
    window.feeds.status.connect(messages.append)
    window.feeds.actions["full_text"].trigger()
    wait_idle(qtbot, window)
    stored = library.get(article_id)
    assert stored is not None and len(stored.paragraphs) == 4
    assert stored.paragraphs[0].startswith("Part 1: the whole report")
    assert "Full text of “Long read”: 4 paragraphs." in messages
    window.close()


def test_feed_marks_have_a_glyph_in_an_installed_font(qapp: object) -> None:
    """A mark no installed font can draw shows as an empty box; DejaVu (what scripts/setup.sh
    installs) has no stop sign (U+23F9), which the stopped mark once was."""
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    families = QFontDatabase.families()
    for mark in (FAILED_MARK, STOPPED_MARK):
        drawn = [f for f in families if QRawFont.fromFont(QFont(f)).supportsCharacter(ord(mark))]
        assert drawn, f"no installed font draws {mark!r} ({families})"


def test_mark_all_read_comes_after_the_marks_not_stored_yet(
    qtbot: QtBot, feeds_window: MainWindow
) -> None:
    """An article marked unread a moment before "Mark all read" on its feed ends read: the
    window's coalesced marks are stored first, never after, and none is lost (a star too)."""
    window = feeds_window
    library = window.library
    world = library.find_source("World desk")
    tech = library.find_source("Tech desk")
    assert world is not None and tech is not None
    world_ids = library.ids(ArticleFilter(source=world.name))
    tech_ids = library.ids(ArticleFilter(source=tech.name))
    library.set_read(world_ids, True)
    flags = window.article_actions.flags
    flags.set([world_ids[0]], "read", False)  # pressed m: waits up to 1.5 s to be stored
    flags.set([tech_ids[0]], "starred", True)
    assert flags.pending == 2
    window.feeds.mark_all_read(world.id)
    wait_idle(qtbot, window)
    qtbot.wait(FlagWriter.MAX_DELAY_MS + 200)  # a late write of the old mark would land now
    wait_idle(qtbot, window)
    assert all(a.read for a in library.get_many(world_ids))
    assert [a.starred for a in library.get_many(tech_ids[:1])] == [True]
    row = window.model.row_of(world_ids[0])
    if row is not None:  # the list shows what the library holds
        font = window.model.data(window.model.index(row, 1), Qt.ItemDataRole.FontRole)
        assert font is None or not font.bold()
