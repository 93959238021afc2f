"""Every command of the window, its menu place and its keys, as one declarative table.

The window used to build each QAction by hand in a 100-line method; here an `ActionSpec`
says what a command is called, which keys run it, its icon and tip, and `MENUS` / `TOOLBAR`
say where it appears. `ActionTable` turns the table into QActions bound to handlers the window
passes by name, so adding a command is one row here and one handler there.

Single-letter keys (j, k, s, m, ...) are window-wide shortcuts: they act the same wherever
focus is (text fields aside, which claim printable keys first). Menus show them in lower case
(`key_hint`), because Qt would print "J", which reads as Shift+J.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QWidget

from newsreader.ui import icons

Key = QKeySequence.StandardKey
SEPARATOR = "-"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One command: `name` is how the window and the menu table refer to it."""

    name: str
    text: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    icon: str | None = None
    tip: str = ""
    #: What the menu shows as the shortcut when Qt's own rendering would mislead ("j").
    key_hint: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "import_files",
        "Import &files…",
        (Key.Open,),
        "import",
        "Import article files, datasets or corpora",
    ),
    ActionSpec(
        "import_folder",
        "Import f&older…",
        ("Ctrl+Shift+O",),
        "import-folder",
        "Import every article file in a folder (recursively)",
    ),
    ActionSpec(
        "export",
        "&Export to Markdown…",
        ("Ctrl+E",),
        "export",
        "Export the selected articles to Markdown",
    ),
    ActionSpec("quit", "&Quit", (Key.Quit,)),
    ActionSpec(
        "copy_markdown",
        "Copy as &Markdown",
        ("Ctrl+Shift+C",),
        "copy",
        "Copy the current article as Markdown",
    ),
    ActionSpec(
        "delete",
        "&Delete",
        (Key.Delete,),
        "delete",
        "Delete the selected articles (Ctrl+Z undoes)",
    ),
    ActionSpec("undo", "&Undo delete", (Key.Undo,), "undo"),
    ActionSpec("find", "&Find…", (Key.Find, "/"), "search", key_hint="Ctrl+F  /"),
    ActionSpec("save_search", "&Save search", ("Ctrl+D",), "saved-search"),
    ActionSpec("next", "&Next article", ("J", "N"), "next", key_hint="j  n"),
    ActionSpec("previous", "&Previous article", ("K", "P"), "previous", key_hint="k  p"),
    ActionSpec("page_down", "Page down", ("Space",)),
    ActionSpec("page_up", "Page up", ("Shift+Space",)),
    ActionSpec("star", "&Star", ("S",), "star", "Star or unstar (s)", key_hint="s"),
    ActionSpec(
        "read",
        "Mark &read / unread",
        ("M",),
        "mark-read",
        "Mark read or unread (m)",
        key_hint="m",
    ),
    ActionSpec("zoom_in", "&Larger text", (Key.ZoomIn, "Ctrl+="), "zoom-in"),
    ActionSpec("zoom_out", "&Smaller text", (Key.ZoomOut,), "zoom-out"),
    ActionSpec("zoom_reset", "&Default text size", ("Ctrl+0",)),
    ActionSpec("mark_on_open", "Mark articles read when &opened", checkable=True),
    ActionSpec(
        "shortcuts",
        "&Keyboard shortcuts",
        (Key.HelpContents, "F1", "?"),
        "keyboard",
        key_hint="F1  ?",
    ),
    ActionSpec("syntax", "Search &syntax", (), "help"),
    ActionSpec("about", "&About Newsreader"),
)

#: Menu title -> entries: an action name, `SEPARATOR`, or "@name" for a submenu the window
#: supplies (built from live data, like the entity types or the theme choices).
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("import_files", "import_folder", SEPARATOR, "export", SEPARATOR, "quit")),
    (
        "&Edit",
        ("undo", "copy_markdown", "delete", SEPARATOR, "find", "save_search"),
    ),
    (
        "&View",
        (
            "zoom_in",
            "zoom_out",
            "zoom_reset",
            SEPARATOR,
            "@highlight",
            "@theme",
            "mark_on_open",
        ),
    ),
    ("&Article", ("next", "previous", "star", "read", "export")),
    ("&Help", ("shortcuts", "syntax", "about")),
)

TOOLBAR: tuple[str, ...] = (
    "import_files",
    "import_folder",
    "export",
    SEPARATOR,
    "star",
    "read",
    "delete",
    SEPARATOR,
)


def _sequences(spec: ActionSpec) -> list[QKeySequence]:
    # Standard keys differ by platform and may repeat an explicit one (F1 for Help on
    # Linux): a duplicate would make the shortcut ambiguous and never fire.
    unique: dict[str, QKeySequence] = {}
    for shortcut in spec.shortcuts:
        sequence = QKeySequence(shortcut)
        if not sequence.isEmpty():
            unique.setdefault(sequence.toString(), sequence)
    return list(unique.values())


class ActionTable:
    """The QActions of `ACTIONS`, bound to handlers, added to `owner` so keys work anywhere."""

    def __init__(
        self,
        owner: QWidget,
        handlers: Mapping[str, Callable[..., object]],
        specs: Sequence[ActionSpec] = ACTIONS,
    ) -> None:
        self.owner = owner
        self.specs = {spec.name: spec for spec in specs}
        self.actions: dict[str, QAction] = {}
        for spec in specs:
            self.actions[spec.name] = self._build(spec, handlers.get(spec.name))

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def _build(self, spec: ActionSpec, handler: Callable[..., object] | None) -> QAction:
        text = spec.text + (f"\t{spec.key_hint}" if spec.key_hint else "")
        action = QAction(text, self.owner)
        if spec.icon:
            action.setIcon(icons.icon(spec.icon))
        sequences = _sequences(spec)
        if sequences:
            action.setShortcuts(sequences)
        action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("…"))
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if handler is not None:
            if spec.checkable:
                action.toggled.connect(handler)
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h())
        # Window-wide, so j/k/s/m work wherever the focus is; text fields still get their
        # own letters because a QLineEdit claims printable keys before shortcuts fire.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.owner.addAction(action)
        return action

    def fill_menus(self, bar: QMenuBar, submenus: Mapping[str, QMenu]) -> dict[str, QMenu]:
        """Build `MENUS` on a menu bar; `submenus` supplies the "@name" entries."""
        built: dict[str, QMenu] = {}
        for title, entries in MENUS:
            menu = bar.addMenu(title)
            built[title.replace("&", "")] = menu
            for entry in entries:
                if entry == SEPARATOR:
                    menu.addSeparator()
                elif entry.startswith("@"):
                    sub = submenus.get(entry[1:])
                    if sub is not None:
                        menu.addMenu(sub)
                else:
                    menu.addAction(self.actions[entry])
        return built

    def fill_toolbar(self, toolbar: QToolBar) -> None:
        for entry in TOOLBAR:
            if entry == SEPARATOR:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.actions[entry])
