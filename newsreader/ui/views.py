"""Item views that never let type-ahead steal a reader's one-key shortcuts.

Qt's item views jump to the first row starting with a typed letter ("keyboard search"). In
Newsreader letters are commands (j, k, s, m, n, p), window-wide shortcuts that normally fire
before a view sees the key. When they do not (a shortcut made ambiguous by another one, a key
arriving while the window is not the active one), the view would take the letter and jump
to "Johnny Depp…" instead of moving on. Here that path is closed twice: keyboard search is
off, and a plain letter a view receives is routed to the window's action for that key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QWidget

_TYPING = Qt.KeyboardModifier.NoModifier | Qt.KeyboardModifier.ShiftModifier


def route_letter(widget: QWidget, event: QKeyEvent) -> bool:
    """Trigger the window action bound to a plain printable key; True if one took it.

    Returns True also for a plain letter no action wants, so that the view ignores it
    instead of searching for it.
    """
    text = event.text()
    if not text or not text.isprintable() or text.isspace():
        return False
    if event.modifiers() & ~_TYPING & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    pressed = QKeySequence(event.keyCombination())
    for action in widget.window().actions():
        if not action.isEnabled():
            continue
        for shortcut in action.shortcuts():
            if shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return True
    return True


class QuietTree(QTreeWidget):
    """A QTreeWidget without type-ahead (see the module docstring)."""

    def keyboardSearch(self, search: str) -> None:
        """Off: letters are the window's shortcuts."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if route_letter(self, event):
            event.accept()
            return
        super().keyPressEvent(event)


def configure_side_tree(tree: QTreeWidget, context_menu: Callable[[QPoint], None]) -> None:
    """The sidebar's trees (library, sources, entities; feeds) look and behave alike: no
    header, a small indent, rows of one height, no frame, one item selected at a time, and a
    context menu."""
    tree.setHeaderHidden(True)
    tree.setIndentation(14)
    tree.setUniformRowHeights(True)
    tree.setFrameShape(QTreeWidget.Shape.NoFrame)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    tree.customContextMenuRequested.connect(context_menu)
