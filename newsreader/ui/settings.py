"""Window preferences in one INI file under the core's config folder.

QSettings' native backends would write to the registry or a real home folder; an INI file under
`paths.config_dir()` keeps everything in one place, honours NEWSREADER_HOME (so tests never
touch a real home) and is easy for a user to inspect or delete.
"""

from __future__ import annotations

from typing import Any, get_args

from PySide6.QtCore import QByteArray, QSettings

from newsreader.core import paths
from newsreader.core.export import EntityStyle

SETTINGS_FILE = "newsreader.ini"

#: Export entity marking choices, in the order the dialog offers them.
ENTITY_MARKINGS: tuple[EntityStyle, ...] = get_args(EntityStyle)


class Settings:
    """Typed accessors over QSettings, so keys and defaults live in one place."""

    def __init__(self) -> None:
        folder = paths.config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self.qsettings.sync()

    # -- plain values ------------------------------------------------------------------------

    def _get_bool(self, key: str, default: bool) -> bool:
        value: Any = self.qsettings.value(key, default)
        if isinstance(value, str):
            return value.lower() in {"1", "true", "yes"}
        return bool(value)

    def _get_int(self, key: str, default: int) -> int:
        value: Any = self.qsettings.value(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    def _get_str(self, key: str, default: str) -> str:
        value: Any = self.qsettings.value(key, default)
        return value if isinstance(value, str) else default

    def _get_bytes(self, key: str) -> QByteArray | None:
        value: Any = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) else None

    # -- reading behaviour -------------------------------------------------------------------

    @property
    def mark_read_on_open(self) -> bool:
        """Whether opening an article marks it read (some readers prefer to do it by hand)."""
        return self._get_bool("reading/mark_read_on_open", True)

    @mark_read_on_open.setter
    def mark_read_on_open(self, value: bool) -> None:
        self.qsettings.setValue("reading/mark_read_on_open", value)

    @property
    def zoom(self) -> int:
        """Reading-pane text size steps relative to the default (Ctrl+plus/minus)."""
        return self._get_int("reading/zoom", 0)

    @zoom.setter
    def zoom(self, value: int) -> None:
        self.qsettings.setValue("reading/zoom", value)

    @property
    def hidden_entity_types(self) -> set[str] | None:
        """Entity types whose highlights the reader switched off; None means the defaults."""
        value: Any = self.qsettings.value("reading/hidden_entity_types")
        if value is None:
            return None
        if isinstance(value, str):
            return {v for v in value.split(",") if v}
        return {str(v) for v in value}

    @hidden_entity_types.setter
    def hidden_entity_types(self, value: set[str]) -> None:
        self.qsettings.setValue("reading/hidden_entity_types", ",".join(sorted(value)))

    @property
    def last_article(self) -> int:
        """The article open when the window last closed (0: none), reopened on relaunch."""
        return self._get_int("reading/last_article", 0)

    @last_article.setter
    def last_article(self, value: int) -> None:
        self.qsettings.setValue("reading/last_article", int(value))

    @property
    def theme(self) -> str:
        """View → Theme: "system" (follow the desktop), "light" or "dark"."""
        value = self._get_str("view/theme", "system")
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.qsettings.setValue("view/theme", value)

    # -- export --------------------------------------------------------------------------------

    @property
    def export_entities(self) -> EntityStyle:
        """How exports mark entities: none, bold or wikilinks (remembered between exports)."""
        value = self._get_str("export/entities", "none")
        for marking in ENTITY_MARKINGS:
            if value == marking:
                return marking
        return "none"

    @export_entities.setter
    def export_entities(self, value: EntityStyle) -> None:
        self.qsettings.setValue("export/entities", value)

    @property
    def export_folder(self) -> str:
        return self._get_str("export/folder", "")

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self.qsettings.setValue("export/folder", value)

    @property
    def import_folder(self) -> str:
        return self._get_str("import/folder", "")

    @import_folder.setter
    def import_folder(self, value: str) -> None:
        self.qsettings.setValue("import/folder", value)

    # -- saved searches (moved into the library; read once to carry them over) -----------------

    @property
    def saved_searches(self) -> list[str]:
        """Queries pinned to the sidebar by an older version; the window moves them into the
        library (where `--library` keeps them apart and the CLI sees them) and clears this."""
        value: Any = self.qsettings.value("search/saved", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value or []]

    @saved_searches.setter
    def saved_searches(self, value: list[str]) -> None:
        # An empty list would read back as None from INI files; store an empty string instead.
        self.qsettings.setValue("search/saved", list(value) if value else "")

    # -- window state --------------------------------------------------------------------------

    def geometry(self, name: str) -> QByteArray | None:
        """Saved geometry/state blob (`QWidget.saveGeometry`, `QSplitter.saveState`, ...)."""
        return self._get_bytes(f"window/{name}")

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self.qsettings.setValue(f"window/{name}", value)

    @property
    def sort_column(self) -> int:
        return self._get_int("list/sort_column", -1)

    @property
    def sort_descending(self) -> bool:
        return self._get_bool("list/sort_descending", True)

    def set_sort(self, column: int, descending: bool) -> None:
        self.qsettings.setValue("list/sort_column", column)
        self.qsettings.setValue("list/sort_descending", descending)
