"""The reading pane: an article laid out as a QTextDocument with entities and search hits marked.

The document is built with QTextCursor and character formats (not HTML) so that highlight
offsets map one-to-one onto the stored text the core's mention offsets refer to, and so that
every highlight carries its entity type and id as format properties: the view uses them for
tooltips and clicks, and tests read them back to check what the reader sees.

The pane never loads anything remote: `loadResource` refuses every URL, so an article cannot
make the app fetch a tracking pixel or leak that it was opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QHelpEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from newsreader.core import photos
from newsreader.core.models import KICKER_PART, TITLE_PART, Article, Highlight, Mention
from newsreader.core.search import match_spans
from newsreader.ui import palette as colours
from newsreader.ui.article_model import format_date

#: Char-format properties carrying what a highlight is (read by tooltips, clicks and tests).
ENTITY_TYPE_PROPERTY = QTextFormat.Property.UserProperty + 1
ENTITY_ID_PROPERTY = QTextFormat.Property.UserProperty + 2
ENTITY_NAME_PROPERTY = QTextFormat.Property.UserProperty + 3
SEARCH_HIT_PROPERTY = QTextFormat.Property.UserProperty + 4

#: The text column's maximum width in average characters: ~70 is the classic readable measure.
MEASURE_CHARS = 72
BASE_POINT_SIZE = 12.0
ZOOM_STEP = 1.0
MIN_ZOOM, MAX_ZOOM = -5, 12


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range in one part of the article (title, kicker or paragraph)."""

    start: int
    end: int
    mention: Mention | None = None  # an entity mention, or None for a search hit


#: What to mark as search hits: the search's `Highlight` (what it matched, per part), or
#: plain words.
SearchMarks = Highlight | Sequence[str]


def search_spans(text: str, terms: SearchMarks, part: str = "body") -> list[Span]:
    """Where the search matched in `text`, one `part` of the article ("title", "kicker" or
    "body"): the core's `match_spans`, so what is marked is what the index matched (stems,
    the words a prefix stood for, exact phrases, and only the field a `title:` searched)."""
    if not terms:
        return []
    if not isinstance(terms, Highlight):  # plain words, perhaps as typed: `person:x`, `ukrain*`
        terms = [t.split(":")[-1].strip("*\"' ") for t in terms]
    return [Span(start, end) for start, end in match_spans(text, terms, part)]


def _boundaries(length: int, spans: Sequence[Span]) -> list[int]:
    points = {0, length}
    for span in spans:
        points.add(max(0, min(length, span.start)))
        points.add(max(0, min(length, span.end)))
    return sorted(points)


