"""Entity fields in an index of their own, against one index holding everything (schema 4).

Recognition changes only the names of an article, and Whoosh cannot change a field of a
document, so the names live in small documents of their own (`schema.ENTITY_INDEX`) and a
query's entity-field parts are scored there and joined to the text by article id. Users must
not see any difference: here a library of generated articles and entity sets is built the new
way (imported, indexed, then recognised through the outbox, as the app does; and rebuilt) and
the reference way (`SearchIndex(entities_apart=False)`: entity fields inside each document),
and hundreds of generated queries of every form (words, fields, phrases, AND / OR / NOT,
prefixes, fuzzy terms, ranges, sloppy phrases, both sort orders) are answered by all of
them: totals, ids, order, scores, snippets, highlights and "did you mean" must agree.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from newsreader.core import indexer
from newsreader.core.entities import store
from newsreader.core.library import Library
from newsreader.core.models import Article, SearchResults
from newsreader.core.search import SearchIndex, fastanalysis
from newsreader.core.search.schema import entity_schema
from newsreader.core.storage import Storage

_VOCABULARY = """oil price prices market markets bank banks china trade film films award awards
music economy economic state states emergency government minister ministers rate rates interest
chief executive growth record putin york merkel council ministry town"""
WORDS = tuple(_VOCABULARY.split())
SMALL = ("the", "of", "in", "a", "and", "to", "is")

#: Entity type → names (some share words with the text, some with each other).
NAMES = {
    "person": ["Vladimir Putin", "Putin", "Xi Jinping", "Angela Merkel", "Oil Smith", "Bank Jones"],
    "org": ["Bank of China", "Oil Ministry", "Film Council", "China Trade Bank", "Council"],
    "place": ["China", "New York", "York", "Market Town", "Kursk"],
    "event": ["Film Awards", "Trade Summit"],
    "norp": ["Chinese", "Russian"],
}
#: Aliases of some names (written into `entity_aliases`, searched like the names).
ALIASES = {"Vladimir Putin": ["V. Putin", "Putin Vladimir"], "New York": ["NYC"]}


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(SMALL) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _articles(rng: random.Random, count: int) -> list[Article]:
    start = datetime(2019, 1, 1)
    found = []
    for _ in range(count):
        dated = rng.random() < 0.9
        published = start + timedelta(days=rng.randrange(0, 365 * 5)) if dated else None
        found.append(
            Article(
                title=_sentence(rng, rng.randrange(2, 8)),
                kicker=rng.choice(["", "", "MARKETS", "WORLD ECONOMY", "Film awards"]),
                paragraphs=tuple(
                    _sentence(rng, rng.randrange(3, 30)) for _ in range(rng.randrange(1, 4))
                ),
                source=rng.choice(["Wire", "Business desk", "Culture desk"]),
                published=published,
            )
        )
    return found


def _recognise(library: Library, rng: random.Random, ids: Sequence[int], model: str) -> None:
    """Give articles entity sets as recognition would store them (entities, links, aliases,
    a status row: the outbox triggers queue each article as a change of names)."""
    db = library.storage.db
    with library.storage.transaction():
        entity_ids: dict[tuple[str, str], int] = {}
        for kind, names in NAMES.items():
            for name in names:
                cursor = db.execute(
                    "INSERT INTO entities (name, type, key) VALUES (?, ?, ?)"
                    " ON CONFLICT (type, key) DO UPDATE SET name = excluded.name RETURNING id",
                    (name, kind, name.lower()),
                )
                entity_ids[kind, name] = int(cursor.fetchone()[0])
                for alias in ALIASES.get(name, []):
                    db.execute(
                        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, key)"
                        " VALUES (?, ?, ?)",
                        (entity_ids[kind, name], alias, alias.lower()),
                    )
        pool = list(entity_ids.values())
        for article_id in ids:
            db.execute("DELETE FROM entity_articles WHERE article_id = ?", (article_id,))
            if rng.random() < 0.75:
                for entity_id in rng.sample(pool, rng.randrange(1, 6)):
                    db.execute(
                        "INSERT INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
                        (entity_id, article_id),
                    )
            db.execute(
                "INSERT OR REPLACE INTO ner_status (article_id, model, processed)"
                " VALUES (?, ?, '2026-12-01T00:00:00')",
                (article_id, model),
            )
        store.coalesce_index_rows(db)


@dataclass
class Built:
    library: Library
    rebuilt: SearchIndex
    reference: SearchIndex
    text_docs_before: int


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """700 articles imported and indexed, then recognised through the outbox (the new
    way, incrementally), a rebuild of the same (new way), and the reference rebuilt."""
    folder: Path = tmp_path_factory.mktemp("entity-index")
    rng = random.Random(20261201)
    patch = pytest.MonkeyPatch()
    patch.setenv("NEWSREADER_HOME", str(folder / "home"))
    # One commit for the import: a merge of text segments recomputes Whoosh's field-length
    # totals from byte-encoded lengths (a drift of ~0.03% in BM25 scores), which has nothing
    # to do with where the names live and would blur the comparison.
    patch.setattr(indexer, "FIRST_BATCH", indexer.BATCH)
    library = Library.open(folder / "lib", daily_backup=False)
    library.import_items(_articles(rng, 700))
    library.update_index()
    before = library.index.doc_count()
    _recognise(library, rng, library.ids(), "model-1")
    library.update_index()
    rebuilt = SearchIndex(folder / "rebuilt")
    rebuilt.rebuild(library.storage)
    reference = SearchIndex(folder / "reference", entities_apart=False)
    reference.rebuild(library.storage)
    yield Built(library, rebuilt, reference, before)
    for index in (rebuilt, reference):
        index.close()
    library.close()
    patch.undo()


def _groups(results: SearchResults) -> list[tuple[float, frozenset[tuple[object, ...]]]]:
    """Hits as runs of equal scores (to 1e-9 relative): within a run the order is Whoosh's
    tie-break on document numbers, which float rounding in the last place may flip."""
    runs: list[tuple[float, set[tuple[object, ...]]]] = []
    for hit in results.hits:
        row = (hit.article_id, hit.title, hit.snippet, hit.source, hit.published)
        if runs and hit.score == pytest.approx(runs[-1][0], rel=1e-9, abs=1e-12):
            runs[-1][1].add(row)
        else:
            runs.append((hit.score, {row}))
    return [(score, frozenset(rows)) for score, rows in runs]


def assert_same(reference: SearchIndex, index: SearchIndex, text: str, sort: str) -> int:
    want = reference.search_all(text, limit=None, sort=sort)
    got = index.search_all(text, limit=None, sort=sort)
    context = f"{text!r} sorted by {sort}"
    assert got.total == want.total, context
    assert (got.notice, got.suggestion, got.terms) == (want.notice, want.suggestion, want.terms)
    assert got.highlight == want.highlight, context
    assert sorted(got.ids) == sorted(want.ids), context
    want_groups, got_groups = _groups(want), _groups(got)
    if sort == "relevance":
        assert len(got_groups) == len(want_groups), context
        for (got_score, got_rows), (want_score, want_rows) in zip(
            got_groups, want_groups, strict=True
        ):
            assert got_score == pytest.approx(want_score, rel=1e-9), context
            assert got_rows == want_rows, context
    else:  # newest first: the dates decide, then the scores
        assert [h.published for h in got.hits] == [h.published for h in want.hits], context
        scores = {h.article_id: h.score for h in want.hits}
        for hit in got.hits:
            assert hit.score == pytest.approx(scores[hit.article_id], rel=1e-9), context
    assert [h.article_id for h in got.hits] == list(got.ids), context
    return want.total


FIXED = [
    "oil",
    "oil prices",
    "person:putin",
    "person:Putin",
    'person:"Vladimir Putin"',
    'person:"putin vladimir"',
    'entity:"Vladimir Putin"',
    "entity:china",
    "org:bank",
    'org:"bank of china"',
    "place:york",
    'place:"new york"',
    "entity:nyc",
    "person:putin oil",
    "person:putin OR org:bank",
    "person:putin AND NOT place:china",
    "oil -person:putin",
    "NOT person:putin",
    "film NOT entity:council",
    "(person:putin OR person:merkel) AND market",
    '"oil price" person:putin',
    'person:"vladimir putin" OR "interest rates"',
    "person:pu*",
    "entity:chin*",
    "person:putn~",
    "entity:chnia~2",
    "person:[a TO m]",
    "person:putin published:[2020-01 TO 2021-06]",
    'person:"vladimir putin"~3',
    'person:"putin vladimir"~2 oil',
    '"oil price"~2 person:putin',
    "title:oil entity:china",
    "source:wire person:putin",
    "person:putin ANDMAYBE org:council",
    "economy person:nobody",
    "person:putin^2 oil",
    "entity:chinese OR entity:russian",
    "kursk",
    "place:kursk",
    "ecnomy person:putin",
]


def test_fixed_queries_answer_the_same_as_one_index(built: Built) -> None:
    matched = 0
    for text in FIXED:
        for sort in ("relevance", "date"):
            for index in (built.library.index, built.rebuilt):
                matched += assert_same(built.reference, index, text, sort) > 0
    assert matched > 100, "the queries must find something to compare"


def _generated_query(rng: random.Random) -> str:
    def name_part() -> str:
        kind = rng.choice(["person", "org", "place", "entity"])
        names = [n for names in NAMES.values() for n in names]
        words = rng.choice(names).lower().split()
        choice = rng.random()
        if choice < 0.4 or len(words) == 1:
            word = rng.choice(words)
            prefix = rng.random() < 0.15 and len(word) > 3
            return f"{kind}:{word[:3]}*" if prefix else f"{kind}:{word}"
        if choice < 0.8:
            return f'{kind}:"{" ".join(words)}"'
        return f'{kind}:"{" ".join(words)}"~{rng.randrange(2, 4)}'

    def text_part() -> str:
        choice = rng.random()
        if choice < 0.6:
            return rng.choice(WORDS)
        if choice < 0.75:
            return f"title:{rng.choice(WORDS)}"
        if choice < 0.9:
            return f'"{rng.choice(WORDS)} {rng.choice(WORDS)}"'
        return f"{rng.choice(WORDS)[:4]}*"

    def part(depth: int) -> str:
        roll = rng.random()
        if depth < 2 and roll < 0.25:
            op = rng.choice([" AND ", " OR ", " ", " AND NOT "])
            return f"({part(depth + 1)}{op}{part(depth + 1)})"
        return name_part() if rng.random() < 0.55 else text_part()

    pieces = [part(0) for _ in range(rng.randrange(1, 4))]
    joiner = rng.choice([" ", " AND ", " OR "])
    query = joiner.join(pieces)
    if rng.random() < 0.2:
        query += f" -{name_part()}" if rng.random() < 0.5 else f" -{rng.choice(WORDS)}"
    return query


def test_generated_queries_answer_the_same_as_one_index(built: Built) -> None:
    rng = random.Random(7)
    matched = 0
    for _ in range(300):
        text = _generated_query(rng)
        sort = "date" if rng.random() < 0.25 else "relevance"
        matched += assert_same(built.reference, built.library.index, text, sort) > 0
    assert matched > 150


def test_recognition_writes_only_names(built: Built) -> None:
    """The recognition drain left every text document as it was (none re-added, so none
    deleted), and the names are found."""
    index = built.library.index
    with index._search_lock:
        searcher = index._current_searcher()
        assert searcher.doc_count_all() == searcher.doc_count() == built.text_docs_before
        names = index._entity_searcher(searcher)
        assert 0 < names.doc_count() < built.text_docs_before
    assert index.search("person:putin").total > 0


def test_names_change_and_deleted_articles_leave_both_sides(tmp_path: Path) -> None:
    rng = random.Random(3)
    library = Library.open(tmp_path / "lib", daily_backup=False)
    try:
        library.import_items(_articles(rng, 60))
        ids = library.ids()
        _recognise(library, rng, ids, "model-1")  # recognised before it was indexed
        library.update_index()
        reference = SearchIndex(tmp_path / "ref", entities_apart=False)
        reference.rebuild(library.storage)
        for text in ("person:putin", 'org:"bank of china"', "oil entity:china"):
            assert library.search_ids(text) and set(library.search_ids(text)) == set(
                reference.search_ids(text)
            )
        # Recognised again (a new rules version): other names, through the outbox.
        _recognise(library, random.Random(4), ids, "model-2")
        library.update_index()
        reference.rebuild(library.storage)
        for text in ("person:putin", "place:york", "entity:russian oil"):
            assert set(library.search_ids(text)) == set(reference.search_ids(text)), text
        found = library.search_ids("person:putin")
        library.delete(found[:3])
        library.update_index()
        assert not set(found[:3]) & set(library.search_ids("person:putin"))
        assert not set(found[:3]) & set(library.search_ids("NOT person:putin"))
        reference.close()
    finally:
        library.close()


def test_a_drain_of_names_alone_is_not_cut_into_a_small_first_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import's first articles are searchable after a small first commit; a drain of
    recognised names alone starts with a full batch (a small first segment would only be
    written again by the next commit's merge), and finds the same as a rebuild."""
    monkeypatch.setattr(indexer, "FIRST_BATCH", 20)
    monkeypatch.setattr(indexer, "BATCH", 500)
    batches: list[int] = []
    real_apply = SearchIndex.apply

    def apply(self: SearchIndex, storage: Storage, ids: Sequence[int], **kw: Any) -> int:
        batches.append(len(ids))
        return real_apply(self, storage, ids, **kw)

    monkeypatch.setattr(SearchIndex, "apply", apply)
    rng = random.Random(12)
    library = Library.open(tmp_path / "lib", daily_backup=False)
    try:
        library.import_items(_articles(rng, 120))
        library.update_index()
        assert batches == [20, 100]
        ids = library.ids()
        batches.clear()
        _recognise(library, rng, ids, "model-1")
        library.update_index()
        assert batches == [120]
        # Names and a changed article together: the text change is searchable soon.
        batches.clear()
        _recognise(library, rng, ids, "model-2")
        with library.storage.transaction() as db:
            db.execute("UPDATE articles SET title = 'oil' WHERE id = ?", (ids[0],))
        library.update_index()
        assert batches[0] == 20 and len(batches) == 2  # the changed article comes last too
        reference = SearchIndex(tmp_path / "ref", entities_apart=False)
        reference.rebuild(library.storage)
        for text in ("person:putin", 'org:"bank of china"', "oil entity:china", "place:york"):
            assert set(library.search_ids(text)) == set(reference.search_ids(text)), text
        reference.close()
    finally:
        library.close()


