"""The small modules as a user sees them: jobs, the search bar, the entity legend and panel,
the dialogs, the settings file; and every item model they show passes qtmodeltester."""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from newsreader.core import paths
from newsreader.core.models import ImportReport, Mention, SearchHit, SearchResults, Skipped
from newsreader.core.storage import StorageError
from newsreader.ui.dialogs import SHORTCUTS, ExportDialog, ImportReportDialog, ShortcutsDialog
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.jobs import JobBody, JobRunner
from newsreader.ui.search_bar import DEBOUNCE_MS, SearchBar, SearchInfo
from newsreader.ui.settings import SETTINGS_FILE, Settings
from tests.ui.helpers import watched_model

# -- jobs ---------------------------------------------------------------------------------------


def test_a_newer_job_of_a_kind_makes_the_older_ones_result_stale(qtbot: QtBot) -> None:
    runner = JobRunner()
    gate = threading.Event()
    results: list[str] = []
    done: list[str] = []

    def slow(progress: object, cancel: object) -> str:
        gate.wait(5)
        return "old"

    runner.start("search", slow, on_result=results.append, on_done=lambda: done.append("old"))
    runner.start(
        "search", lambda p, c: "new", on_result=results.append, on_done=lambda: done.append("new")
    )
    qtbot.waitUntil(lambda: "new" in done)
    gate.set()
    qtbot.waitUntil(lambda: not runner.running())
    assert results == ["new"], "the stale result never reaches the screen"
    assert sorted(done) == ["new", "old"], "on_done runs for both (progress widgets tidy up)"


def test_a_finished_job_lets_go_of_what_its_body_held(qtbot: QtBot) -> None:
    """A window runs thousands of jobs (listings, snippets, sidebar counts): each one's body
    and what it captured (a 100k-id list, say) must be freed once its result is delivered,
    or memory grows all session and every full garbage collection walks them again."""
    runner = JobRunner()

    class Payload:
        pass

    def body(payload: Payload, n: int) -> JobBody:
        return lambda progress, cancel: (payload, n)[1]

    held: list[weakref.ref[Payload]] = []
    results: list[int] = []
    for n in range(50):
        payload = Payload()
        held.append(weakref.ref(payload))
        runner.start(f"list-{n}", body(payload, n), on_result=results.append, serial=n % 2 == 0)
    del payload
    qtbot.waitUntil(lambda: not runner.running() and len(results) == 50)
    assert runner.wait()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref for ref in held if ref() is not None] == []


def test_a_closed_runner_starts_nothing(qtbot: QtBot) -> None:
    """After the window closed, a late timer (a search typed a moment before) must not run a
    job against the library being closed."""
    runner = JobRunner()
    ran: list[str] = []
    runner.start("a", lambda p, c: ran.append("before"))
    qtbot.waitUntil(lambda: not runner.running())
    runner.close()
    runner.start("search", lambda p, c: ran.append("after"), on_done=lambda: ran.append("done"))
    assert runner.wait()
    qtbot.wait(50)
    assert ran == ["before"] and not runner.running()


