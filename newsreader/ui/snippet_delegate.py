"""Search results show the matching snippet as a second line under the title.

Reading why an article matched, without hovering each row, is what makes a result list fast to
scan. Only rows that have a snippet (search results) are painted here; every other row is
left to the default delegate.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from newsreader.ui.article_model import ArticleTableModel

ModelIndex = QModelIndex | QPersistentModelIndex


def plain_snippet(snippet: str) -> str:
    """The core's snippet without its « » match markers (the tooltip keeps them bold)."""
    return snippet.replace("«", "").replace("»", "")


def fit_snippet(snippet: str, metrics: QFontMetrics, width: int) -> str:
    """The snippet as one line of `width` pixels that always shows its first match.

    Elided at the right when the first match fits; otherwise the start is cut at a word
    boundary ("…") so that the match sits about a third of the way along, with some of the
    words before it for context.
    """
    plain = plain_snippet(snippet)
    hit = snippet.find("«")
    if hit < 0 or width <= 0:
        return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width)
    end = snippet.find("»", hit)
    hit_end = (end - 1) if end > hit else hit  # in `plain`: one marker («) removed before it
    if metrics.horizontalAdvance(plain[:hit_end]) <= width - metrics.averageCharWidth() * 2:
        return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width)
    cut = hit
    context = width // 3
    while cut > 0:
        previous = plain.rfind(" ", 0, cut - 1)
        candidate = previous + 1 if previous >= 0 else 0
        if metrics.horizontalAdvance("… " + plain[candidate:hit]) > context:
            break
        cut = candidate
    shown = ("… " if cut > 0 else "") + plain[cut:]
    return metrics.elidedText(shown, Qt.TextElideMode.ElideRight, width)


def wrap_lines(text: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """`text` broken at spaces into at most `lines` lines of `width` pixels, the last one
    elided ("…") if the text goes on. A word longer than a line is elided on its own line."""
    words = text.split()
    out: list[str] = []
    current = ""
    for n, word in enumerate(words):
        if len(out) == lines - 1:  # the last line takes the rest, elided below
            rest = " ".join(words[n:])
            current = f"{current} {rest}" if current else rest
            break
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    return [
        line
        if metrics.horizontalAdvance(line) <= width
        else metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
        for line in out
    ]


#: Wrapped titles kept per (title, width, font): scrolling repaints the same rows again and
#: again, and laying a title out is the most expensive part of painting a row.
_WRAP_CACHE_SIZE = 4096


class SnippetDelegate(QStyledItemDelegate):
    """Paints a search result's title and snippet on two lines, and wraps other titles onto
    as many lines as the row holds (cached, so scrolling does not lay them out again)."""

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._wrapped: dict[tuple[str, int, str], list[str]] = {}

    def _wrap(self, text: str, font: QFont, width: int, lines: int) -> list[str]:
        key = (text, width * 10 + lines, font.key())
        found = self._wrapped.get(key)
        if found is None:
            if len(self._wrapped) >= _WRAP_CACHE_SIZE:
                self._wrapped.clear()
            found = self._wrapped[key] = wrap_lines(text, QFontMetrics(font), width, lines)
        return found

    def _paint_cell(
        self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex
    ) -> tuple[QStyleOptionViewItem, str, bool]:
        """Paint the cell as the style does (background, selection, focus) without its text;
        the cell's options, its title, and whether it is selected, for painting the text."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        return opt, title, bool(opt.state & QStyle.StateFlag.State_Selected)

    def _paint_title(
        self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        opt, title, selected = self._paint_cell(painter, option, index)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = opt.rect.adjusted(6, 2, -6, -2)
        metrics = QFontMetrics(opt.font)
        spacing = metrics.lineSpacing()
        lines = self._wrap(title, opt.font, rect.width(), max(1, rect.height() // spacing))
        top = rect.top() + (rect.height() - spacing * len(lines)) // 2
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(QPalette.ColorGroup.Normal, role))
        for number, line in enumerate(lines):
            line_rect = QRect(rect.left(), top + number * spacing, rect.width(), spacing)
            painter.drawText(
                line_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line
            )
        painter.restore()

    def _snippet(self, index: ModelIndex) -> str:
        article_id = self.model.article_id(index.row())
        return self.model.snippet(article_id) if article_id is not None else ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        snippet = self._snippet(index)
        if not snippet:
            self._paint_title(painter, option, index)
            return
        opt, title, selected = self._paint_cell(painter, option, index)
        group = QPalette.ColorGroup.Normal
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = opt.rect.adjusted(6, 2, -6, -2)
        half = rect.height() // 2
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        first = QRect(rect.left(), rect.top(), rect.width(), half)
        painter.drawText(
            first,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(opt.font).elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        small = QFont(opt.font)
        small.setBold(False)
        small.setPointSizeF(max(6.0, opt.font.pointSizeF() * 0.88))
        painter.setFont(small)
        painter.setPen(opt.palette.color(group, muted_role))
        second = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        painter.drawText(
            second,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fit_snippet(snippet, QFontMetrics(small), rect.width()),
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if self._snippet(index):
            size.setHeight(size.height() * 2)
        return size
