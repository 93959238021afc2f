"""Render the app icon (resources/icons/newsreader.svg) to the PNG sizes desktops look up.

The SVG is the source; the PNGs under resources/icons/hicolor/<N>x<N>/apps/ are generated from
it and committed, because icon themes, software centres and window managers that cannot draw SVG
(or draw it badly at 16 px) pick a PNG of the exact size. Run this after changing the SVG:

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

`--check` renders in memory and fails when a committed PNG no longer matches the SVG.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.github.newsreader.Newsreader"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "newsreader.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
# Channel difference (0-255) tolerated by --check: Qt's rasteriser may round edges differently
# between releases; a redrawn icon differs by far more.
TOLERANCE = 8


def png_path(size: int, hicolor: Path = HICOLOR) -> Path:
    """Where the PNG of one size lives, in the freedesktop icon theme layout."""
    return hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def _ensure_app() -> QCoreApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication.instance() or QGuiApplication([])


def render(size: int, svg: Path = SVG) -> QImage:
    """The SVG drawn into a transparent `size` x `size` QImage (needs a QGuiApplication)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: cannot read {svg} as SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def max_difference(a: QImage, b: QImage) -> int:
    """The largest channel difference between two same-sized images (255 if sizes differ)."""
    if a.size() != b.size():
        return 255
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    da, db = bytes(a.constBits()), bytes(b.constBits())
    return max((abs(x - y) for x, y in zip(da, db, strict=True)), default=0)


def write_all(hicolor: Path = HICOLOR, svg: Path = SVG) -> list[Path]:
    """Render every size into `hicolor`; returns the files written."""
    _ensure_app()
    written = []
    for size in SIZES:
        target = png_path(size, hicolor)
        target.parent.mkdir(parents=True, exist_ok=True)
        image = render(size, svg)
        if not image.save(str(target)):
            raise SystemExit(f"render_icons: could not write {target}")
        written.append(target)
    return written


def stale(hicolor: Path = HICOLOR, svg: Path = SVG) -> list[str]:
    """Problems with the committed PNGs: missing, wrong size, or no longer drawn from the SVG."""
    _ensure_app()
    problems = []
    for size in SIZES:
        target = png_path(size, hicolor)
        image = QImage(str(target))
        if image.isNull():
            problems.append(f"{target}: missing or unreadable")
        elif (image.width(), image.height()) != (size, size):
            problems.append(f"{target}: {image.width()}x{image.height()}, want {size}x{size}")
        elif (diff := max_difference(image, render(size, svg))) > TOLERANCE:
            problems.append(f"{target}: differs from the SVG (max channel difference {diff})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not write")
    args = parser.parse_args(argv)
    if not SVG.is_file():
        print(f"render_icons: {SVG} does not exist", file=sys.stderr)
        return 1
    if args.check:
        problems = stale()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("render_icons: run `python packaging/render_icons.py`", file=sys.stderr)
            return 1
        print(f"render_icons: {len(SIZES)} PNGs match {SVG.name}")
        return 0
    for path in write_all():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
