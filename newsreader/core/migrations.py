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

# Saved searches (named queries), in the library so that every front end and `--library`
# share them. Number 5: 3 and 4 are taken by other work; `migrate` applies whatever a
# library lacks in version order, so a gap (or a lower number arriving later) is fine.
_V5_SAVED_SEARCHES = """
CREATE TABLE saved_searches (
    name     TEXT PRIMARY KEY,
    query    TEXT NOT NULL,
    position INTEGER NOT NULL
);
"""

# Sources become first-class (issue 9): one row per feed, imported folder, file, dataset or the
# sample, which articles refer to by `source_id`. `articles.source` stays as the display name
# (everything that lists, filters, indexes or exports articles reads it), kept equal to
# `sources.name` by `core/sources.py`; a trigger links every newly inserted article to its
# source by that name, creating the row if needed, whichever write path inserted it.
# Existing libraries: one source per distinct `articles.source`; a path label becomes its last
# component (`/data/bbc-sample` -> `bbc-sample`) unless another source has that name; the
# search index is then marked stale (meta `index_stale`) so its stored source names follow.
# `feed_entries` remembers each feed entry by its key (id, else link, else content hash) so a
# refresh never stores an entry twice and can tell an update from a new entry.
_V4_SOURCES = """
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('feed', 'folder', 'file', 'dataset', 'sample', 'other')),
    name            TEXT NOT NULL UNIQUE,       -- display name (sidebar, list, front matter)
    location        TEXT NOT NULL DEFAULT '',   -- feed URL or imported path
    folder          TEXT NOT NULL DEFAULT '',   -- sidebar folder, nested with '/'
    created         TEXT NOT NULL,
    site_url        TEXT NOT NULL DEFAULT '',   -- a feed's web page
    etag            TEXT,
    last_modified   TEXT,
    interval_min    INTEGER,                    -- refresh interval; NULL: the default
    full_text       INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_attempt    TEXT,
    last_success    TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    error_count     INTEGER NOT NULL DEFAULT 0,
    next_attempt    TEXT                        -- not before (backoff, Retry-After)
);
CREATE UNIQUE INDEX sources_feed_url ON sources (location) WHERE kind = 'feed';
CREATE TABLE feed_entries (
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    entry_key   TEXT NOT NULL,                  -- 'id:…', 'link:…' or 'hash:…'
    article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    entry_hash  TEXT NOT NULL,                  -- what the entry said when last stored
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (source_id, entry_key)
) WITHOUT ROWID;
CREATE INDEX feed_entries_article ON feed_entries (article_id);
ALTER TABLE articles ADD COLUMN source_id INTEGER REFERENCES sources (id);
CREATE INDEX articles_source_id ON articles (source_id);

CREATE TEMP TABLE _v4_names AS
    SELECT source, source_kind,
           replace(source, rtrim(source, replace(source, '/', '')), '') AS base
    FROM (SELECT source, min(source_kind) AS source_kind FROM main.articles GROUP BY source);
INSERT INTO sources (kind, name, location, created)
SELECT
    CASE
        WHEN source = 'Newsreader sample' THEN 'sample'
        WHEN source_kind IN ('jsonl', 'csv') THEN 'dataset'
        WHEN source LIKE '/%' AND base LIKE '%.%' THEN 'file'
        WHEN source LIKE '/%' THEN 'folder'
        ELSE 'other'
    END,
    CASE
        WHEN source LIKE '/%' AND base <> ''
             AND (SELECT count(*) FROM _v4_names o WHERE o.base = n.base OR o.source = n.base) = 1
        THEN base
        ELSE source
    END,
    CASE WHEN source LIKE '/%' THEN source ELSE '' END,
    strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM _v4_names n ORDER BY source;
UPDATE articles SET source_id = coalesce(
    (SELECT id FROM sources WHERE name = articles.source),
    (SELECT id FROM sources WHERE location = articles.source)
);
UPDATE articles SET source = (SELECT name FROM sources WHERE id = articles.source_id)
    WHERE source <> (SELECT name FROM sources WHERE id = articles.source_id);
INSERT INTO meta (key, value)
    SELECT 'index_stale', 'source names changed' WHERE changes() > 0
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
DROP TABLE _v4_names;

CREATE TRIGGER articles_link_source AFTER INSERT ON articles WHEN NEW.source_id IS NULL
BEGIN
    INSERT INTO sources (kind, name, created)
        SELECT CASE WHEN NEW.source = 'Newsreader sample' THEN 'sample'
                    WHEN NEW.source_kind IN ('jsonl', 'csv') THEN 'dataset'
                    ELSE 'other' END,
               NEW.source, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
        WHERE NOT EXISTS (SELECT 1 FROM sources WHERE name = NEW.source);
    UPDATE articles SET source_id = (SELECT id FROM sources WHERE name = NEW.source)
        WHERE id = NEW.id;
END;
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

# People by the first and the last word of their key (migration 6, issue 12's throughput).
# A bare surname is linked to the full name that dominates among the people whose key ends in
# it (`store.dominant_full_name`), once for every new one-word person a recognition run meets;
# `LIKE '% trump'` cannot use an index, so each answer scanned every entity. The expressions
# are the key's last word (after its last space: `rtrim` strips the non-space letters) and its
# first word (before its first space; '' without one), lower-cased as `LIKE` compares (ASCII).
_V6_ENTITY_NAME_WORDS = """
CREATE INDEX entities_last_word
    ON entities (type, lower(substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1)));
