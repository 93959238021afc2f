"""Where the library lives: the one place that decides paths.

Order of precedence: an explicit directory (`--library DIR`), then `NEWSREADER_HOME`, then the
platform's user data folder from platformdirs. Tests set `NEWSREADER_HOME` so they never touch
a real home directory.
"""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP_NAME = "newsreader"
APP_ID = "io.github.newsreader.Newsreader"
ENV_HOME = "NEWSREADER_HOME"
DB_FILENAME = "library.sqlite3"
INDEX_DIRNAME = "index"


def library_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library folder to use (not created here)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where front-end settings go; under NEWSREADER_HOME when that is set (tests, portable use)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser() / "config"
    return Path(user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where derived data that is only kept for speed goes (deleting it loses nothing); under
    NEWSREADER_HOME when that is set (tests, portable use)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser() / "cache"
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def resources() -> Traversable:
    """The bundled assets (the top-level resources/ folder, shipped as package data)."""
    return files("newsreader.resources")


def sample_corpus() -> Traversable:
    """The bundled sample corpus shown on first run."""
    return resources() / "sample" / "seed-news.txt"
