"""Automatic, rotating backups of the library database, and putting one back.

A library is years of a user's reading; a disk fault, a crash mid-migration or a stray `rm`
must not take it. Backups are taken with SQLite's online backup API (a consistent copy even
while the window reads or an import writes), checked with `quick_check` before they are kept
(so a damaged database never pushes a good backup out of the rotation), and stored as plain,
self-contained SQLite files in `backups/` inside the library folder:

- `daily`: on the first open of a day that finds articles (the CLI at open, the window in the
  background), the newest `KEEP["daily"]` kept;
- `migration`: before any schema migration is applied to an existing library;
- `manual`: `newsreader backup`.

`restore` puts a backup in place of the database; the file it replaces is kept beside it
(never deleted), and articles the search index holds but the backup lacks (imported after the
backup was taken) are rebuilt from the index (`core/index_salvage.py`), so a restore loses as
little as can be helped.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.core import index_salvage, integrity, paths
from newsreader.core.durable import fsync_path
from newsreader.core.migrations import MIGRATIONS
from newsreader.core.storage import Storage, StorageError

__all__ = [
    "BACKUP_DIRNAME",
    "DAILY_INTERVAL",
    "KEEP",
    "Backup",
    "RestoreReport",
    "before_migration",
    "list_backups",
    "newest",
    "restore",
    "set_aside",
    "take",
    "take_daily_if_due",
]

BACKUP_DIRNAME = "backups"
#: How many backups of each kind are kept; the oldest beyond that are removed.
KEEP: dict[str, int] = {"daily": 7, "migration": 3, "manual": 10}
DAILY_INTERVAL = timedelta(hours=24)

_NAME = re.compile(r"^library-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z]+)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: when it was taken (UTC) and why."""

    path: Path
    taken: datetime
    reason: str

    @property
    def label(self) -> str:
        """For messages: `2026-12-01 08:50 UTC (daily)`."""
        return f"{self.taken:%Y-%m-%d %H:%M} UTC ({self.reason})"


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What `restore` did, for the user."""

    backup: Backup
    articles: int
    #: Articles the backup lacked that were rebuilt from the search index.
    rebuilt: int
    #: The database that was replaced, kept under this name (None if there was none).
    set_aside: Path | None

    def summary(self) -> str:
        lines = [f"Restored the backup of {self.backup.label}: {_articles(self.articles)}."]
        if self.rebuilt:
            lines.append(
                f"Rebuilt from the search index: {_articles(self.rebuilt)} added since the "
                "backup (title and text; their byline, URL, photos and read/starred marks are "
                "lost)."
            )
        if self.set_aside is not None:
            lines.append(f"The database it replaced is kept as {self.set_aside}.")
        return "\n".join(lines)


def folder(library_dir: Path) -> Path:
    return library_dir / BACKUP_DIRNAME


def list_backups(library_dir: Path) -> list[Backup]:
    """Every backup of the library, newest first."""
    found = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder(library_dir)):
            match = _NAME.match(entry.name)
            if match and entry.is_file():
                taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
                found.append(Backup(Path(entry.path), taken, match["reason"]))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def newest(library_dir: Path, reason: str | None = None) -> Backup | None:
    for item in list_backups(library_dir):
        if reason is None or item.reason == reason:
            return item
    return None


def take(db: sqlite3.Connection, library_dir: Path, reason: str) -> Backup:
    """Copy the database behind `db` into `backups/`, check the copy, keep it, rotate.

    Raises `DamagedLibraryError` (and keeps nothing) when the copy fails its check: the
    database it came from is damaged.
    """
    target_dir = folder(library_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC)
    final = target_dir / f"library-{taken.strftime(_STAMP)}-{reason}.sqlite3"
    temp = target_dir / f".incoming-{secrets.token_hex(6)}.sqlite3"
    try:
        _copy(db, temp)
        fsync_path(temp)
        temp.replace(final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_path(target_dir)
    _rotate(library_dir, reason)
    return Backup(final, taken, reason)


def _copy(db: sqlite3.Connection, temp: Path) -> None:
    copy = sqlite3.connect(temp, isolation_level=None)
    try:
        try:
            db.backup(copy)
        except sqlite3.DatabaseError as exc:
            if integrity.is_damage(exc):
                raise integrity.DamagedLibraryError(_db_path(db, temp), str(exc)) from exc
            raise
        # One self-contained file (a WAL-mode copy would need its -wal beside it).
        copy.execute("PRAGMA journal_mode=DELETE")
        result = integrity.quick_check(copy, seconds=None)
        if not result.ok:
            raise integrity.DamagedLibraryError(_db_path(db, temp), result.problems[0])
    finally:
        copy.close()


def _db_path(db: sqlite3.Connection, fallback: Path) -> Path:
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return fallback


def _rotate(library_dir: Path, reason: str) -> None:
    keep = KEEP.get(reason)
    if keep is None:
        return
    same = [b for b in list_backups(library_dir) if b.reason == reason]
    for old in same[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()


def take_daily_if_due(
    db: sqlite3.Connection, library_dir: Path, *, now: datetime | None = None
) -> Backup | None:
    """The daily backup, if the newest is older than `DAILY_INTERVAL` and there are articles."""
    last = newest(library_dir, "daily")
    now = now or datetime.now(UTC)
    if last is not None and now - last.taken < DAILY_INTERVAL:
        return None
    if not db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0]:
        return None  # nothing to lose yet
    return take(db, library_dir, "daily")


def before_migration(db: sqlite3.Connection, library_dir: Path) -> Backup | None:
    """Back up an existing library that is about to be migrated; None if nothing is pending."""
    try:
        done = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    except sqlite3.OperationalError:
        return None  # a new database: nothing in it yet
    pending = [m.version for m in MIGRATIONS if m.version not in done]
    if not done or not pending:
        return None
    return take(db, library_dir, "migration")


def set_aside(db_path: Path, why: str) -> Path | None:
    """Rename the database (with its -wal and -shm) out of the way; never delete it."""
    if not db_path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = db_path.with_name(f"{db_path.name}.{why}-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = db_path.with_name(f"{db_path.name}.{why}-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
    db_path.replace(kept)
    fsync_path(db_path.parent)
    return kept


def restore(library_dir: Path, chosen: Path | None = None) -> RestoreReport:
    """Put a backup (`chosen`, or the newest sound one) in place of the library database.

    Close the window first: a restore under a running window would be overwritten by it.
    """
    db_path = library_dir / paths.DB_FILENAME
    if chosen is not None:
        chosen = Path(chosen)
        if not chosen.is_file():
            raise StorageError(f"no backup file {chosen}")
        match = _NAME.match(chosen.name)
        taken = (
            datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            if match
            else datetime.fromtimestamp(chosen.stat().st_mtime, UTC)
        )
        candidates = [Backup(chosen, taken, match["reason"] if match else "file")]
    else:
        candidates = list_backups(library_dir)
        if not candidates:
            raise StorageError(f"there are no backups of the library at {library_dir}")
    staging = library_dir / f".restoring-{secrets.token_hex(6)}.sqlite3"
    picked = None
    problems = []
    for candidate in candidates:
        try:
            _copy_backup(candidate.path, staging)
        except (sqlite3.DatabaseError, StorageError) as exc:
            problems.append(f"{candidate.path.name}: {exc}")
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()
            continue
        picked = candidate
        break
    if picked is None:
        raise StorageError("no backup could be read: " + "; ".join(problems))
    kept = set_aside(db_path, "before-restore")
    staging.replace(db_path)
    fsync_path(library_dir)
    storage = Storage(db_path)
    try:
        rebuilt = _rebuild_newer(storage, library_dir)
        count = storage.count()
    finally:
        storage.close()
    return RestoreReport(picked, count, rebuilt, kept)


def _copy_backup(source: Path, staging: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        result = integrity.quick_check(src, seconds=None)
        if not result.ok:
            raise StorageError(f"damaged ({result.problems[0]})")
        dst = sqlite3.connect(staging)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    fsync_path(staging)


def _rebuild_newer(storage: Storage, library_dir: Path) -> int:
    """Articles the index holds and the database lacks, rebuilt from the index."""
    contents = index_salvage.read_index(library_dir / paths.INDEX_DIRNAME)
    if contents is None:
        return 0
    missing = set(contents.ids) - set(storage.ids(sort="imported"))
    return index_salvage.store(storage, contents, missing) if missing else 0


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"
