"""Headline names cut short or taken too long, set right from the names the library knows.

A HuffPost record is a Title-Case headline and one sentence, so the article rarely repeats
the headline's names: `... Money Went To Stormy Daniels` is read in sentence case, `Daniels`
looks like a verb (`Daniel` + `s`, as `Pruitt Gets`) and is lowered, and the model finds an
organisation `Stormy`. Nothing in that article can tell, but the library can: other articles'
bodies name the person `Stormy Daniels`. So after a run, a one-word title mention that the
title continues (or is preceded) with the rest of a name the library's bodies know becomes a
mention of that entity, spanning the whole name. Only whole capitalised words, only names
seen outside titles (a body's evidence, not another headline's guess).

The other way round, a headline verb kept beside a rare name gives a "full name" that no
body supports (`Perform Beyoncé`), which would then take every bare `Beyoncé` as its surname
(`dissolve_fragments`).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from newsreader.core.entities.canonical import key
from newsreader.core.models import TITLE_PART

#: Readings of the short word that only a longer name of the same type replaces; an
#: organisation, work or event reading, the model's weakest in headlines (`Stormy`), takes
#: the longer name's type.
_KEPT = frozenset({"person", "place"})
_NAMED = "('person', 'org', 'place', 'work', 'event')"
_NEXT = re.compile(r" ([A-Z][\w\-]*[a-z][\w\-]*)(?:['’]s?)?(?![\w'’-])")
_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][\w\-]*[a-z][\w\-]*) $")


def complete(db: sqlite3.Connection) -> int:
    """Extend one-word title mentions over the rest of a name the library's bodies know (the
    module docstring); return how many mentions changed."""
    rows = db.execute(
        'SELECT m.id, m.article_id, m.entity_id, m.start, m."end", a.title, e.type'
        " FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id"
        f" WHERE m.part = ? AND instr(e.key, ' ') = 0 AND e.type IN {_NAMED}",
        (TITLE_PART,),
    ).fetchall()
    known: dict[str, tuple[int, str] | None] = {}
    moved: dict[int, set[int]] = defaultdict(set)  # old entity → articles to check
    changed = 0
    for mention_id, article_id, old, start, end, title, kind in rows:
        found = _longer(db, known, title, int(start), int(end))
        if found is None:
            continue
        target, new_start, new_end, target_kind = found
        if kind in _KEPT and target_kind != kind:
            continue  # `Ariana` (a place in Tunisia) stays, not the body's org `Ariana Grande`
        overlapping = db.execute(
            "SELECT 1 FROM mentions WHERE article_id = ? AND part = ? AND id != ?"
            ' AND start < ? AND "end" > ?',
            (article_id, TITLE_PART, mention_id, new_end, new_start),
        ).fetchone()
        if overlapping is not None:
            continue  # the rest is a mention of its own: two readings, left as they are
        db.execute(
            'UPDATE mentions SET entity_id = ?, start = ?, "end" = ?, text = ? WHERE id = ?',
            (target, new_start, new_end, title[new_start:new_end], mention_id),
        )
        db.execute(
            "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
            (target, article_id),
        )
        moved[int(old)].add(int(article_id))
        changed += 1
    for old, articles in moved.items():
        for article_id in articles:
            db.execute(
                "DELETE FROM entity_articles WHERE entity_id = ? AND article_id = ? AND NOT"
                " EXISTS (SELECT 1 FROM mentions WHERE entity_id = ? AND article_id = ?)",
                (old, article_id, old, article_id),
            )
    return changed


def _longer(
    db: sqlite3.Connection,
    known: dict[str, tuple[int, str] | None],
    title: str,
    start: int,
    end: int,
) -> tuple[int, int, int, str] | None:
    """(entity, start, end, type) of the longer name at this mention, or None."""
    surface = title[start:end]
    after = _NEXT.match(title, end)
    if after is not None:
        target = _body_entity(db, known, f"{surface} {after.group(1)}")
        if target is not None:
            return target[0], start, after.end(1), target[1]
    before = _BEFORE.search(title, 0, start)
    if before is not None:
        target = _body_entity(db, known, f"{before.group(1)} {surface}")
        if target is not None:
            return target[0], before.start(1), end, target[1]
    return None


def _body_entity(
    db: sqlite3.Connection, known: dict[str, tuple[int, str] | None], name: str
) -> tuple[int, str] | None:
    """The entity named `name` (capitalised: not a lower-case `supreme court` the model
    found) that some article mentions outside its title; the one in most articles if
    several types share the key."""
    k = key(name)
    if k not in known:
        row = db.execute(
            "SELECT e.id, e.type FROM entities e JOIN entity_articles ea ON ea.entity_id = e.id"
            f" WHERE e.key = ? AND e.type IN {_NAMED} AND substr(e.name, 1, 1) GLOB '[A-Z]'"
            " AND EXISTS (SELECT 1 FROM mentions m"
            " WHERE m.entity_id = e.id AND m.part != ?)"
            " GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1",
            (k, TITLE_PART),
        ).fetchone()
        known[k] = (int(row[0]), str(row[1])) if row is not None else None
    return known[k]


#: A headline fragment is seen in the titles of this many articles at most (`Who Bit
#: Beyoncé`, twice), and its one word stands for a name the library reads in at least
#: `FRAGMENT_SHARE` times as many articles.
FRAGMENT_ARTICLES = 2
FRAGMENT_SHARE = 3


def dissolve_fragments(db: sqlite3.Connection) -> int:
    """Headline fragments that pose as full names: `Perform Beyoncé` (`... Little Boys
    Perform Beyoncé's 'Listen'`, the verb kept for standing next to a rare name) is a person
    seen in the titles of `FRAGMENT_ARTICLES` articles at most, whose other words are common
    English and whose last word is a name the library reads as something other than a
    person in `FRAGMENT_SHARE` times as many articles as the fragment has (with the bare
    names it already took). Such a fragment would take every bare `Beyoncé` as its surname;
    its mentions become mentions of the last word alone, a person.
    Return how many fragments went."""
    from newsreader.core.entities.words import common

    rows = db.execute(
        "SELECT e.id, e.name, count(*) FROM entities e"
        " JOIN entity_articles ea ON ea.entity_id = e.id"
        " WHERE e.type = 'person' AND instr(e.key, ' ') > 0 AND NOT EXISTS (SELECT 1"
        " FROM mentions m WHERE m.entity_id = e.id AND m.part != ? AND instr(m.text, ' ') > 0)"
        " GROUP BY e.id HAVING (SELECT count(DISTINCT m.article_id) FROM mentions m"
        " WHERE m.entity_id = e.id AND instr(m.text, ' ') > 0) <= ?",
        (TITLE_PART, FRAGMENT_ARTICLES),
    ).fetchall()
    gone = 0
    for entity_id, name, articles in rows:
        *others, last = name.split()
        if not all(common(w) for w in others):
            continue
        k = key(last)
        bigger = db.execute(
            "SELECT count(*) FROM entities e JOIN entity_articles ea ON ea.entity_id = e.id"
            f" WHERE e.key = ? AND e.type IN {_NAMED} AND e.type != 'person' GROUP BY e.id"
            " ORDER BY count(*) DESC LIMIT 1",
            (k,),
        ).fetchone()
        if bigger is None or bigger[0] < FRAGMENT_SHARE * articles:
            continue
        person = db.execute(
            "SELECT id FROM entities WHERE type = 'person' AND key = ?", (k,)
        ).fetchone()
        target = int(person[0]) if person is not None else _create(db, last, k)
        for mention_id, text in db.execute(
            "SELECT id, text FROM mentions WHERE entity_id = ?", (entity_id,)
        ).fetchall():
            word = text.split()[-1]  # a mention's text ends with its last word
            db.execute(
                "UPDATE mentions SET entity_id = ?, start = start + ?, text = ? WHERE id = ?",
                (target, len(text) - len(word), word, mention_id),
            )
        db.execute(
            "INSERT OR IGNORE INTO entity_articles (entity_id, article_id)"
            " SELECT ?, article_id FROM entity_articles WHERE entity_id = ?",
            (target, entity_id),
        )
        for table in ("entity_articles", "entity_aliases"):
            db.execute(f"DELETE FROM {table} WHERE entity_id = ?", (entity_id,))
        db.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
        gone += 1
    return gone


def _create(db: sqlite3.Connection, name: str, k: str) -> int:
    cursor = db.execute("INSERT INTO entities (name, type, key) VALUES (?, 'person', ?)", (name, k))
    return int(cursor.lastrowid or 0)
