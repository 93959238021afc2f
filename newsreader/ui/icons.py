"""SVG icons from `resources/icons`, drawn in the palette's text colour at any resolution.

The icons are stroke drawings in `currentColor`; tinting them with the palette keeps them
legible in light and dark themes, and rendering the SVG at each size for 1x, 2x and 3x pixel
ratios keeps them crisp on high-DPI screens, which one fixed-size PNG would not.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from newsreader.core import paths


@cache
def svg_source(name: str) -> str:
    """The SVG text of `resources/icons/<name>.svg` (cached: icons are tiny and reused)."""
    return (paths.resources() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


#: Logical sizes rendered for each icon (menus, toolbars, lists), each at 1x, 2x and 3x.
_SIZES = (16, 20, 24, 32, 48)
_SCALES = (1.0, 2.0, 3.0)


def _render(svg: str, side: int, scale: float, opacity: float = 1.0) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixels = round(side * scale)
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(opacity)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


@cache
def _icon(name: str, normal: str, selected: str) -> QIcon:
    source = svg_source(name)
    result = QIcon()
    for mode, color, opacity in (
        (QIcon.Mode.Normal, normal, 1.0),
        (QIcon.Mode.Active, normal, 1.0),
        (QIcon.Mode.Selected, selected, 1.0),
        (QIcon.Mode.Disabled, normal, 0.4),
    ):
        svg = source.replace("currentColor", color)
        for side in _SIZES:
            for scale in _SCALES:
                result.addPixmap(_render(svg, side, scale, opacity), mode)
    return result


def icon(name: str, color: QColor | None = None) -> QIcon:
    """An icon from `resources/icons/<name>.svg`, in the palette's text colour (or `color`).

    Rendered once per name and colour into pixmaps at several sizes and pixel ratios (a
    Python QIconEngine would be crisper still, but PySide6 calls back into Python for every
    paint, which is slow in long lists and has shown reference-counting crashes).
    """
    palette = QGuiApplication.palette()
    base = QColor(color) if color is not None else palette.color(QPalette.ColorRole.WindowText)
    selected = base if color is not None else palette.color(QPalette.ColorRole.HighlightedText)
    return _icon(name, base.name(), selected.name())


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
