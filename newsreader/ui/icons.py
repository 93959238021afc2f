"""SVG icons from `resources/icons`, drawn in the palette's text colour at any resolution.

The icons are stroke drawings in `currentColor`; tinting them with the palette keeps them
legible in light and dark themes, and rendering the SVG at the requested size (times the
device pixel ratio) keeps them crisp on high-DPI screens, which fixed-size PNGs would not.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from newsreader.core import paths


@cache
def svg_source(name: str) -> str:
    """The SVG text of `resources/icons/<name>.svg` (cached: icons are tiny and reused)."""
    return (paths.resources() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


class _TintedSvgEngine(QIconEngine):
    """Renders one SVG, replacing `currentColor` with a palette colour chosen per icon mode."""

    def __init__(self, name: str, color: QColor | None = None) -> None:
        super().__init__()
        self._name = name
        self._color = color

    def _color_for(self, mode: QIcon.Mode) -> QColor:
        palette = QGuiApplication.palette()
        if self._color is not None:
            color = QColor(self._color)
        elif mode == QIcon.Mode.Selected:
            color = palette.color(QPalette.ColorRole.HighlightedText)
        else:
            color = palette.color(QPalette.ColorRole.WindowText)
        if mode == QIcon.Mode.Disabled:
            color.setAlphaF(0.4)
        return color

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        color = self._color_for(mode)
        text = svg_source(self._name).replace("currentColor", color.name(QColor.NameFormat.HexRgb))
        renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
        painter.save()
        painter.setOpacity(painter.opacity() * color.alphaF())
        renderer.render(painter, rect)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = self.pixmap(
            QSize(round(size.width() * scale), round(size.height() * scale)), mode, state
        )
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._name, self._color)

    def key(self) -> str:
        return "newsreader-tinted-svg"


def icon(name: str, color: QColor | None = None) -> QIcon:
    """An icon from `resources/icons/<name>.svg`, in the palette's text colour (or `color`)."""
    return QIcon(_TintedSvgEngine(name, color))


def app_icon() -> QIcon:
    """The application icon (full colour, so it is not tinted)."""
    source = svg_source("newsreader").encode("utf-8")
    result = QIcon()
    renderer = QSvgRenderer(QByteArray(source))
    for side in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result
