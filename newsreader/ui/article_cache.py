"""The few articles the reader is about to open, read ahead: the neighbours of the open row.

Stepping with j/k opens the next row's article. Read only when asked, each step would wait for
a read of the library off the UI thread (usually a millisecond; during an import, whose commits
empty SQLite's page cache, a read from a busy disk of up to a second, bench/README.md). So the
reading controller reads the open row's neighbours ahead into this cache and opens them from it
at once.

A cached article must be exactly what a read of the library would give now, so an entry only
lives as long as nothing the window has heard of could have changed it:
- any change another process made to articles, flags or entities (the library's change
  stamps, as the window's watcher reports them), an import's new batch (a feed file's entries
  may rewrite articles in place), recognised entities, an undo: `invalidate` drops every entry
  and moves the `epoch`, so a read that was on its way when the change was heard is not stored;
- the window's own read marks and stars: `patch_flags` changes the entry in place (the
  window knows the new value; its write reaches the library a moment later);
- a delete: `forget`.

Plain Python, no Qt: the controller decides when; this only keeps the entries and their rules.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace

from newsreader.core.models import Article, Mention

#: An article and its entity mentions, as the pane shows them.
Reading = tuple[Article, list[Mention]]


def flagged(article: Article, *, read: bool | None = None, starred: bool | None = None) -> Article:
    """`article` with the read mark and star given (None: as it was)."""
    return replace(
        article,
        read=article.read if read is None else read,
        starred=article.starred if starred is None else starred,
    )


class ArticleCache:
    """A small least-recently-used map of article id to `Reading`; see the module docstring."""

    def __init__(self, capacity: int = 8) -> None:
        if capacity < 1:
            raise ValueError("the cache holds at least one article")
        self.capacity = capacity
        self._entries: OrderedDict[int, Reading] = OrderedDict()
        #: Moves on every `invalidate`: a read started at an older epoch is not stored.
        self.epoch = 0

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, article_id: int) -> Reading | None:
        entry = self._entries.get(article_id)
        if entry is not None:
            self._entries.move_to_end(article_id)
        return entry

    def put(self, article_id: int, reading: Reading, epoch: int) -> bool:
        """Keep what a read started at `epoch` found; refused (False) when a change was heard
        since, as the read may predate it."""
        if epoch != self.epoch:
            return False
        self._entries[article_id] = reading
        self._entries.move_to_end(article_id)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return True

    def patch_flags(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        entry = self._entries.get(article_id)
        if entry is None:
            return
        article, mentions = entry
        self._entries[article_id] = (flagged(article, read=read, starred=starred), mentions)

    def forget(self, ids: Iterable[int]) -> None:
        for article_id in ids:
            self._entries.pop(article_id, None)

    def invalidate(self) -> None:
        self._entries.clear()
        self.epoch += 1
