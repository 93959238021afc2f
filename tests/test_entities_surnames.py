"""A bare surname's full name, found through migration 6's word indexes, is exactly the one
the `LIKE` scan finds (`store.dominant_full_name` against `store._dominant_full_name_scan`).

Who `Trump` is decides which entity a one-word person's mentions land on, so the indexed
lookup must agree with the scan on every library: generated ones with the characters that
`LIKE` treats specially (ASCII case, `%`, `_`, a backslash, accents, spaces where names do not
have them), and people named in the real news of ../shared.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

import pytest

from newsreader.core.entities import canonical, store
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.storage import Storage

_LETTERS = "aAbBsSmMiIéÉßøØ%_\\'-"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_LETTERS) for _ in range(rng.randint(0, 3)))


def _people(db: sqlite3.Connection, names: list[tuple[str, str]], rng: random.Random) -> None:
    """Entities (name, key) as persons, a few as other types, with 0-6 articles each."""
    for name, k in names:
        kind = "person" if rng.random() < 0.85 else rng.choice(["org", "place"])
        cursor = db.execute(
            "INSERT OR IGNORE INTO entities (name, type, key) VALUES (?, ?, ?)", (name, kind, k)
        )
        if not cursor.rowcount:
            continue
        entity_id = cursor.lastrowid
        for article_id in rng.sample(range(1, 41), rng.randint(0, 6)):
            db.execute(
                "INSERT INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
                (entity_id, article_id),
            )


@pytest.fixture
def storage(library: Library) -> Storage:
    """A library of 40 articles for the people to be linked to."""
    library.import_items([Article(title=f"t{i}", paragraphs=(f"p{i}",)) for i in range(40)])
    return library.storage


def _assert_same(db: sqlite3.Connection, surnames: set[str]) -> int:
    found = 0
    for surname in sorted(surnames):
        want = store._dominant_full_name_scan(db, surname)
        assert store.dominant_full_name(db, surname) == want, repr(surname)
        found += want is not None
    return found


def test_the_indexed_lookup_answers_as_the_scan_on_generated_libraries(storage: Storage) -> None:
    found = 0
    for seed in range(40):
        rng = random.Random(seed)
        with storage.transaction() as db:
            db.execute("DELETE FROM entities")
            pool = [_word(rng) for _ in range(8)]
            names: list[tuple[str, str]] = []
            for _ in range(rng.randint(5, 60)):
                words = [rng.choice(pool) for _ in range(rng.randint(1, 4))]
                name = rng.choice([" ", "  ", " "]).join(words)
                if rng.random() < 0.3:
                    name = name.upper() if rng.random() < 0.5 else name.swapcase()
                # Mostly as `canonical.key` folds it; sometimes a key it would not make.
                k = canonical.key(name, "person") if rng.random() < 0.7 else name
                names.append((name, k))
            _people(db, names, rng)
            surnames = {w for _, k in names for w in k.split(" ")} | set(pool)
            surnames |= {s.upper() for s in surnames} | {s.swapcase() for s in surnames}
            surnames |= {"\\" + w for w in surnames} | {w[:1] + "\\" + w[1:] for w in surnames}
            surnames |= {"", "%", "_", "\\", "a%", "s_"}
            found += _assert_same(db, surnames)
    assert found > 100  # the libraries have dominant full names to find, not only None


def test_the_indexed_lookup_answers_as_the_scan_on_real_news(
    storage: Storage, shared: Path
) -> None:
    """People of the BBC sample: every capitalised pair of words, keyed as recognition keys
    them, with generated article counts; every word of them asked as a surname."""
    folder = shared / "corpus" / "bbc-sample"
    if not folder.is_dir():
        pytest.skip(f"BBC sample not found at {folder}")
    pair = re.compile(r"\b([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2})\b")
    names: dict[str, str] = {}
    for path in sorted(folder.rglob("*.txt"))[:400]:
        for name in pair.findall(path.read_text(encoding="utf-8", errors="replace")):
            names.setdefault(canonical.key(name, "person"), name)
    assert len(names) > 2000
    rng = random.Random(5)
    with storage.transaction() as db:
        _people(db, [(name, k) for k, name in names.items()], rng)
        surnames = {w for k in names for w in k.split(" ")}
        assert _assert_same(db, surnames) > 50


def test_the_lookup_uses_the_word_indexes(storage: Storage) -> None:
    """Not a scan of every entity per new one-word person (what made writing grow with the
    library): both of its queries search migration 6's indexes."""
    seen: list[str] = []
    storage.db.set_trace_callback(seen.append)
    store.dominant_full_name(storage.db, "trump")
    storage.db.set_trace_callback(None)
    assert len(seen) == 1  # no people yet: the second query is not needed
    for sql in (
        store._CANDIDATES.format(words=f" AND {store._LAST_WORD} = lower(?)"),
        store._FIRST_NAMES.format(words=f" AND {store._FIRST_WORD} = lower(?)"),
    ):
        plan = " ".join(
            str(row[3])
            for row in storage.db.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",) * sql.count("?"))
        )
        assert "USING INDEX entities_last_word" in plan or "entities_first_word" in plan, plan
