"""Refreshing feeds: fetch several at a time, store what is new, update what changed.

Modelled on lemon24's `reader`: an entry is recognised by its id, else its link, else a hash
of its content (`FeedEntry.key`), so a refresh never stores an entry twice; an entry whose
content hash changed is an update, written over the stored article (which is then indexed and
recognised again). Fetching and parsing run in worker threads; everything that writes runs in
the calling thread, through `Library.import_items` (the one write lane) and
`Library.update_article_content`, so a refresh writes exactly as an import does (the index
follows through the outbox, drained once at the end of a refresh).

Politeness: after a failure a feed waits before its next attempt (15 minutes, doubling up to a
day), longer if the server said so with Retry-After (429/503); a 410 Gone stops the feed.
A failure never changes or removes anything already stored.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from newsreader.core.feeds.entries import FeedEntry, ParsedFeed
from newsreader.core.feeds.fetch import DEFAULT_LIMITS, FetchLimits, FetchResult, fetch, new_client
from newsreader.core.feeds.fulltext import FullTextError, fetch_full_text
from newsreader.core.feeds.parse import parse_feed
from newsreader.core.ingest import limits
from newsreader.core.models import Article, Notice
from newsreader.core.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from newsreader.core.sources import Source, now_iso

if TYPE_CHECKING:
    from newsreader.core.library import Library

#: Feeds fetched at once. Measured in bench/feeds_refresh.py; more gains little and is rude to
#: servers that host several of a user's feeds.
DEFAULT_WORKERS = 16
# Parsing stays in the fetching threads: worker processes were measured (bench/README.md,
# "Feed refresh") and were slower on a two-core machine, and spawning them costs a second.
FIRST_BACKOFF = timedelta(minutes=15)
MAX_BACKOFF = timedelta(days=1)
MAX_RETRY_AFTER = timedelta(days=7)


@dataclass(slots=True)
class FeedOutcome:
    """What one feed's refresh did."""

    source_id: int
    name: str
    new: int = 0
    updated: int = 0
    unchanged: bool = False
    error: str = ""
    warning: str = ""
    #: Not tried: the feed waits (backoff, Retry-After) or was stopped (410).
    postponed: str = ""


@dataclass(slots=True)
class RefreshReport:
    """Every feed's outcome, and the ids of articles stored or updated."""

    feeds: list[FeedOutcome] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.feeds)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [f for f in self.feeds if f.error]

    def summary(self) -> str:
        postponed = sum(1 for f in self.feeds if f.postponed)
        text = (
            f"{len(self.feeds) - postponed} feed{'s' if len(self.feeds) - postponed != 1 else ''}"
            f" refreshed: {self.new} new, {self.updated} updated, {len(self.failed)} failed"
        )
        if postponed:
            text += f", {postponed} waiting"
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A worker's result for one feed: the response and, if it had a body, the parse."""

    source: Source
    response: FetchResult
    parsed: ParsedFeed | None
    #: Full texts fetched from entry links (feeds with the full-text option), by entry key.
    full_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)


#: Pages fetched for full text per feed and refresh, at most (the rest wait for the next).
MAX_FULL_TEXTS = 30


def known_hashes(library: Library, source_id: int) -> dict[str, str]:
    """Each stored entry's key and hash for a feed (what a refresh compares against)."""
    return {
        row[0]: row[1]
        for row in library.storage.db.execute(
            "SELECT entry_key, entry_hash FROM feed_entries WHERE source_id = ?", (source_id,)
        )
    }