class ArticleRenderer:
    """Builds an article into a QTextDocument (kept apart from the widget so it is testable)."""

    def __init__(self, document: QTextDocument) -> None:
        self.document = document
        #: Body text size in points; headings and credits are sized relative to it (zoom).
        self.point_size = BASE_POINT_SIZE
        #: Left and right margin that centres a readable column in the pane (set on resize).
        self.side_margin = 28.0

    def apply_margins(self) -> None:
        # The root frame through a cursor, not `rootFrame()`: PySide keeps every wrapper that
        # `rootFrame()` returns as a child of the document's, and `clear()` makes a new root
        # frame for each article, so each open left one more object for the collector to
        # walk for good (bench/README.md). The cursor's wrapper goes when it is dropped; the
        # pane never holds nested frames, so the frame at position 0 is the root.
        root = QTextCursor(self.document).currentFrame()
        fmt: QTextFrameFormat = root.frameFormat()
        if fmt.leftMargin() == self.side_margin and fmt.topMargin() == 24:
            return
        fmt.setLeftMargin(self.side_margin)
        fmt.setRightMargin(self.side_margin)
        fmt.setTopMargin(24)
        fmt.setBottomMargin(48)
        root.setFrameFormat(fmt)

    def render(
        self,
        article: Article,
        mentions: Sequence[Mention] = (),
        terms: SearchMarks = (),
        visible_types: set[str] | None = None,
        palette: QPalette | None = None,
    ) -> None:
        pal = palette or QGuiApplication.palette()
        self._entity_formats: dict[str, QTextCharFormat] = {}
        self._hit_format = QTextCharFormat()
        self._hit_format.setBackground(colours.search_background(pal))
        self._hit_format.setForeground(
            QColor("#ffffff") if colours.is_dark(pal) else QColor("#000000")
        )
        self._hit_format.setProperty(SEARCH_HIT_PROPERTY, True)
        doc = self.document
        doc.clear()
        # Margins go on the empty document: setting them later would lay it all out twice.
        self.apply_margins()
        by_part: dict[int, list[Mention]] = {}
        for mention in mentions:
            if visible_types is None or mention.type in visible_types:
                by_part.setdefault(mention.part, []).append(mention)

        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        text_color = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        first = True

        def block(top: float, bottom: float, line_height: float = 150.0) -> None:
            nonlocal first
            fmt = QTextBlockFormat()
            fmt.setTopMargin(top)
            fmt.setBottomMargin(bottom)
            fmt.setLineHeight(
                line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
            )
            if first:
                cursor.setBlockFormat(fmt)
                first = False
            else:
                cursor.insertBlock(fmt)

        if article.kicker:
            block(0, 4, 120)
            kicker = QTextCharFormat()
            kicker.setFontCapitalization(QFont.Capitalization.AllUppercase)
            kicker.setFontLetterSpacing(108)
            kicker.setFontWeight(QFont.Weight.DemiBold)
            kicker.setFontPointSize(self.point_size * 0.78)
            kicker.setForeground(colours.link_colour(pal))
            self._insert_part(
                cursor, article.kicker, kicker, by_part.get(KICKER_PART, []), terms, pal, "kicker"
            )

        block(0, 6, 118)
        title = QTextCharFormat()
        title.setFontPointSize(self.point_size * 1.5)
        title.setFontWeight(QFont.Weight.Bold)
        title.setForeground(text_color)
        self._insert_part(
            cursor, article.title, title, by_part.get(TITLE_PART, []), terms, pal, "title"
        )

        meta = QTextCharFormat()
        meta.setFontPointSize(self.point_size * 0.85)
        meta.setForeground(muted)
        details = [article.byline, article.source, format_date(article.published)]
        block(0, 14, 130)
        cursor.insertText("  ·  ".join(d for d in details if d), meta)
        if article.truncated:
            cursor.insertText("  ·  ", meta)
            cursor.insertText("Truncated in the source", self._truncated_format(pal))

        body = QTextCharFormat()
        body.setFontPointSize(self.point_size)
        body.setForeground(text_color)
        photos_after = {
            after: [photos.photo_text(p) for p in placed]
            for after, placed in photos.article_photos(article).items()
        }
        self._insert_photos(cursor, photos_after.get(photos.BEFORE_FIRST, []), pal, block)
        for number, paragraph in enumerate(article.paragraphs):
            block(0, 12)
            self._insert_part(cursor, paragraph, body, by_part.get(number, []), terms, pal)
            self._insert_photos(cursor, photos_after.get(number, []), pal, block)
        if article.truncated:
            block(4, 12)
            cursor.insertText("[…] The source ends mid-sentence here.", self._truncated_format(pal))
        if article.url:
            block(10, 0)
            link = QTextCharFormat(meta)
            link.setAnchor(True)
            link.setAnchorHref(article.url)
            link.setForeground(colours.link_colour(pal))
            link.setToolTip(f"Open in your browser: {article.url}")
            cursor.insertText("Original article ↗", link)
        cursor.endEditBlock()

    def _truncated_format(self, pal: QPalette) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontItalic(True)
        fmt.setFontPointSize(self.point_size * 0.85)
        fmt.setForeground(colours.type_accent("event", pal))
        fmt.setToolTip("This article was cut off in the source it was imported from.")
        return fmt

    def _insert_photos(
        self, cursor: QTextCursor, credits: list[str], pal: QPalette, block: Any
    ) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(True)
        fmt.setFontPointSize(self.point_size * 0.8)
        fmt.setForeground(pal.color(QPalette.ColorRole.PlaceholderText))
        for credit in credits:
            block(0, 12, 120)
            cursor.insertText(f"▣  {credit}", fmt)

    def _insert_part(
        self,
        cursor: QTextCursor,
        text: str,
        base: QTextCharFormat,
        mentions: Sequence[Mention],
        terms: SearchMarks,
        pal: QPalette,
        part: str = "body",
    ) -> None:
        """Insert one part's text, split at every highlight boundary, each piece formatted."""
        entity_spans = [
            Span(m.start, m.end, m) for m in mentions if 0 <= m.start < m.end <= len(text)
        ]
        hits = search_spans(text, terms, part)
        points = _boundaries(len(text), [*entity_spans, *hits])
        for start, end in pairwise(points):
            if start == end:
                continue
            fmt = QTextCharFormat(base)
            entity = next(
                (s.mention for s in entity_spans if s.start <= start and end <= s.end), None
            )
            hit = any(s.start <= start and end <= s.end for s in hits)
            if entity is not None:
                self._mark_entity(fmt, entity, pal)
            if hit:
                fmt.merge(self._hit_format)
            cursor.insertText(text[start:end], fmt)

    def _mark_entity(self, fmt: QTextCharFormat, mention: Mention, pal: QPalette) -> None:
        label = colours.TYPE_LABELS.get(mention.type, mention.type.title())
        style = self._entity_formats.get(mention.type)
        if style is None:  # colours are worked out once per type and render
            style = QTextCharFormat()
            style.setBackground(colours.type_background(mention.type, pal))
            style.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            style.setUnderlineColor(colours.type_accent(mention.type, pal))
            style.setProperty(ENTITY_TYPE_PROPERTY, mention.type)
            self._entity_formats[mention.type] = style
        fmt.merge(style)
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"entity:{mention.entity_id}")
        fmt.setToolTip(f"{label}: {mention.name} — click for every article that mentions it")
        fmt.setProperty(ENTITY_ID_PROPERTY, mention.entity_id)
        fmt.setProperty(ENTITY_NAME_PROPERTY, mention.name)


