"""Check what `python -m build` made: a wheel and an sdist that a user or a distribution can use.

    python packaging/check_dist.py DIST_DIR

The wheel must hold every package under newsreader/ (a folder of Python files that setuptools
skipped would only fail at run time, on a user's machine) and the assets as package data under
newsreader/resources; the sdist must also carry the desktop files and tests; neither may carry
bytecode or caches. Prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.newsreader.Newsreader"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
JUNK = ("__pycache__/", ".pyc", ".pyo", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv/")


def package_dirs(root: Path = ROOT) -> list[str]:
    """Every folder under newsreader/ that holds Python files, as a path relative to `root`."""
    found = {
        path.parent.relative_to(root).as_posix()
        for path in (root / "newsreader").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    return sorted(found)


def resource_files() -> list[str]:
    """The assets every install needs, as paths inside the installed `newsreader` package."""
    res = "newsreader/resources"
    files = [f"{res}/sample/seed-news.txt", f"{res}/icons/newsreader.svg"]
    return files + [f"{res}/icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES]


def wheel_problems(wheel: Path, root: Path = ROOT) -> list[str]:
    names = set(zipfile.ZipFile(wheel).namelist())
    problems = []
    for package in package_dirs(root):
        if not (root / package / "__init__.py").is_file():
            problems.append(f"source: {package}/ has Python files but no __init__.py")
        elif f"{package}/__init__.py" not in names:
            problems.append(f"{wheel.name}: package {package.replace('/', '.')} is missing")
    problems += [f"{wheel.name}: {f} is missing" for f in resource_files() if f not in names]
    problems += [f"{wheel.name}: has {n}" for n in sorted(names) if any(j in n for j in JUNK)]
    return problems


def sdist_problems(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        names = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    wanted = [
        "pyproject.toml",
        "setup.py",
        "README.md",
        "resources/sample/seed-news.txt",
        "resources/icons/newsreader.svg",
        f"packaging/{APP_ID}.desktop",
        f"packaging/{APP_ID}.metainfo.xml",
        "packaging/install.sh",
        "packaging/uninstall.sh",
        "tests/conftest.py",
    ]
    problems = [f"{sdist.name}: {f} is missing" for f in wanted if f not in names]
    problems += [f"{sdist.name}: has {n}" for n in sorted(names) if any(j in n for j in JUNK)]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    dist = Path(argv[0])
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    problems = []
    if len(wheels) != 1 or len(sdists) != 1:
        problems.append(f"{dist}: want one wheel and one sdist, found {wheels + sdists}")
    for wheel in wheels:
        problems += wheel_problems(wheel)
    for sdist in sdists:
        problems += sdist_problems(sdist)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"check_dist: {', '.join(p.name for p in wheels + sdists)} look complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