def fetch_and_parse(
    client: httpx.Client,
    source: Source,
    limits: FetchLimits,
    *,
    conditional: bool = True,
    known: dict[str, str] | None = None,
) -> Fetched:
    """Fetch one feed and parse its body (in a worker thread; touches no database).

    For a feed with the full-text option, the pages of new or changed summary-only entries
    are fetched too (`known`: the stored entries' hashes by key).
    """
    response = fetch(
        client,
        source.location,
        etag=source.etag if conditional else None,
        last_modified=source.last_modified if conditional else None,
        limits=limits,
    )
    parsed = None
    full_texts: dict[str, tuple[str, ...]] = {}
    if response.ok and not response.not_modified:
        parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
        if source.full_text and not parsed.error:
            wanted = [
                e
                for e in parsed.entries
                if e.summary_only and e.url and (known or {}).get(e.key) != e.entry_hash
            ]
            for entry in wanted[:MAX_FULL_TEXTS]:
                try:
                    full_texts[entry.key] = fetch_full_text(entry.url, client=client, limits=limits)
                except FullTextError:
                    continue  # the summary is stored; the next change tries again
    return Fetched(source, response, parsed, full_texts)


def due(source: Source, now: datetime, *, scheduled: bool = False) -> str:
    """Why a feed is not refreshed now ("" if it is).

    `scheduled` (the window's timer, not the user): a feed with an interval of its own waits
    until that much time has passed since its last attempt.
    """
    if not source.active:
        return source.last_error or "refreshing this feed was stopped"
    if source.next_attempt is not None and source.next_attempt > now:
        local = source.next_attempt.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"waits until {local} after: {source.last_error or 'the server asked to wait'}"
    interval = timedelta(minutes=source.interval_minutes or 0)
    if scheduled and interval and source.last_attempt and now < source.last_attempt + interval:
        return f"refreshed every {source.interval_minutes} minutes"
    return ""


def refresh(
    library: Library,
    sources: Sequence[Source],
    *,
    force: bool = False,
    workers: int = DEFAULT_WORKERS,
    limits: FetchLimits = DEFAULT_LIMITS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    scheduled: bool = False,
    index: bool = True,
) -> RefreshReport:
    """Refresh feeds; `force` also tries feeds that wait or were stopped (named by the user);
    `scheduled` also skips feeds whose own interval has not passed (see `due`). With
    `index=False` the drain below is left to the caller (the window's worker process)."""
    report = RefreshReport()
    now = datetime.now(UTC)
    todo: list[Source] = []
    for source in sources:
        reason = "" if force else due(source, now, scheduled=scheduled)
        if reason:
            report.feeds.append(FeedOutcome(source.id, source.name, postponed=reason))
        else:
            todo.append(source)
    total = len(todo)
    progress(ProgressEvent("refresh", 0, total, ""))
    if not todo:
        return report
    # Each feed's entries are stored at SQLite speed (their outbox rows with them); the index
    # follows once for the whole refresh, below: one drain, not one per feed. Whatever was
    # stored stays stored, and queued for the index, even if the refresh is interrupted.
    try:
        _fetch_and_store(library, todo, limits, workers, cancel, progress, report)
    finally:
        if index:
            library.update_index(cancel=cancel)
    return report


def _fetch_and_store(
    library: Library,
    todo: list[Source],
    limits: FetchLimits,
    workers: int,
    cancel: CancelToken | None,
    progress: ProgressCallback,
    report: RefreshReport,
) -> None:
    total = len(todo)
    stop = threading.Event()
    with (
        new_client(limits, connections=max(workers, 1)) as client,
        ThreadPoolExecutor(max_workers=max(1, min(workers, total))) as pool,
    ):
        futures: list[Future[Fetched]] = [
            pool.submit(
                _guarded,
                client,
                source,
                limits,
                stop,
                known_hashes(library, source.id) if source.full_text else None,
            )
            for source in todo
        ]
        for done, future in enumerate(as_completed(futures), start=1):
            fetched = future.result()
            if cancel is not None and cancel.cancelled:
                stop.set()
                report.cancelled = True
                for other in futures:
                    other.cancel()
                break
            outcome = store(library, fetched, report)
            report.feeds.append(outcome)
            progress(ProgressEvent("refresh", done, total, fetched.source.name))