class ReaderView(QTextBrowser):
    """Shows one article; emits `entity_clicked(entity id)` when a highlighted name is clicked."""

    entity_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        # A scrollbar that came and went with each article's length would resize the viewport,
        # re-centre the column and lay the whole article out a second time.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.anchorClicked.connect(self._on_anchor)
        self.renderer = ArticleRenderer(self.document())
        self.article: Article | None = None
        self._mentions: Sequence[Mention] = ()
        self._terms: SearchMarks = ()
        self._visible_types: set[str] | None = None
        self._zoom = 0
        self.document().setDocumentMargin(28)
        self._apply_font()
        self.show_placeholder("Select an article to read it here.")

    # -- content -------------------------------------------------------------------------------

    def show_article(
        self,
        article: Article,
        mentions: Sequence[Mention] = (),
        terms: SearchMarks = (),
        visible_types: set[str] | None = None,
    ) -> None:
        self.article = article
        self._mentions = mentions
        self._terms = terms
        self._visible_types = visible_types
        self._render()
        self.verticalScrollBar().setValue(0)

    def set_terms(self, terms: SearchMarks) -> None:
        if terms != self._terms:
            self._terms = terms
            self._rerender_keeping_scroll()

    def set_visible_types(self, visible_types: set[str]) -> None:
        self._visible_types = set(visible_types)
        self._rerender_keeping_scroll()

    def show_placeholder(self, message: str) -> None:
        self.article = None
        self._mentions = ()
        doc = self.document()
        doc.clear()
        cursor = QTextCursor(doc)
        fmt = QTextBlockFormat()
        fmt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        fmt.setTopMargin(80)
        cursor.setBlockFormat(fmt)
        char = QTextCharFormat()
        char.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        cursor.insertText(message, char)

    def _render(self) -> None:
        if self.article is None:
            return
        self._apply_measure()
        self.renderer.render(
            self.article, self._mentions, self._terms, self._visible_types, self.palette()
        )

    def _rerender_keeping_scroll(self) -> None:
        bar = self.verticalScrollBar()
        value = bar.value()
        self._render()
        bar.setValue(value)

    # -- typography ------------------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        """Text size relative to the default, in steps (Ctrl+plus / Ctrl+minus)."""
        self._zoom = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        self._apply_font()
        self._render()

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setFamilies(["Source Serif 4", "Charter", "Georgia", "DejaVu Serif", "serif"])
        font.setStyleHint(QFont.StyleHint.Serif)
        # Every size in the document is relative to the body size, so zoom scales them all.
        self.renderer.point_size = BASE_POINT_SIZE * (1.0 + self._zoom * 0.1)
        font.setPointSizeF(self.renderer.point_size)
        self.document().setDefaultFont(font)

    def _apply_measure(self) -> None:
        """Keep lines to a readable measure by centring a column of ~72 characters."""
        metrics = QFontMetricsF(self.document().defaultFont())
        metrics_width = metrics.averageCharWidth() * MEASURE_CHARS
        available = self.viewport().width()
        self.renderer.side_margin = float(round(max(28.0, (available - metrics_width) / 2)))
        if self.article is not None:
            self.renderer.apply_margins()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_measure()

    # -- links, tooltips, resources ------------------------------------------------------------

    def loadResource(self, resource_type: int, name: QUrl | str) -> Any:
        """Refuse every resource: an article must never make the app fetch anything."""
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "entity":
            try:
                self.entity_clicked.emit(int(url.path()))
            except ValueError:
                return
        elif url.scheme() in {"http", "https"}:
            # Only on an explicit click, and in the user's browser: the pane itself loads nothing.
            QDesktopServices.openUrl(url)

    def format_at(self, point: QPoint) -> QTextCharFormat:
        """The character format under a viewport point (what a hover or click lands on)."""
        cursor = self.cursorForPosition(point)
        if not cursor.atBlockEnd():
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        return cursor.charFormat()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            fmt = self.format_at(event.pos())
            tip = fmt.toolTip()
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


def highlighted_spans(document: QTextDocument) -> list[tuple[str, str | None, bool]]:
    """(text, entity type or None, is search hit) for every highlighted fragment, in order.

    What the reader sees marked in the pane; used by tests and handy when debugging.
    """
    spans: list[tuple[str, str | None, bool]] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid():
                fmt = fragment.charFormat()
                entity_type = fmt.property(ENTITY_TYPE_PROPERTY)
                hit = bool(fmt.property(SEARCH_HIT_PROPERTY))
                if entity_type or hit:
                    spans.append((fragment.text(), entity_type or None, hit))
            iterator += 1
        block = block.next()
    return spans
