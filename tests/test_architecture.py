"""The core stays Qt-free, so the CLI, tests and benchmarks run the window's exact logic."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import newsreader

CORE = Path(newsreader.__file__).parent / "core"
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "newsreader.ui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_sources_never_import_qt() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(
            name for name in _imports(path) if name.startswith(FORBIDDEN)
        )
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) >= 5, "the scan found the core modules"


def test_importing_the_library_loads_no_qt_nor_heavy_readers() -> None:
    """Start-up pays only for what every session uses: no Qt in the core, no spaCy, and the
    HTML reader's trafilatura only when an HTML file is imported."""
    code = (
        "import sys, newsreader.core.library, newsreader.cli\n"
        "heavy = ('PySide6', 'shiboken6', 'spacy', 'trafilatura')\n"
        "bad = [m for m in sys.modules if m.startswith(heavy)]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
