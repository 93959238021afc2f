"""Section 1 and 7: the entry point opens the library and renders the window to a PNG."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui import app


def test_screenshot_renders_the_sample_library(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    library_dir = tmp_path / "lib"
    assert (
        app.main(["--library", str(library_dir), "--screenshot", str(target), "--size", "1000x700"])
        == 0
    )
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1000, 700)
    with Library.open(library_dir) as library:
        assert library.count() == 5  # the first run imported the bundled sample


def test_a_library_that_cannot_be_opened_is_an_error_not_a_crash(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert app.main(["--library", str(not_a_folder), "--screenshot", str(tmp_path / "x.png")]) == 1
    assert "cannot open the library at" in capsys.readouterr().err


def test_the_window_paints_without_qts_fill_threads(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine each large fill handed to Qt's painting pool made the window wait
    for a free core (bench/README.md): the app switches the pool off before Qt starts."""
    monkeypatch.setenv("QT_NO_GUI_THREADPOOL", "")  # so that the end of the test restores it
    monkeypatch.delenv("QT_NO_GUI_THREADPOOL")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    app.main(["--library", str(not_a_folder), "--screenshot", str(tmp_path / "x.png")])
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"
