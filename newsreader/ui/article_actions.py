"""What a reader does to articles: star, mark read, delete with undo, export, copy.

Flag changes are shown in the list at once (`ArticleTableModel.update_row`) and stored by the
`FlagWriter` (ui/flag_writer.py) a moment later, off the UI thread: a burst of changes is one
write, the last change of a flag wins (star then unstar never lands as a star), and a write
that finds an import holding the library is tried again later instead of waiting.
Deletes keep what they removed on an undo stack. Exports ask where with `ExportDialog`.

The controller only changes the library and the list model; it reports through signals
(`message`, `changed`, ...) and the window shows them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from newsreader.core import filenames
from newsreader.core.export import EntityStyle
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.ui.dialogs import ExportDialog
from newsreader.ui.flag_writer import FlagWriter
from newsreader.ui.jobs import JobRunner
from newsreader.ui.listing import ListingController
from newsreader.ui.settings import Settings


def plural(count: int, noun: str) -> str:
    """ "1 article", "5 articles" (never "article(s)")."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class ArticleActions(QObject):
    """See the module docstring."""

    #: A line for the status bar: (text, milliseconds).
    message = Signal(str, int)
    #: The library changed (a flag, a delete, a restore): counts need refreshing.
    changed = Signal()
    #: An article's flags changed: (id, read or None, starred or None).
    flags_changed = Signal(int, object, object)
    #: Whether there is a delete to undo.
    undo_available = Signal(bool)
    #: Deleted articles are back (list[Article]).
    restored = Signal(object)
    #: An export failed; nothing was overwritten (the reason).
    export_failed = Signal(str)
    #: A background write failed (the reason).
    failed = Signal(str)
    #: Articles are being deleted (list of ids): what was read of them is no longer theirs.
    removed = Signal(object)

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        listing: ListingController,
        settings: Settings,
        dialog_parent: QWidget,
    ) -> None:
        super().__init__(dialog_parent)
        self.library = library
        self.jobs = jobs
        self.listing = listing
        self.model = listing.model
        self.settings = settings
        self.dialog_parent = dialog_parent
        self.undo_stack: list[list[Article]] = []
        self.export_dialog: ExportDialog | None = None
        #: Stores the flag changes (read marks, stars), gathered; `close` at the window's end.
        self.flags = FlagWriter(library, jobs, self.model, self)
        self.flags.written.connect(self.changed.emit)
        self.flags.failed.connect(lambda text: self.message.emit(text, 15_000))
        self.flags.gave_up.connect(self._show_stored)
        #: An article the window already holds (the open one, or one read ahead), or None:
        #: the export dialog's suggested name comes from it, without a read on the UI thread.
        self.known_article: Callable[[int], Article | None] = lambda _article_id: None

    # -- flags -----------------------------------------------------------------------------------

    def _flag(self, ids: Sequence[int], field: str) -> list[bool]:
        rows = [self.model.row(r) for r in (self.model.row_of(i) for i in ids) if r is not None]
        # A row whose page has not landed yet (ui/article_model.py) counts as without the
        # flag: pressing s on it stars it, as on any row that shows no star.
        return [r is not None and bool(getattr(r, field)) for r in rows]

    def set_read(self, ids: Sequence[int], read: bool) -> None:
        ids = list(ids)
        self.flags.set(ids, "read", read)
        for article_id in ids:
            self.model.update_row(article_id, read=read)
            self.flags_changed.emit(article_id, read, None)

    def set_starred(self, ids: Sequence[int], starred: bool) -> None:
        ids = list(ids)
        self.flags.set(ids, "starred", starred)
        for article_id in ids:
            self.model.update_row(article_id, starred=starred)
            self.flags_changed.emit(article_id, None, starred)

    def _show_stored(self, ids: list[int]) -> None:
        """Changes that could not be stored were given up: the list and the pane show the
        flags the library holds again (a cheap read of a few rows)."""
        try:
            rows = self.library.rows(ids)
        except Exception:  # the library is failing: the status bar already says so
            return
        for row in rows:
            self.model.update_row(row.id, read=row.read, starred=row.starred)
            self.model.settle([row.id])  # no write pending: the row is the library's again
            self.flags_changed.emit(row.id, row.read, row.starred)

    def toggle_star(self, ids: Sequence[int] | None = None) -> None:
        """Star the selection, or unstar it if all of it is starred (s, the star column)."""
        ids = list(ids) if ids is not None else self.listing.selected_ids()
        if not ids:
            return
        starred = not all(self._flag(ids, "starred"))
        self.set_starred(ids, starred)
        self.message.emit("Starred" if starred else "Unstarred", 2000)

    def toggle_read(self) -> None:
        ids = self.listing.selected_ids()
        if not ids:
            return
        read = not all(self._flag(ids, "read"))
        self.set_read(ids, read)
        self.message.emit("Marked read" if read else "Marked unread", 2000)

    # -- delete / undo -------------------------------------------------------------------------

    def delete_selection(self) -> None:
        ids = self.listing.selected_ids()
        if not ids:
            return
        library = self.library
        self.flags.flush()  # the marks made before the delete are stored before it
        self.listing.remove(ids)
        self.removed.emit(ids)

        def delete(progress: Any, cancel: Any) -> list[Article]:
            return library.delete(ids)

        def deleted(articles: list[Article]) -> None:
            self.undo_stack.append(articles)
            self.undo_available.emit(True)
            self.message.emit(f"Deleted {plural(len(articles), 'article')}. Ctrl+Z to undo.", 8000)
            self.changed.emit()

        self.jobs.start(
            f"delete-{time.monotonic_ns()}",
            delete,
            on_result=deleted,
            on_error=self.failed.emit,
            serial=True,
        )

    def undo_delete(self) -> None:
        if not self.undo_stack:
            return
        self.flags.flush()
        articles = self.undo_stack.pop()
        self.undo_available.emit(bool(self.undo_stack))
        library = self.library

        def restore(progress: Any, cancel: Any) -> list[Article]:
            library.restore(articles)
            return articles

        def done(back: list[Article]) -> None:
            self.message.emit(f"Restored {plural(len(back), 'article')}.", 4000)
            self.restored.emit(back)
            self.changed.emit()

        self.jobs.start("restore", restore, on_result=done, on_error=self.failed.emit, serial=True)

    # -- export ----------------------------------------------------------------------------------

    def export_selection(self) -> ExportDialog | None:
        """Ask where to export the selection (or the open article), then write it."""
        ids = self.listing.selected_ids()
        if not ids:
            self.message.emit("Select an article to export.", 4000)
            return None
        folder = Path(self.settings.export_folder or Path.home())
        if len(ids) == 1:
            title = self._title(ids[0])
            suggested = folder / filenames.safe_filename(title, article_id=ids[0])
        else:
            suggested = folder / "newsreader-export"
        dialog = ExportDialog(
            len(ids), suggested, self.settings.export_entities, self.dialog_parent
        )
        dialog.accepted.connect(lambda: self.export(ids, dialog.path, dialog.entities))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export(self, ids: list[int], destination: Path, entities: EntityStyle) -> None:
        self.settings.export_entities = entities
        self.settings.export_folder = str(destination.parent if len(ids) == 1 else destination)
        library = self.library

        def write(progress: Any, cancel: Any) -> list[Path]:
            return library.export_markdown(ids, destination, entities=entities)

        def written(files: list[Path]) -> None:
            where = files[0] if len(files) == 1 else destination
            self.message.emit(f"Exported {plural(len(files), 'article')} to {where}", 8000)

        self.jobs.start("export", write, on_result=written, on_error=self.export_failed.emit)

    def _title(self, article_id: int) -> str:
        """The title of one article for a file name: from the pane (the open article, or one
        read ahead), else from the list's row; with neither, the name is `article-<id>`."""
        article = self.known_article(article_id)
        if article is not None:
            return article.title
        row = self.model.row_of(article_id)
        found = self.model.row(row) if row is not None else None
        return found.title if found is not None else ""

    def copy_markdown(self, article_id: int | None) -> None:
        """Copy the article as Markdown: read and built off the UI thread, copied when ready
        (a second copy before the first is ready wins)."""
        if article_id is None:
            return
        library = self.library
        # Marked as the last export was: one remembered choice for both ways out.
        entities = self.settings.export_entities

        def build(progress: Any, cancel: Any) -> str:
            return library.to_markdown(article_id, entities=entities)

        def built(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.message.emit("Copied the article as Markdown.", 3000)

        def failed(message: str) -> None:
            self.message.emit(f"Could not copy the article: {message}", 8000)

        self.jobs.start("export-copy", build, on_result=built, on_error=failed)
