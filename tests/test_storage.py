"""SQLite storage: migrations recorded, duplicates refused, flags, filters, sorting, undo."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.core.migrations import MIGRATIONS, schema_version
from newsreader.core.models import Article, Photo
from newsreader.core.storage import ArticleFilter, Storage, StorageError


def _article(title: str, *, published: datetime | None = None, source: str = "s") -> Article:
    return Article(
        title=title,
        paragraphs=(f"{title} first paragraph.", "Second paragraph."),
        photos=(Photo(credit="Reuters", after_paragraph=0),),
        source=source,
        published=published,
    )


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    s = Storage(tmp_path / "lib.sqlite3")
    yield s
    s.close()


def test_new_database_records_every_migration(storage: Storage) -> None:
    rows = storage.db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
    assert schema_version(storage.db) == MIGRATIONS[-1].version
    assert storage.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert storage.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    Storage(tmp_path / "db").close()
    again = Storage(tmp_path / "db")
    count = again.db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert count == len(MIGRATIONS)
    again.close()


def test_library_from_a_newer_version_is_refused_with_advice(tmp_path: Path) -> None:
    Storage(tmp_path / "db").close()
    db = sqlite3.connect(tmp_path / "db")
    db.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    db.commit()
    db.close()
    with pytest.raises(RuntimeError, match="newer Newsreader"):
        Storage(tmp_path / "db")


def test_not_a_database_gives_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="is damaged"):
        Storage(path)


def test_round_trip_keeps_every_field(storage: Storage) -> None:
    original = Article(
        title="Title",
        kicker="DITCH TACTICS",
        byline="A. Writer",
        paragraphs=("One “quoted” paragraph.", "Two."),
        photos=(Photo(credit="AFP", caption="A caption", after_paragraph=1),),
        source="src",
        source_kind="text",
        origin="src:3",
        url="https://example.org/a",
        published=datetime(2024, 8, 13, 9, 30, tzinfo=UTC),
        truncated=True,
    )
    [new_id] = storage.add_articles([original])
    assert new_id is not None
    stored = storage.get(new_id)
    assert stored is not None
    for field in (
        "title",
        "kicker",
        "byline",
        "paragraphs",
        "photos",
        "source",
        "source_kind",
        "origin",
        "url",
        "published",
        "truncated",
    ):
        assert getattr(stored, field) == getattr(original, field), field
    assert stored.imported is not None
    assert not stored.read and not stored.starred


def test_same_content_twice_is_a_duplicate(storage: Storage) -> None:
    a = _article("Same")
    respaced = Article(title=" same ", paragraphs=("Same   first paragraph.", "Second paragraph."))
    ids = storage.add_articles([a, a, respaced])
    assert ids[0] is not None and ids[1:] == [None, None]
    assert storage.add_articles([a]) == [None]
    assert storage.count() == 1


def test_filters_and_sorting(storage: Storage) -> None:
    old = _article("Old", published=datetime(2020, 1, 1, tzinfo=UTC), source="a")
    new = _article("New", published=datetime(2024, 1, 1, tzinfo=UTC), source="b")
    mid = _article("Mid", published=datetime(2022, 1, 1, tzinfo=UTC), source="a")
    added = storage.add_articles([old, new, mid])
    i_old, i_new, i_mid = (i for i in added if i is not None)
    assert storage.ids() == [i_new, i_mid, i_old]
    assert storage.ids(sort="title", descending=False) == [i_mid, i_new, i_old]
    storage.set_flag([i_mid], "read", True)
    storage.set_flag([i_old], "starred", True)
    assert storage.ids(ArticleFilter(unread=True)) == [i_new, i_old]
    assert storage.ids(ArticleFilter(starred=True)) == [i_old]
    assert storage.ids(ArticleFilter(source="a")) == [i_mid, i_old]
    assert storage.sources() == [("a", 2), ("b", 1)]
    assert [r.title for r in storage.rows([i_old, i_new])] == ["Old", "New"]


def test_ties_keep_the_order_articles_were_read_in(storage: Storage) -> None:
    ids = storage.add_articles([_article("First"), _article("Second"), _article("Third")])
    assert storage.ids() == ids, "same import time: file order, newest-first or not"
    assert storage.ids(descending=False) == ids


def test_delete_then_restore_gives_back_the_same_articles(storage: Storage) -> None:
    first, second = storage.add_articles([_article("A"), _article("B")])
    assert first is not None and second is not None
    storage.set_flag([first], "starred", True)
    removed = storage.delete([first])
    assert storage.count() == 1
    storage.add_articles(removed)
    back = storage.get(first)
    assert back is not None and back.title == "A" and back.starred


def test_a_failed_batch_leaves_nothing_half_written(storage: Storage) -> None:
    class Boom(Exception):
        pass

    def articles() -> Iterator[Article]:
        yield _article("Kept? no")
        raise Boom

    with pytest.raises(Boom):
        storage.add_articles(articles())
    assert storage.count() == 0
