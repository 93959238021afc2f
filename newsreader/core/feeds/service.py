"""What `Library`'s feed and source methods do, kept here so the facade stays a list of calls.

Every function takes the `Library` and writes only through it (`import_items`,
`update_article_content`, `delete`, `restore`) or through `SourceStore`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.core.feeds.fetch import DEFAULT_LIMITS, FetchLimits, UnsupportedURL, check_url
from newsreader.core.feeds.opml import read_opml, write_opml
from newsreader.core.feeds.refresh import (
    DEFAULT_WORKERS,
    FeedOutcome,
    Fetched,
    RefreshReport,
    refresh,
    store,
)
from newsreader.core.feeds.subscribe import FeedError, name_from_url, probe
from newsreader.core.models import Article, Skipped
from newsreader.core.progress import CancelToken, ProgressCallback, no_progress
from newsreader.core.sources import Source, SourceError

if TYPE_CHECKING:
    from newsreader.core.library import Library


@dataclass(frozen=True, slots=True)
class AddedFeed:
    """A new subscription and what its first fetch stored (None when not fetched)."""

    source: Source
    first_fetch: FeedOutcome | None


@dataclass(frozen=True, slots=True)
class RemovedSource:
    """A removed source with its articles, so that the removal can be undone."""

    source: Source
    articles: list[Article]


@dataclass(slots=True)
class OpmlImportReport:
    """What an OPML import did: feeds added, already there, skipped (why), first refresh."""

    added: list[Source] = field(default_factory=list)
    already: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    refresh: RefreshReport | None = None

    def summary(self) -> str:
        text = (
            f"{len(self.added)} feed{'s' if len(self.added) != 1 else ''} added,"
            f" {self.already} already subscribed, {len(self.skipped)} skipped"
        )
        if self.refresh is not None:
            text += f"; {self.refresh.summary()}"
        return text


def add_feed(
    library: Library,
    url: str,
    *,
    folder: str = "",
    name: str | None = None,
    fetch: bool = True,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> AddedFeed:
    """Subscribe to a feed (or the one feed a web page names) and store its entries.

    With `fetch`, the address is fetched first and nothing is subscribed to unless it is a
    feed; raises `FeedError` (or `FeedChoice` when a page names several feeds).
    """
    sources = library.source_store
    if not fetch:
        try:
            url = check_url(url)
        except UnsupportedURL as exc:
            raise FeedError(str(exc)) from exc
        _not_subscribed(library, url)
        return AddedFeed(sources.add_feed(url, name or name_from_url(url), folder=folder), None)
    _not_subscribed(library, url.strip())
    found = probe(url, limits)
    _not_subscribed(library, found.url)
    source = sources.add_feed(
        found.url,
        name or found.parsed.title or name_from_url(found.url),
        folder=folder,
        site_url=found.parsed.site_url,
    )
    report = RefreshReport()
    outcome = store(library, Fetched(source, found.response, found.parsed), report)
    library.update_index()  # searchable when subscribing returns, as after a refresh
    return AddedFeed(library.source_store.get(source.id) or source, outcome)


def _not_subscribed(library: Library, url: str) -> None:
    existing = library.source_store.feed_by_url(url)
    if existing is not None:
        raise FeedError(f"already subscribed to {url} (as {existing.name!r})")


def refresh_feeds(
    library: Library,
    refs: Sequence[str | int] | None = None,
    *,
    force: bool | None = None,
    workers: int | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    scheduled: bool = False,
    index: bool = True,
) -> RefreshReport:
    """Refresh every feed, or those named (by id, name or URL; named ones are always tried)."""
    store_ = library.source_store
    feeds = [store_.find(str(ref), kind="feed") for ref in refs] if refs else store_.all("feed")
    return refresh(
        library,
        feeds,
        force=bool(refs) if force is None else force,
        workers=DEFAULT_WORKERS if workers is None else workers,
        limits=limits,
        progress=progress,
        cancel=cancel,
        scheduled=scheduled,
        index=index,
    )


def import_opml(
    library: Library,
    path: str | os.PathLike[str],
    *,
    fetch: bool = True,
    limits: FetchLimits = DEFAULT_LIMITS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OpmlImportReport:
    """Subscribe to every feed an OPML file lists, in its folders; then refresh those added
    (unless `fetch` is off). A feed already subscribed to is left as it is."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FeedError(f"cannot read {path}: {exc.strerror or exc}") from exc
    listing = read_opml(data, origin=str(path))
    report = OpmlImportReport(skipped=list(listing.skipped))
    sources = library.source_store
    for feed in listing.feeds:
        if sources.feed_by_url(feed.url) is not None:
            report.already += 1
            continue
        try:
            added = sources.add_feed(
                feed.url,
                feed.title or name_from_url(feed.url),
                folder=feed.folder,
                site_url=feed.site_url,
            )
        except SourceError as exc:
            report.skipped.append(Skipped(feed.title or feed.url, str(exc)))
            continue
        report.added.append(added)
    if fetch and report.added:
        report.refresh = refresh(
            library, report.added, limits=limits, progress=progress, cancel=cancel
        )
    return report


def export_opml(library: Library, path: str | os.PathLike[str]) -> int:
    """Write every feed to an OPML file; return how many."""
    feeds = library.source_store.all("feed")
    Path(path).write_bytes(write_opml(feeds))
    return len(feeds)


def rename_source(library: Library, source_id: int, name: str) -> Source:
    # The articles' source names change with it; the outbox's update trigger queues them, so
    # the index's stored names follow.
    library.source_store.rename(source_id, name)
    found = library.source_store.get(source_id)
    assert found is not None
    return found


def remove_source(library: Library, source_id: int) -> RemovedSource:
    """Delete a source with all its articles (storage and index); undo with `restore_source`."""
    source = library.source_store.get(source_id)
    if source is None:
        raise SourceError(f"no source with id {source_id}")
    articles = library.delete(library.source_store.article_ids(source_id))
    library.source_store.remove(source_id)
    return RemovedSource(source, articles)


def restore_source(library: Library, removed: RemovedSource) -> None:
    library.source_store.restore(removed.source)
    library.restore(removed.articles)
