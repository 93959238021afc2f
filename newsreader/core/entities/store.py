"""SQL for entities, aliases, mentions and recognition status (schema: migration 2).

Functions take the caller's connection so that one article's mentions, its entity links
and its status row are written in the caller's transaction: an interrupted run leaves an
article either fully processed or untouched.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from newsreader.core.entities import gazetteer, title_names
from newsreader.core.entities.canonical import Named, key
from newsreader.core.entities.gazetteer import HOME_NATIONS
from newsreader.core.models import HIDDEN_ENTITY_TYPES, Article, Entity, Mention

_NEWEST_FIRST = "coalesce(a.published, a.imported) DESC, a.id DESC"


def pending_ids(db: sqlite3.Connection, model: str) -> list[int]:
    """Articles never processed, or processed by another model or rules version."""
    rows = db.execute(
        "SELECT a.id FROM articles a LEFT JOIN ner_status s ON s.article_id = a.id"
        " WHERE s.model IS NULL OR s.model != ? ORDER BY a.id",
        (model,),
    )
    return [int(r[0]) for r in rows]


def pending_count(db: sqlite3.Connection, model: str | None) -> int:
    """How many articles `pending_ids` would return (all of them when no model is known)."""
    if model is None:
        return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    row = db.execute(
        "SELECT count(*) FROM articles a LEFT JOIN ner_status s ON s.article_id = a.id"
        " WHERE s.model IS NULL OR s.model != ?",
        (model,),
    ).fetchone()
    return int(row[0])


def forget_status(db: sqlite3.Connection) -> None:
    """Make every article pending again (rebuild); old mentions stay until replaced.

    Aliases go now: they are found again with the mentions, and an alias an older rule
    version made (`White House` for Casablanca) would otherwise keep folding new mentions
    into the wrong entity."""
    db.execute("DELETE FROM ner_status")
    db.execute("DELETE FROM entity_aliases")


#: A bare surname joins the full name that dominates among the people with that surname:
#: one with at least this many times the articles of the runner-up (`Trump` → Donald Trump,
#: not Melania Trump; two Smiths of equal weight stay apart).
DOMINANCE = 2.0


class EntityResolver:
    """Finds or creates the canonical entity row for a name, within one transaction.

    Lookup order: the exact key; an alias key that belongs to exactly one entity of the type,
    if the alias is several words or an abbreviation in capitals (`ISW`), never a single
    word matched case-insensitively (`Harry` is an alias of Harry Potter in one article, it
    must not take Prince Harry's mentions everywhere); for a one-word person, the full name
    that dominates among the people with that surname (`DOMINANCE`), matched on the last word
    only. `consolidate` applies the same rule over the library after a run, so the order in
    which articles arrive does not decide who `Trump` is.

    `known` may be shared by the resolvers of one run's batches: it holds only answers of
    the first step, (type, key) → the row with exactly that type and key (found, or created
    here), which stay true while a run writes mentions, since entity rows are deleted or
    folded only after (`consolidate`, `prune`, in the same lane). The answers of the other
    steps change as articles are written, so they are kept for this resolver's batch only.
    """

    def __init__(
        self, db: sqlite3.Connection, known: dict[tuple[str, str], int] | None = None
    ) -> None:
        self.db = db
        self._cache: dict[tuple[str, str], int] = {}
        self._names: dict[tuple[str, str], int] = {}  # (name, type): the same, unkeyed
        self._known: dict[tuple[str, str], int] = {} if known is None else known

    def resolve(self, name: str, kind: str) -> int:
        named = self._names.get((name, kind))
        if named is not None:
            return named
        k = key(name, kind)
        cached = self._cache.get((kind, k))
        if cached is not None:
            self._names[(name, kind)] = cached
            return cached
        entity_id = self._known.get((kind, k))
        if entity_id is None:
            entity_id = self._exact(k, kind)
            if entity_id is None:
                entity_id = self._related(k, kind)
            if entity_id is None:
                entity_id = self._create(name, k, kind)
                self._known[(kind, k)] = entity_id
        self._cache[(kind, k)] = entity_id
        self._names[(name, kind)] = entity_id
        return entity_id

    def _one(self, sql: str, params: Sequence[object]) -> int | None:
        rows = self.db.execute(sql, params).fetchmany(2)
        return int(rows[0][0]) if len(rows) == 1 else None

    def _exact(self, k: str, kind: str) -> int | None:
        """The entity with exactly this type and key (remembered in `known`)."""
        row = self.db.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (kind, k))
        found = row.fetchone()
        if found is None:
            return None
        self._known[(kind, k)] = int(found[0])
        return int(found[0])

    def _related(self, k: str, kind: str) -> int | None:
        """The entity a name without a row of its own belongs to: by alias, or by surname."""
        by_alias = self._one(
            "SELECT DISTINCT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE e.type = ? AND a.key = ?"
            " AND (instr(a.key, ' ') > 0 OR (a.alias = upper(a.alias) AND length(a.alias) > 1))",
            (kind, k),
        )
        if by_alias is not None:
            return by_alias
        if kind == "person" and " " not in k:
            return dominant_full_name(self.db, k)
        return None

    def _create(self, name: str, k: str, kind: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO entities (name, type, key) VALUES (?, ?, ?)", (name, kind, k)
        )
        return int(cursor.lastrowid or 0)


#: SQL for a key's last and first word, exactly as migration 6 indexes them (the planner uses
#: an expression index only for the very same expression).
_LAST_WORD = "lower(substr(e.key, length(rtrim(e.key, replace(e.key, ' ', ''))) + 1))"
_FIRST_WORD = "lower(substr(e.key, 1, instr(e.key, ' ') - 1))"
_CANDIDATES = (
    "SELECT e.id, count(ea.article_id) AS n FROM entities e"
    " LEFT JOIN entity_articles ea ON ea.entity_id = e.id"
    " WHERE e.type = 'person' AND e.key LIKE ? ESCAPE '\\'"
    " AND lower(e.name) LIKE ? ESCAPE '\\'"  # the last word itself, not `ex-Yukos`
    "{words} GROUP BY e.id ORDER BY n DESC, e.id LIMIT 2"
)
_FIRST_NAMES = (
    "SELECT max(n) FROM (SELECT count(ea.article_id) AS n FROM entities e"
    " JOIN entity_articles ea ON ea.entity_id = e.id"
    " WHERE e.type = 'person' AND e.key LIKE ? ESCAPE '\\'{words} GROUP BY e.id)"
)


def dominant_full_name(db: sqlite3.Connection, surname: str) -> int | None:
    """The person whose name ends in `surname` (a key) and who dominates the others that do
    (`DOMINANCE`), or None.

    The `LIKE` patterns say what matches; each query also names the key's last (or first)
    word, which migration 6 indexes, so that the answer is an index lookup rather than a scan
    of every entity. That added condition holds for every row the patterns match (a key that
    ends in a space and `surname`, `surname` holding no space, has `surname` as its last
    word, equal as `LIKE` compares: ASCII case aside), so the rows are the same; only a
    backslash, which `LIKE ... ESCAPE` reads as an escape, would break that, so such a
    surname takes the scan (`_dominant_full_name_scan`, the reference the tests compare).
    """
    if "\\" in surname or " " in surname:
        return _dominant_full_name_scan(db, surname)
    return _dominant(
        db,
        surname,
        f" AND {_LAST_WORD} = lower(?)",
        f" AND {_FIRST_WORD} = lower(?)",
        (surname,),
    )


def _dominant_full_name_scan(db: sqlite3.Connection, surname: str) -> int | None:
    """`dominant_full_name` by the patterns alone: a scan of the entities per question."""
    return _dominant(db, surname, "", "", ())


def _dominant(
    db: sqlite3.Connection, surname: str, last: str, first: str, word: tuple[str, ...]
) -> int | None:
    escaped = surname.replace("%", "\\%").replace("_", "\\_")
    pattern = "% " + escaped
    rows = db.execute(_CANDIDATES.format(words=last), (pattern, pattern, *word)).fetchall()
    if not rows:
        return None
    if len(rows) == 2 and rows[0][1] < DOMINANCE * max(rows[1][1], 1):
        return None
    # A bare `Donald` is Donald Trump's first name cut off, not Howard Donald's surname.
    most = db.execute(_FIRST_NAMES.format(words=first), (escaped + " %", *word)).fetchone()[0]
    if most is not None and most >= rows[0][1]:
        return None
    return int(rows[0][0])


def _count(db: sqlite3.Connection, entity_id: int) -> int:
    row = db.execute("SELECT count(*) FROM entity_articles WHERE entity_id = ?", (entity_id,))
    return int(row.fetchone()[0])


#: A one-word organisation is a person's surname the model misread (`Trump's crackdown`,
#: read as an organisation) when the library's dominant person of that surname has at least
#: this share of the organisation's articles: `Ford` the carmaker in 50 articles stays beside
#: Harrison Ford in 10.
SURNAME_ORG_SHARE = 1 / 3


#: Rules whose type for a name is evidence from its context (`the comedy Sideways`, `band
#: Franz Ferdinand`, `President Trump`), as opposed to layers that spread a decision
#: (consistency, chains), look a name up without context (gazetteer, teams) or read a weak
#: cue (`producer Harvey Weinstein` is no company).
EVIDENCE_RULES = frozenset(
    {
        "works",
        "awards",
        "parties",
        "companies",
        "bands",
        "org-word",
        "title",
        "self-naming",
        "initials",
        "agency",
        "place-word",
        "platforms",
        "kin",
        "pronoun",
        "job-name",
        "company-unit",
        "list-mate",
    }
)
#: Where rules disagree, the type they gave in this many times the articles of any other wins.
EVIDENCE_DOMINANCE = 3
#: Per connection (a library): (type, key) → articles where a context rule gave the name that
#: type, gathered by `save_article` during a run and used by `consolidate` at its end.
_evidence: dict[int, dict[tuple[str, str], set[int]]] = {}


def _fold(db: sqlite3.Connection, old: int, target: int, name: str, k: str) -> None:
    """Move entity `old`'s mentions, articles and aliases to `target`; delete `old`."""
    db.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (target, old))
    db.execute(
        "INSERT OR IGNORE INTO entity_articles (entity_id, article_id)"
        " SELECT ?, article_id FROM entity_articles WHERE entity_id = ?",
        (target, old),
    )
    db.execute(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, key)"
        " SELECT ?, alias, key FROM entity_aliases WHERE entity_id = ?",
        (target, old),
    )
    if _differs(name, target, db):
        db.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, key) VALUES (?, ?, ?)",
            (target, name, k),
        )
    db.execute("DELETE FROM entities WHERE id = ?", (old,))