def _guarded(
    client: httpx.Client,
    source: Source,
    limits: FetchLimits,
    stop: threading.Event,
    known: dict[str, str] | None,
) -> Fetched:
    if stop.is_set():
        return Fetched(source, FetchResult(source.location, error="cancelled"), None)
    try:
        return fetch_and_parse(client, source, limits, known=known)
    except Exception as exc:  # a bug in a library must cost one feed, not the refresh
        return Fetched(
            source,
            FetchResult(source.location, error=f"unexpected failure ({type(exc).__name__}: {exc})"),
            None,
        )


def store(library: Library, fetched: Fetched, report: RefreshReport) -> FeedOutcome:
    """Record one feed's result: its entries, its new status. Runs in the writing thread."""
    response, parsed = fetched.response, fetched.parsed
    # As it is now: renamed, moved or unsubscribed while its fetch was under way.
    current = library.source_store.get(fetched.source.id)
    if current is None:
        return FeedOutcome(fetched.source.id, fetched.source.name, postponed="unsubscribed")
    source = current
    outcome = FeedOutcome(source.id, source.name)
    state = FeedState(library)
    if response.error or (parsed is not None and parsed.error):
        outcome.error = response.error or (parsed.error if parsed else "")
        state.failure(source, outcome.error, response)
        return outcome
    if response.moved_to and response.moved_to != source.location:
        state.moved(source, response.moved_to)
    if response.not_modified or parsed is None:
        outcome.unchanged = True
        state.success(source, response)
        return outcome
    notes: list[Notice] = []
    new_ids, updated_ids = store_entries(library, source, parsed.entries, fetched.full_texts, notes)
    said = [parsed.warning] if parsed.warning else []
    outcome.warning = "; ".join(said + [f"{n.origin}: {n.message}" for n in notes])
    outcome.new, outcome.updated = len(new_ids), len(updated_ids)
    report.new_ids += new_ids
    report.updated_ids += updated_ids
    outcome.unchanged = not new_ids and not updated_ids
    state.success(source, response)
    return outcome


def store_entries(
    library: Library,
    source: Source,
    entries: Iterable[FeedEntry],
    full_texts: dict[str, tuple[str, ...]] | None = None,
    notes: list[Notice] | None = None,
) -> tuple[list[int], list[int]]:
    """Store new entries and update changed ones; return (new ids, updated ids).

    `full_texts` replaces the paragraphs of the entries it names (by key); the entry's hash
    stays the feed's, so the next refresh sees the same entry as unchanged.

    Every entry is held to the article limits of any import (`limits.bounded`): one longer
    than that is stored in parts, "Title (part 2 of 3)", and `notes` gets the `Notice`. Part 1
    is known by the entry's key, part N by `key#partN`, so an update rewrites each part in
    place.
    """
    full_texts = full_texts or {}

    def article_of(entry: FeedEntry) -> Article:
        article = entry.to_article(source.name, entry.url or entry.key)
        text = full_texts.get(entry.key)
        return replace(article, paragraphs=text) if text else article

    def parts_of(entry: FeedEntry) -> list[tuple[str, Article]]:
        """The entry's article as stored, within the limits: (feed_entries key, part)."""
        parts: list[tuple[str, Article]] = []
        for item in limits.bounded(article_of(entry)):
            if isinstance(item, Notice):
                if notes is not None:
                    notes.append(item)
            else:
                key = entry.key if not parts else f"{entry.key}#part{len(parts) + 1}"
                parts.append((key, item))
        return parts

    db = library.storage.db
    known: dict[str, tuple[int | None, str]] = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT entry_key, article_id, entry_hash FROM feed_entries WHERE source_id = ?",
            (source.id,),
        )
    }
    # (feed_entries key, the entry's hash, the article or part to store)
    fresh: list[tuple[str, str, Article]] = []
    changed: list[tuple[str, str, Article, int]] = []
    seen: set[str] = set()
    for entry in entries:
        key = entry.key
        if key in seen:
            continue  # the same entry twice in one document: the first one counts
        seen.add(key)
        if not entry.title and not entry.paragraphs:
            continue
        stored = known.get(key)
        if stored is None or (stored[0] is None and stored[1] != entry.entry_hash):
            fresh += [(k, entry.entry_hash, part) for k, part in parts_of(entry)]
        elif stored[1] != entry.entry_hash and stored[0] is not None:
            for part_key, part in parts_of(entry):
                prior = known.get(part_key)
                if prior is not None and prior[0] is not None:
                    changed.append((part_key, entry.entry_hash, part, prior[0]))
                else:  # grown past the limits since it was stored: a new part
                    fresh.append((part_key, entry.entry_hash, part))
    new_ids: list[int] = []
    if fresh:
        report = library.import_items((article for _, _, article in fresh), index=False)
        new_ids = list(report.new_ids)
    ids_by_hash = _ids_by_hash(library, [a.content_hash for _, _, a in fresh], source.id)
    updated_ids: list[int] = []
    for _, _, article, article_id in changed:
        if library.update_article_content(article_id, article) and article_id not in updated_ids:
            updated_ids.append(article_id)
    now = now_iso()
    rows = [
        (source.id, key, ids_by_hash.get(article.content_hash), entry_hash, now, now)
        for key, entry_hash, article in fresh
    ] + [
        (source.id, key, article_id, entry_hash, now, now)
        for key, entry_hash, _, article_id in changed
    ]
    if rows:
        with library.storage.transaction() as tx:
            tx.executemany(
                "INSERT INTO feed_entries (source_id, entry_key, article_id, entry_hash,"
                " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (source_id, entry_key) DO UPDATE SET"
                " article_id = coalesce(excluded.article_id, article_id),"
                " entry_hash = excluded.entry_hash, last_seen = excluded.last_seen",
                rows,
            )
    return new_ids, updated_ids


