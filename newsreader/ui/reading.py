"""The reading side: which article the pane shows, with its entities, legend and panel.

The listing controller says which article is current; this controller reads it (one article
on the UI thread, the cheap read the architecture allows), renders it in the `ReaderView`,
dims the legend's absent types and fills the entity panel. It keeps its own copy of the
article's flags in step with writes, and says when an article was opened, so the window can
mark it read.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from newsreader.core.library import Library
from newsreader.core.models import Article, Highlight, Mention
from newsreader.ui.entity_panel import EntityPanel, LegendBar
from newsreader.ui.reader import ReaderView, SearchMarks

PLACEHOLDER = "Select an article to read it here."
RECOGNISING = "Entities are being recognised; they appear here when ready."
NO_ENTITIES = "No entities recognised in this article."


class ReadingController(QObject):
    """See the module docstring."""

    #: An article was opened in the pane (Article): the window may mark it read.
    opened = Signal(object)

    def __init__(
        self,
        library: Library,
        reader: ReaderView,
        legend: LegendBar,
        panel: EntityPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.reader = reader
        self.legend = legend
        self.panel = panel
        self.article: Article | None = None
        self.mentions: list[Mention] = []
        self.terms: SearchMarks = ()
        #: Whether entity recognition is running or awaited (changes the panel's message).
        self.recognising = False
        legend.visible_types_changed.connect(self._on_visible_types)

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article is not None else None

    def show(self, article_id: int | None, placeholder: str = PLACEHOLDER) -> None:
        """Show an article, or `placeholder` when `article_id` is None or it is gone."""
        if article_id is not None and article_id == self.article_id:
            return
        article = self.library.get(article_id) if article_id is not None else None
        if article is None:
            self.article, self.mentions = None, []
            missing = "This article is no longer in the library."
            self.reader.show_placeholder(placeholder if article_id is None else missing)
            self.legend.set_present(set())
            self.panel.set_mentions([], "")
            return
        self.article = article
        self.mentions = self.library.mentions(article.id or 0)
        self.render()
        self.opened.emit(article)

    def render(self, *, keep_scroll: bool = False) -> None:
        """(Re)draw the open article: after a theme change, new entities, new terms."""
        article = self.article
        if article is None:
            return
        bar = self.reader.verticalScrollBar()
        value = bar.value()
        self.reader.show_article(article, self.mentions, self.terms, self.legend.visible_types)
        if keep_scroll:
            bar.setValue(value)
        self.legend.set_present({m.type for m in self.mentions})
        self.fill_panel()

    def set_terms(self, terms: SearchMarks) -> None:
        """What to mark as search hits: the search's `Highlight` (what the core matched, per
        part), or plain words; none outside a search."""
        self.terms = terms if isinstance(terms, Highlight) else tuple(terms)
        self.reader.set_terms(self.terms)

    def refresh_mentions(self) -> None:
        """Entities were recognised: re-read the open article's mentions and redraw."""
        if self.article is not None and self.article.id is not None:
            self.mentions = self.library.mentions(self.article.id)
            self.render(keep_scroll=True)

    def update_flags(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        article = self.article
        if article is None or article.id != article_id:
            return
        self.article = replace(
            article,
            read=article.read if read is None else read,
            starred=article.starred if starred is None else starred,
        )

    def fill_panel(self) -> None:
        """The panel lists the entities of the types the legend shows (dates hidden)."""
        if self.article is None:
            self.panel.set_mentions([], "")
            return
        visible = self.legend.visible_types
        shown = [m for m in self.mentions if m.type in visible]
        message = "" if shown else (RECOGNISING if self.recognising else NO_ENTITIES)
        self.panel.set_mentions(shown, message)

    def _on_visible_types(self, visible: set[str]) -> None:
        self.reader.set_visible_types(visible)
        self.fill_panel()
