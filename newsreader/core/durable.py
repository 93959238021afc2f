"""Durable file writes: one fsync helper for every atomic write (exports, backups, restores)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Make a file's contents, or a rename in a folder, durable: fsync the file or the folder.

    A no-op where that is unsupported (a folder cannot be opened on Windows, some file systems
    refuse fsync), since the write itself has already succeeded.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
