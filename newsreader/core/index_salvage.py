"""Articles rebuilt from the search index's stored fields: the last resort when rows are lost.

The Whoosh index is derived from the database, but it keeps a copy of what a result row and a
snippet need: each document stores `id`, `title`, `kicker`, `source`, `published` and the body
compressed (`body_z`). When the database is gone (deleted, emptied) or some of its rows cannot
be read any more, those fields give back the articles' titles and text under their old ids, so
the index and the rebuilt database agree. What the index never had is lost: byline, URL,
photos and their credits, origin, read and starred marks, entities (recognised again later).

This is the only module that reads stored fields for recovery; if the schema stops storing a
field (`core/search/schema.py`), rebuilt articles simply lack it. Without `body_z` they would
have titles only, so `REQUIRED_FIELDS` are checked and a document without them is skipped.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index

from newsreader.core.models import Article
from newsreader.core.search.schema import decompress

if TYPE_CHECKING:
    from newsreader.core.storage import Storage

__all__ = [
    "ORIGIN",
    "REQUIRED_FIELDS",
    "USED_FIELDS",
    "IndexContents",
    "read_index",
    "store",
]

#: Without these a document cannot become an article worth keeping.
REQUIRED_FIELDS = ("id", "title", "body_z")
#: Also taken when present.
USED_FIELDS = (*REQUIRED_FIELDS, "kicker", "source", "published")
#: What a rebuilt article's `origin` says, so a user can tell it from an imported one.
ORIGIN = "rebuilt from the search index"


@dataclass(frozen=True, slots=True)
class IndexContents:
    """What a readable index holds: every article id, and a way to rebuild articles."""

    directory: Path
    ids: frozenset[int]

    def articles(self, wanted: set[int] | None = None) -> Iterator[Article]:
        """The articles with ids in `wanted` (all if None), rebuilt from stored fields."""
        now = datetime.now(UTC).replace(microsecond=0)
        for stored in _stored_documents(self.directory):
            article_id = stored.get("id")
            if not isinstance(article_id, int) or (wanted is not None and article_id not in wanted):
                continue
            article = _article(stored, now)
            if article is not None:
                yield article


def read_index(directory: Path) -> IndexContents | None:
    """The index at `directory`, or None when there is none or it cannot be read."""
    try:
        if not directory.is_dir() or not whoosh_index.exists_in(str(directory)):
            return None
        ids = frozenset(
            int(doc["id"]) for doc in _stored_documents(directory) if isinstance(doc.get("id"), int)
        )
    except Exception:  # whatever Whoosh fails on, the index is not there to rebuild from
        return None
    return IndexContents(directory, ids)


def store(storage: Storage, contents: IndexContents, ids: set[int], batch: int = 500) -> int:
    """Rebuild the articles with `ids` into `storage` under their old ids; return how many."""
    added = 0
    chunk: list[Article] = []
    for article in contents.articles(ids):
        chunk.append(article)
        if len(chunk) >= batch:
            added += sum(1 for new in storage.add_articles(chunk) if new is not None)
            chunk = []
    if chunk:
        added += sum(1 for new in storage.add_articles(chunk) if new is not None)
    return added


def _stored_documents(directory: Path) -> Iterator[dict[str, Any]]:
    with warnings.catch_warnings():
        # A damaged table of contents leaks an open file inside Whoosh.
        warnings.simplefilter("ignore", ResourceWarning)
        ix = whoosh_index.open_dir(str(directory))
        try:
            with ix.reader() as reader:
                for stored in reader.all_stored_fields():
                    yield dict(stored)
        finally:
            ix.close()


def _article(stored: dict[str, Any], now: datetime) -> Article | None:
    if any(stored.get(name) is None for name in REQUIRED_FIELDS):
        return None
    try:
        body = decompress(stored["body_z"])
    except Exception:  # a damaged compressed body: that one article cannot be rebuilt
        return None
    paragraphs = tuple(part for part in body.split("\n\n") if part.strip())
    published = stored.get("published")
    return Article(
        id=int(stored["id"]),
        title=str(stored["title"]),
        kicker=str(stored.get("kicker") or ""),
        paragraphs=paragraphs,
        source=str(stored.get("source") or ""),
        origin=ORIGIN,
        published=published if isinstance(published, datetime) else None,
        imported=now,
    )
