"""`newsreader repair`: salvage what is readable of a damaged database into a new one.

The semantics are those of the sqlite3 shell's `.recover`: every row that can still be read
goes into a fresh database, nothing is written to the damaged file, and the user is told what
was lost. The shell's `.recover` itself is not used: it needs a SQLite built with the
`sqlite_dbpage` table, which Debian's and Ubuntu's `sqlite3` packages lack (it fails there
with "SQL logic error"), and a desktop app cannot count on a particular shell being installed.

How rows are salvaged, table by table, from a copy of the damaged file (never the file itself):
a scan in rowid order, and when it hits a damaged page, rowid lookups step past the damaged
stretch (a lookup reaches a row through a different path of the b-tree than a scan) and the
scan resumes after the next readable row. Article rows must also make sense (their JSON and
dates parse), or they count as lost. Rows that refer to a lost row (a mention of a lost
article) are dropped, so the new database is consistent. Then the search index fills in:
articles it holds that the database lost are rebuilt from its stored fields
(`core/index_salvage.py`), which also covers a database that is missing altogether.

The new database replaces the damaged one, which is kept beside it under a new name.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsreader.core import index_salvage, integrity, paths
from newsreader.core.backup import set_aside
from newsreader.core.migrations import migrate
from newsreader.core.storage import Storage, StorageError

__all__ = ["RepairReport", "repair"]

#: At most this many rowid lookups past one damaged stretch before a table is given up.
_MAX_PROBES = 2_000_000


@dataclass(slots=True)
class RepairReport:
    """What `repair` recovered and what it could not."""

    #: The damaged database, kept under this name (None if there was no file).
    kept: Path | None
    #: What the check of the damaged database said (empty if it could not be opened at all).
    problems: list[str] = field(default_factory=list)
    #: Articles read back from the damaged database.
    recovered: int = 0
    #: Articles rebuilt from the search index (the database lost them, the index had them).
    rebuilt: int = 0
    #: Ids of articles known to have existed (the index or the database's own indexes list
    #: them) that could be neither read nor rebuilt.
    lost_ids: list[int] = field(default_factory=list)
    #: Rows recovered in each other table (entities, mentions, metadata, ...).
    rows: dict[str, int] = field(default_factory=dict)
    #: Rows dropped from other tables: unreadable, or referring to a lost row.
    dropped: dict[str, int] = field(default_factory=dict)
    #: What bringing the search index in line with the new database did.
    notices: list[str] = field(default_factory=list)
    #: The database passed its full check: nothing was changed.
    sound: bool = False

    @property
    def articles(self) -> int:
        return self.recovered + self.rebuilt

    def summary(self) -> str:
        if self.sound:
            return "The library database passed its integrity check: nothing to repair."
        lines = [
            f"Repaired: {self.articles} articles in the new database "
            f"({self.recovered} read back from the damaged file, "
            f"{self.rebuilt} rebuilt from the search index)."
        ]
        if self.rebuilt:
            lines.append(
                "Rebuilt articles have their title and text; their byline, URL, photos and "
                "read/starred marks are lost, and entities are recognised again."
            )
        if self.lost_ids:
            shown = ", ".join(map(str, self.lost_ids[:20]))
            more = f" and {len(self.lost_ids) - 20} more" if len(self.lost_ids) > 20 else ""
            lines.append(f"Lost: {len(self.lost_ids)} articles (ids {shown}{more}).")
        else:
            lines.append("Lost: no articles.")
        dropped = {name: n for name, n in self.dropped.items() if n}
        if dropped:
            lines.append(
                "Also dropped: " + ", ".join(f"{n} {name} rows" for name, n in dropped.items())
            )
        if self.kept is not None:
            lines.append(f"The damaged database is kept as {self.kept}.")
        lines += [f"Search index: {notice}." for notice in self.notices]
        return "\n".join(lines)


def repair(library_dir: Path) -> RepairReport:
    """Salvage the library database at `library_dir` into a new one; see the module docstring.

    Close the window on the library first.
    """
    db_path = library_dir / paths.DB_FILENAME
    if not library_dir.is_dir():
        raise StorageError(f"there is no library at {library_dir}")
    token = secrets.token_hex(6)
    work = library_dir / f".repair-{token}"
    fresh = library_dir / f".repaired-{token}.sqlite3"
    report = RepairReport(kept=None)
    contents = index_salvage.read_index(library_dir / paths.INDEX_DIRNAME)
    try:
        dst = sqlite3.connect(fresh, isolation_level=None)
        try:
            migrate(dst)
            dst.execute("PRAGMA foreign_keys=OFF")
            source = _working_copy(db_path, work)
            if source is None and contents is None:
                raise StorageError(
                    f"nothing to repair at {library_dir}: there is neither a library database "
                    "nor a search index to rebuild one from"
                )
            if source is not None:
                src = sqlite3.connect(source, isolation_level=None)
                try:
                    report.problems = _problems(src)
                    if not report.problems:
                        report.sound = True
                        return report
                    _salvage(src, dst, report, contents)
                finally:
                    src.close()
            _drop_orphans(dst, report)
        finally:
            dst.close()
        storage = Storage(fresh)
        try:
            present = set(storage.ids(sort="imported"))
            if contents is not None:
                missing = set(contents.ids) - present
                report.rebuilt = index_salvage.store(storage, contents, missing)
                present = set(storage.ids(sort="imported"))
            known = set(contents.ids) if contents is not None else set()
            known |= set(report.lost_ids)
            report.lost_ids = sorted(known - present)
            check = integrity.full_check(storage.db)
            if not check.ok:
                raise StorageError(f"the repaired database failed its check: {check.problems[0]}")
            storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            storage.close()
        report.kept = set_aside(db_path, "damaged")
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                fresh.with_name(fresh.name + suffix).unlink()
        fresh.replace(db_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                fresh.with_name(fresh.name + suffix).unlink()
    return report


def _working_copy(db_path: Path, work: Path) -> Path | None:
    """Copy the damaged file (and its -wal) aside, so that salvaging never writes to it."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    work.mkdir()
    copy = work / db_path.name
    shutil.copyfile(db_path, copy)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    return copy


