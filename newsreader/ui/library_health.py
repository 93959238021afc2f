"""The window's side of a damaged library: one clear dialog, never a traceback.

Two moments: opening fails (the core's `DamagedLibraryError` / `MissingDatabaseError` carry
the whole message: the file, what is wrong, what to do), and the full integrity check that
runs in the background after the window is up (`Library.check_health`, which also takes the
daily backup once the check has passed) finds damage that the quick check at open did not
reach. Kept out of `main_window.py` so the window's controllers need to know nothing of it.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QMessageBox, QWidget

from newsreader.core import paths
from newsreader.core.integrity import DamagedLibraryError, MissingDatabaseError
from newsreader.core.library import Library
from newsreader.core.progress import CancelToken
from newsreader.ui.jobs import JobRunner

TITLE = "Newsreader"


def open_failure_text(exc: BaseException, directory: str | os.PathLike[str] | None) -> str:
    """What to tell the user when the library cannot be opened."""
    if isinstance(exc, DamagedLibraryError | MissingDatabaseError):
        return _sentence(str(exc))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"cannot open the library at {paths.library_dir(directory)}: {reason}"


def report_open_failure(
    exc: BaseException, directory: str | os.PathLike[str] | None, *, headless: bool
) -> None:
    """A modal dialog (or, for `--screenshot` runs, one line on stderr)."""
    text = open_failure_text(exc, directory)
    if headless:
        print(f"newsreader: {text}", file=sys.stderr)
        return
    QMessageBox.critical(None, TITLE, f"The library could not be opened.\n\n{_sentence(text)}")


def check_in_background(jobs: JobRunner, library: Library, parent: QWidget | None) -> None:
    """Run the full integrity check (then the daily backup) off the UI thread; on damage,
    show a dialog that does not block the window (the user may still export what shows)."""

    def check(progress: object, cancel: CancelToken) -> str | None:
        return library.check_health(cancel=cancel)

    def found(message: object) -> None:
        if isinstance(message, str):
            show_damage(message, parent)

    jobs.start("health", check, on_result=found)


def show_damage(message: str, parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Warning, TITLE, "The library database is damaged.", parent=parent
    )
    box.setInformativeText(
        _sentence(message)
        + "\n\nClose Newsreader before you restore or repair; until then, change nothing."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setObjectName("damagedLibraryDialog")
    box.open()
    return box


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
