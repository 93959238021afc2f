"""Point 9: the README's Install section describes only what works from the source tree and
names no address that does not exist (nothing is published yet)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _install_section() -> str:
    start = README.index("## Install\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def test_install_names_no_unpublished_address() -> None:
    section = _install_section()
    urls = re.findall(r"https?://[^\s)>\]`]+", section)
    assert urls == ["https://pipx.pypa.io"], urls  # the one third-party page it cites
    assert "github" not in section.lower()
    assert "releases page" not in section.lower()
    assert "git clone" not in section


def test_every_script_and_file_it_names_is_in_the_tree() -> None:
    section = _install_section()
    named = set(re.findall(r"\b((?:scripts|packaging|requirements)/[\w.-]+)", section))
    assert {"scripts/setup.sh", "packaging/build-bundle.sh", "packaging/install.sh"} <= named
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, missing


def test_built_file_names_match_this_version() -> None:
    section = _install_section()
    for name in re.findall(r"dist/(newsreader-[\w.-]+?)(?:\.tar\.gz|\.whl)", section):
        assert name.startswith(f"newsreader-{VERSION}"), name
    assert f"dist/newsreader-{VERSION}-py3-none-any.whl" in section
    assert f"dist/newsreader-{VERSION}-linux-x86_64.tar.gz" in section
    bundle_script = (ROOT / "packaging" / "build-bundle.sh").read_text(encoding="utf-8")
    assert "linux-" in bundle_script and "tar" in bundle_script
