"""The list's growth during an import (`ui/live_list.py`) against the slow reference: on
generated sequences of import batches (tied and missing dates, tied import times), read and
star marks, deletes by the window and by another program, over every view and sort it
serves, each growth is exactly the view listed again by SQLite, or says it cannot be."""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.storage import KEYED_SORTS, ArticleFilter, SortKey
from newsreader.ui.article_model import RowIndex, insertion_runs
from newsreader.ui.live_list import Key, LiveList, merge, view_filter
from newsreader.ui.sidebar import View

VIEWS = (
    View("all"),
    View("unread"),
    View("starred"),
    View("source", "wire"),
)
START = datetime(2024, 3, 1, tzinfo=UTC)

#: One step: ("batch", [(day or None, import minute, source)]), ("read"/"star", pick, value),
#: ("delete", pick) by the window, ("other", pick): another program deletes.
articles_st = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 6)),
        st.integers(0, 4),
        st.sampled_from(["wire", "desk"]),
    ),
    min_size=0,
    max_size=12,
)
step_st = st.one_of(
    st.tuples(st.just("batch"), articles_st),
    st.tuples(st.just("read"), st.integers(0, 10_000), st.booleans()),
    st.tuples(st.just("star"), st.integers(0, 10_000), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("other"), st.integers(0, 10_000)),
)


class Counter:
    number = 0


def _store(library: Library, batch: list[tuple[int | None, int, str]]) -> None:
    articles = []
    for day, minute, source in batch:
        Counter.number += 1
        n = Counter.number
        articles.append(
            Article(
                title=f"Story {n}",
                paragraphs=(f"Text of story {n}.",),
                source=source,
                # Odd days without a time zone: "2024-03-02T00:00:00" is a prefix of the
                # same time with one, and sorts first in SQLite.
                published=None
                if day is None
                else (START + timedelta(days=day // 2)).replace(tzinfo=None if day % 2 else UTC),
                imported=START + timedelta(minutes=minute),
            )
        )
    if articles:
        library.storage.add_articles(articles)


def _reference(library: Library, live: LiveList, before: LiveList) -> list[int]:
    """The old list with the new articles the view shows, as SQLite orders them."""
    where = view_filter(live.view)
    assert where is not None
    fresh = [i for i in library.ids(where, live.sort, live.descending) if i > before.last_id]
    union = tuple({*before.ids, *fresh})
    return library.ids(ArticleFilter(ids=union), live.sort, live.descending) if union else []


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    view=st.sampled_from(VIEWS),
    sort=st.sampled_from(KEYED_SORTS),
    descending=st.booleans(),
    first=articles_st,
    steps=st.lists(st.lists(step_st, min_size=1, max_size=4), min_size=1, max_size=6),
)
def test_growth_is_the_view_listed_again(
    view: View,
    sort: SortKey,
    descending: bool,
    first: list[tuple[int | None, int, str]],
    steps: list[list[tuple[object, ...]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "lib", update_index=False)
        try:
            _check_sequence(library, view, sort, descending, first, steps)
        finally:
            library.close()


def _check_sequence(
    library: Library,
    view: View,
    sort: SortKey,
    descending: bool,
    first: list[tuple[int | None, int, str]],
    steps: list[list[tuple[object, ...]]],
) -> None:
    where = view_filter(view)
    assert where is not None
    _store(library, first)
    live = LiveList.read(library, view, sort, descending)
    assert live.ids == library.ids(where, sort, descending)
    flags_changed = False
    for step in steps:
        others = newest = False
        for action in step:
            everything = library.ids()
            kind = action[0]
            if kind == "batch":
                _store(library, action[1])  # type: ignore[arg-type]
            elif kind in ("read", "star") and everything:
                target = everything[int(action[1]) % len(everything)]  # type: ignore[call-overload]
                if kind == "read":
                    library.set_read([target], bool(action[2]))
                else:
                    library.set_starred([target], bool(action[2]))
                flags_changed = True
            elif kind == "delete" and live.ids:
                target = live.ids[int(action[1]) % len(live.ids)]  # type: ignore[call-overload]
                library.delete([target])
                # The newest article deleted: its id may go to a new one, so growth refuses.
                newest = newest or target == live.last_id
                live = live.without([target])
            elif kind == "other" and everything:
                target = everything[int(action[1]) % len(everything)]  # type: ignore[call-overload]
                library.delete([target])
                # Unnoticeable, and nothing to notice, if it was stored after the last growth.
                others = others or target <= live.last_id
        grown = live.grow(library)
        if grown is None:
            assert others or newest, "growth refused although the library only grew"
            live = LiveList.read(library, view, sort, descending)
            assert live.ids == library.ids(where, sort, descending)
            flags_changed = False
            continue
        more, runs = grown
        assert more.ids == _reference(library, more, live)
        if not flags_changed or view.kind in ("all", "source"):
            # Nothing but growth changed what the view shows: exactly a full re-listing.
            assert more.ids == library.ids(where, sort, descending)
        assert insertion_runs(live.ids, more.ids) == runs
        if more.ids:
            again = library.keyed_ids(ArticleFilter(ids=tuple(more.ids)), sort, descending)
            assert more.keys == again.keys
        live = more


def test_merge_matches_sorting_on_generated_keys() -> None:
    """The bisection merge against `sorted` of everything: tied keys, keys that are prefixes
    of others, both directions."""
    rng = random.Random(8)
    for _ in range(3000):
        descending = rng.random() < 0.5
        count = rng.randrange(0, 40)
        keys = ["".join(rng.choices("ab\x01", k=rng.randrange(0, 4))) for _ in range(80)]
        rows = [(i + 1, rng.choice(keys)) for i in range(count + rng.randrange(0, 30))]

        def order(items: list[tuple[int, Key]], desc: bool = descending) -> list[tuple[int, Key]]:
            # Key in the list's direction, ties by id ascending: sort by id, then stably by key.
            return sorted(sorted(items), key=lambda r: r[1], reverse=desc)

        old = order(rows[:count])
        new = order(rows[count:])
        merged = merge([i for i, _ in old], [k for _, k in old], [i for i, _ in new],
                       [k for _, k in new], descending)  # fmt: skip
        assert merged is not None
        ids, merged_keys, runs = merged
        assert ids == [i for i, _ in order(rows)]
        assert merged_keys == [k for _, k in order(rows)]
        assert insertion_runs([i for i, _ in old], ids) == runs


def test_row_index_follows_every_id_through_many_growths() -> None:
    rng = random.Random(9)
    for _ in range(200):
        ids = rng.sample(range(1, 500), rng.randrange(0, 50))
        index = RowIndex(list(ids))
        index.get(ids[0] if ids else 1)  # built from the ids, then grown layer by layer
        fresh = iter(range(1000, 100_000))
        for _ in range(rng.randrange(1, 12)):
            new = list(ids)
            for _ in range(rng.randrange(0, 6)):
                at = rng.randrange(len(new) + 1)
                new[at:at] = [next(fresh) for _ in range(rng.randrange(1, 4))]
            runs = insertion_runs(ids, new)
            assert runs is not None
            ids = new
            index.grew(ids, runs)
            probe = rng.sample(ids, min(len(ids), 20))
            assert [index.get(i) for i in probe] == [ids.index(i) for i in probe]
            assert index.get(-5) is None
