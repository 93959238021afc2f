"""Saved searches: named queries stored in the library, so `--library` keeps them apart and the
command line (`newsreader search --saved NAME`) runs the same ones the window pins.

They lived in the window's settings file before; `SavedSearch.name` is what the sidebar shows
and the CLI takes, `query` what runs. The table comes from migration 5.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


class SavedSearchError(ValueError):
    """A saved search cannot be stored as asked (empty name or query)."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query, in the order the user saved it."""

    name: str
    query: str


def all_saved(db: sqlite3.Connection) -> list[SavedSearch]:
    rows = db.execute("SELECT name, query FROM saved_searches ORDER BY position, name")
    return [SavedSearch(str(r[0]), str(r[1])) for r in rows]


def get(db: sqlite3.Connection, name: str) -> SavedSearch | None:
    row = db.execute(
        "SELECT name, query FROM saved_searches WHERE name = ?", (name.strip(),)
    ).fetchone()
    return SavedSearch(str(row[0]), str(row[1])) if row else None


def save(db: sqlite3.Connection, name: str, query: str) -> SavedSearch:
    """Store (or replace the query of) a saved search; a new one goes to the end."""
    name, query = " ".join(name.split()), query.strip()
    if not name:
        raise SavedSearchError("a saved search needs a name")
    if not query:
        raise SavedSearchError("a saved search needs a query")
    db.execute(
        "INSERT INTO saved_searches (name, query, position)"
        " VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM saved_searches))"
        " ON CONFLICT (name) DO UPDATE SET query = excluded.query",
        (name, query),
    )
    return SavedSearch(name, query)


def remove(db: sqlite3.Connection, name: str) -> bool:
    """Forget a saved search; False when there was none by that name."""
    return db.execute("DELETE FROM saved_searches WHERE name = ?", (name.strip(),)).rowcount > 0
