"""Is the library database sound? Checks on open, and the one message a damaged library gets.

SQLite notices damage only when a query happens to read a bad page, so a library with garbage
in the middle of its file would otherwise list, show and export happily until some command
(`entities`, a sort) touched the bad page and failed with a raw `DatabaseError`. Opening runs
`PRAGMA quick_check` under a time bound (cheap: it reads every page once, but skips the index
cross-checks), the window runs the full `integrity_check` in the background, and every damage
found, whenever it is found, is reported as one `DamagedLibraryError` naming the file and the
two ways out: `newsreader restore` (the automatic backups, `core/backup.py`) and
`newsreader repair` (salvage into a new database, `core/repair.py`).
"""

from __future__ import annotations

import shlex
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsreader.core import paths
from newsreader.core.storage import StorageError

__all__ = [
    "QUICK_CHECK_SECONDS",
    "CheckResult",
    "DamagedLibraryError",
    "MissingDatabaseError",
    "check_on_open",
    "full_check",
    "is_damage",
    "quick_check",
]

#: How long opening may spend checking: every command pays it. About 60 MB (20k articles)
#: are checked in 0.1 s here (bench/README.md), so most libraries are checked whole; a bigger
#: one is checked as far as the bound allows, and the window's background check, the daily
#: backup's check of its copy and the damage message on any later read cover the rest.
QUICK_CHECK_SECONDS = 0.3

# SQLite's primary result codes for a file that is not, or no longer, a sound database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class DamagedLibraryError(StorageError):
    """The database file is damaged; the message says where and what to do."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(damage_message(path, detail))


class MissingDatabaseError(StorageError):
    """The database is missing or empty but the folder holds a library's remains."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check found: `problems` empty means sound (as far as `complete` says)."""

    problems: list[str] = field(default_factory=list)
    #: False when the time bound stopped the check before it read the whole file.
    complete: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's "malformed" and "not a database" errors (not for locks, I/O, ...)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _run_check(
    db: sqlite3.Connection,
    pragma: str,
    seconds: float | None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckResult:
    deadline = None if seconds is None else time.monotonic() + seconds
    stopped = False

    def over_time() -> int:
        nonlocal stopped
        if (deadline is not None and time.monotonic() > deadline) or (
            cancelled is not None and cancelled()
        ):
            stopped = True
            return 1
        return 0

    bounded = deadline is not None or cancelled is not None
    if bounded:
        db.set_progress_handler(over_time, 10_000)
    try:
        rows = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}(100)")]
    except sqlite3.OperationalError as exc:
        if stopped:
            return CheckResult(complete=False)
        if is_damage(exc):
            return CheckResult([str(exc)])
        raise
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return CheckResult([str(exc)])
        raise
    finally:
        if bounded:
            db.set_progress_handler(None, 0)
    if rows == ["ok"]:
        return CheckResult()
    # A row may hold several lines, headed "*** in database main ***": one problem a line.
    problems = [
        line.strip()
        for row in rows
        for line in row.splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return CheckResult(problems or rows)


def quick_check(
    db: sqlite3.Connection, *, seconds: float | None = QUICK_CHECK_SECONDS
) -> CheckResult:
    """`PRAGMA quick_check`, stopped after `seconds` (None: no bound)."""
    return _run_check(db, "quick_check", seconds)


def full_check(
    db: sqlite3.Connection, *, cancelled: Callable[[], bool] | None = None
) -> CheckResult:
    """`PRAGMA integrity_check`: every page, and every index against its table (slow).

    `cancelled` is polled while it runs; when it turns true the check stops (incomplete).
    """
    return _run_check(db, "integrity_check", None, cancelled)


def check_on_open(db: sqlite3.Connection, path: Path) -> CheckResult:
    """The open-time check: raise `DamagedLibraryError` if the quick check finds damage."""
    result = quick_check(db, seconds=QUICK_CHECK_SECONDS)
    if not result.ok:
        raise DamagedLibraryError(path, _summary(result.problems))
    return result


def _summary(problems: list[str]) -> str:
    first = problems[0]
    more = len(problems) - 1
    return first if not more else f"{first}; and {more} more problem{'s' if more > 1 else ''}"


def damage_message(path: Path, detail: str) -> str:
    """The one message a damaged library gets, in the command line and the window alike."""
    from newsreader.core import backup  # here, not at the top: backup imports this module

    newest = backup.newest(path.parent)
    restore = (
        f"`{command('restore', path.parent)}` puts back the automatic backup of {newest.label}"
        " (articles added since are rebuilt from the search index)"
        if newest is not None
        else "there is no automatic backup yet"
    )
    return (
        f"the library database {path} is damaged ({detail}). Nothing has been changed. "
        f"To recover: {restore}; or `{command('repair', path.parent)}` salvages everything "
        "still readable into a new database and reports what was lost (the damaged file is "
        "kept beside it)."
    )


def command(name: str, folder: Path) -> str:
    """The command line for `newsreader NAME` on the library in `folder`, as a user types it."""
    if folder.resolve() == paths.library_dir().resolve():
        return f"newsreader {name}"
    return f"newsreader --library {shlex.quote(str(folder))} {name}"


def refuse_missing_database(folder: Path) -> None:
    """Raise `MissingDatabaseError` when the database is missing or empty beside a library's
    remains (a search index with articles, backups): opening would start a new, empty
    library over them, wipe the index and import the sample again. A truly new folder (or
    one whose index is empty) passes.
    """
    from newsreader.core import backup, index_salvage

    db_path = folder / paths.DB_FILENAME
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        state = "missing"
    else:
        if size > 0:
            return
        state = "empty (0 bytes)"
    backups = backup.list_backups(folder)
    contents = index_salvage.read_index(folder / paths.INDEX_DIRNAME)
    indexed = len(contents.ids) if contents is not None else 0
    if not backups and not indexed:
        return
    remains = []
    if indexed:
        remains.append(f"the search index beside it holds {indexed} articles")
    if backups:
        remains.append(f"there are {len(backups)} backups, the newest of {backups[0].label}")
    if backups:
        way = f"`{command('restore', folder)}` puts back the newest backup" + (
            " (articles added since are rebuilt from the search index)" if indexed else ""
        )
    else:
        way = (
            f"`{command('repair', folder)}` rebuilds the {indexed} articles from the search "
            "index (titles and text; bylines, URLs, photos, read and starred marks and "
            "entities are lost)"
        )
    raise MissingDatabaseError(
        f"the library database {db_path} is {state}, but {' and '.join(remains)}. "
        f"Nothing has been changed. To recover: {way}. To start a new, empty library "
        f"instead, move the folder {folder} away first."
    )
