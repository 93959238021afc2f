"""Entity-type colours that stay readable in light and dark palettes.

Each type has a hue; the highlight background is a pale tint of it on a light palette and a
deep shade on a dark one, so that the palette's own text colour keeps its contrast on top, and
the underline uses a mid-tone that stands out on both.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

#: Hue (degrees) per entity type; chosen to be distinguishable, including for common
#: red-green colour blindness (blue/orange/purple carry most of the weight).
_HUES: dict[str, int] = {
    "person": 220,
    "org": 275,
    "place": 115,
    "group": 30,
    "event": 350,
    "work": 180,
    "date": 55,
    "number": 0,
}

TYPE_LABELS: dict[str, str] = {
    "person": "Person",
    "org": "Organisation",
    "place": "Place",
    "group": "Group",
    "event": "Event",
    "work": "Work",
    "date": "Date",
    "number": "Number",
}

#: Short names for the legend, where eight toggles share one line.
TYPE_SHORT: dict[str, str] = {
    "person": "Person",
    "org": "Org",
    "place": "Place",
    "group": "Group",
    "event": "Event",
    "work": "Work",
    "date": "Date",
    "number": "Number",
}

TYPE_PLURALS: dict[str, str] = {
    "person": "People",
    "org": "Organisations",
    "place": "Places",
    "group": "Groups",
    "event": "Events",
    "work": "Works",
    "date": "Dates",
    "number": "Numbers",
}


#: WCAG AA contrast for body text.
TEXT_CONTRAST = 4.5


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an sRGB colour (0 black … 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(colour: QColor, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """`colour`, darkened or lightened (same hue) until it reads on `background`.

    A system palette may pair a pure blue link with a dark grey window; this keeps the hue
    and moves the lightness away from the background's just far enough.
    """
    if contrast(colour, background) >= minimum:
        return colour
    hue, saturation = colour.hslHue(), colour.hslSaturation()
    lightness, alpha = colour.lightness(), colour.alpha()
    step = 6 if luminance(background) < 0.18 else -6
    candidate = QColor(colour)
    while 0 <= lightness <= 255:
        lightness += step
        candidate = QColor.fromHsl(hue, saturation, max(0, min(255, lightness)), alpha)
        if contrast(candidate, background) >= minimum:
            return candidate
    return candidate


def link_colour(palette: QPalette | None = None) -> QColor:
    """Links and kickers: the palette's link colour, made readable on its base."""
    pal = palette or QGuiApplication.palette()
    return readable(pal.color(QPalette.ColorRole.Link), pal.color(QPalette.ColorRole.Base))


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette is a dark one (window darker than its text)."""
    pal = palette or QGuiApplication.palette()
    return (
        pal.color(QPalette.ColorRole.Base).lightness()
        < pal.color(QPalette.ColorRole.Text).lightness()
    )


def type_background(entity_type: str, palette: QPalette | None = None) -> QColor:
    """The highlight background for an entity type."""
    hue = _HUES.get(entity_type, 0)
    saturation = 0 if entity_type == "number" else 150
    if is_dark(palette):
        return QColor.fromHsl(hue, saturation, 60)
    return QColor.fromHsl(hue, saturation + 40, 226)


def type_accent(entity_type: str, palette: QPalette | None = None) -> QColor:
    """A stronger colour of the type (underlines, icons, swatches, and the rare text in it),
    readable as text on the palette's base."""
    pal = palette or QGuiApplication.palette()
    hue = _HUES.get(entity_type, 0)
    saturation = 0 if entity_type == "number" else 170
    accent = QColor.fromHsl(hue, saturation, 150 if is_dark(pal) else 105)
    return readable(accent, pal.color(QPalette.ColorRole.Base))


def search_background(palette: QPalette | None = None) -> QColor:
    """Search hits: a marker-pen yellow (light) or amber (dark), distinct from every type."""
    return QColor("#8a6d00") if is_dark(palette) else QColor("#ffe45c")
