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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from newsreader.core import export, indexer, ingest, paths, undo
from newsreader.core.entities import pipeline, recognizer, store
from newsreader.core.indexer import DrainReport, Indexer
from newsreader.core.lane import LaneLock
from newsreader.core.models import (
    Article,
    ArticleRow,
    Entity,
    ImportReport,
    Mention,
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
from newsreader.core.search import SearchIndex
from newsreader.core.storage import ArticleFilter, SortKey, Storage

SAMPLE_SOURCE = "Newsreader sample"
_SAMPLE_SEEDED = "sample_seeded"
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
        update_index: bool = True,
    ) -> Library:
        """Open (creating if needed) the library at `directory` or the default location.

        With `update_index` (the default) the index is brought in line before this returns:
        changes left in the outbox (by a killed process, say) are applied, and an index that
        is missing, damaged or from another schema is rebuilt; `notices` then says so. The
        window passes False and lets that happen in the background (`update_index()`).
        """
        folder = paths.library_dir(directory)
        folder.mkdir(parents=True, exist_ok=True)
        storage = Storage(folder / paths.DB_FILENAME)
        index = SearchIndex(folder / paths.INDEX_DIRNAME)
        library = cls(folder, storage=storage, index=index)
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

    def ensure_sample(self, progress: ProgressCallback = no_progress) -> ImportReport | None:
        """Import the bundled sample into a library that has never had it and is empty.

        Runs once per library: a user who deletes the sample articles does not get them back.
        """
        if self.storage.get_meta(_SAMPLE_SEEDED) or self.storage.count() > 0:
            return None
        sample = paths.sample_corpus()
        text = sample.read_bytes()
        report = self.import_items(
            ingest.read_bytes(text, origin="seed-news.txt", source=SAMPLE_SOURCE),
            progress=progress,
        )
        self.storage.set_meta(_SAMPLE_SEEDED, "1")
        return report

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
        files = ingest.discover([Path(s) for s in sources])
        total = sum(1 for item in files if not isinstance(item, Skipped))

        def items() -> Iterator[Article | Skipped]:
            done = 0
            for item in files:
                if isinstance(item, Skipped):
                    yield item
                    continue
                path, source = item
                progress(ProgressEvent("import", done, total, path.name))
                yield from ingest.read_file(path, source=source)
                done += 1
            progress(ProgressEvent("import", done, total, ""))

        return self.import_items(items(), progress=progress, cancel=cancel, index=index)

    def import_items(
        self,
        items: Iterable[Article | Skipped],
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
    ) -> DrainReport:
        """Apply every change the search index does not show yet (the outbox), in batches.

        Also rebuilds an index that is missing, damaged or from another schema. When another
        thread or process is already doing this, waits (after a "wait" progress event) or,
        with `wait=False`, returns at once (`ran` False): that one drains the same outbox.
        `processes` lets big backlogs use Whoosh worker processes (command line only: the
        window must not fork). `batch_size` is the articles per index commit (cancellation is
        checked between commits). What the user should hear about lands in `notices` too.
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
            )
        except Cancelled:
            return DrainReport(ran=False)
        self.notices.extend(report.notices)
        return report

    def index_pending(self) -> int:
        """How many articles have changes not yet searchable (0: the index is up to date)."""
        return indexer.pending(self.storage)

    # -- reading -------------------------------------------------------------------------------

    def get(self, article_id: int) -> Article | None:
        return self.storage.get(article_id)

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

    def count(self, where: ArticleFilter = ArticleFilter()) -> int:  # noqa: B008
        return self.storage.count(where)

    def sources(self) -> list[tuple[str, int]]:
        return self.storage.sources()

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

    def search(self, query: str, *, limit: int | None = 20) -> SearchResults:
        """Ranked results for a query; never raises for a malformed query (see notice).

        Never waits for indexing: while articles are still being indexed, `notice` says the
        results may be incomplete.
        """
        results = self.index.search(query, limit=limit)
        waiting = self.index_pending()
        if not waiting:
            return results
        note = (
            f"{waiting:,} article{'' if waiting == 1 else 's'} still being indexed;"
            " results may be incomplete."
        )
        return replace(results, notice=f"{results.notice} {note}" if results.notice else note)

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