def _differs(name: str, target: int, db: sqlite3.Connection) -> bool:
    """Whether `name` differs from the target's own name (only then is it an alias)."""
    row = db.execute("SELECT name FROM entities WHERE id = ?", (target,)).fetchone()
    return row is not None and row[0] != name


def fold_by_evidence(db: sqlite3.Connection) -> int:
    """One name, one type, where context decided: a name that a context rule typed (`the
    comedy Sideways`) in some articles of this run, and no rule typed otherwise in a third as
    many (`EVIDENCE_DOMINANCE`), is that type in every article; the model's other readings
    of it (a place `Sideways` elsewhere) are folded into it. Return how many were folded."""
    evidence = _evidence.pop(id(db), {})
    kinds_of: dict[str, dict[str, int]] = {}
    for (kind, k), articles in evidence.items():
        kinds_of.setdefault(k, {})[kind] = len(articles)
    folded = 0
    for k, counts in kinds_of.items():
        kind, most = max(counts.items(), key=lambda kv: kv[1])
        if any(n * EVIDENCE_DOMINANCE > most for other, n in counts.items() if other != kind):
            continue  # rules disagree: `Chelsea` the club and `Chelsea` the person
        row = db.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (kind, k))
        target = row.fetchone()
        if target is None:
            continue
        others = db.execute(
            "SELECT id, name FROM entities WHERE key = ? AND type != ?"
            " AND type IN ('person', 'org', 'place', 'work', 'event')",
            (k, kind),
        ).fetchall()
        for old, name in others:
            if gazetteer.lookup_place(name) is not None or gazetteer.fold(name) in HOME_NATIONS:
                continue  # a known place keeps its own entity (`Scotland` beside its team)
            _fold(db, int(old), int(target[0]), name, k)
            folded += 1
    return folded


