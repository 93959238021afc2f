"""View → Theme: follow the system, or a light or dark palette of the app's own.

The desktop's palette is kept as it was at the first switch, so "system" goes back to it.
Our palettes are plain QPalettes tuned so that text, links and muted text meet WCAG AA
(4.5:1) on their backgrounds; the entity colours in `palette.py` are checked against both
(tests/ui/test_theme.py computes every ratio).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES: tuple[str, ...] = ("system", "light", "dark")
THEME_LABELS: dict[str, str] = {
    "system": "&System",
    "light": "&Light",
    "dark": "&Dark",
}

_system_palette: QPalette | None = None

Role = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def light_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#f3f3f3",
            Role.WindowText: "#1b1b1b",
            Role.Base: "#ffffff",
            Role.AlternateBase: "#f6f7f9",
            Role.Text: "#1b1b1b",
            Role.Button: "#ececec",
            Role.ButtonText: "#1b1b1b",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#2f62c4",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#1a56c4",
            Role.LinkVisited: "#6a3cb4",
            Role.PlaceholderText: "#676767",
            Role.ToolTipBase: "#fffbe6",
            Role.ToolTipText: "#1b1b1b",
            Role.Light: "#ffffff",
            Role.Midlight: "#e3e3e3",
            Role.Mid: "#bdbdbd",
            Role.Dark: "#9a9a9a",
            Role.Shadow: "#6f6f6f",
        },
        "#8a8a8a",
    )


def dark_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#2a2b2e",
            Role.WindowText: "#e8e8e8",
            Role.Base: "#1e1f22",
            Role.AlternateBase: "#25262a",
            Role.Text: "#e8e8e8",
            Role.Button: "#34363a",
            Role.ButtonText: "#e8e8e8",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#3a6fc9",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#8cb4ff",
            Role.LinkVisited: "#c5a3ff",
            Role.PlaceholderText: "#a3a3a3",
            Role.ToolTipBase: "#34363a",
            Role.ToolTipText: "#e8e8e8",
            Role.Light: "#4a4c51",
            Role.Midlight: "#3d3f44",
            Role.Mid: "#2f3034",
            Role.Dark: "#18191b",
            Role.Shadow: "#0d0d0e",
        },
        "#7d7d7d",
    )


def palette_for(name: str) -> QPalette | None:
    """Our palette for a theme name; None for "system" (the desktop's)."""
    if name == "light":
        return light_palette()
    if name == "dark":
        return dark_palette()
    return None


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole app's palette; every window redraws (ApplicationPaletteChange)."""
    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
    chosen = palette_for(name)
    app.setPalette(chosen if chosen is not None else _system_palette)
