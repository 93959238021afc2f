"""The list growing while an import stores articles, at the cost of what the import added.

While an import runs the window asks the list to grow about once a second. Re-listing the
view (up to 105,000 ids, and working out where the new ones went) in a window thread held the
interpreter lock while the reading pane built: the slowest article opens during a 100k import
all had it beside them (bench/README.md). A `LiveList` instead keeps, beside the ids the list
shows, the column each row is sorted by; growing asks the library only for the articles
stored after the last id it saw (`Library.keyed_ids(after=...)`) and puts each one in place
by bisection, so a growth costs what the import added, not what the library holds.

This is exact (the same list, in the same order, as listing the view again; proven against
that on generated imports in tests/ui/test_live_list.py) because:
- new articles get ids above every id stored before (SQLite's rowid), so "stored after the
  last listing" is "id above the largest id then", read in one snapshot with the counts;
- the sorts served (`KEYED_SORTS`: published, imported) order by columns set when an article
  is stored, as one string per row that Python orders as SQLite does (`KeyedIds`), with
  ties broken by id, so an old row never moves and a new one (a larger id) goes after the
  old rows it ties with;
- the library still holds exactly the old rows: the articles up to the last id seen are
  counted in the same snapshot, against what the list knew (minus what the window deleted);
  any other change (another program deleted or restored articles) fails the check, and the
  view is listed again in full.

What it does not follow, on purpose: a row whose flags changed stays where it is, so in the
Unread view an article read during the import stays listed (as it does when no import runs)
instead of vanishing under the reader. Views it cannot serve are listed again in full (spaced
by their cost, `ListingController.grow`): sorts by title or source (SQLite's NOCASE order is
not rebuilt here), by a flag (a row's place changes when it is read or starred), entity views
(new articles have no entities until recognised), and searches (searched again).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress

from newsreader.core.library import Library
from newsreader.core.storage import KEYED_SORTS, ArticleFilter, KeyedIds, SortKey
from newsreader.ui.sidebar import View

#: A row's sort key: a string Python orders as the list does (see `KeyedIds`).
Key = str

#: The filters of views a `LiveList` serves; entity views and searches are not among them.
FILTERS: dict[str, ArticleFilter] = {
    "all": ArticleFilter(),
    "unread": ArticleFilter(unread=True),
    "starred": ArticleFilter(starred=True),
}


def view_filter(view: View) -> ArticleFilter | None:
    """The filter a view lists by, or None for a view a `LiveList` cannot serve."""
    if view.kind == "source":
        return ArticleFilter(source=view.value)
    return FILTERS.get(view.kind)


def serves(view: View, sort: SortKey) -> bool:
    return view_filter(view) is not None and sort in KEYED_SORTS


def merge(
    old_ids: Sequence[int],
    old_keys: Sequence[Key],
    new_ids: Sequence[int],
    new_keys: Sequence[Key],
    descending: bool,
) -> tuple[list[int], list[Key], list[tuple[int, list[int]]]] | None:
    """The old list with the new rows in place: (ids, keys, runs as `insertion_runs` gives
    them). The new rows come in list order and every new id is above every old one. None if
    the new rows are not in the order their keys say (never, while keys match SQLite)."""
    count = len(old_ids)
    # bisect needs ascending keys: a descending list is probed back to front.
    probe = list(reversed(old_keys)) if descending else old_keys
    groups: list[tuple[int, list[int], list[Key]]] = []
    for article_id, key in zip(new_ids, new_keys, strict=True):
        # Old rows before a new one: those whose key sorts before it or ties with it (a tie
        # goes by id, and the new id is the larger).
        before = count - bisect_left(probe, key) if descending else bisect_right(probe, key)
        if groups and groups[-1][0] == before:
            groups[-1][1].append(article_id)
            groups[-1][2].append(key)
            continue
        if groups and before < groups[-1][0]:
            return None
        groups.append((before, [article_id], [key]))
    ids: list[int] = []
    keys: list[Key] = []
    runs: list[tuple[int, list[int]]] = []
    done = 0
    for before, added, added_keys in groups:
        ids.extend(old_ids[done:before])
        keys.extend(old_keys[done:before])
        runs.append((len(ids), added))
        ids.extend(added)
        keys.extend(added_keys)
        done = before
    ids.extend(old_ids[done:])
    keys.extend(old_keys[done:])
    return ids, keys, runs


@dataclass(frozen=True, slots=True)
class LiveList:
    """A view's ids in list order with their sort keys, as of the library's `last_id` and
    `total` articles (less those the window deleted since). Never changed in place: each
    growth or delete makes a new one, so a job may read one while the UI thread moves on."""

    view: View
    sort: SortKey
    descending: bool
    ids: list[int]
    keys: list[Key]
    last_id: int
    total: int
    #: Which article `last_id` was (`KeyedIds.last_stamp`).
    last_stamp: tuple[str, str] | None = None

    @classmethod
    def read(
        cls,
        library: Library,
        view: View,
        sort: SortKey,
        descending: bool,
        also: Sequence[int] = (),
    ) -> LiveList:
        """List the view in full with its keys (`also`: ids kept even if the view's filter
        leaves them out now: the article being read)."""
        where = view_filter(view)
        if where is None or sort not in KEYED_SORTS:
            raise ValueError(f"a live list cannot serve {view.kind} sorted by {sort}")
        found = library.keyed_ids(where, sort, descending, also=also)
        return cls(
            view,
            sort,
            descending,
            found.ids,
            found.keys,
            found.last_id,
            found.total,
            found.last_stamp,
        )

    def grow(self, library: Library) -> tuple[LiveList, list[tuple[int, list[int]]]] | None:
        """This list with the articles stored since (and the runs they went in as), or None
        when the library changed otherwise (list the view again in full)."""
        where = view_filter(self.view)
        assert where is not None
        found = library.keyed_ids(where, self.sort, self.descending, after=self.last_id)
        return self.grown(found)

    def grown(self, found: KeyedIds) -> tuple[LiveList, list[tuple[int, list[int]]]] | None:
        """`grow` on what `Library.keyed_ids(after=self.last_id)` read."""
        if found.below != self.total or found.after_stamp != self.last_stamp:
            # Articles deleted or restored by someone else, or the newest one deleted and its
            # id given to a new article: not only growth.
            return None
        merged = merge(self.ids, self.keys, found.ids, found.keys, self.descending)
        if merged is None:
            return None
        ids, all_keys, runs = merged
        grown = replace(
            self,
            ids=ids,
            keys=all_keys,
            last_id=found.last_id,
            total=found.total,
            last_stamp=found.last_stamp,
        )
        return grown, runs

    def without(self, deleted: Sequence[int]) -> LiveList:
        """This list once the window deleted these articles (they were in the library)."""
        gone = set(deleted)
        kept = [i not in gone for i in self.ids]
        return replace(
            self,
            ids=list(compress(self.ids, kept)),
            keys=list(compress(self.keys, kept)),
            total=self.total - len(gone),
        )