class Dominance:
    """`dominant_full_name` for every surname at once, from one read of the people: what
    `consolidate` asks for each one-word entity, without a scan of the entities each time
    (tests/test_entities_layers.py checks both give the same answers)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.by_last: dict[str, list[int]] = defaultdict(list)
        self.count: dict[int, int] = {}
        self.first_max: dict[str, int] = {}
        rows = db.execute(
            "SELECT e.id, e.key, e.name, count(ea.article_id) FROM entities e"
            " LEFT JOIN entity_articles ea ON ea.entity_id = e.id"
            " WHERE e.type = 'person' AND instr(e.key, ' ') > 0 GROUP BY e.id"
        )
        for entity_id, k, name, n in rows:
            self.count[int(entity_id)] = int(n)
            last = k.rsplit(" ", 1)[1]
            if name.lower().endswith(" " + last):
                self.by_last[last].append(int(entity_id))
            first = k.split(" ", 1)[0]
            if n:
                self.first_max[first] = max(self.first_max.get(first, 0), int(n))

    def full_name(self, surname: str) -> int | None:
        ids = self.by_last.get(surname, [])
        rows = sorted(((self.count[i], i) for i in ids), key=lambda c: (-c[0], c[1]))[:2]
        if not rows:
            return None
        if len(rows) == 2 and rows[0][0] < DOMINANCE * max(rows[1][0], 1):
            return None
        first = self.first_max.get(surname)
        if first is not None and first >= rows[0][0]:
            return None
        return rows[0][1]

    def grew(self, entity_id: int, articles: int) -> None:
        """Record the articles a person has after a fold."""
        self.count[entity_id] = articles


def consolidate(db: sqlite3.Connection) -> int:
    """Fold every one-word person into the full name that dominates with that surname
    (`Putin` seen before `Vladimir Putin`), and a one-word organisation too where that person
    outweighs it (`SURNAME_ORG_SHARE`); return how many were folded. Run after each
    recognition run, so the result does not depend on the order articles came in."""
    fragments = title_names.dissolve_fragments(db)  # before they pose as full names
    folded = fold_by_evidence(db) + fragments
    folded += title_names.complete(db)
    singles = db.execute(
        "SELECT id, name, key, type FROM entities"
        " WHERE type IN ('person', 'org') AND instr(key, ' ') = 0 ORDER BY type DESC"
    ).fetchall()
    dominance = Dominance(db)
    for old, name, surname, kind in singles:
        target = dominance.full_name(surname)
        if target is None or target == old:
            continue
        if kind == "org" and (
            name.isupper() or _count(db, target) < SURNAME_ORG_SHARE * _count(db, old)
        ):
            continue
        _fold(db, int(old), target, name, surname)
        dominance.grew(target, _count(db, target))
        folded += 1
    return folded


def save_article(
    db: sqlite3.Connection,
    resolver: EntityResolver,
    article_id: int,
    named: Iterable[Named],
    model: str,
) -> None:
    """Replace one article's mentions and links and record the model that produced them."""
    db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM entity_articles WHERE article_id = ?", (article_id,))
    named = list(named)
    # Full names first: a bare surname in the same article may then join its full name.
    # Each distinct name is resolved (and keyed) once; its mentions reuse the answer. Names
    # of one length go in the article's order (not a set's, which depends on the hash seed),
    # so of two spellings of one key ("A quarter", "a quarter") the first in the text names
    # a new entity, in every run.
    resolved: dict[tuple[str, str], int] = {}
    distinct = dict.fromkeys((n.name, n.type) for n in named)
    for name, kind in sorted(distinct, key=lambda nk: -len(nk[0])):
        resolved[(name, kind)] = resolver.resolve(name, kind)
    rows = []
    linked: set[int] = set()
    aliases: set[tuple[int, str]] = set()
    evidence = _evidence.setdefault(id(db), {})
    for item in named:
        entity_id = resolved[(item.name, item.type)]
        span = item.span
        if span.rule in EVIDENCE_RULES:
            evidence.setdefault((item.type, key(item.name, item.type)), set()).add(article_id)
        rows.append((article_id, entity_id, span.part, span.start, span.end, item.text))
        linked.add(entity_id)
        surface = " ".join(item.text.split())
        if surface != item.name:
            aliases.add((entity_id, surface))
    db.executemany(
        'INSERT INTO mentions (article_id, entity_id, part, start, "end", text)'
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
        [(entity_id, article_id) for entity_id in linked],
    )
    db.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, key) VALUES (?, ?, ?)",
        [(entity_id, alias, key(alias)) for entity_id, alias in aliases],
    )
    db.execute(
        "INSERT OR REPLACE INTO ner_status (article_id, model, processed) VALUES (?, ?, ?)",
        (article_id, model, datetime.now(UTC).isoformat(timespec="seconds")),
    )