def _problems(src: sqlite3.Connection) -> list[str]:
    try:
        return integrity.full_check(src).problems
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _tables(db: sqlite3.Connection) -> list[str]:
    """The tables to fill, in creation order (referenced tables before referencing ones)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY rowid"
        )
    ]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _has_rowid(db: sqlite3.Connection, table: str) -> bool:
    sql = db.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
    return bool(sql) and "WITHOUT ROWID" not in str(sql[0]).upper()


def _salvage(
    src: sqlite3.Connection,
    dst: sqlite3.Connection,
    report: RepairReport,
    contents: index_salvage.IndexContents | None,
) -> None:
    for table in _tables(dst):
        try:
            have = set(_columns(src, table))
            rowid = _has_rowid(src, table)
        except sqlite3.DatabaseError:
            have = set()  # the schema itself is unreadable: nothing to read by name
            rowid = False
        columns = [c for c in _columns(dst, table) if c in have]
        if not columns:
            continue
        rows = _rows(src, table, columns, rowid, _upper_bound(src, table, contents))
        quoted = ", ".join(f'"{c}"' for c in columns)
        insert = (
            f'INSERT OR IGNORE INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
        )
        kept = dropped = 0
        dst.execute("BEGIN")
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            if table == "articles" and not _sound_article(values):
                dropped += 1
                if isinstance(values.get("id"), int):
                    report.lost_ids.append(values["id"])
                continue
            try:
                if dst.execute(insert, row).rowcount == 1:
                    kept += 1
                else:
                    dropped += 1
            except sqlite3.DatabaseError:
                dropped += 1
        dst.execute("COMMIT")
        if table == "articles":
            report.recovered = kept
        else:
            report.rows[table] = kept
            report.dropped[table] = dropped


def _upper_bound(
    src: sqlite3.Connection, table: str, contents: index_salvage.IndexContents | None
) -> int:
    """The highest rowid worth probing for: the table's own, or the index's for articles."""
    upper = 0
    with contextlib.suppress(sqlite3.DatabaseError, TypeError):
        upper = int(src.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0)
    if table == "articles" and contents is not None and contents.ids:
        upper = max(upper, max(contents.ids))
    return upper


def _rows(
    src: sqlite3.Connection, table: str, columns: list[str], rowid: bool, upper: int
) -> Iterator[tuple[Any, ...]]:
    """Every readable row (the column values), stepping past damaged pages (module docstring)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    if not rowid:
        with contextlib.suppress(sqlite3.DatabaseError):
            yield from src.execute(f'SELECT {quoted} FROM "{table}"')
        return
    scan = f'SELECT rowid, {quoted} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    lookup = f'SELECT rowid, {quoted} FROM "{table}" WHERE rowid = ?'
    last = -(2**63)
    while True:
        try:
            for row in src.execute(scan, (last,)):
                last = row[0]
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            pass
        found = None
        start = max(last, 0) + 1
        for candidate in range(start, min(upper, start + _MAX_PROBES) + 1):
            try:
                found = src.execute(lookup, (candidate,)).fetchone()
            except sqlite3.DatabaseError:
                continue
            if found is not None:
                break
        if found is None:
            return
        last = found[0]
        yield tuple(found[1:])


def _sound_article(values: dict[str, Any]) -> bool:
    """An article row that the app can show: text where text belongs, JSON and dates parse."""
    try:
        paragraphs = json.loads(values["paragraphs"])
        photos = json.loads(values.get("photos") or "[]")
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            return False
        if not isinstance(photos, list) or not all(
            isinstance(p, dict) and isinstance(p.get("after"), int) for p in photos
        ):
            return False
        if not isinstance(values["title"], str) or not isinstance(values["id"], int):
            return False
        datetime.fromisoformat(values["imported"])
        if values.get("published"):
            datetime.fromisoformat(values["published"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _drop_orphans(dst: sqlite3.Connection, report: RepairReport) -> None:
    """Delete rows that refer to a row that was lost, so foreign keys hold again."""
    for table in _tables(dst):
        for fk in dst.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            parent, child_col, parent_col = fk[2], fk[3], fk[4] or "rowid"
            gone = dst.execute(
                f'DELETE FROM "{table}" WHERE "{child_col}" IS NOT NULL AND "{child_col}"'
                f' NOT IN (SELECT "{parent_col}" FROM "{parent}")'
            ).rowcount
            if gone:
                report.rows[table] = report.rows.get(table, 0) - gone
                report.dropped[table] = report.dropped.get(table, 0) + gone
