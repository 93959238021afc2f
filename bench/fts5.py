"""SQLite FTS5 over the benchmark corpus: the reference our Whoosh search is measured against.

FTS5 is C inside the SQLite we already ship, so it is the natural yardstick for "how fast could
full-text search be here": if Whoosh (pure Python) stays within a small factor of it on the same
corpus, same machine and same run, the index design is sound; if it does not, the table says by
how much. The table mirrors our index (title, kicker, body; Porter stemming, case folding) and
every query does what `SearchIndex.search` does for a user: the 20 best by BM25 (FTS5's `rank`),
a highlighted snippet for each, and the total match count.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsreader.core.models import Article

_SCHEMA = (
    "CREATE VIRTUAL TABLE fts USING fts5("
    " title, kicker, body, published UNINDEXED, tokenize = 'porter unicode61')"
)
#: The same text unstemmed, for exact phrases (Newsreader's `exact_*` fields): FTS5 keeps
#: every word, small ones included, as our exact analyzer does.
_EXACT_SCHEMA = (
    "CREATE VIRTUAL TABLE fts_exact USING fts5("
    " title, kicker, body, published UNINDEXED, tokenize = 'unicode61')"
)


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """An FTS5 MATCH expression, optionally restricted to `published` in [start, end)."""

    match: str
    start: str | None = None
    end: str | None = None
    exact: bool = False  # search the unstemmed table (a quoted phrase)


class Fts5Reference:
    """One FTS5 database file, built once, queried many times on one long-lived connection."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(_SCHEMA)
        self.db.execute(_EXACT_SCHEMA)

    def build(self, articles: Sequence[Article], batch: int = 1000) -> float:
        """Insert every article (rowid = position + 1) and optimise; return seconds taken.

        Batched transactions like our own import, then `optimize` so the index is one b-tree
        as a long-lived library's would be after merges.
        """
        started = time.perf_counter()
        for first in range(0, len(articles), batch):
            rows = [
                (
                    first + offset + 1,
                    a.title,
                    a.kicker,
                    a.body,
                    a.published.isoformat() if a.published else None,
                )
                for offset, a in enumerate(articles[first : first + batch])
            ]
            self.db.execute("BEGIN")
            for table in ("fts", "fts_exact"):
                self.db.executemany(
                    f"INSERT INTO {table} (rowid, title, kicker, body, published)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            self.db.execute("COMMIT")
        for table in ("fts", "fts_exact"):
            self.db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        return time.perf_counter() - started

    def search(self, query: FtsQuery, limit: int = 20) -> tuple[int, list[tuple[int, str, str]]]:
        """The total match count and the top `limit` (rowid, title, snippet) by BM25."""
        total, top, _ = self._search(query, limit, all_ids=False)
        return total, top

    def search_all(
        self, query: FtsQuery, limit: int = 20
    ) -> tuple[int, list[tuple[int, str, str]], list[int]]:
        """What the window asks for: the top `limit` with snippets, and every matching
        rowid in rank order (whose length is the total)."""
        return self._search(query, limit, all_ids=True)

    def _search(
        self, query: FtsQuery, limit: int, *, all_ids: bool
    ) -> tuple[int, list[tuple[int, str, str]], list[int]]:
        table = "fts_exact" if query.exact else "fts"
        where = f"{table} MATCH ?"
        params: list[str] = [query.match]
        if query.start is not None:
            where += " AND published >= ?"
            params.append(query.start)
        if query.end is not None:
            where += " AND published < ?"
            params.append(query.end)
        rows = self.db.execute(
            f"SELECT rowid, title, snippet({table}, 2, '«', '»', '…', 24) FROM {table}"
            f" WHERE {where} ORDER BY rank LIMIT ?",
            [*params, limit],
        ).fetchall()
        top = [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
        if all_ids:
            ids = [
                int(r[0])
                for r in self.db.execute(
                    f"SELECT rowid FROM {table} WHERE {where} ORDER BY rank", params
                )
            ]
            return len(ids), top, ids
        total = self.db.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        return int(total), top, []

    def close(self) -> None:
        self.db.close()
