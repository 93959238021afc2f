"""Sources: what the user imported or subscribed to, as rows articles refer to.

A source is a feed, an imported folder or file, a dataset or the bundled sample, with a display
name (unique; what the sidebar, the list column and the Markdown front matter show), a location
(feed URL or path), a sidebar folder (nested with `/`), and for feeds the refresh settings and
status. `articles.source` carries the display name too and is kept equal to it here, so every
reader of articles (lists, search, export) shows the current name without a join.

This module is SQL over the library's `Storage`; `Library` is what front ends call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Literal

from newsreader.core.storage import Storage

SourceKind = Literal["feed", "folder", "file", "dataset", "sample", "other"]
KINDS: tuple[str, ...] = ("feed", "folder", "file", "dataset", "sample", "other")


class SourceError(ValueError):
    """A source operation that cannot be done (unknown source, name taken); words for users."""


@dataclass(frozen=True, slots=True)
class Source:
    """One source with its article counts and, for feeds, refresh settings and status."""

    id: int
    kind: str
    name: str
    location: str = ""
    folder: str = ""
    site_url: str = ""
    articles: int = 0
    unread: int = 0
    interval_minutes: int | None = None
    full_text: bool = False
    active: bool = True
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str = ""
    error_count: int = 0
    next_attempt: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def is_feed(self) -> bool:
        return self.kind == "feed"

    @property
    def failing(self) -> bool:
        """The last refresh failed (or the feed was stopped by the server)."""
        return bool(self.last_error)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_COLUMNS = (
    "s.id, s.kind, s.name, s.location, s.folder, s.site_url, s.interval_min, s.full_text,"
    " s.active, s.last_attempt, s.last_success, s.last_error, s.error_count, s.next_attempt,"
    " s.etag, s.last_modified,"
    " (SELECT count(*) FROM articles a WHERE a.source_id = s.id) AS n,"
    " (SELECT count(*) FROM articles a WHERE a.source_id = s.id AND a.read = 0) AS unread"
)


def _source(row: sqlite3.Row) -> Source:
    return Source(
        id=row["id"],
        kind=row["kind"],
        name=row["name"],
        location=row["location"],
        folder=row["folder"],
        site_url=row["site_url"],
        articles=row["n"],
        unread=row["unread"],
        interval_minutes=row["interval_min"],
        full_text=bool(row["full_text"]),
        active=bool(row["active"]),
        last_attempt=_dt(row["last_attempt"]),
        last_success=_dt(row["last_success"]),
        last_error=row["last_error"],
        error_count=row["error_count"],
        next_attempt=_dt(row["next_attempt"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
    )


def normalise_folder(folder: str) -> str:
    """`' News / World/ '` -> `'News/World'`: trimmed parts, no empty ones."""
    return "/".join(part.strip() for part in folder.split("/") if part.strip())


class SourceStore:
    """Reading and changing the `sources` and `feed_entries` tables of one library."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    # -- reading -------------------------------------------------------------------------------

    def all(self, kind: str | None = None) -> list[Source]:
        """Every source (or every one of a kind), by folder then name."""
        where, params = ("WHERE s.kind = ?", [kind]) if kind else ("", [])
        rows = self.storage.db.execute(
            f"SELECT {_COLUMNS} FROM sources s {where}"
            " ORDER BY s.folder COLLATE NOCASE, s.name COLLATE NOCASE",
            params,
        )
        return [_source(row) for row in rows]

    def get(self, source_id: int) -> Source | None:
        row = self.storage.db.execute(
            f"SELECT {_COLUMNS} FROM sources s WHERE s.id = ?", (source_id,)
        ).fetchone()
        return _source(row) if row else None

    def find(self, ref: str, kind: str | None = None) -> Source:
        """A source by id, exact name, or location (feed URL); raises `SourceError`."""
        ref = ref.strip()
        db = self.storage.db
        candidates: list[int] = []
        if ref.isdigit():
            candidates.append(int(ref))
        for column in ("name", "location"):
            sql = f"SELECT id FROM sources WHERE {column} = ?" + (" AND kind = ?" if kind else "")
            candidates += [r[0] for r in db.execute(sql, (ref, kind) if kind else (ref,))]
        if not candidates:
            sql = "SELECT id FROM sources WHERE name = ? COLLATE NOCASE" + (
                " AND kind = ?" if kind else ""
            )
            candidates += [r[0] for r in db.execute(sql, (ref, kind) if kind else (ref,))]
        for source_id in candidates:
            found = self.get(source_id)
            if found is not None and (kind is None or found.kind == kind):
                return found
        what = "feed" if kind == "feed" else "source"
        raise SourceError(f"no {what} named {ref!r} (see: newsreader {what}s list)")

    def feed_by_url(self, url: str) -> Source | None:
        row = self.storage.db.execute(
            "SELECT id FROM sources WHERE kind = 'feed' AND location = ?", (url,)
        ).fetchone()
        return self.get(row[0]) if row else None

    def by_name(self, name: str) -> Source | None:
        row = self.storage.db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
        return self.get(row[0]) if row else None

    def unique_name(self, wanted: str, *, ignore_id: int | None = None) -> str:
        """`wanted`, or `wanted (2)`, `(3)`… if another source has that name already."""
        base = " ".join(wanted.split()) or "Untitled"
        name, n = base, 1
        while True:
            row = self.storage.db.execute(
                "SELECT id FROM sources WHERE name = ?", (name,)
            ).fetchone()
            if row is None or row[0] == ignore_id:
                return name
            n += 1
            name = f"{base} ({n})"

    def article_ids(self, source_id: int) -> list[int]:
        return [
            r[0]
            for r in self.storage.db.execute(
                "SELECT id FROM articles WHERE source_id = ? ORDER BY id", (source_id,)
            )
        ]

    # -- changing ------------------------------------------------------------------------------

    def register_path(self, label: str, kind: SourceKind) -> str:
        """The display name for an imported path (its last part), creating the source once.

        The same path imported again gets the same source; another path with the same last
        part gets `name (2)`.
        """
        db = self.storage.db
        row = db.execute(
            "SELECT name FROM sources WHERE location = ? AND kind <> 'feed'", (label,)
        ).fetchone()
        if row is not None:
            return str(row[0])
        name = self.unique_name(PurePath(label).name or label)
        with self.storage.transaction() as tx:
            tx.execute(
                "INSERT INTO sources (kind, name, location, created) VALUES (?, ?, ?, ?)",
                (kind, name, label, now_iso()),
            )
        return name

    def add_feed(self, url: str, name: str, *, folder: str = "", site_url: str = "") -> Source:
        if self.feed_by_url(url) is not None:
            raise SourceError(f"already subscribed to {url}")
        with self.storage.transaction() as tx:
            cursor = tx.execute(
                "INSERT INTO sources (kind, name, location, folder, site_url, created)"
                " VALUES ('feed', ?, ?, ?, ?, ?)",
                (self.unique_name(name), url, normalise_folder(folder), site_url, now_iso()),
            )
        found = self.get(int(cursor.lastrowid or 0))
        assert found is not None
        return found

    def rename(self, source_id: int, new_name: str) -> list[int]:
        """Rename a source and its articles' source label; return those articles' ids."""
        name = " ".join(new_name.split())
        if not name:
            raise SourceError("a source needs a name")
        other = self.by_name(name)
        if other is not None and other.id != source_id:
            raise SourceError(f"another source is already called {name!r}")
        with self.storage.transaction() as tx:
            changed = tx.execute("UPDATE sources SET name = ? WHERE id = ?", (name, source_id))
            if changed.rowcount == 0:
                raise SourceError(f"no source with id {source_id}")
            tx.execute("UPDATE articles SET source = ? WHERE source_id = ?", (name, source_id))
        return self.article_ids(source_id)

    def move(self, source_id: int, folder: str) -> None:
        with self.storage.transaction() as tx:
            tx.execute(
                "UPDATE sources SET folder = ? WHERE id = ?", (normalise_folder(folder), source_id)
            )

    def set_feed_options(
        self,
        source_id: int,
        *,
        interval_minutes: int | None = None,
        full_text: bool | None = None,
        active: bool | None = None,
        location: str | None = None,
    ) -> None:
        sets: list[str] = []
        params: list[object] = []
        if interval_minutes is not None:
            sets.append("interval_min = ?")
            params.append(interval_minutes if interval_minutes > 0 else None)
        if full_text is not None:
            sets.append("full_text = ?")
            params.append(int(full_text))
        if active is not None:
            sets += ["active = ?", "next_attempt = NULL", "error_count = 0"]
            params.append(int(active))
            if active:
                sets.append("last_error = ''")
        if location is not None:
            sets += ["location = ?", "etag = NULL", "last_modified = NULL"]
            params.append(location)
        if sets:
            with self.storage.transaction() as tx:
                tx.execute(
                    f"UPDATE sources SET {', '.join(sets)} WHERE id = ?", (*params, source_id)
                )

    def remove(self, source_id: int) -> None:
        """Delete the source row (its articles must be deleted first, through `Library`)."""
        with self.storage.transaction() as tx:
            tx.execute("UPDATE articles SET source_id = NULL WHERE source_id = ?", (source_id,))
            tx.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def restore(self, source: Source) -> None:
        """Put a removed source back with its id and settings (undo of a removal)."""
        with self.storage.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO sources (id, kind, name, location, folder, site_url,"
                " created, etag, last_modified, interval_min, full_text, active, last_attempt,"
                " last_success, last_error, error_count, next_attempt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source.id,
                    source.kind,
                    source.name,
                    source.location,
                    source.folder,
                    source.site_url,
                    now_iso(),
                    source.interval_minutes,
                    int(source.full_text),
                    int(source.active),
                    _iso(source.last_attempt),
                    _iso(source.last_success),
                    source.last_error,
                    source.error_count,
                    _iso(source.next_attempt),
                ),
            )
            tx.execute(
                "UPDATE articles SET source_id = ? WHERE source = ? AND source_id IS NULL",
                (source.id, source.name),
            )

    def link_articles(self, source_id: int, ids: Sequence[int]) -> None:
        """Make sure articles point at this source (ids from an import of its entries)."""
        if not ids:
            return
        with self.storage.transaction() as tx:
            tx.executemany(
                "UPDATE articles SET source_id = ? WHERE id = ?", [(source_id, i) for i in ids]
            )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