def _ids_by_hash(library: Library, hashes: list[str], source_id: int) -> dict[str, int]:
    """Stored article ids for content hashes, only those of this source (a duplicate of
    another source's article stays that source's)."""
    found: dict[str, int] = {}
    db = library.storage.db
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT content_hash, id FROM articles WHERE content_hash IN ({marks})"
            " AND source_id = ?",
            (*chunk, source_id),
        ):
            found[row[0]] = row[1]
    return found


class FeedState:
    """A feed's status columns: success, failure with backoff, a permanent move."""

    def __init__(self, library: Library) -> None:
        self.storage = library.storage

    def success(self, source: Source, response: FetchResult) -> None:
        now = now_iso()
        with self.storage.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_attempt = ?, last_success = ?, last_error = '',"
                " error_count = 0, next_attempt = NULL, active = 1,"
                " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                " WHERE id = ?",
                (now, now, response.etag, response.last_modified, source.id),
            )

    def failure(self, source: Source, error: str, response: FetchResult) -> None:
        now = datetime.now(UTC)
        errors = source.error_count + 1
        wait = min(FIRST_BACKOFF * (2 ** (errors - 1)), MAX_BACKOFF)
        next_attempt = now + wait
        if response.retry_after is not None:
            asked = min(response.retry_after, now + MAX_RETRY_AFTER)
            next_attempt = max(next_attempt, asked)
        with self.storage.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_attempt = ?, last_error = ?, error_count = ?,"
                " next_attempt = ?, active = ? WHERE id = ?",
                (
                    now.isoformat(timespec="seconds"),
                    error,
                    errors,
                    next_attempt.isoformat(timespec="seconds"),
                    0 if response.gone else 1,
                    source.id,
                ),
            )

    def moved(self, source: Source, url: str) -> None:
        """A permanent redirect: remember the new address (unless another feed has it)."""
        with self.storage.transaction() as tx:
            taken = tx.execute(
                "SELECT 1 FROM sources WHERE kind = 'feed' AND location = ?", (url,)
            ).fetchone()
            if not taken:
                tx.execute("UPDATE sources SET location = ? WHERE id = ?", (url, source.id))
