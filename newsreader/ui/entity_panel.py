"""The entity legend (one toggle per type, in its highlight colour) and the list of the current
article's entities with how often each is mentioned.

Both only reflect data the window hands them; toggling a type re-renders the reading pane
through the window, clicking an entity lists every article that mentions it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, Mention
from newsreader.ui import icons
from newsreader.ui import palette as colours
from newsreader.ui.views import QuietTree

_ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def swatch(background: QColor, border: QColor, side: int = 14) -> QIcon:
    """A small rounded square in a type's colours, as the legend's key."""
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(side * scale, side * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(border)
        painter.setBrush(background)
        inset = 1.5 * scale
        painter.drawRoundedRect(
            QRectF(inset, inset, side * scale - 2 * inset, side * scale - 2 * inset),
            3 * scale,
            3 * scale,
        )
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


class LegendBar(QWidget):
    """One checkable button per entity type; unchecking hides that type's highlights."""

    visible_types_changed = Signal(object)  # set[str]

    def __init__(self, hidden: set[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        hidden = set(HIDDEN_ENTITY_TYPES) if hidden is None else hidden
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        # No caption: at the default window size it pushed the last type ("Number") out of
        # sight; each toggle's tooltip says what it does.
        self.setToolTip("Highlight entity types in the article")
        self.buttons: dict[str, QToolButton] = {}
        for entity_type in ENTITY_TYPES:
            button = QToolButton(self)
            button.setObjectName(f"legend_{entity_type}")
            button.setText(colours.TYPE_SHORT[entity_type])
            button.setIcon(self._swatch(entity_type))
            button.setIconSize(QSize(14, 14))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setChecked(entity_type not in hidden)
            button.setAutoRaise(True)
            button.setToolTip(f"Show or hide {colours.TYPE_PLURALS[entity_type].lower()}")
            button.toggled.connect(lambda _on: self.visible_types_changed.emit(self.visible_types))
            layout.addWidget(button)
            self.buttons[entity_type] = button
        layout.addStretch(1)
        # On a narrow window the legend may clip its last buttons rather than widen the pane.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def _swatch(self, entity_type: str) -> QIcon:
        return swatch(
            colours.type_background(entity_type, self.palette()),
            colours.type_accent(entity_type, self.palette()),
        )

    def changeEvent(self, event: QEvent) -> None:
        """A theme change redraws the swatches in the new palette's colours."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "buttons"):
            for entity_type, button in self.buttons.items():
                button.setIcon(self._swatch(entity_type))
        super().changeEvent(event)

    @property
    def visible_types(self) -> set[str]:
        return {t for t, b in self.buttons.items() if b.isChecked()}

    @property
    def hidden_types(self) -> set[str]:
        return {t for t, b in self.buttons.items() if not b.isChecked()}

    def set_present(self, present: set[str]) -> None:
        """Dim the types the current article does not mention (they stay clickable)."""
        for entity_type, button in self.buttons.items():
            font = button.font()
            font.setItalic(entity_type not in present)
            button.setFont(font)


class EntityPanel(QWidget):
    """The current article's entities, most mentioned first; a click lists their articles."""

    entity_activated = Signal(int, str)  # entity id, name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel("IN THIS ARTICLE", self)
        self.title.setObjectName("panelTitle")
        self.title.setContentsMargins(10, 6, 10, 4)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.82)
        self.title.setFont(font)
        self.title.setEnabled(False)
        layout.addWidget(self.title)
        self.tree = QuietTree(self)
        self.tree.setObjectName("entityList")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Entity", "Type", "×"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.tree.setSortingEnabled(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.empty = QLabel("", self)
        self.empty.setContentsMargins(10, 6, 10, 6)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        layout.addWidget(self.empty)
        layout.addStretch(0)
        self._icons: dict[str, QIcon] = {}
        self.set_mentions([], "")

    def set_mentions(self, mentions: Sequence[Mention], empty_message: str) -> None:
        """List the entities of these mentions with counts; show `empty_message` if none."""
        self.tree.clear()
        counts = Counter(m.entity_id for m in mentions)
        first: dict[int, Mention] = {}
        for mention in mentions:
            first.setdefault(mention.entity_id, mention)
        order = sorted(first.values(), key=lambda m: (-counts[m.entity_id], m.name.casefold()))
        for mention in order:
            item = QTreeWidgetItem(
                self.tree,
                [
                    mention.name,
                    colours.TYPE_LABELS.get(mention.type, mention.type),
                    str(counts[mention.entity_id]),
                ],
            )
            item.setIcon(0, self._type_icon(mention.type))
            item.setData(0, _ENTITY_ID_ROLE, mention.entity_id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, f"{mention.name}: click to list every article that mentions it")
        self.tree.setHidden(not order)
        self.empty.setText(empty_message)
        self.empty.setHidden(bool(order) or not empty_message)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            # With no list, let the message sit at the top instead of floating mid-panel.
            layout.setStretch(layout.count() - 1, 0 if order else 1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._icons.clear()  # type icons are drawn in the palette's accents
        super().changeEvent(event)

    def _type_icon(self, entity_type: str) -> QIcon:
        icon = self._icons.get(entity_type)
        if icon is None:
            accent = colours.type_accent(entity_type, self.palette())
            icon = self._icons[entity_type] = icons.icon(entity_type, accent)
        return icon

    def entity_names(self) -> list[str]:
        root = self.tree.invisibleRootItem()
        items = (root.child(i) for i in range(root.childCount()))
        return [item.text(0) for item in items if item is not None]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entity_id = item.data(0, _ENTITY_ID_ROLE)
        if isinstance(entity_id, int):
            self.entity_activated.emit(entity_id, item.text(0))
