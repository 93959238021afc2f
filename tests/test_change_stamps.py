"""The change stamps (migration 7): every change a reader would see moves its counter, in its
own transaction and whoever makes it; the indexer's bookkeeping moves none. The window
re-reads its list and sidebar only when one moved (tests/ui/test_library_watch.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from newsreader.core.library import Library
from newsreader.core.models import Article
from tests.test_entities import _model_or_skip


def _moved(library: Library, change: Callable[[], object]) -> set[str]:
    before = library.change_stamps()
    change()
    after = library.change_stamps()
    assert after.keys() == before.keys()
    return {concern for concern in after if after[concern] != before[concern]}


def _story(title: str) -> Article:
    return Article(title=title, paragraphs=(f"{title}: the council met on Tuesday.",), source="t")


def test_an_import_moves_articles_and_its_new_source(library: Library) -> None:
    moved = _moved(library, lambda: library.import_items([_story("One"), _story("Two")]))
    assert moved == {"articles", "sources"}
    assert _moved(library, lambda: library.import_items([_story("Three")])) == {"articles"}


def test_indexing_the_imported_articles_moves_nothing(library: Library) -> None:
    library.import_items([_story(f"Story {n}") for n in range(30)], index=False)
    assert library.index_pending() == 30
    assert _moved(library, library.update_index) == set()
    assert library.index_pending() == 0
    assert library.search("council").total == 30


def test_flags_move_flags_only(sample_library: Library) -> None:
    assert _moved(sample_library, lambda: sample_library.set_read([1, 2])) == {"flags"}
    assert _moved(sample_library, lambda: sample_library.set_starred([3])) == {"flags"}


def test_delete_and_undo_move_articles(sample_library: Library) -> None:
    deleted: list[object] = []
    assert "articles" in _moved(sample_library, lambda: deleted.append(sample_library.delete([1])))
    restored = deleted[0]
    assert isinstance(restored, list)
    assert "articles" in _moved(sample_library, lambda: sample_library.restore(restored))
    assert sample_library.get(1) is not None


def test_an_edited_article_moves_articles(sample_library: Library) -> None:
    article = sample_library.get(1)
    assert article is not None
    edited = replace(article, title="A new headline")
    assert _moved(sample_library, lambda: sample_library.update_articles([edited])) == {"articles"}


def test_sources_and_saved_searches_move_their_own(sample_library: Library) -> None:
    source = sample_library.source_list()[0]
    moved = _moved(sample_library, lambda: sample_library.rename_source(source.id, "Renamed"))
    assert "sources" in moved and "flags" not in moved
    assert sample_library.count() == 5
    assert _moved(sample_library, lambda: sample_library.save_search("Council", "council")) == {
        "searches"
    }
    assert _moved(sample_library, lambda: sample_library.remove_saved_search("Council")) == {
        "searches"
    }


def test_recognition_moves_entities(sample_library: Library) -> None:
    _model_or_skip()
    moved = _moved(sample_library, lambda: sample_library.extract_entities(n_process=1))
    assert "entities" in moved and "articles" not in moved
    assert sample_library.entities("person")
    assert _moved(sample_library, lambda: sample_library.extract_entities(n_process=1)) == set()


def test_a_failed_write_moves_nothing(sample_library: Library) -> None:
    """A stamp moves in the change's own transaction: rolled back, it never moved."""
    before = sample_library.change_stamps()
    with pytest.raises(RuntimeError), sample_library.storage.transaction() as db:
        db.execute("UPDATE articles SET read = 1")
        raise RuntimeError("the write failed")
    assert sample_library.change_stamps() == before
