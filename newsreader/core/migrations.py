"""Schema migrations, in code, applied in order and recorded in the database.

Each migration runs once inside a transaction; the `schema_migrations` table records which
have run, so an old library opens in a new version and is brought up to date. Append new
migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: SQL statements run in a single transaction."""

    version: int
    description: str
    sql: str


_V1_ARTICLES = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kicker       TEXT NOT NULL DEFAULT '',
    byline       TEXT NOT NULL DEFAULT '',
    paragraphs   TEXT NOT NULL,              -- JSON array of strings
    photos       TEXT NOT NULL DEFAULT '[]', -- JSON array of {credit, caption, after}
    source       TEXT NOT NULL DEFAULT '',
    source_kind  TEXT NOT NULL DEFAULT '',
    origin       TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    published    TEXT,                       -- ISO 8601, NULL when unknown
    imported     TEXT NOT NULL,              -- ISO 8601 UTC
    content_hash TEXT NOT NULL UNIQUE,
    truncated    INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
    read         INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    starred      INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1))
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_imported ON articles (imported);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_unread ON articles (id) WHERE read = 0;
CREATE INDEX articles_starred ON articles (id) WHERE starred = 1;
"""

# Named entities. Canonical entities are one row per (type, folded name) however many
# articles and spellings mention them; `entity_articles` holds the distinct pairs so article
# counts are an index lookup, not a scan of every mention. `ner_status` records which model
# processed each article, so a model change makes articles pending again. Mentions and pairs
# go with their article (ON DELETE CASCADE); entities left without articles are pruned by
# the entities pipeline.
_V2_ENTITIES = """
CREATE TABLE entities (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    type  TEXT NOT NULL,
    key   TEXT NOT NULL,                     -- folded name: case, dots, 'the' removed
    UNIQUE (type, key)
);
CREATE TABLE entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    key       TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_key ON entity_aliases (key);
CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    part       INTEGER NOT NULL,             -- -1 title, -2 kicker, 0.. paragraph index
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions (article_id, part, start);
CREATE INDEX mentions_entity ON mentions (entity_id);
CREATE TABLE entity_articles (
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, article_id)
) WITHOUT ROWID;
CREATE INDEX entity_articles_article ON entity_articles (article_id);
CREATE TABLE ner_status (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,                -- model package, version and rules version
    processed  TEXT NOT NULL                 -- ISO 8601 UTC
);
CREATE INDEX ner_status_model ON ner_status (model);
"""

# The index outbox (see `newsreader.core.indexer`). Every change the search index must reflect
# writes a row here in the same transaction as the change itself. Triggers do the writing, not
# the storage methods: a trigger runs inside the statement that made the change, whoever made
# it (an import, a feed refresh, the entity store, an undo), so no write path can forget its
# row and no crash can separate the change from its row. A row says only *which* article
# changed (and what happened, for the record); the indexer reads the article's current state,
# so applying a row twice, or an older row after a newer one, is harmless. A mention moved to
# another entity (a one-word person absorbed by a full name, `store.EntityResolver`) changes the
# names an older article is found by, so it queues that article too. Read and starred
# are not in the index, so flags write nothing; a column the index starts to store must be
# added to the update trigger. `index_verify` asks the indexer to compare the index with the
# database once: a library from before the outbox may hold an index that fell behind.
_V3_INDEX_OUTBOX = """
CREATE TABLE index_outbox (
    seq        INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    change     TEXT NOT NULL                 -- 'article', 'entities' or 'delete'
);
CREATE TRIGGER index_outbox_article_added AFTER INSERT ON articles BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (new.id, 'article');
END;
CREATE TRIGGER index_outbox_article_changed
AFTER UPDATE OF title, kicker, paragraphs, photos, source, published ON articles BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (new.id, 'article');
END;
CREATE TRIGGER index_outbox_article_deleted AFTER DELETE ON articles BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (old.id, 'delete');
END;
CREATE TRIGGER index_outbox_entities_added AFTER INSERT ON ner_status BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (new.article_id, 'entities');
END;
CREATE TRIGGER index_outbox_entities_changed AFTER UPDATE ON ner_status BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (new.article_id, 'entities');
END;
CREATE TRIGGER index_outbox_mention_moved AFTER UPDATE OF entity_id ON mentions BEGIN
    INSERT INTO index_outbox (article_id, change) VALUES (new.article_id, 'entities');
END;
INSERT INTO meta (key, value) SELECT 'index_verify', '1' WHERE EXISTS (SELECT 1 FROM articles)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
"""

MIGRATIONS: list[Migration] = [
    Migration(1, "articles and library metadata", _V1_ARTICLES),
    Migration(2, "named entities, mentions and recognition status", _V2_ENTITIES),
    Migration(3, "index outbox: changes the search index must follow", _V3_INDEX_OUTBOX),
]


def migrate(db: sqlite3.Connection) -> list[int]:
    """Apply every migration the database lacks; return the versions applied."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    newest_known = max(m.version for m in MIGRATIONS)
    if done and max(done) > newest_known:
        raise RuntimeError(
            f"this library was written by a newer Newsreader (schema {max(done)}, "
            f"this version knows up to {newest_known}); upgrade Newsreader to open it"
        )
    applied = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        # One script with its own BEGIN/COMMIT: executescript() would otherwise commit
        # statement by statement and a failure could leave half a migration behind.
        record = (
            "INSERT INTO schema_migrations (version, description, applied) VALUES "
            f"({migration.version}, '{migration.description.replace(chr(39), chr(39) * 2)}', "
            "datetime('now'));"
        )
        try:
            db.executescript(f"BEGIN;\n{migration.sql}\n{record}\nCOMMIT;")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def schema_version(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)
