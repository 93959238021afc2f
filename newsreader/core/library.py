"""The `Library` facade: the one object the command line and the window call.

It owns the SQLite storage (source of truth) and the Whoosh index (derived, rebuildable) of one
library folder. Every write lands in SQLite first, in one transaction with its row in the index
outbox; the index follows through `update_index` (the indexer, `newsreader.core.indexer`), which
the command line calls after its writes and the window runs in the background. Long writes
(import, recognition, indexing) take their lane of the library's write lane
(`newsreader.core.lane`), so a second one waits its turn and says so. Front ends hold no logic
the other would need; if both need it, it belongs here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from newsreader.core import backup as backups_
from newsreader.core import export, indexer, ingest, integrity, paths, undo
from newsreader.core import repair as repair_
from newsreader.core import saved_searches as saved_store
from newsreader.core.backup import Backup, RestoreReport
from newsreader.core.entities import pipeline, recognizer, store
from newsreader.core.indexer import DrainReport, Indexer
from newsreader.core.lane import LaneLock
from newsreader.core.models import (
    Article,
    ArticleRow,
    Entity,
    Highlight,
    ImportReport,
    Mention,
    Notice,
    SearchResults,
    Skipped,
    Stats,
)
from newsreader.core.progress import (
    Cancelled,
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    no_progress,
)
from newsreader.core.repair import RepairReport
from newsreader.core.saved_searches import SavedSearch
from newsreader.core.search import SORTS as SEARCH_SORTS
from newsreader.core.search import SearchCancelled, SearchIndex
from newsreader.core.sources import Source, SourceStore
from newsreader.core.storage import ArticleFilter, KeyedIds, SortKey, Storage

if TYPE_CHECKING:
    from newsreader.core.feeds.refresh import RefreshReport
    from newsreader.core.feeds.service import AddedFeed, OpmlImportReport, RemovedSource

__all__ = ["SEARCH_SORTS", "Library", "SearchCancelled"]

SAMPLE_SOURCE = "Newsreader sample"


@dataclass(frozen=True, slots=True)
class FirstRun:
    """What opening a library did for a new user (`Library.first_run`), for either front end.

    `sample` is the report of importing the bundled sample, None when the library already had
    it (or had articles); `welcome` is the one line both front ends show about it.
    """

    directory: Path
    sample: ImportReport | None = None

    @property
    def seeded(self) -> bool:
        return self.sample is not None and self.sample.new > 0

    @property
    def welcome(self) -> str:
        if not self.seeded or self.sample is None:
            return ""
        return (
            f"new library at {self.directory}; imported the bundled sample "
            f"({self.sample.new} articles)"
        )

    @property
    def recognise_entities(self) -> bool:
        """Whether the new articles should get entity recognition now."""
        return self.seeded


_SAMPLE_SEEDED = "sample_seeded"
_INDEX_STALE = "index_stale"
_BATCH = 250


class Library:
    """A library folder: `library.sqlite3` plus the `index/` folder beside it."""

    def __init__(self, directory: Path, *, storage: Storage, index: SearchIndex) -> None:
        self.directory = directory
        self.storage = storage
        self.index = index
        #: Things the user should be told about opening the library (e.g. an index rebuild).
        self.notices: list[str] = []
        self._lanes = {name: LaneLock(directory, name) for name in ("import", "entities", "index")}
        self._indexer = Indexer(storage, index, self._lanes["index"])

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback = no_progress,
        daily_backup: bool = True,
        update_index: bool = True,
    ) -> Library:
        """Open (creating if needed) the library at `directory` or the default location.

        With `update_index` (the default) the index is brought in line before this returns:
        changes left in the outbox (by a killed process, say) are applied, and an index that
        is missing, damaged or from another schema is rebuilt; `notices` then says so. The
        window passes False and lets that happen in the background (`update_index()`).
        A damaged database raises `DamagedLibraryError`, a missing or empty one beside an
        index or backups `MissingDatabaseError` (core/integrity.py), both with what to do.
        `daily_backup` takes the day's backup now if due (the window passes False and calls
        `check_health` off the UI thread instead).
        """
        folder = paths.library_dir(directory)
        folder.mkdir(parents=True, exist_ok=True)
        integrity.refuse_missing_database(folder)
        storage = Storage(folder / paths.DB_FILENAME)
        if daily_backup:
            try:
                backups_.take_daily_if_due(storage.db, folder)
            except BaseException:
                storage.close()
                raise
        index = SearchIndex(folder / paths.INDEX_DIRNAME)
        library = cls(folder, storage=storage, index=index)
        # Migration 4 renamed path sources; the outbox triggers queued every renamed article,
        # so the indexer brings their stored source names along with everything else.
        if storage.get_meta(_INDEX_STALE):
            storage.db.execute("DELETE FROM meta WHERE key = ?", (_INDEX_STALE,))
        if update_index:
            library.update_index(progress=progress)
        return library

    def close(self) -> None:
        self.index.close()
        self.storage.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- first run -----------------------------------------------------------------------------

    def needs_sample(self) -> bool:
        """Whether `ensure_sample` would import the sample: a new library, empty, never
        seeded (the window then starts its worker early, before it builds itself)."""
        return not self.storage.get_meta(_SAMPLE_SEEDED) and self.storage.count() == 0

    def ensure_sample(
        self, progress: ProgressCallback = no_progress, *, index: bool = True
    ) -> ImportReport | None:
        """Import the bundled sample into a library that has never had it and is empty.

        Runs once per library: a user who deletes the sample articles does not get them back.
        `index=False` leaves the index to the outbox's drain (`import_items`).
        """
        if self.storage.get_meta(_SAMPLE_SEEDED) or self.storage.count() > 0:
            return None
        sample = paths.sample_corpus()
        text = sample.read_bytes()
        report = self.import_items(
            ingest.read_bytes(text, origin="seed-news.txt", source=SAMPLE_SOURCE),
            progress=progress,
            index=index,
        )
        self.storage.set_meta(_SAMPLE_SEEDED, "1")
        return report

    def first_run(
        self, progress: ProgressCallback = no_progress, *, index: bool = True
    ) -> FirstRun:
        """What both front ends do when they open a library: seed a new one with the sample.

        The CLI prints `welcome` as a note and the window greets the user in its status bar;
        both then run entity recognition when `recognise_entities` says so. The window's
        worker process passes `index=False`: the sample is listed once stored, and its drain
        indexes it.
        """
        return FirstRun(self.directory, self.ensure_sample(progress=progress, index=index))

    def data_version(self) -> int:
        """A number that changes whenever another connection (another process, or another
        thread of this one) commits to the database: SQLite's `PRAGMA data_version`, read on
        this thread's connection. The window polls it to notice `newsreader import` run in a
        terminal. Cheap: no table is read."""
        return int(self.storage.scalar("PRAGMA data_version"))

    def change_stamps(self) -> dict[str, int]:
        """Counters of the changes a reader would see, by concern ('articles', 'flags',
        'entities', 'sources', 'searches'), whichever program made them. `data_version` moves
        on any commit, the indexer's bookkeeping included; a watcher compares these when it
        does, to re-read only when one of them moved."""
        return self.storage.change_stamps()

    # -- saved searches ------------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        """Named queries, in the order they were saved."""
        return saved_store.all_saved(self.storage.db)

    def saved_search(self, name: str) -> SavedSearch | None:
        return saved_store.get(self.storage.db, name)

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save (or re-point) a named query; raises `SavedSearchError` for an empty one."""
        return saved_store.save(self.storage.db, name, query)

    def remove_saved_search(self, name: str) -> bool:
        """Forget a saved search; False when there was none by that name."""
        return saved_store.remove(self.storage.db, name)

    # -- import --------------------------------------------------------------------------------

    def import_paths(
        self,
        sources: Sequence[str | os.PathLike[str]],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        index: bool = True,
    ) -> ImportReport:
        """Import files and folders (recursively). One bad file never stops the rest.

        Articles are stored in batches (see `import_items`, also for `index`); if the work is
        cancelled or interrupted (Ctrl-C), every batch already committed stays, and the index
        follows from the outbox.
        """
        from newsreader.core.feeds.files import split_feed_arguments

        # Web addresses are subscriptions, not files to read (feed files are read by ingest).
        given, feed_items = split_feed_arguments(self, sources)
        files = ingest.discover([Path(s) for s in given])
        total = sum(1 for item in files if not isinstance(item, Skipped))
        names: dict[str, str] = {}

        def items() -> Iterator[Article | Skipped | Notice]:
            yield from feed_items
            done = 0
            for item in files:
                if isinstance(item, Skipped):
                    yield item
                    continue
                path, label = item
                # The source is named after the folder or file (`bbc-sample`), not its path.
                source = names.get(label) or names.setdefault(
                    label, self.source_store.register_path(label, _path_kind(Path(label)))
                )
                progress(ProgressEvent("import", done, total, path.name))
                yield from ingest.read_file(path, source=source)
                done += 1
            progress(ProgressEvent("import", done, total, ""))

        return self.import_items(items(), progress=progress, cancel=cancel, index=index)

    def import_items(
        self,
        items: Iterable[Article | Skipped | Notice],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        index: bool = True,
    ) -> ImportReport:
        """Store articles from any reader (files, feeds, datasets) in batches; the one entry
        point for adding articles.

        Each batch is one SQLite transaction (with its index outbox rows), so articles are
        listed and readable as soon as their batch commits. With `index` (the default) the
        search index is brought in line before this returns; with `index=False` that is left
        to `update_index` (the command line runs it after, the window in the background).
        Another import into the same library (another process, say) is waited for, and
        `progress` gets a "wait" event saying so. A cancelled import keeps every committed
        batch.
        """
        report = ImportReport()
        batch: list[Article] = []

        def say_wait(message: str) -> None:
            progress(ProgressEvent("wait", 0, None, message))

        try:
            with self._lanes["import"].hold(on_wait=say_wait, cancel=cancel):
                for item in items:
                    if isinstance(item, Skipped):
                        report.skipped.append(item)
                        continue
                    if isinstance(item, Notice):
                        report.notes.append(item)
                        continue
                    batch.append(item)
                    if len(batch) >= _BATCH:
                        self._store_batch(batch, report)
                        batch = []
                        progress(ProgressEvent("stored", report.new, None))
                        if cancel is not None and cancel.cancelled:
                            report.cancelled = True
                            break
                else:
                    if batch:
                        self._store_batch(batch, report)
                        progress(ProgressEvent("stored", report.new, None))
        except Cancelled:
            report.cancelled = True
        if index:
            self.update_index(progress=progress)
        return report

    def _store_batch(self, batch: list[Article], report: ImportReport) -> None:
        ids = self.storage.add_articles(batch)
        for new_id in ids:
            if new_id is None:
                report.duplicates += 1
                continue
            report.new += 1
            report.new_ids.append(new_id)

    # -- the index follows -----------------------------------------------------------------

    def update_index(
        self,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        wait: bool = True,
        processes: bool = False,
        batch_size: int | None = None,
        until_empty: bool = True,
    ) -> DrainReport:
        """Apply every change the search index does not show yet (the outbox), in batches.

        Also rebuilds an index that is missing, damaged or from another schema. When another
        thread or process is already doing this, waits (after a "wait" progress event) or,
        with `wait=False`, returns at once (`ran` False): that one drains the same outbox.
        `processes` lets big backlogs use two Whoosh worker processes (started by a fork
        server, so a caller with threads may ask too: `core/search/procwriter.py`).
        `batch_size` is the articles per index commit (a cancel gives up the batch in
        progress, whose changes stay queued). With `until_empty=False` only what was queued
        when it began is applied (`Indexer.drain`). What the user should hear about lands in
        `notices` too.
        """

        def say_wait(message: str) -> None:
            progress(ProgressEvent("wait", 0, None, message))

        try:
            report = self._indexer.drain(
                progress=progress,
                cancel=cancel,
                wait=wait,
                on_wait=say_wait,
                processes=processes,
                batch_size=batch_size,
                until_empty=until_empty,
            )
        except Cancelled:
            return DrainReport(ran=False)
        self.notices.extend(report.notices)
        return report

    def tidy_index(
        self,
        *,
        cancel: CancelToken | None = None,
        interrupted: Callable[[], bool] | None = None,
    ) -> indexer.TidyReport:
        """Merge the search index's segments while nothing waits to be indexed.

        Keeps searches fast after many imports; each step is bounded, and stops as soon as
        there is something to index, `cancel` is cancelled or `interrupted()` is true
        (`Indexer.tidy`). The window's worker calls it when its drain is done.
        """
        return self._indexer.tidy(cancel=cancel, interrupted=interrupted)

    def index_pending(self) -> int:
        """How many articles have changes not yet searchable (0: the index is up to date)."""
        return indexer.pending(self.storage)

    def index_needs_update(self) -> bool:
        """Whether `update_index` has anything to do (changes to apply, an index to rebuild).

        Cheap: the window asks this before starting its background worker (core/worker.py).
        """
        return indexer.needs_update(self.storage, self.index)

    # -- reading -------------------------------------------------------------------------------

    def get(self, article_id: int) -> Article | None:
        return self.storage.get(article_id)

    def article_for_reading(self, article_id: int) -> tuple[Article, list[Mention]] | None:
        """An article with its entity mentions, both from one snapshot of the library (one
        read transaction), so the mentions are those of the text returned: what the window's
        reading pane shows, read on a pool thread. None when there is no such article."""
        db = self.storage.db
        own = not db.in_transaction
        if own:
            db.execute("BEGIN")
        try:
            article = self.storage.get(article_id)
            found = store.mentions(db, article_id) if article is not None else []
        finally:
            if own and db.in_transaction:
                db.execute("COMMIT")  # it only read: nothing to keep or undo
        return None if article is None else (article, found)

    def get_many(self, ids: Sequence[int]) -> list[Article]:
        return self.storage.get_many(ids)

    def ids(
        self,
        where: ArticleFilter = ArticleFilter(),  # noqa: B008 - frozen, so a safe default
        sort: SortKey = "published",
        descending: bool = True,
        limit: int | None = None,
    ) -> list[int]:
        return self.storage.ids(where, sort, descending, limit)

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        return self.storage.rows(ids)

    def keyed_ids(
        self,
        where: ArticleFilter = ArticleFilter(),  # noqa: B008 - frozen, so a safe default
        sort: SortKey = "published",
        descending: bool = True,
        *,
        after: int = 0,
        also: Sequence[int] = (),
    ) -> KeyedIds:
        """The listed ids above `after` with their sort columns, and the library's size and
        largest id, from one snapshot: the window grows its list by what an import added
        instead of listing 100k ids again every second (`Storage.keyed_ids`)."""
        return self.storage.keyed_ids(where, sort, descending, after=after, also=also)

    def count(self, where: ArticleFilter = ArticleFilter()) -> int:  # noqa: B008
        return self.storage.count(where)

    def sources(self, *, include_feeds: bool = True) -> list[tuple[str, int]]:
        """Each source name with its article count, by name. The window lists feeds in their
        own panel (folders, unread counts, status), so it leaves them out here."""
        found = self.storage.sources()
        if include_feeds:
            return found
        feeds = {feed.name for feed in self.feeds()}
        return [(name, count) for name, count in found if name not in feeds]

    def stats(self) -> Stats:
        """Counts for `newsreader stats`; `indexed` and `recognised` are what is done so far
        (searchable articles; articles the current entity model has been over)."""
        s = self.storage
        articles = s.count()
        return Stats(
            articles=articles,
            unread=s.count(ArticleFilter(unread=True)),
            starred=s.count(ArticleFilter(starred=True)),
            truncated=int(s.scalar("SELECT count(*) FROM articles WHERE truncated = 1")),
            sources=len(s.sources()),
            indexed=max(0, articles - self.index_pending()),
            library_dir=str(self.directory),
            recognised=articles - self.entities_pending(),
        )

    # -- changing ------------------------------------------------------------------------------

    # Small writes are single SQLite transactions; their outbox rows reach the index at the
    # next `update_index` (the window runs it in the background, the command line after).

    def set_read(self, ids: Sequence[int], read: bool = True) -> None:
        self.storage.set_flag(ids, "read", read)

    def set_starred(self, ids: Sequence[int], starred: bool = True) -> None:
        self.storage.set_flag(ids, "starred", starred)

    def set_flags(
        self,
        *,
        read: dict[int, bool] | None = None,
        starred: dict[int, bool] | None = None,
        wait_s: float | None = None,
    ) -> bool:
        """Read and starred flags of many articles, each its own value, in one transaction:
        the window gathers a burst of marks (opening articles one after another) into one
        write. With `wait_s`, waits at most that long for another writer (an import's batch)
        and returns False, changing nothing, if it still held the library; True once stored.
        """
        changes = {
            flag: values for flag, values in (("read", read), ("starred", starred)) if values
        }
        if not changes:
            return True
        timeout = None if wait_s is None else round(wait_s * 1000)
        return self.storage.set_flags(changes, busy_timeout_ms=timeout)

    def update_articles(self, articles: Sequence[Article]) -> int:
        """Replace the content of stored articles (by id), e.g. a feed item that changed;
        return how many were updated.

        The write-lane path for changed articles: one transaction, flags kept, recognition
        and the index queued again (see `Storage.update_articles`); the index follows at the
        next `update_index`.
        """
        return sum(self.storage.update_articles(articles))

    def delete(self, ids: Sequence[int]) -> undo.Deleted:
        """Delete articles; return them (a list of the articles as they were) for `restore`.

        The returned `Deleted` also holds what the delete's cascade removes (mentions,
        entity links, recognition status), taken in the same transaction as the delete.
        """
        return undo.delete(self.storage, ids)

    def restore(self, articles: Sequence[Article]) -> None:
        """Undo `delete`: the articles come back with their ids, flags and entities.

        Given what `delete` returned, everything comes back exactly as it was, in one
        transaction (and the index follows through the outbox). Given plain articles, they
        come back with their flags and await recognition again.
        """
        undo.restore(self.storage, articles)

    # -- search --------------------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int | None = 20, sort: str = "relevance"
    ) -> SearchResults:
        """Ranked results for a query; never raises for a malformed query (see notice).

        `sort` is one of `SEARCH_SORTS`: "relevance" or "date" (newest first). Never waits
        for indexing: while articles are still being indexed, `notice` says the results may
        be incomplete."""
        return self._note_pending(self.index.search(query, limit=limit, sort=sort))

    def search_all(
        self,
        query: str,
        *,
        limit: int | None = 0,
        sort: str = "relevance",
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResults:
        """One search pass for a list of every match: the total, the ids of all matches in
        order (`ids`), what to mark in them (`highlight`) and the first `limit` hits with
        snippets (none by default: a list asks `search_snippets` for the rows it shows).

        Raises `SearchCancelled` when `cancelled()` turns true before it is done. Like
        `search`, says in `notice` when indexing has not caught up yet."""
        return self._note_pending(
            self.index.search_all(query, limit=limit, sort=sort, cancelled=cancelled)
        )

    def _note_pending(self, results: SearchResults) -> SearchResults:
        waiting = self.index_pending()
        if not waiting:
            return results
        note = (
            f"{waiting:,} article{'' if waiting == 1 else 's'} still being indexed;"
            " results may be incomplete."
        )
        return replace(results, notice=f"{results.notice} {note}" if results.notice else note)

    def search_snippets(self, highlight: Highlight | None, ids: Sequence[int]) -> dict[int, str]:
        """Snippets (matches in «») for some search results: the rows a list shows."""
        return self.index.snippets(highlight, ids)

    def search_ids(self, query: str) -> list[int]:
        """Every matching article id, best first (the window lists them all)."""
        return self.index.search_ids(query)

    def reindex(self, progress: ProgressCallback = no_progress) -> int:
        """Rebuild the search index from the database; return the number of documents.

        Runs in the index lane (waiting for an indexer elsewhere, and saying so); the outbox
        rows the rebuild covers are dropped.
        """

        def say_wait(message: str) -> None:
            progress(ProgressEvent("wait", 0, None, message))

        return self._indexer.rebuild(progress=progress, on_wait=say_wait)

    # -- export --------------------------------------------------------------------------------

    def to_markdown(self, article_id: int, *, entities: export.EntityStyle = "none") -> str:
        """One article as Markdown; its entities in the front matter, and in the body as
        `**bold**` or `[[wikilinks]]` when `entities` asks for it."""
        article = self.storage.get(article_id)
        if article is None:
            raise KeyError(article_id)
        mentions, names = self._entity_data(article)
        return export.article_to_markdown(
            article, entities=entities, mentions=mentions, entity_names=names
        )

    def _entity_data(self, article: Article) -> tuple[list[Mention], dict[str, list[str]]]:
        """An article's mentions and its entity names by type (visible types, by count)."""
        if article.id is None:
            return [], {}
        names: dict[str, list[str]] = {}
        for found in store.entities(self.storage.db, article_id=article.id):
            names.setdefault(found.type, []).append(found.name)
        return store.mentions(self.storage.db, article.id), names

    def export_markdown(
        self,
        ids: Sequence[int],
        destination: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        entities: export.EntityStyle = "none",
    ) -> list[Path]:
        """Write articles as Markdown: one file, or one file each into a folder.

        A destination ending in `.md` with one article is that file; anything else is a
        folder (created if needed). Existing files are never overwritten unless asked.
        Entities go into the front matter, and into the body as `entities` asks (`bold`,
        `wikilinks`).
        """
        articles = self.storage.get_many(ids)
        missing = sorted(set(ids) - {a.id for a in articles})
        if missing:
            raise KeyError(", ".join(map(str, missing)))
        return export.export_articles(
            articles,
            Path(destination),
            overwrite=overwrite,
            entities=entities,
            entity_data=self._entity_data,
        )

    # -- entities (contract for the window; see newsreader/core/entities) -----------------------
    # Reading entities is plain SQL. Only `extract_entities` loads spaCy, on first call, and
    # raises `ModelMissingError` (with install instructions) when the model is absent.

    def mentions(self, article_id: int) -> list[Mention]:
        """Every entity mention in an article, in reading order."""
        return store.mentions(self.storage.db, article_id)

    def entities(
        self,
        entity_type: str | None = None,
        *,
        top: int | None = None,
        prefix: str = "",
        article_id: int | None = None,
        include_hidden: bool = False,
    ) -> list[Entity]:
        """Canonical entities by article count (optionally one type, a name or alias prefix,
        top N, or only those an article mentions). Dates and numbers only when asked for by
        type or with `include_hidden`."""
        return store.entities(
            self.storage.db,
            entity_type,
            top=top,
            prefix=prefix,
            article_id=article_id,
            include_hidden=include_hidden,
        )

    def entity(self, entity_id: int) -> Entity | None:
        return store.entity(self.storage.db, entity_id)

    def entity_article_ids(self, entity_id: int) -> list[int]:
        """Ids of every article that mentions the entity, newest first."""
        return store.entity_article_ids(self.storage.db, entity_id)

    def extract_entities(
        self,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        rebuild: bool = False,
        n_process: int | None = None,
        index: bool = True,
    ) -> int:
        """Run NER over articles not yet processed (all of them with `rebuild`); return count.

        Resumable: each batch of articles is committed with its mentions and status, so a
        cancelled or interrupted run continues where it stopped. Each batch's status rows
        queue the articles for the index (outbox), which then gets their entity names (fields
        person/org/place/entity) at the next `update_index`. A recogniser running elsewhere
        on this library is waited for ("wait" progress event). With `index` (the default) the
        index catches up before this returns (a cancelled run's committed batches too).
        `n_process=None` uses the measured default (one process; `pipeline.DEFAULT_PROCESSES`).
        Raises `newsreader.core.entities.ModelMissingError` when spaCy or the model is absent.
        """

        def say_wait(message: str) -> None:
            progress(ProgressEvent("wait", 0, None, message))

        try:
            with self._lanes["entities"].hold(on_wait=say_wait, cancel=cancel):
                done = pipeline.run(
                    self.storage,
                    progress=progress,
                    cancel=cancel,
                    rebuild=rebuild,
                    n_process=n_process,
                )
        except Cancelled:
            return 0
        if index and done:  # cancelled too: what was committed becomes searchable
            self.update_index(progress=progress)
        return done

    def entities_pending(self) -> int:
        """How many articles still await entity recognition (all of them if no model)."""
        try:
            model: str | None = recognizer.model_id()
        except recognizer.ModelMissingError:
            model = None
        return store.pending_count(self.storage.db, model)

    # -- damage, backups, repair (see core/integrity.py, core/backup.py, core/repair.py) ------

    def check_health(self, *, cancel: CancelToken | None = None) -> str | None:
        """The full integrity check, then the daily backup if due; the damage message, or None.

        Slow on a big library (it reads every page and index): the window runs it off the UI
        thread after opening with `daily_backup=False`. Cancelled, it stops and says nothing.
        """
        stop = (lambda: cancel.cancelled) if cancel is not None else None
        result = integrity.full_check(self.storage.db, cancelled=stop)
        if not result.complete:
            return None
        if not result.ok:
            return integrity.damage_message(self.storage.path, result.problems[0])
        try:
            backups_.take_daily_if_due(self.storage.db, self.directory)
        except integrity.DamagedLibraryError as exc:
            return str(exc)
        return None

    def backup(self) -> Backup:
        """A backup now, into the library's `backups/` folder (kept with the manual ones)."""
        return backups_.take(self.storage.db, self.directory, "manual")

    @staticmethod
    def backups(directory: str | os.PathLike[str] | None = None) -> list[Backup]:
        """The library's backups, newest first (works on a damaged library: nothing opened)."""
        return backups_.list_backups(paths.library_dir(directory))

    @staticmethod
    def restore_backup(
        directory: str | os.PathLike[str] | None = None,
        chosen: str | os.PathLike[str] | None = None,
    ) -> RestoreReport:
        """Put a backup (the newest sound one unless `chosen`) in place of the database.

        The replaced database is kept beside it; articles newer than the backup are rebuilt
        from the search index. Close the window on the library first.
        """
        return backups_.restore(
            paths.library_dir(directory), Path(chosen) if chosen is not None else None
        )

    @staticmethod
    def repair(directory: str | os.PathLike[str] | None = None) -> RepairReport:
        """Salvage what is readable of a damaged (or missing) database into a new one.

        The damaged file is kept beside it; the report says what was recovered and lost.
        """
        folder = paths.library_dir(directory)
        report = repair_.repair(folder)
        if report.sound:
            return report
        with Library.open(folder, daily_backup=False) as library:  # index in line with it
            report.notices = list(library.notices)
        return report

    @staticmethod
    def damage_message(
        directory: str | os.PathLike[str] | None, error: BaseException
    ) -> str | None:
        """The damaged-library message for an SQLite error met while using the library (damage
        the time-bounded check at open did not reach), or None if `error` is not damage."""
        if not integrity.is_damage(error):
            return None
        db_path = paths.library_dir(directory) / paths.DB_FILENAME
        return integrity.damage_message(db_path, str(error))

    # -- sources and feeds (issue 9: logic in core/sources.py and core/feeds/) -----------------

    @property
    def source_store(self) -> SourceStore:
        """The sources table (feeds, folders, files, datasets, the sample)."""
        return SourceStore(self.storage)

    def source_list(self, kind: str | None = None) -> list[Source]:
        """Every source (or every one of a kind) with its counts and, for feeds, status."""
        return self.source_store.all(kind)

    def feeds(self) -> list[Source]:
        return self.source_store.all("feed")

    def find_source(self, ref: str, kind: str | None = None) -> Source:
        """A source by id, name or URL; raises `SourceError` with the reason in words."""
        return self.source_store.find(ref, kind)

    def add_feed(
        self, url: str, *, folder: str = "", name: str | None = None, fetch: bool = True
    ) -> AddedFeed:
        """Subscribe (fetching first unless `fetch` is off); raises `FeedError`/`FeedChoice`."""
        from newsreader.core.feeds import service

        return service.add_feed(self, url, folder=folder, name=name, fetch=fetch)

    def refresh_feeds(
        self,
        refs: Sequence[str | int] | None = None,
        *,
        force: bool | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        scheduled: bool = False,
        index: bool = True,
    ) -> RefreshReport:
        """Refresh all feeds (those due) or the ones named; new entries are stored and
        indexed, changed ones updated. Never raises for a feed's failure (see the report).
        `scheduled`: a timer's refresh, which also respects each feed's own interval.
        With `index=False` the index is left to `update_index` (the window's worker)."""
        from newsreader.core.feeds import service

        return service.refresh_feeds(
            self,
            refs,
            force=force,
            progress=progress,
            cancel=cancel,
            scheduled=scheduled,
            index=index,
        )

    def rename_source(self, source_id: int, name: str) -> Source:
        from newsreader.core.feeds import service

        return service.rename_source(self, source_id, name)

    def move_source(self, source_id: int, folder: str) -> None:
        """Put a source into a sidebar folder (`a/b` nests; empty: top level)."""
        self.source_store.move(source_id, folder)

    def remove_source(self, source_id: int) -> RemovedSource:
        """Delete a source and its articles; `restore_source` undoes it."""
        from newsreader.core.feeds import service

        return service.remove_source(self, source_id)

    def restore_source(self, removed: RemovedSource) -> None:
        from newsreader.core.feeds import service

        service.restore_source(self, removed)

    def set_feed_options(
        self,
        source_id: int,
        *,
        interval_minutes: int | None = None,
        full_text: bool | None = None,
        active: bool | None = None,
    ) -> None:
        """Per-feed settings: refresh interval, full text from links, refreshing on/off."""
        self.source_store.set_feed_options(
            source_id, interval_minutes=interval_minutes, full_text=full_text, active=active
        )

    def import_opml(
        self,
        path: str | os.PathLike[str],
        *,
        fetch: bool = True,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> OpmlImportReport:
        from newsreader.core.feeds import service

        return service.import_opml(self, path, fetch=fetch, progress=progress, cancel=cancel)

    def export_opml(self, path: str | os.PathLike[str]) -> int:
        from newsreader.core.feeds import service

        return service.export_opml(self, path)

    def update_article_content(self, article_id: int, article: Article) -> bool:
        """Write new content over a stored article (a feed entry that changed), keeping its
        source and flags: queued for the index through the outbox (in the same transaction),
        entities recognised again by the next recognition run. False if not possible (the
        article is gone, or the content is exactly another article's)."""
        return self.storage.update_content(article_id, article)

    def fetch_full_text(self, article_id: int) -> Article:
        """Replace an article's text with the full text of its link (a feed that carries only
        summaries); raises `FullTextError` (in words) or `KeyError`. Runs recognition again."""
        from newsreader.core.feeds.fulltext import fetch_full_text

        article = self.storage.get(article_id)
        if article is None:
            raise KeyError(article_id)
        fuller = replace(article, paragraphs=fetch_full_text(article.url), truncated=False)
        self.update_article_content(article_id, fuller)
        return self.storage.get(article_id) or fuller


def _path_kind(path: Path) -> Literal["folder", "file", "dataset"]:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".tsv", ".json"):
        return "dataset"
    return "folder" if path.is_dir() else "file"