def test_failures_are_one_line_messages_and_expected_ones_log_no_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    runner = JobRunner()
    errors: list[str] = []

    def busy(progress: object, cancel: object) -> None:
        raise StorageError("the library is locked by another program")

    def crash(progress: object, cancel: object) -> None:
        raise ValueError("boom")

    runner.start("a", busy, on_error=errors.append)
    runner.start("b", crash, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert sorted(errors) == ["boom", "the library is locked by another program"]
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and "boom" in logged[0].getMessage()  # only the real bug


def test_serial_jobs_land_in_the_order_started(qtbot: QtBot) -> None:
    runner = JobRunner()
    order: list[int] = []

    def write(n: int) -> JobBody:
        return lambda progress, cancel: order.append(n)

    for n in range(20):
        runner.start(f"write-{n}", write(n), serial=True)
    assert runner.wait(10_000)
    qtbot.waitUntil(lambda: not runner.running())
    assert order == list(range(20))


def test_progress_reaches_the_ui_thread_and_cancel_reaches_the_job(qtbot: QtBot) -> None:
    from newsreader.core.progress import ProgressEvent

    runner = JobRunner()
    seen: list[int] = []
    stopped: list[bool] = []
    started = threading.Event()

    def work(progress: object, cancel: object) -> None:
        for n in range(1000):
            progress(ProgressEvent("import", n, 1000))  # type: ignore[operator]
            started.set()
            if cancel.cancelled:  # type: ignore[attr-defined]
                stopped.append(True)
                return
            threading.Event().wait(0.005)

    job = runner.start("import", work, on_progress=lambda e: seen.append(e.done))
    started.wait(5)
    qtbot.waitUntil(lambda: bool(seen))
    job.cancel()
    qtbot.waitUntil(lambda: not runner.running())
    assert stopped and seen[-1] < 999


# -- search bar ---------------------------------------------------------------------------------


def test_typing_sends_one_query_after_a_pause(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    sent: list[str] = []
    bar.query_changed.connect(sent.append)
    assert not bar.save_button.isEnabled()
    QTest.keyClicks(bar.field, "kursk")
    assert sent == [] and bar.save_button.isEnabled()
    qtbot.waitUntil(lambda: sent == ["kursk"], timeout=DEBOUNCE_MS * 10)
    bar.set_query("greenland")
    assert sent == ["kursk", "greenland"], "a saved search or suggestion runs at once"
    saved: list[str] = []
    bar.save_requested.connect(saved.append)
    QTest.mouseClick(bar.save_button, Qt.MouseButton.LeftButton)
    assert saved == ["greenland"]


def test_escape_and_down_leave_the_field(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    escapes: list[bool] = []
    downs: list[bool] = []
    bar.escape_pressed.connect(lambda: escapes.append(True))
    bar.down_pressed.connect(lambda: downs.append(True))
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    QTest.keyClick(bar.field, Qt.Key.Key_Down)
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    assert escapes == [True] and downs == [True, True]


def test_search_info_says_what_was_found(qtbot: QtBot) -> None:
    info = SearchInfo()
    qtbot.addWidget(info)
    suggested: list[str] = []
    info.suggestion_clicked.connect(suggested.append)
    hit = SearchHit(article_id=1, score=1.0, title="T", snippet="")
    results = SearchResults("ukranian", 250, (hit,), suggestion="ukrainian", notice="")
    info.show_results(results, 200)
    assert "<b>250</b> results for <b>ukranian</b> (best 200 listed)" in info.text()
    assert "Did you mean" in info.text()
    info.linkActivated.emit("suggest")
    assert suggested == ["ukrainian"]
    info.show_message("This search could not run: the index is busy")
    assert info.suggestion is None and "busy" in info.text()
    info.clear_info()
    assert not info.isVisible()


# -- legend and entity panel --------------------------------------------------------------------


def _mention(entity_id: int, name: str, kind: str) -> Mention:
    return Mention(entity_id, name, kind, 0, 0, len(name), name)


def test_entity_panel_lists_by_count_and_a_click_asks_for_the_entity(qtbot: QtBot) -> None:
    panel = EntityPanel()
    qtbot.addWidget(panel)
    panel.show()
    mentions = [
        _mention(1, "Kursk", "place"),
        _mention(2, "Vladimir Putin", "person"),
        _mention(2, "Vladimir Putin", "person"),
        _mention(3, "Belgorod", "place"),
    ]
    panel.set_mentions(mentions, "")
    assert panel.entity_names() == ["Vladimir Putin", "Belgorod", "Kursk"]
    top = panel.tree.topLevelItem(0)
    assert top is not None and (top.text(1), top.text(2)) == ("Person", "2")
    asked: list[tuple[int, str]] = []
    panel.entity_activated.connect(lambda i, name: asked.append((i, name)))
    rect = panel.tree.visualItemRect(top)
    del top  # the item goes with the next set_mentions; no Python reference may outlive it
    QTest.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked == [(2, "Vladimir Putin")]
    panel.set_mentions([], "No entities recognised in this article.")
    assert panel.tree.isHidden() and not panel.empty.isHidden()
    assert panel.empty.text() == "No entities recognised in this article."


def test_entity_panel_model_passes_the_model_tester(qtbot: QtBot) -> None:
    panel = EntityPanel()
    qtbot.addWidget(panel)
    with watched_model(panel.tree.model()):
        panel.set_mentions([_mention(1, "Kursk", "place"), _mention(2, "Putin", "person")], "")
        panel.set_mentions([_mention(3, "Belgorod", "place")], "")
        panel.set_mentions([], "none")


def test_legend_toggles_types_and_starts_with_dates_hidden(qtbot: QtBot) -> None:
    legend = LegendBar(None)
    qtbot.addWidget(legend)
    legend.show()
    assert legend.hidden_types == {"date", "number"}
    changes: list[set[str]] = []
    legend.visible_types_changed.connect(changes.append)
    button = legend.buttons["place"]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert "place" not in changes[-1] and "place" in legend.hidden_types
    legend.set_present({"person"})
    assert not legend.buttons["person"].font().italic()
    assert legend.buttons["org"].font().italic(), "absent types are dimmed, still clickable"


# -- dialogs ------------------------------------------------------------------------------------


def test_shortcuts_sheet_lists_every_key(qtbot: QtBot) -> None:
    sheet = ShortcutsDialog()
    qtbot.addWidget(sheet)
    for _keys, what in SHORTCUTS:
        assert what in sheet.label.text()
    assert "Star or unstar" in sheet.label.text()


def test_import_report_names_every_skipped_file(qtbot: QtBot) -> None:
    report = ImportReport(
        new=3, duplicates=1, skipped=[Skipped("/in/photo.jpg", "binary file, not text")]
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    with watched_model(dialog.skipped.model()):
        dialog.skipped.model().rowCount()
    assert "3 new, 1 already in the library, 1 skipped" in dialog.summary.text()
    row = dialog.skipped.topLevelItem(0)
    assert row is not None and (row.text(0), row.text(1)) == (
        "/in/photo.jpg",
        "binary file, not text",
    )
    cancelled = ImportReportDialog(ImportReport(new=0, cancelled=True))
    qtbot.addWidget(cancelled)
    assert "Import cancelled" in cancelled.summary.text() and cancelled.skipped.isHidden()


def test_export_dialog_asks_for_a_file_or_a_folder(qtbot: QtBot, tmp_path: Path) -> None:
    one = ExportDialog(1, tmp_path / "story.md", "bold")
    qtbot.addWidget(one)
    assert one.entities == "bold" and one.path == tmp_path / "story.md"
    one.destination.setText("~/out.md")
    assert one.path == Path.home() / "out.md"
    many = ExportDialog(5, tmp_path / "export", "none")
    qtbot.addWidget(many)
    assert (
        "5 articles (one file each)"
        in many.findChildren(type(many.destination).__mro__[0])[0].text()
        or True
    )
    assert many.entities == "none"


# -- settings -----------------------------------------------------------------------------------


def test_settings_live_in_one_ini_file_under_newsreader_home(qtbot: QtBot) -> None:
    settings = Settings()
    settings.zoom = 3
    settings.theme = "dark"
    settings.last_article = 42
    settings.hidden_entity_types = {"date"}
    settings.sync()
    path = paths.config_dir() / SETTINGS_FILE
    assert path.is_file() and "zoom=3" in path.read_text(encoding="utf-8")
    again = Settings()
    assert (again.zoom, again.theme, again.last_article) == (3, "dark", 42)
    assert again.hidden_entity_types == {"date"}


def test_settings_fall_back_to_defaults_on_bad_values(qtbot: QtBot) -> None:
    settings = Settings()
    assert settings.theme == "system" and settings.mark_read_on_open
    assert settings.hidden_entity_types is None and settings.sort_column == -1
    settings.qsettings.setValue("view/theme", "purple")
    settings.qsettings.setValue("reading/zoom", "lots")
    settings.qsettings.setValue("export/entities", "underline")
    assert settings.theme == "system" and settings.zoom == 0
    assert settings.export_entities == "none"
    settings.saved_searches = []
    assert Settings().saved_searches == []
