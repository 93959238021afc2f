"""SQLite storage: the library's source of truth.

One database file per library, in WAL mode with foreign keys on, schema brought up to date by
`migrations.migrate` on open. Each thread gets its own connection (the window reads on the UI
thread while an import writes on a worker); WAL lets those readers run beside the writer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from newsreader.core.migrations import migrate
from newsreader.core.models import Article, ArticleRow, Photo

SortKey = Literal["published", "imported", "title", "source", "read", "starred"]

_SORT_SQL: dict[str, str] = {
    # Undated articles come after every dated one, whichever way the column is sorted (see
    # `Storage.ids`): an import time is not news time, and must not float above today's news.
    "published": "published",
    "imported": "imported",
    "title": "title COLLATE NOCASE",
    "source": "source COLLATE NOCASE",
    "read": "read",
    "starred": "starred",
}

_ROW_COLUMNS = "id, title, source, published, imported, read, starred"
_ARTICLE_COLUMNS = (
    "id, title, kicker, byline, paragraphs, photos, source, source_kind, origin, url,"
    " published, imported, truncated, read, starred"
)


#: Called with every SQL statement any `Storage` connection of this process runs, in the thread
#: running it, while a test has asked for it (`trace_statements`); None in normal use, when no
#: trace callback is installed and SQLite does no tracing work at all.
_statement_tracer: Callable[[str], None] | None = None


def trace_statements(tracer: Callable[[str], None] | None) -> None:
    """Report each statement every connection runs to `tracer` from now on (None: stop).

    For tests: the guard that the window's UI thread runs no SQL (a read there can wait on
    the disk while an import commits; bench/README.md). Connections already open take it up
    at their next statement, so a test can install it on a window that is already open."""
    global _statement_tracer
    _statement_tracer = tracer


class StorageError(Exception):
    """The database could not be opened or used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Empty fields do not filter."""

    unread: bool = False
    starred: bool = False
    source: str | None = None
    ids: tuple[int, ...] | None = None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _photos_to_json(photos: Sequence[Photo]) -> str:
    return json.dumps(
        [{"credit": p.credit, "caption": p.caption, "after": p.after_paragraph} for p in photos],
        ensure_ascii=False,
    )


def _photos_from_json(text: str) -> tuple[Photo, ...]:
    return tuple(
        Photo(credit=p.get("credit", ""), caption=p.get("caption", ""), after_paragraph=p["after"])
        for p in json.loads(text)
    )


def _content_values(article: Article) -> tuple[Any, ...]:
    """The content columns `title` … `published`, in table order, as stored (insert and
    update write the same ones)."""
    return (
        article.title,
        article.kicker,
        article.byline,
        json.dumps(list(article.paragraphs), ensure_ascii=False),
        _photos_to_json(article.photos),
        article.source,
        article.source_kind,
        article.origin,
        article.url,
        _iso(article.published),
    )


def _article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        kicker=row["kicker"],
        byline=row["byline"],
        paragraphs=tuple(json.loads(row["paragraphs"])),
        photos=_photos_from_json(row["photos"]),
        source=row["source"],
        source_kind=row["source_kind"],
        origin=row["origin"],
        url=row["url"],
        published=_parse(row["published"]),
        imported=_parse(row["imported"]),
        truncated=bool(row["truncated"]),
        read=bool(row["read"]),
        starred=bool(row["starred"]),
    )


class Storage:
    """Articles and library metadata in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Each thread's connection, and the statement tracer installed on it, by thread id
        #: (not `threading.local`: a Qt pool thread running Python gets a new thread state
        #: for every job, which emptied its thread-local storage, so every background job
        #: opened a connection of its own and never closed it until the library closed).
        self._by_thread: dict[int, sqlite3.Connection] = {}
        #: The thread each connection was opened for: a new Python thread that is given an
        #: ended one's id gets a new connection (as with `threading.local`), never one that
        #: may hold what the ended thread left (a read snapshot of a cursor not run out).
        self._owners: dict[int, threading.Thread] = {}
        self._traced: dict[int, Callable[[str], None] | None] = {}
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._check_before_use()
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            self.close()
            if _is_damage(exc):
                raise _damaged(path, str(exc)) from exc
            raise StorageError(f"cannot open the library database {path}: {exc}") from exc
        except StorageError:
            self.close()
            raise

    def _check_before_use(self) -> None:
        """A time-bounded `quick_check` (damage is refused with one clear message), then a
        backup if migrations are about to change an existing library (see core/integrity.py
        and core/backup.py)."""
        from newsreader.core import backup, integrity

        integrity.check_on_open(self.db, self.path)
        backup.before_migration(self.db, self.path.parent)

    # -- connections -------------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; write through `transaction()`)."""
        thread, owner = threading.get_ident(), threading.current_thread()
        conn = self._by_thread.get(thread)
        if conn is not None and self._owners.get(thread) is not owner:
            with self._lock:
                self._all.remove(conn)
                del self._by_thread[thread]
            conn.close()
            conn = None
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            with self._lock:
                self._all.append(conn)
                self._by_thread[thread] = conn
                self._owners[thread] = owner
                self._traced[thread] = None
        if self._traced.get(thread) is not _statement_tracer:
            conn.set_trace_callback(_statement_tracer)
            self._traced[thread] = _statement_tracer
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (Ctrl-C included)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._by_thread.clear()
            self._owners.clear()
            self._traced.clear()

    # -- metadata ------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def change_stamps(self) -> dict[str, int]:
        """How often each thing the window shows has changed (migration 7's counters, bumped
        by triggers): a commit that moved none of them (the indexer emptying the outbox)
        changed nothing a reader sees."""
        rows = self.db.execute("SELECT concern, stamp FROM change_stamps").fetchall()
        return {str(concern): int(stamp) for concern, stamp in rows}

    # -- writing -------------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> list[int | None]:
        """Insert articles in one transaction; return each new id, or None for a duplicate.

        A duplicate is an article whose content hash is already stored (or appears earlier in
        the same batch): importing the same content twice adds nothing.
        """
        with self.transaction() as db:
            return self.insert_articles(db, articles)

    def insert_articles(
        self, db: sqlite3.Connection, articles: Iterable[Article]
    ) -> list[int | None]:
        """`add_articles` inside the caller's transaction `db` (an undo restores articles and
        their entities in one). An article whose id is taken keeps its content, not its id."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        ids: list[int | None] = []
        for article in articles:
            wanted = article.id
            if (
                wanted is not None
                and db.execute("SELECT 1 FROM articles WHERE id = ?", (wanted,)).fetchone()
            ):
                wanted = None
            cursor = db.execute(
                "INSERT INTO articles (id, title, kicker, byline, paragraphs, photos, source,"
                " source_kind, origin, url, published, imported, content_hash, truncated,"
                " read, starred) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (content_hash) DO NOTHING",
                (
                    wanted,
                    *_content_values(article),
                    _iso(article.imported) or now,
                    article.content_hash,
                    int(article.truncated),
                    int(article.read),
                    int(article.starred),
                ),
            )
            ids.append(cursor.lastrowid if cursor.rowcount == 1 else None)
        return ids

    def update_articles(self, articles: Iterable[Article]) -> list[bool]:
        """Replace stored articles' content (matched by id) in one transaction; for each,
        whether it was updated (False: no such id, or the new content is already stored as
        another article).

        The reader's flags (read, starred) and the import time stay. The old entity mentions
        no longer fit the new text, so they go and the article awaits recognition again; the
        index follows through the outbox (the update trigger, migration 3).
        """
        done: list[bool] = []
        with self.transaction() as db:
            for article in articles:
                cursor = db.execute(
                    "UPDATE OR IGNORE articles SET title = ?, kicker = ?, byline = ?,"
                    " paragraphs = ?, photos = ?, source = ?, source_kind = ?, origin = ?,"
                    " url = ?, published = ?, content_hash = ?, truncated = ? WHERE id = ?",
                    (
                        *_content_values(article),
                        article.content_hash,
                        int(article.truncated),
                        article.id,
                    ),
                )
                updated = cursor.rowcount == 1
                if updated:
                    for table in ("mentions", "entity_articles", "ner_status"):
                        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
                done.append(updated)
        return done

    def delete(self, ids: Sequence[int]) -> list[Article]:
        """Delete articles; return them as they were, so that `add_articles` can undo it."""
        removed = self.get_many(ids)
        with self.transaction() as db:
            db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
        return removed

    def set_flag(self, ids: Sequence[int], flag: Literal["read", "starred"], value: bool) -> None:
        column = {"read": "read", "starred": "starred"}[flag]
        with self.transaction() as db:
            db.executemany(
                f"UPDATE articles SET {column} = ? WHERE id = ?", [(int(value), i) for i in ids]
            )

    def set_flags(
        self, changes: dict[str, dict[int, bool]], *, busy_timeout_ms: int | None = None
    ) -> bool:
        """Several articles' flags (`{"read": {id: value}, "starred": {...}}`) in one
        transaction, as `set_flag` writes each.

        `busy_timeout_ms` bounds how long this waits for another connection's write
        transaction (instead of the connection's 10 s): False when it was still held then,
        and nothing was changed, so that the caller can try again later instead of holding
        a thread (the window's coalesced read marks, `ui/flag_writer.py`).
        """
        db = self.db
        previous = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
        if busy_timeout_ms is not None:
            db.execute(f"PRAGMA busy_timeout={max(0, int(busy_timeout_ms))}")
        try:
            with self.transaction() as tx:
                for flag, values in changes.items():
                    column = {"read": "read", "starred": "starred"}[flag]
                    tx.executemany(
                        f"UPDATE articles SET {column} = ? WHERE id = ?",
                        [(int(value), i) for i, value in values.items()],
                    )
        except sqlite3.OperationalError as exc:
            if (exc.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                return False
            raise
        finally:
            if busy_timeout_ms is not None:
                db.execute(f"PRAGMA busy_timeout={previous}")
        return True

    def update_content(self, article_id: int, article: Article) -> bool:
        """Overwrite a stored article's content (a feed entry that changed), keeping its id,
        source, import time and flags (and its date, when the new one has none): the same
        write as `update_articles`, with the stored source kept.

        Returns False when the article is gone, or when the new content is exactly another
        stored article's (the content hash must stay unique); nothing is changed then.
        """
        stored = self.get(article_id)
        if stored is None:
            return False
        kept = replace(
            article,
            id=article_id,
            source=stored.source,
            source_kind=stored.source_kind,
            origin=stored.origin,
            published=article.published or stored.published,
        )
        return self.update_articles([kept])[0]

    # -- reading -------------------------------------------------------------------------------

    def get(self, article_id: int) -> Article | None:
        row = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _article_from_row(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[Article]:
        """Articles for ids, in the order given; unknown ids are left out."""
        found: dict[int, Article] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk
            ):
                found[row["id"]] = _article_from_row(row)
        return [found[i] for i in ids if i in found]

    def iter_articles(self, batch: int = 1000, after_id: int = 0) -> Iterator[Article]:
        """Every article in id order, read in batches so memory stays flat at any size."""
        last = after_id
        while True:
            rows = self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row)
            last = rows[-1]["id"]

    def ids(
        self,
        where: ArticleFilter = ArticleFilter(),
        sort: SortKey = "published",
        descending: bool = True,
        limit: int | None = None,
    ) -> list[int]:
        """The ids a list shows, sorted; cheap even at 100k articles (ids only)."""
        clauses, params = _where(where)
        direction = "DESC" if descending else "ASC"
        # Ties (one import's undated articles share a time) keep the order they were read
        # in, so a corpus lists as its file does whichever way the column is sorted.
        order = f"{_SORT_SQL[sort]} {direction}"
        if sort == "published":
            order = f"published IS NULL, {order}, imported {direction}"
        sql = f"SELECT id FROM articles {clauses} ORDER BY {order}, id ASC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [row[0] for row in self.db.execute(sql, params)]

    def keyed_ids(
        self,
        where: ArticleFilter = ArticleFilter(),
        sort: SortKey = "published",
        descending: bool = True,
        *,
        after: int = 0,
        also: Sequence[int] = (),
    ) -> KeyedIds:
        """The ids `ids()` lists that are above `after`, in the same order, each with the
        columns it is sorted by, and the library's size and largest id, all read in one
        snapshot: what a list that grows by insertions (an import's new articles) needs to
        put each new id in place without reading its old ids again (`ui/live_list.py`; the
        keys are described at `KeyedIds`).

        `also`: ids listed even if `where` leaves them out (the article being read, in an
        Unread view it was just marked read in). Only sorts whose columns never change after
        an article is stored (`KEYED_SORTS`) are supported: a list sorted by a flag could not
        keep its old rows' places from their old keys.
        """
        if sort not in KEYED_SORTS:
            raise ValueError(f"not a keyed sort: {sort!r}")
        clauses, params = _where(where)
        if also:
            condition = clauses.removeprefix("WHERE ") or "1"
            clauses = f"WHERE (({condition}) OR id IN (SELECT value FROM json_each(?)))"
            params.append(json.dumps(list(also)))
        clauses = f"{clauses} AND id > ?" if clauses else "WHERE id > ?"
        params.append(after)
        direction = "DESC" if descending else "ASC"
        order = f"{_SORT_SQL[sort]} {direction}"
        key = "imported"
        if sort == "published":
            order = f"published IS NULL, {order}, imported {direction}"
            # Dated first either way: the flag is reversed with the direction.
            dated, undated = ("1", "0") if descending else ("0", "1")
            key = (
                f"(CASE WHEN published IS NULL THEN '{undated}' ELSE '{dated}' END)"
                " || coalesce(published, '') || char(1) || imported"
            )
        db = self.db
        db.execute("BEGIN")  # one read snapshot: the counts agree with the rows
        try:
            last, total, below = db.execute(
                "SELECT coalesce(max(id), 0), count(*), coalesce(sum(id <= ?), 0) FROM articles",
                (after,),
            ).fetchone()
            cursor = db.cursor()
            cursor.row_factory = None  # plain tuples, a few at a time (see `KeyedIds`)
            cursor.execute(
                f"SELECT id, {key} FROM articles {clauses} ORDER BY {order}, id ASC", params
            )
            ids: list[int] = []
            keys: list[str] = []
            while rows := cursor.fetchmany(1000):
                ids.extend([row[0] for row in rows])
                keys.extend([row[1] for row in rows])
            stamps = {
                row[0]: (row[1], row[2])
                for row in db.execute(
                    "SELECT id, imported, content_hash FROM articles WHERE id IN (?, ?)",
                    (after, last),
                )
            }
        finally:
            db.execute("COMMIT")
        return KeyedIds(
            ids=ids,
            keys=keys,
            last_id=int(last),
            total=int(total),
            below=int(below),
            last_stamp=stamps.get(last),
            after_stamp=stamps.get(after),
        )

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list columns for ids, in the order given (for lazy table models)."""
        found: dict[int, ArticleRow] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT {_ROW_COLUMNS} FROM articles WHERE id IN ({marks})", chunk
            ):
                found[row["id"]] = ArticleRow(
                    id=row["id"],
                    title=row["title"],
                    source=row["source"],
                    published=_parse(row["published"]),
                    imported=datetime.fromisoformat(row["imported"]),
                    read=bool(row["read"]),
                    starred=bool(row["starred"]),
                )
        return [found[i] for i in ids if i in found]

    def count(self, where: ArticleFilter = ArticleFilter()) -> int:
        clauses, params = _where(where)
        return int(
            self.db.execute(f"SELECT count(*) FROM articles {clauses}", params).fetchone()[0]
        )

    def max_id(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])

    def sources(self) -> list[tuple[str, int]]:
        """Each source with its article count, by name."""
        return [
            (row[0], row[1])
            for row in self.db.execute(
                "SELECT source, count(*) FROM articles"
                " GROUP BY source ORDER BY source COLLATE NOCASE"
            )
        ]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(sql, params).fetchone()[0]


#: The sorts `Storage.keyed_ids` serves: their columns are set when an article is stored.
KEYED_SORTS: tuple[SortKey, ...] = ("published", "imported")


@dataclass(frozen=True, slots=True)
class KeyedIds:
    """What `Storage.keyed_ids` read: ids in list order with their sort keys, the library's
    largest id and article count, and how many of its articles have ids up to the `after`
    asked for (`below`), all from one snapshot.

    A key is one string per row that Python's `<` orders as the listing's ORDER BY does
    (reversed for a descending listing), ids aside: the import time, or for the date sort a
    dated/undated mark, the date and the import time, joined by \x01 (ISO 8601 text never
    holds it, so a shorter date still sorts first). Strings, read a thousand rows at a time:
    a list's 100k keys are then nothing the garbage collector has to walk, and no burst of
    100k row tuples alive at once sets off full collections (bench/README.md).
    """

    ids: list[int]
    keys: list[str]
    last_id: int
    total: int
    below: int
    #: (imported, content hash) of the article `last_id` and of the article `after`: SQLite
    #: gives a new article the id of a deleted newest one, and this tells the two apart.
    last_stamp: tuple[str, str] | None = None
    after_stamp: tuple[str, str] | None = None


def _is_damage(exc: BaseException) -> bool:
    from newsreader.core.integrity import is_damage

    return is_damage(exc)


def _damaged(path: Path, detail: str) -> StorageError:
    from newsreader.core.integrity import DamagedLibraryError

    return DamagedLibraryError(path, detail)


def _where(where: ArticleFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if where.unread:
        clauses.append("read = 0")
    if where.starred:
        clauses.append("starred = 1")
    if where.source is not None:
        clauses.append("source = ?")
        params.append(where.source)
    if where.ids is not None:
        # json_each keeps the statement size constant however many ids a search returned.
        clauses.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(where.ids)))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
