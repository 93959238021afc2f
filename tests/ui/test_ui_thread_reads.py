"""The UI thread runs no SQL while the reader works through a library during an import.

During a big import SQLite drops each connection's page cache at every commit of the worker,
and a read on the UI thread can then wait on a disk busy with the import's writes (strace
found reads of up to 1.25 s; bench/README.md, issue 8). So the window reads everything off
the UI thread: list rows (`ui/article_model.py`), the article to open (`ui/reading.py`), the
watcher's stamps, the sidebar, search, snippets. This test traces every statement the
library's connections run on the main thread while a reader opens the window, scrolls,
searches, switches views and steps through rows during a background import, and allows none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core.entities import canonical, layers, store
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.ui.sidebar import ALL, View
from tests import worker_stubs
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import statements_on_the_ui_thread, story_files


def _articles(count: int) -> list[Article]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Article(
            title=f"Lighthouse keepers meet, part {n}",
            paragraphs=(f"The keepers of lighthouse {n} met on Tuesday.", "More text here."),
            source=("Coast news", "Harbour weekly", "Island post")[n % 3],
            published=start + timedelta(hours=n),
        )
        for n in range(count)
    ]


def test_the_ui_thread_runs_no_sql_while_the_reader_works_during_an_import(
    qtbot: QtBot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("slow-read", directory),
    )
    library.import_items(_articles(1200))
    library.set_starred(library.ids()[:40:3])
    keeper = "Alexei Smirnov"
    named = [canonical.Named(layers.Span(0, 0, len(keeper), "person"), keeper, keeper, "person")]
    with library.storage.transaction() as db:
        for article_id in library.ids()[:5]:
            store.save_article(db, store.EntityResolver(db), article_id, named, "m")
    entity_id = library.entities("person")[0].id
    folder = story_files(tmp_path / "in", 900)
    with statements_on_the_ui_thread() as ran:
        window = open_window(qtbot, library)
        table, listing = window.table, window.listing
        bar = table.verticalScrollBar()
        window.start_import([folder])
        assert window.import_job is not None
        # Scroll down and back, a page at a time and in jumps, as the list grows.
        for value in (*range(0, bar.maximum(), max(1, bar.maximum() // 25)), 0, bar.maximum()):
            bar.setValue(value)
            qtbot.wait(15)
        bar.setValue(0)
        # Step through rows (each opens an article, read off the UI thread too), then search.
        listing.select_row(0)
        for _ in range(6):
            listing.step(+1)
            qtbot.wait(30)
        window.search_bar.set_query("keepers", immediate=True)
        qtbot.waitUntil(lambda: window.search_results is not None and window.model.rowCount() > 0)
        for value in (0, bar.maximum() // 2, bar.maximum()):
            bar.setValue(value)
            qtbot.wait(30)
        window.clear_search()
        # Switch views from the sidebar.
        for view in (View("unread"), View("starred"), View("source", "Coast news"), ALL):
            window.sidebar.view_selected.emit(view)
            qtbot.wait(150)
        for _ in range(3):
            listing.step(+1)
            qtbot.wait(30)
        # A name clicked in the text: its articles (the click names only the entity's id).
        window.show_entity(entity_id, "")
        qtbot.waitUntil(lambda: listing.view.kind == "entity" and listing.view.label == keeper)
        qtbot.waitUntil(lambda: window.model.rowCount() == 5)
        window.sidebar.view_selected.emit(ALL)
        qtbot.waitUntil(lambda: window.import_job is None, timeout=60_000)
        wait_idle(qtbot, window)
        assert window.model.rowCount() == 2100, "the import's articles are all listed"
        bar.setValue(bar.maximum())
        qtbot.wait(100)
        ui_tooltip = window.model.data(window.model.index(0, 1), 3)  # ToolTipRole
        assert ui_tooltip is None or "<b>" in ui_tooltip
        wait_idle(qtbot, window)
        window.close()
    assert not ran, f"{len(ran)} statements on the UI thread:\n" + "\n".join(
        str(s) for s in ran[:40]
    )
