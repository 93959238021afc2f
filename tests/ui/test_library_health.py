"""The window on a damaged library: one dialog with the message, never a traceback."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from newsreader.core import paths
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.ui import app, library_health
from tests.ui.conftest import open_window


def small_library(folder: Path) -> Path:
    with Library.open(folder) as lib:
        stories = [Article(title=f"Story {n}", paragraphs=(f"Text {n}. " * 40,)) for n in range(60)]
        lib.import_items(stories)
    return folder / paths.DB_FILENAME


def garble_start(db: Path) -> None:
    with db.open("r+b") as handle:
        handle.write(random.Random(1).randbytes(3 * 4096))


def test_opening_a_damaged_library_shows_one_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = small_library(tmp_path / "lib")
    garble_start(db)
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert app.main(["--library", str(tmp_path / "lib")]) == 1
    assert len(shown) == 1
    assert str(db) in shown[0] and "is damaged" in shown[0] and "repair" in shown[0]


def test_a_missing_database_is_refused_in_the_window_too(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small_library(tmp_path / "lib").unlink()
    target = tmp_path / "x.png"
    assert app.main(["--library", str(tmp_path / "lib"), "--screenshot", str(target)]) == 1
    err = capsys.readouterr().err
    assert "is missing, but the search index beside it holds 60 articles" in err
    assert not target.exists()
    assert not (tmp_path / "lib" / paths.DB_FILENAME).exists(), "no new library was made"


def test_the_background_check_shows_damage_it_finds(qtbot: QtBot, tmp_path: Path) -> None:
    db_path = small_library(tmp_path / "lib")
    db = sqlite3.connect(db_path)  # an index that no longer matches its table
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX articles_source ON articles (title)'"
        " WHERE name = 'articles_source'"
    )
    db.commit()
    db.close()
    with Library.open(tmp_path / "lib", daily_backup=False) as library:
        window = open_window(qtbot, library)
        library_health.check_in_background(window.jobs, library, window)

        def dialog() -> QMessageBox | None:
            found = window.findChild(QMessageBox, "damagedLibraryDialog")
            return found if isinstance(found, QMessageBox) and found.isVisible() else None

        qtbot.waitUntil(lambda: dialog() is not None, timeout=20_000)
        box = dialog()
        assert box is not None
        assert "is damaged" in box.informativeText() and "repair" in box.informativeText()
        assert str(db_path) in box.informativeText()
        box.close()
        window.close()


def test_a_sound_library_shows_no_dialog_and_gets_its_backup(qtbot: QtBot, tmp_path: Path) -> None:
    small_library(tmp_path / "lib")
    with Library.open(tmp_path / "lib", daily_backup=False) as library:
        window = open_window(qtbot, library)
        library_health.check_in_background(window.jobs, library, window)
        qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20_000)
        assert window.findChild(QMessageBox, "damagedLibraryDialog") is None
        assert Library.backups(tmp_path / "lib")[0].reason == "daily"
        window.close()