def test_an_index_of_schema_4_is_rebuilt_with_its_names(tmp_path: Path) -> None:
    """An index from before the split (entity fields inside each document) is rebuilt in
    the lane, and its names are found afterwards."""
    rng = random.Random(5)
    library = Library.open(tmp_path / "lib", daily_backup=False)
    try:
        library.import_items(_articles(rng, 30))
        _recognise(library, rng, library.ids(), "model-1")
        library.update_index()
        expected = library.search_ids("entity:china")
        folder = library.index.directory
        library.index.close()
        old = SearchIndex(folder, entities_apart=False)
        old.rebuild(library.storage)
        old.close()
        (folder / "newsreader-index.json").write_text('{"schema_version": 4}', encoding="utf-8")
        assert library.index.unusable_reason() == "from another version of Newsreader"
        report = library.update_index()
        assert any("rebuilt" in notice for notice in report.notices)
        assert library.search_ids("entity:china") == expected and expected
    finally:
        library.close()


def test_leaf_query_kinds_are_covered() -> None:
    """The generated queries reach the kinds of parts the join handles (a guard against a
    generator that silently stops producing them)."""
    from newsreader.core.search.querying import read_query
    from newsreader.core.search.schema import build_schema

    rng = random.Random(7)
    kinds: set[str] = set()
    schema = build_schema()
    for _ in range(300):
        read = read_query(schema, _generated_query(rng))
        if read.query is None:
            continue
        for leaf in [read.query] if read.query.is_leaf() else read.query.leaves():
            if getattr(leaf, "fieldname", None) in {"person", "org", "place", "entity"}:
                slop = isinstance(leaf, wq.Phrase) and leaf.slop > 1
                kinds.add("sloppy" if slop else type(leaf).__name__)
    assert {"Term", "Phrase", "Prefix", "sloppy"} <= kinds


