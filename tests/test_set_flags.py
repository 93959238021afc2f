"""`Library.set_flags`: many articles' flags, each its own value, in one transaction that gives
way (changing nothing) when another writer holds the library longer than it may wait."""

from __future__ import annotations

import sqlite3

from newsreader.core.library import Library


def test_each_article_gets_its_own_flags(sample_library: Library) -> None:
    ids = sample_library.ids()
    assert sample_library.set_flags(
        read={ids[0]: True, ids[1]: True, ids[2]: False}, starred={ids[1]: True}
    )
    stored = {a.id: (a.read, a.starred) for a in sample_library.get_many(ids)}
    assert stored[ids[0]] == (True, False)
    assert stored[ids[1]] == (True, True)
    assert stored[ids[2]] == (False, False)
    assert sample_library.set_flags(read={ids[1]: False}, starred={ids[1]: False})
    assert sample_library.get(ids[1]).read is False  # type: ignore[union-attr]
    assert sample_library.get(ids[1]).starred is False  # type: ignore[union-attr]


def test_a_held_library_changes_nothing_and_says_so(sample_library: Library) -> None:
    ids = sample_library.ids()
    other = sqlite3.connect(sample_library.storage.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert sample_library.set_flags(read={ids[0]: True}, wait_s=0.05) is False
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sample_library.get(ids[0]).read is False  # type: ignore[union-attr]
    # The connection's own patience is back: a later write waits as before.
    assert int(sample_library.storage.scalar("PRAGMA busy_timeout")) == 10_000
    assert sample_library.set_flags(read={ids[0]: True}, wait_s=0.05)
    assert sample_library.get(ids[0]).read is True  # type: ignore[union-attr]
