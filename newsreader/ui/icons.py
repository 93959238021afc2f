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


#: Logical sizes rendered for each icon (menus and lists, toolbars), each at 1x and 2x; Qt
#: scales the nearest one for anything else.
_SIZES = (16, 24)
_SCALES = (1.0, 2.0)


def _add_renders(result: QIcon, svg: str, mode: QIcon.Mode) -> None:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    for side in _SIZES:
        for scale in _SCALES:
            pixels = round(side * scale)
            pixmap = QPixmap(pixels, pixels)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, pixels, pixels))
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            result.addPixmap(pixmap, mode)


@cache
def _icon(name: str, normal: str, selected: str) -> QIcon:
    source = svg_source(name)
    result = QIcon()
    _add_renders(result, source.replace("currentColor", normal), QIcon.Mode.Normal)
    if selected != normal:
        _add_renders(result, source.replace("currentColor", selected), QIcon.Mode.Selected)
    # Disabled and active forms are derived by Qt from the normal pixmaps.
    return result


def icon(name: str, color: QColor | None = None) -> QIcon:
    """An icon from `resources/icons/<name>.svg`, in the palette's text colour (or `color`).

    Rendered once per name and colour into pixmaps at a few sizes and pixel ratios. (A
    Python QIconEngine would render every size exactly, but PySide calls back into Python on
    every paint, which costs in long lists.)
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