def coalesce_index_rows(db: sqlite3.Connection) -> int:
    """Keep only the newest index-outbox row of each article; return how many went.

    A recognition run queues each article once for its status and again for every mention
    that `consolidate` moves to another entity (the outbox triggers of migration 3, one row
    per moved mention), and an article imported but not yet indexed has its import row too.
    The indexer re-adds an article's whole document for its rows (it dedupes only within one
    batch), so without this 724 of 1,000 articles of a fresh run on the scaled BBC corpus were
    analysed twice (bench/README.md, *Throughput*). Dropping the older rows is safe with an indexer
    running meanwhile: a row only says "read this article again"; the kept row is the newest,
    so either the indexer selected it (and reads the article after every change it stands
    for) or it stays queued, and the indexer deletes only rows up to the last it selected.

    The kept row says 'article' if any of the article's rows was a change of text (an
    import's 'article', a 'delete'): the indexer writes only the entity document of an
    article whose rows are all changes of names (`SearchIndex.apply`), so what a text row
    asks for must survive the rows it is folded into.
    """
    db.execute(
        "UPDATE index_outbox SET change = 'article' WHERE change = 'entities'"
        " AND seq IN (SELECT max(seq) FROM index_outbox GROUP BY article_id)"
        " AND article_id IN (SELECT article_id FROM index_outbox WHERE change <> 'entities')"
    )
    cursor = db.execute(
        "DELETE FROM index_outbox WHERE seq NOT IN"
        " (SELECT max(seq) FROM index_outbox GROUP BY article_id)"
    )
    return cursor.rowcount


