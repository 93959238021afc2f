"""A search while nothing is indexed yet (a big import stored, its drain not begun) says its
results may be incomplete, never that the index is damaged."""

from __future__ import annotations

import pytest

from newsreader.core.library import Library
from newsreader.core.models import Article


def _articles(count: int) -> list[Article]:
    return [
        Article(
            title=f"Story {n} about the harbour",
            paragraphs=(f"Paragraph {n} tells of ships, cranes and the harbour master.",),
            source="Test wire",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_window_search_before_the_first_drain_says_incomplete(
    library: Library, sort: str
) -> None:
    library.import_items(_articles(12), index=False)
    assert library.index_pending() == 12

    # The window's list search: every match's id, as the list shows them all.
    results = library.search_all("harbour", limit=20, sort=sort)
    assert (results.total, results.ids) == (0, ())
    assert results.notice == "12 articles still being indexed; results may be incomplete."

    library.update_index()
    results = library.search_all("harbour", limit=20, sort=sort)
    assert results.total == 12 and len(results.ids) == 12 and results.notice is None


def test_a_search_of_an_empty_library_finds_nothing_quietly(library: Library) -> None:
    results = library.search_all("harbour", limit=20)
    assert (results.total, results.ids, results.notice) == (0, (), None)
