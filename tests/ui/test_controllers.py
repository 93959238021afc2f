"""Each controller on its own, without the window: what it owns and the signals it emits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenuBar, QToolBar, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.actions import ACTIONS, MENUS, SEPARATOR, TOOLBAR, ActionTable
from newsreader.ui.article_actions import ArticleActions, plural
from newsreader.ui.background import BackgroundWork
from newsreader.ui.dialogs import SHORTCUTS
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import ListingController
from newsreader.ui.reader import ReaderView
from newsreader.ui.reading import PLACEHOLDER, ReadingController
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import ALL, View
from tests.ui.conftest import wait_working


def _idle(qtbot: QtBot, jobs: JobRunner) -> None:
    qtbot.waitUntil(lambda: not jobs.running(), timeout=20_000)


def _listing(qtbot: QtBot, library: Library) -> tuple[ListingController, JobRunner, list[object]]:
    jobs = JobRunner()
    listing = ListingController(library, jobs)
    current: list[object] = []
    listing.current_changed.connect(current.append)
    return listing, jobs, current


def _current(listing: ListingController) -> int | None:
    return listing.current_id  # read through a call: each check sees the live value


def _open(reading: ReadingController) -> int | None:
    return reading.article_id


# -- listing ------------------------------------------------------------------------------------


def test_listing_lists_a_view_and_opens_its_first_article(
    qtbot: QtBot, sample_library: Library, qtmodeltester: ModelTester
) -> None:
    listing, jobs, current = _listing(qtbot, sample_library)
    qtmodeltester.check(listing.model)  # type: ignore[no-untyped-call]
    views: list[View] = []
    listing.view_changed.connect(views.append)
    listing.load_view(ALL)
    _idle(qtbot, jobs)
    assert listing.model.rowCount() == 5
    assert current == [listing.model.ids[0]] and listing.current_id == listing.model.ids[0]
    assert views == [ALL]
    listing.step(+1)
    assert listing.current_id == listing.model.ids[1]
    listing.step(-5)
    assert listing.current_id == listing.model.ids[0]


def test_listing_search_session_and_escape(qtbot: QtBot, sample_library: Library) -> None:
    listing, jobs, _ = _listing(qtbot, sample_library)
    sessions: list[object] = []
    listing.search_changed.connect(sessions.append)
    listing.load_view(ALL)
    _idle(qtbot, jobs)
    japan = next(i for i in listing.model.ids if "Japan" in sample_library.get(i).title)  # type: ignore[union-attr]
    listing.select_id(japan)
    listing.run_search("kursk")
    assert listing.searching and listing.search_results is not None
    _idle(qtbot, jobs)
    assert listing.model.rowCount() == 1 and listing.search_results.total == 1
    assert _current(listing) is None, "a search opens nothing by itself"
    assert listing.model.snippet(listing.model.ids[0])
    assert listing.clear_search()
    _idle(qtbot, jobs)
    assert listing.model.rowCount() == 5 and listing.current_id == japan
    assert sessions[-1] is None and not listing.clear_search()


def test_listing_sort_keeps_the_current_article(qtbot: QtBot, sample_library: Library) -> None:
    listing, jobs, _ = _listing(qtbot, sample_library)
    sorts: list[tuple[str, bool]] = []
    listing.sort_changed.connect(lambda key, desc: sorts.append((key, desc)))
    listing.load_view(ALL)
    _idle(qtbot, jobs)
    listing.select_row(3)
    reading = listing.current_id
    listing.set_sort("title", False)
    _idle(qtbot, jobs)
    titles = [r.title for r in sample_library.rows(listing.model.ids)]
    assert titles == sorted(titles, key=str.casefold)
    assert listing.current_id == reading and sorts == [("title", False)]


def test_listing_remove_moves_to_the_next(qtbot: QtBot, sample_library: Library) -> None:
    listing, jobs, _ = _listing(qtbot, sample_library)
    listing.load_view(ALL)
    _idle(qtbot, jobs)
    listing.select_row(1)
    following = listing.model.ids[2]
    listing.remove([listing.model.ids[1]])
    assert listing.current_id == following and listing.model.rowCount() == 4


# -- reading ------------------------------------------------------------------------------------


def test_reading_shows_an_article_or_a_placeholder(qtbot: QtBot, sample_library: Library) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    reader, legend, panel = ReaderView(host), LegendBar(None, host), EntityPanel(host)
    reading = ReadingController(sample_library, reader, legend, panel)
    opened: list[object] = []
    reading.opened.connect(opened.append)
    article_id = sample_library.ids()[0]
    reading.show(article_id)  # read off the UI thread: shown when the read lands
    qtbot.waitUntil(lambda: reading.article_id == article_id)
    assert len(opened) == 1
    assert sample_library.get(article_id).title in reader.toPlainText()  # type: ignore[union-attr]
    reading.show(article_id)
    assert len(opened) == 1, "showing the open article again is not opening it"
    reading.update_flags(article_id, starred=True)
    assert reading.article is not None and reading.article.starred
    reading.show(None)
    assert _open(reading) is None and PLACEHOLDER in reader.toPlainText()
    reading.show(999_999)
    qtbot.waitUntil(lambda: "no longer in the library" in reader.toPlainText())
    reading.close()


# -- article actions ----------------------------------------------------------------------------


def test_article_actions_write_flags_delete_and_undo(
    qtbot: QtBot, sample_library: Library, tmp_path: Path
) -> None:
    listing, jobs, _ = _listing(qtbot, sample_library)
    listing.load_view(ALL)
    _idle(qtbot, jobs)
    host = QWidget()
    qtbot.addWidget(host)
    actions = ArticleActions(sample_library, jobs, listing, Settings(), host)
    messages: list[str] = []
    undo: list[bool] = []
    restored: list[object] = []
    actions.message.connect(lambda text, _ms: messages.append(text))
    actions.undo_available.connect(undo.append)
    actions.restored.connect(restored.append)
    first = listing.model.ids[0]
    with qtbot.waitSignal(actions.changed, timeout=10_000):
        actions.toggle_star()
    assert sample_library.get(first).starred and messages[-1] == "Starred"  # type: ignore[union-attr]
    actions.delete_selection()
    _idle(qtbot, jobs)
    assert sample_library.count() == 4 and undo == [True]
    assert messages[-1] == "Deleted 1 article. Ctrl+Z to undo."
    actions.undo_delete()
    _idle(qtbot, jobs)
    assert sample_library.count() == 5 and undo == [True, False] and len(restored) == 1
    assert plural(2, "article") == "2 articles" and plural(1, "file") == "1 file"


# -- background work ----------------------------------------------------------------------------


def test_background_import_reports_progress_and_refuses_a_second(
    qtbot: QtBot, sample_library: Library, tmp_path: Path
) -> None:
    for n in range(3):
        (tmp_path / f"s{n}.txt").write_text(
            f"Harbour plan {n} approved\n\nThe council approved plan {n} after a debate.\n",
            encoding="utf-8",
        )
    jobs = JobRunner()
    work = BackgroundWork(sample_library, jobs)
    events: list[object] = []
    messages: list[str] = []
    work.progress.connect(events.append)
    work.message.connect(lambda text, _ms: messages.append(text))
    finished: list[object] = []
    idle: list[object] = []
    work.import_finished.connect(finished.append)
    work.idle.connect(lambda: idle.append(True))
    assert work.start_import([tmp_path]) is not None
    assert work.start_import([tmp_path]) is None
    wait_working(qtbot, lambda: bool(finished and idle), work.worker, 60_000)
    assert "already running" in messages[0]
    assert work.last_report is not None and work.last_report.new == 3
    assert any(getattr(e, "stage", "") == "import" for e in events)
    _idle(qtbot, jobs)
    work.cancel()  # the recognition the import started, in the worker process
    wait_working(qtbot, lambda: not work.busy, work.worker, 60_000)
    work.worker.stop()


# -- the action table ---------------------------------------------------------------------------


def test_every_menu_entry_is_an_action_and_every_key_is_on_the_sheet(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    names = {spec.name for spec in ACTIONS}
    for _title, entries in MENUS:
        for entry in entries:
            assert entry == SEPARATOR or entry.startswith("@") or entry in names, entry
    assert all(entry == SEPARATOR or entry in names for entry in TOOLBAR)
    table = ActionTable(host, {})
    bar = QMenuBar(host)
    menus = table.fill_menus(bar, {})
    assert list(menus) == ["File", "Edit", "View", "Article", "Help"]
    table.fill_toolbar(QToolBar(host))
    sheet = " ".join(keys for keys, _ in SHORTCUTS).lower()
    for spec in ACTIONS:
        for key in spec.shortcuts:
            if isinstance(key, str) and len(key) == 1:
                assert key.lower() in sheet, f"{key} ({spec.name}) is not on the shortcuts sheet"
        assert table[spec.name] in host.actions(), "window-wide: added to the owner"