CREATE INDEX entities_first_word ON entities (type, lower(substr(key, 1, instr(key, ' ') - 1)));
"""

# Change stamps (migration 7, issue 8): one counter per thing the window shows, bumped by a
# trigger in the transaction of every change to it, whoever made it (an import in a terminal,
# `newsreader entities`, the worker's feed refresh, a second window's flags). The window polls
# `PRAGMA data_version`, which moves on *any* commit of another connection, the indexer's
# `DELETE FROM index_outbox` included (6-10 times in a 100k drain, each a full re-listing);
# when it moves, the window reads these counters and re-reads only if one of them moved
# (`ui/library_watch.py`). Triggers, not the storage's write methods, for the outbox's reason:
# no write path can forget its bump. The counters are rows of a tiny table the triggers update
# in place; a bulk import pays one in-page update per article (bench/change_stamps.py measures
# it against the same import without the triggers). What is not shown is not counted: the
# outbox, `meta`, feed entries, aliases, mentions (recognition is counted once per article by
# `ner_status`, a moved mention by its own trigger), `articles.source_id` (set by the link
# trigger on every insert, and always with `source` when it matters).
_V7_CHANGE_STAMPS = """
CREATE TABLE change_stamps (
    concern TEXT PRIMARY KEY,            -- articles, flags, entities, sources, searches
    stamp   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO change_stamps (concern)
    VALUES ('articles'), ('flags'), ('entities'), ('sources'), ('searches');
CREATE TRIGGER change_article_added AFTER INSERT ON articles BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'articles';
END;
CREATE TRIGGER change_article_deleted AFTER DELETE ON articles BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'articles';
END;
CREATE TRIGGER change_article_edited
AFTER UPDATE OF title, kicker, byline, paragraphs, photos, source, source_kind, origin, url,
    published, imported, content_hash, truncated ON articles BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'articles';
END;
CREATE TRIGGER change_article_flags AFTER UPDATE OF read, starred ON articles BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'flags';
END;
CREATE TRIGGER change_recognised AFTER INSERT ON ner_status BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_recognised_again AFTER UPDATE ON ner_status BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_recognition_reset AFTER DELETE ON ner_status BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_entity_added AFTER INSERT ON entities BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_entity_edited AFTER UPDATE ON entities BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_entity_deleted AFTER DELETE ON entities BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_mention_moved AFTER UPDATE OF entity_id ON mentions BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'entities';
END;
CREATE TRIGGER change_source_added AFTER INSERT ON sources BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'sources';
END;
CREATE TRIGGER change_source_edited AFTER UPDATE ON sources BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'sources';
END;
CREATE TRIGGER change_source_deleted AFTER DELETE ON sources BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'sources';
END;
CREATE TRIGGER change_search_saved AFTER INSERT ON saved_searches BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'searches';
END;
CREATE TRIGGER change_search_edited AFTER UPDATE ON saved_searches BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'searches';
END;
CREATE TRIGGER change_search_removed AFTER DELETE ON saved_searches BEGIN
    UPDATE change_stamps SET stamp = stamp + 1 WHERE concern = 'searches';
END;
"""

MIGRATIONS: list[Migration] = [
    Migration(1, "articles and library metadata", _V1_ARTICLES),
    Migration(2, "named entities, mentions and recognition status", _V2_ENTITIES),
    Migration(3, "index outbox: changes the search index must follow", _V3_INDEX_OUTBOX),
    Migration(4, "sources: feeds, folders, files, datasets; feed entries", _V4_SOURCES),
    Migration(5, "saved searches", _V5_SAVED_SEARCHES),
    Migration(6, "entities by the first and last word of their key", _V6_ENTITY_NAME_WORDS),
    Migration(7, "change stamps: what the window shows, counted by triggers", _V7_CHANGE_STAMPS),
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
    # Version order, not list order: numbers are handed out per piece of work, so the list
    # may hold gaps, and a library may lack a lower number than one it already has.
    for migration in sorted(MIGRATIONS, key=lambda m: m.version):
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
