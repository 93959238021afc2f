"""The window's structure: controllers never import the window, and ui modules form no
import cycle (so each controller can be built and tested on its own)."""

from __future__ import annotations

import ast
from pathlib import Path

import newsreader.ui

UI = Path(newsreader.ui.__file__).parent
CONTROLLERS = (
    "listing",
    "reading",
    "article_actions",
    "background",
    "sidebar_controller",
    "library_watch",
    "actions",
)


def _ui_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("newsreader.ui."):
                found.add(node.module.removeprefix("newsreader.ui."))
            elif node.module == "newsreader.ui":
                found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    return {path.stem: _ui_imports(path) for path in UI.glob("*.py") if path.stem != "__init__"}


def test_controllers_do_not_import_the_window() -> None:
    graph = _graph()
    for name in CONTROLLERS:
        assert name in graph, f"ui/{name}.py exists"
        assert "main_window" not in graph[name], f"ui/{name}.py imports the window"


def test_ui_modules_form_no_import_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for target in graph.get(name, set()):
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