_NAME_PIECES = [
    "Vladimir Putin", "PUTIN", "Sánchez", "SÁNCHEZ", "cafe\u0301", "Łódź", "İstanbul", "ΣΑΣ",
    "O'Neill", "U.S.", "AT&T", "3.14", "x_y", "北京", "", " ", "  ", "\t", "-", "A", "Ⅻ",
    # line breaks inside a name, and final sigma beside them (the fast path folds the whole
    # list at once: a break must end a word's casing context as Whoosh's per-line split does)
    "\n", "\n\n", "ΟΔΟΣ", "Σ", "ΣΑΣ\nΣ", "Σ\nσ", "a\nb", "İ\nI", "\r\n", "x\u0301\ny",
]  # fmt: skip


@given(
    st.lists(
        st.one_of(st.sampled_from(_NAME_PIECES), st.text(max_size=15)),
        max_size=12,
    )
)
@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_names_are_indexed_as_whoosh_indexes_them(names: list[str]) -> None:
    """`NameText`'s own analysis gives Whoosh's terms, frequencies, weights and positions
    (the name analyzer through `PackedPositions`) for any list of names."""
    value = "\n".join(names)
    field = entity_schema()["person"]
    fast = sorted(field.index(value))
    fastanalysis.ENABLED = False
    try:
        slow = sorted(field.index(value))
    finally:
        fastanalysis.ENABLED = True
    assert fast == slow
