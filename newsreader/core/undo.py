"""Delete and its undo: an undone delete brings back exactly what was there.

Deleting an article cascades to its mentions, its entity links and its recognition status
(migration 2), and recognition later prunes entities no article mentions. So a delete that
only kept the articles would bring them back bare: no highlights, `person:` finding nothing,
and nothing asking for them to be recognised again. `delete` therefore reads everything the
cascade will remove in the same transaction as the delete, and `restore` writes it all back
in one transaction (entities a prune removed meanwhile are recreated, under their old ids
when those are free). The index follows through the outbox rows the triggers write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.core.models import Article
from newsreader.core.storage import Storage


@dataclass(frozen=True, slots=True)
class EntityRows:
    """The rows the cascade of a delete removes, and the entities they point at."""

    mentions: tuple[tuple[int, int, int, int, int, str], ...] = ()  # article, entity, part, …
    links: tuple[tuple[int, int], ...] = ()  # entity, article
    status: tuple[tuple[int, str, str], ...] = ()  # article, model, processed
    entities: tuple[tuple[int, str, str, str], ...] = ()  # id, name, type, key
    aliases: tuple[tuple[int, str, str], ...] = ()  # entity, alias, key


class Deleted(list[Article]):
    """What `delete` removed: the articles as they were (it is a list of them), plus their
    entity rows, so that `restore` can put everything back."""

    def __init__(self, articles: Sequence[Article], rows: EntityRows) -> None:
        super().__init__(articles)
        self.rows = rows


def _in(ids: Sequence[int]) -> str:
    return json.dumps(list(ids))


def delete(storage: Storage, ids: Sequence[int]) -> Deleted:
    """Delete articles, reading what the cascade removes in the same transaction."""
    with storage.transaction() as db:
        articles = storage.get_many(ids)
        found = _in([a.id for a in articles if a.id is not None])
        pick = "IN (SELECT value FROM json_each(?))"
        mentions = db.execute(
            f'SELECT article_id, entity_id, part, start, "end", text FROM mentions'
            f" WHERE article_id {pick} ORDER BY id",
            (found,),
        ).fetchall()
        links = db.execute(
            f"SELECT entity_id, article_id FROM entity_articles WHERE article_id {pick}",
            (found,),
        ).fetchall()
        status = db.execute(
            f"SELECT article_id, model, processed FROM ner_status WHERE article_id {pick}",
            (found,),
        ).fetchall()
        entity_ids = _in(sorted({int(r[1]) for r in mentions} | {int(r[0]) for r in links}))
        entities = db.execute(
            f"SELECT id, name, type, key FROM entities WHERE id {pick}", (entity_ids,)
        ).fetchall()
        aliases = db.execute(
            f"SELECT entity_id, alias, key FROM entity_aliases WHERE entity_id {pick}",
            (entity_ids,),
        ).fetchall()
        db.execute(f"DELETE FROM articles WHERE id {pick}", (found,))
    rows = EntityRows(
        mentions=tuple(tuple(r) for r in mentions),
        links=tuple(tuple(r) for r in links),
        status=tuple(tuple(r) for r in status),
        entities=tuple(tuple(r) for r in entities),
        aliases=tuple(tuple(r) for r in aliases),
    )
    return Deleted(articles, rows)


def restore(storage: Storage, articles: Sequence[Article]) -> list[int | None]:
    """Put deleted articles back (see the module docstring); return their ids now.

    Plain articles (not a `Deleted`) come back with their flags and, having no recognition
    status, are recognised again. An article whose content is in the library again (imported
    meanwhile) is not duplicated; an article whose id was taken comes back under a new one.
    """
    rows = articles.rows if isinstance(articles, Deleted) else EntityRows()
    with storage.transaction() as db:
        new_ids = storage.insert_articles(db, articles)
        moved = {
            int(a.id): new
            for a, new in zip(articles, new_ids, strict=True)
            if a.id is not None and new is not None
        }
        if moved:
            _restore_entities(db, rows, moved)
    return new_ids


def _restore_entities(db: sqlite3.Connection, rows: EntityRows, moved: dict[int, int]) -> None:
    """Write back the entity rows of the articles that came back (ids mapped by `moved`)."""
    entity_id: dict[int, int] = {}
    for old, name, kind, key in rows.entities:
        same = db.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (kind, key))
        found = same.fetchone()
        if found is not None:
            entity_id[old] = int(found[0])
            continue
        taken = db.execute("SELECT 1 FROM entities WHERE id = ?", (old,)).fetchone()
        cursor = db.execute(
            "INSERT INTO entities (id, name, type, key) VALUES (?, ?, ?, ?)",
            (None if taken else old, name, kind, key),
        )
        entity_id[old] = int(cursor.lastrowid or 0)
    db.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, key) VALUES (?, ?, ?)",
        [(entity_id[e], alias, key) for e, alias, key in rows.aliases if e in entity_id],
    )
    db.executemany(
        'INSERT INTO mentions (article_id, entity_id, part, start, "end", text)'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (moved[a], entity_id[e], part, start, end, text)
            for a, e, part, start, end, text in rows.mentions
            if a in moved and e in entity_id
        ],
    )
    db.executemany(
        "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
        [(entity_id[e], moved[a]) for e, a in rows.links if a in moved and e in entity_id],
    )
    db.executemany(
        "INSERT OR REPLACE INTO ner_status (article_id, model, processed) VALUES (?, ?, ?)",
        [(moved[a], model, processed) for a, model, processed in rows.status if a in moved],
    )