def prune(db: sqlite3.Connection) -> int:
    """Delete entities no article mentions any more (after deletes and rebuilds)."""
    cursor = db.execute(
        "DELETE FROM entities WHERE NOT EXISTS"
        " (SELECT 1 FROM entity_articles ea WHERE ea.entity_id = entities.id)"
    )
    return cursor.rowcount


# -- reading ------------------------------------------------------------------------------------


def mentions(db: sqlite3.Connection, article_id: int) -> list[Mention]:
    rows = db.execute(
        'SELECT m.entity_id, e.name, e.type, m.part, m.start, m."end", m.text'
        " FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?"
        " ORDER BY CASE WHEN m.part = -2 THEN -3 WHEN m.part = -1 THEN -2"
        " WHEN m.part < 0 THEN 1000000 - m.part ELSE m.part END, m.start",
        (article_id,),
    )
    return [Mention(*row) for row in rows]


def _aliases(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for entity_id, alias in db.execute(
            f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({marks})"
            " ORDER BY alias",
            chunk,
        ):
            found[int(entity_id)].append(alias)
    return {k: tuple(v) for k, v in found.items()}


def entities(
    db: sqlite3.Connection,
    entity_type: str | None = None,
    *,
    top: int | None = None,
    prefix: str = "",
    article_id: int | None = None,
    include_hidden: bool = False,
) -> list[Entity]:
    """Entities by article count, then name; optionally one type, name prefix, article.

    Dates and numbers (`HIDDEN_ENTITY_TYPES`) are left out unless asked for by type or with
    `include_hidden`: a reader's list of names should not start with `yesterday`.
    """
    where = ["1"]
    params: list[object] = []
    if entity_type:
        where.append("e.type = ?")
        params.append(entity_type)
    elif not include_hidden:
        hidden = sorted(HIDDEN_ENTITY_TYPES)
        where.append(f"e.type NOT IN ({','.join('?' * len(hidden))})")
        params.extend(hidden)
    if prefix:
        where.append(
            "(e.name LIKE ? ESCAPE '\\' OR e.id IN"
            " (SELECT entity_id FROM entity_aliases WHERE alias LIKE ? ESCAPE '\\'))"
        )
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    if article_id is not None:
        where.append("e.id IN (SELECT entity_id FROM entity_articles WHERE article_id = ?)")
        params.append(article_id)
    sql = (
        "SELECT e.id, e.name, e.type, count(ea.article_id) AS n FROM entities e"
        " JOIN entity_articles ea ON ea.entity_id = e.id"
        f" WHERE {' AND '.join(where)} GROUP BY e.id ORDER BY n DESC, e.name COLLATE NOCASE"
    )
    if top is not None:
        sql += " LIMIT ?"
        params.append(top)
    rows = db.execute(sql, params).fetchall()
    aliases = _aliases(db, [int(r[0]) for r in rows])
    return [Entity(int(r[0]), r[1], r[2], int(r[3]), aliases.get(int(r[0]), ())) for r in rows]


def entity(db: sqlite3.Connection, entity_id: int) -> Entity | None:
    row = db.execute(
        "SELECT e.id, e.name, e.type,"
        " (SELECT count(*) FROM entity_articles ea WHERE ea.entity_id = e.id)"
        " FROM entities e WHERE e.id = ?",
        (entity_id,),
    ).fetchone()
    if row is None or row[3] == 0:
        return None
    return Entity(
        int(row[0]), row[1], row[2], int(row[3]), _aliases(db, [entity_id]).get(entity_id, ())
    )


def entity_article_ids(db: sqlite3.Connection, entity_id: int) -> list[int]:
    rows = db.execute(
        "SELECT a.id FROM entity_articles ea JOIN articles a ON a.id = ea.article_id"
        f" WHERE ea.entity_id = ? ORDER BY {_NEWEST_FIRST}",
        (entity_id,),
    )
    return [int(r[0]) for r in rows]


def search_names(
    db: sqlite3.Connection, article_ids: Sequence[int]
) -> dict[int, dict[str, list[str]]]:
    """For the search index: article → entity type → canonical names and their aliases."""
    result: dict[int, dict[str, list[str]]] = {}
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            "SELECT ea.article_id, e.type, e.name, group_concat(al.alias, char(10))"
            " FROM entity_articles ea JOIN entities e ON e.id = ea.entity_id"
            " LEFT JOIN entity_aliases al ON al.entity_id = e.id"
            f" WHERE ea.article_id IN ({marks}) GROUP BY ea.article_id, e.id"
            " ORDER BY ea.article_id, e.id",
            chunk,
        )
        for article_id, kind, name, aliases in rows:
            names = result.setdefault(int(article_id), {}).setdefault(kind, [])
            names.append(name)
            if aliases:
                names.extend(aliases.split("\n"))
    return result


def with_search_names(
    db: sqlite3.Connection, articles: Iterable[Article], chunk: int = 500
) -> Iterator[tuple[Article, dict[str, list[str]]]]:
    """Pair each article with its entity names for the search index, querying in chunks.

    The index is derived from the database, so a rebuild must carry the entity fields too.
    """
    batch: list[Article] = []

    def emit() -> Iterator[tuple[Article, dict[str, list[str]]]]:
        names = search_names(db, [a.id for a in batch if a.id is not None])
        for article in batch:
            yield article, names.get(article.id or 0, {})
        batch.clear()

    for article in articles:
        batch.append(article)
        if len(batch) >= chunk:
            yield from emit()
    if batch:
        yield from emit()
