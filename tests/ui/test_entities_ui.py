"""Section 2 (entities): highlights by type with a legend, hover, click to list, the panel, the
sidebar. Runs the real recogniser on the sample (skipped, with the reason, without the model)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from newsreader.core.entities import ModelMissingError, recognizer
from newsreader.core.library import Library
from newsreader.ui.main_window import MainWindow
from newsreader.ui.reader import ENTITY_ID_PROPERTY, highlighted_spans
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import count_text
from tests import worker_stubs
from tests.ui.conftest import open_window, wait_idle, wait_working
from tests.ui.helpers import click_row, row_with, titles


def _require_model() -> None:
    try:
        recognizer.model_id()
    except ModelMissingError as exc:
        pytest.skip(f"named-entity model not installed: {exc}")


@pytest.fixture
def recognised(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The sample window after entity recognition ran in the background, as after first run."""
    _require_model()
    errors: list[str] = []
    window.statusBar().messageChanged.connect(errors.append)
    window.start_entity_recognition()
    wait_working(qtbot, lambda: window.entity_job is None, window.indexing.worker, 120_000)
    wait_idle(qtbot, window)
    assert not any("not available" in e for e in errors), errors
    return window


def _open(window: MainWindow, word: str) -> None:
    click_row(window, row_with(window, word))


def test_entities_are_highlighted_by_type(recognised: MainWindow) -> None:
    _open(recognised, "Ukraine")
    spans = highlighted_spans(recognised.reader.document())
    by_type: dict[str | None, set[str]] = {}
    for text, entity_type, _ in spans:
        by_type.setdefault(entity_type, set()).add(text)
    assert "Kursk" in by_type["place"]
    assert any("Zelens" in name for name in by_type["person"])
    assert "date" not in by_type  # hidden by default, like the legend says
    assert not recognised.legend.buttons["date"].isChecked()


def test_legend_toggle_hides_a_type_and_is_remembered(qtbot: QtBot, recognised: MainWindow) -> None:
    _open(recognised, "Ukraine")
    QTest.mouseClick(recognised.legend.buttons["place"], Qt.MouseButton.LeftButton)
    types = {t for _, t, _ in highlighted_spans(recognised.reader.document())}
    assert "place" not in types and "person" in types
    assert "Kursk" not in recognised.entity_panel.entity_names()
    assert Settings().hidden_entity_types == {"place", "date", "number"}


def test_hovering_a_mention_names_its_type_and_entity(recognised: MainWindow) -> None:
    _open(recognised, "Ukraine")
    reader = recognised.reader
    cursor = reader.document().find("Kursk")
    rect = reader.cursorRect(cursor)
    fmt = reader.format_at(QPoint(rect.left() - 8, rect.center().y()))
    assert fmt.toolTip().startswith("Place: Kursk")


def test_clicking_a_mention_lists_every_article_naming_it(
    qtbot: QtBot, recognised: MainWindow
) -> None:
    _open(recognised, "Vance")
    reader = recognised.reader
    cursor = reader.document().find("Greenland")
    rect = reader.cursorRect(cursor)
    point = QPoint(rect.left() - 8, rect.center().y())
    entity_id = reader.format_at(point).property(ENTITY_ID_PROPERTY)
    assert isinstance(entity_id, int)
    QTest.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    wait_idle(qtbot, recognised)
    assert recognised.view.kind == "entity" and recognised.view.entity_id == entity_id
    expected = set(recognised.library.entity_article_ids(entity_id))
    assert set(recognised.model.ids) == expected
    assert any("Vance" in t for t in titles(recognised))


def test_entity_panel_lists_the_articles_entities_and_opens_them(
    qtbot: QtBot, recognised: MainWindow
) -> None:
    _open(recognised, "Ukraine")
    names = recognised.entity_panel.entity_names()
    assert "Kursk" in names and "Belgorod" in names
    tree = recognised.entity_panel.tree
    item = tree.findItems("Belgorod", Qt.MatchFlag.MatchExactly, 0)[0]
    QTest.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    wait_idle(qtbot, recognised)
    assert recognised.view.label == "Belgorod"
    assert len(titles(recognised)) == 1 and "Ukraine" in titles(recognised)[0]


def test_sidebar_lists_entities_by_type_and_filters(qtbot: QtBot, recognised: MainWindow) -> None:
    sidebar = recognised.sidebar
    people = sidebar._type_items["person"]
    names = [people.child(i).text(0) for i in range(people.childCount())]  # type: ignore[union-attr]
    assert "Vladimir Putin" in names
    QTest.keyClicks(sidebar.filter, "Kur")
    qtbot.waitUntil(lambda: sidebar._type_items["place"].childCount() == 1)
    wait_idle(qtbot, recognised)
    place = sidebar._type_items["place"].child(0)
    assert place is not None and place.text(0) == "Kursk" and count_text(place) == "1"
    assert people.isHidden()
    sidebar.tree.setCurrentItem(place)
    wait_idle(qtbot, recognised)
    assert len(titles(recognised)) == 1


def test_entity_search_field(qtbot: QtBot, recognised: MainWindow) -> None:
    recognised.search_bar.set_query("person:putin AND place:kursk")
    wait_idle(qtbot, recognised)
    assert recognised.search_results is not None and recognised.search_results.total == 1


def test_first_run_recognises_entities_in_the_background(qtbot: QtBot, library: Library) -> None:
    _require_model()
    window = open_window(qtbot, library, seed_sample=True)
    wait_working(
        qtbot, lambda: window.library.entities_pending() == 0, window.indexing.worker, 120_000
    )
    wait_idle(qtbot, window)
    assert window.sidebar._type_items["place"].childCount() > 0
    window.close()


def test_export_marks_entities_as_chosen(
    qtbot: QtBot, recognised: MainWindow, tmp_path: Path
) -> None:
    _open(recognised, "Vance")
    dialog = recognised.export_selection()
    assert dialog is not None
    wikilinks = dialog.marking.button(2)
    QTest.mouseClick(wikilinks, Qt.MouseButton.LeftButton, pos=QPoint(6, wikilinks.height() // 2))
    target = tmp_path / "vance.md"
    dialog.destination.setText(str(target))
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(target.exists)
    wait_idle(qtbot, recognised)
    assert "[[Greenland]]" in target.read_text(encoding="utf-8")
    recognised.copy_markdown()  # Copy as Markdown follows the remembered choice
    wait_idle(qtbot, recognised)  # built off the UI thread, copied when ready
    assert "[[Greenland]]" in QGuiApplication.clipboard().text()


def test_missing_model_is_a_calm_status_message_not_a_traceback(
    qtbot: QtBot,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(
        "newsreader.ui.worker_process.worker_command",
        lambda directory: worker_stubs.command("no-model", directory),
    )
    window = open_window(qtbot, library, seed_sample=True)
    qtbot.waitUntil(lambda: window.entity_job is None, timeout=30_000)
    assert window.library.count() == 5, "articles are readable without the model"
    assert "Entities are not available" in window.statusBar().currentMessage()
    assert "pip install" in window.statusBar().currentMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    window.close()
