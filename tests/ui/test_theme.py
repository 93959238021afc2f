"""Point 6: View → Theme (system, light, dark), and WCAG AA contrast (4.5:1) for every entity
colour, link and muted text against both of the app's palettes, computed."""

from __future__ import annotations

import math
from itertools import combinations

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, Article
from newsreader.ui import palette as colours
from newsreader.ui import theme
from newsreader.ui.main_window import MainWindow
from newsreader.ui.reader import ArticleRenderer
from newsreader.ui.settings import Settings
from tests.ui.conftest import open_window

AA = 4.5
VISIBLE = [t for t in ENTITY_TYPES if t not in HIDDEN_ENTITY_TYPES]


def _lab(colour: QColor) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, to measure how far apart two colours look."""

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = linear(colour.redF()), linear(colour.greenF()), linear(colour.blueF())
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta_e(a: QColor, b: QColor) -> float:
    return math.dist(_lab(a), _lab(b))


def test_contrast_formula_matches_wcag() -> None:
    assert colours.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert colours.contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert colours.contrast(QColor("#0000ff"), QColor("#303030")) < AA  # the reported case


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_colour_meets_aa_on_both_palettes(name: str) -> None:
    pal = theme.palette_for(name)
    assert pal is not None
    assert colours.is_dark(pal) == (name == "dark")
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    failures = []

    def check(what: str, fg: QColor, bg: QColor) -> None:
        ratio = colours.contrast(fg, bg)
        if ratio < AA:
            failures.append(f"{what}: {fg.name()} on {bg.name()} = {ratio:.2f}")

    check("text", text, base)
    check(
        "window text",
        pal.color(QPalette.ColorRole.WindowText),
        pal.color(QPalette.ColorRole.Window),
    )
    check("muted text", pal.color(QPalette.ColorRole.PlaceholderText), base)
    check("link / kicker", colours.link_colour(pal), base)
    check(
        "selected row",
        pal.color(QPalette.ColorRole.HighlightedText),
        pal.color(QPalette.ColorRole.Highlight),
    )
    for entity_type in ENTITY_TYPES:
        check(f"text on {entity_type}", text, colours.type_background(entity_type, pal))
        check(f"{entity_type} accent as text", colours.type_accent(entity_type, pal), base)
    hit_text = QColor("#ffffff") if name == "dark" else QColor("#000000")
    check("search hit", hit_text, colours.search_background(pal))
    assert not failures, failures


@pytest.mark.parametrize("name", ["light", "dark"])
def test_entity_types_are_told_apart(name: str) -> None:
    pal = theme.palette_for(name)
    assert pal is not None
    for a, b in combinations(VISIBLE, 2):
        backgrounds = _delta_e(colours.type_background(a, pal), colours.type_background(b, pal))
        accents = _delta_e(colours.type_accent(a, pal), colours.type_accent(b, pal))
        assert backgrounds >= 15 and accents >= 15, (a, b, backgrounds, accents)
    # The pair reported as hard to tell apart.
    assert (
        _delta_e(colours.type_background("place", pal), colours.type_background("work", pal)) >= 20
    )
    assert _delta_e(colours.type_accent("place", pal), colours.type_accent("work", pal)) >= 20


def test_a_system_palette_with_a_pure_blue_link_is_made_readable() -> None:
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Base, QColor("#303030"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    pal.setColor(QPalette.ColorRole.Link, QColor("#0000ff"))
    link = colours.link_colour(pal)
    assert colours.contrast(link, QColor("#303030")) >= AA
    assert link.hslHue() == QColor("#0000ff").hslHue(), "still blue"
    for entity_type in ENTITY_TYPES:
        assert colours.contrast(colours.type_accent(entity_type, pal), QColor("#303030")) >= AA


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_reading_pane_draws_kicker_and_link_readably(qtbot: QtBot, name: str) -> None:
    from PySide6.QtGui import QTextDocument

    pal = theme.palette_for(name)
    assert pal is not None
    document = QTextDocument()
    ArticleRenderer(document).render(
        Article(
            title="Title",
            kicker="Ditch tactics",
            paragraphs=("Body.",),
            url="https://example.invalid/story",
        ),
        palette=pal,
    )
    base = pal.color(QPalette.ColorRole.Base)
    seen = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            seen[fragment.text()] = fragment.charFormat().foreground().color()
            it += 1
        block = block.next()
    assert colours.contrast(seen["Ditch tactics"], base) >= AA
    assert colours.contrast(seen["Original article ↗"], base) >= AA


def test_view_theme_menu_switches_and_is_remembered(qtbot: QtBot, window: MainWindow) -> None:
    view = window.menus["View"]
    theme_menu = window.theme_menu
    assert theme_menu.menuAction() in view.actions()
    labels = [a.text().replace("&", "") for a in theme_menu.actions()]
    assert labels == ["System", "Light", "Dark"]
    assert window.theme_actions["system"].isChecked()
    window.theme_actions["dark"].trigger()
    assert colours.is_dark(QGuiApplication.palette())
    assert Settings().theme == "dark"
    qtbot.waitUntil(lambda: colours.is_dark(window.reader.palette()))
    window.theme_actions["light"].trigger()
    assert not colours.is_dark(QGuiApplication.palette())
    assert (
        window.theme_actions["light"].isChecked() and not window.theme_actions["dark"].isChecked()
    )
    window.theme_actions["system"].trigger()
    assert Settings().theme == "system"


def test_the_theme_is_applied_on_the_next_start(qtbot: QtBot, sample_library: Library) -> None:
    Settings().theme = "dark"
    window = open_window(qtbot, sample_library)
    assert colours.is_dark(QGuiApplication.palette())
    assert window.theme_actions["dark"].isChecked()
    window.close()


@pytest.mark.parametrize("name", ["dark", "light"])
def test_switching_theme_recolours_the_sidebar_muted_text(
    qtbot: QtBot, window: MainWindow, name: str
) -> None:
    window.set_theme(name)
    tree = window.sidebar.tree
    qtbot.waitUntil(lambda: colours.is_dark(tree.palette()) == (name == "dark"))
    base = tree.palette().color(QPalette.ColorRole.Base)
    for section in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(section)
        assert item is not None
        colour = item.foreground(0).color()
        assert colours.contrast(colour, base) >= AA, (item.text(0), colour.name(), base.name())
