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
    "person": 212,
    "org": 275,
    "place": 140,
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
    """A stronger colour of the type (underlines, legend swatches)."""
    hue = _HUES.get(entity_type, 0)
    saturation = 0 if entity_type == "number" else 170
    return QColor.fromHsl(hue, saturation, 150 if is_dark(palette) else 105)


def search_background(palette: QPalette | None = None) -> QColor:
    """Search hits: a marker-pen yellow (light) or amber (dark), distinct from every type."""
    return QColor("#8a6d00") if is_dark(palette) else QColor("#ffe45c")
