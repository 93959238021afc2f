"""The `Library` facade: the one object the command line and the window call.

It owns the SQLite storage (source of truth) and the Whoosh index (derived, rebuildable) of one
library folder, and keeps them in step: every import and delete updates both, and an index that
is missing, stale or corrupt is rebuilt when the library opens. Front ends hold no logic the
other would need; if both need it, it belongs here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from newsreader.core import export, ingest, paths
from newsreader.core.entities import pipeline, recognizer, store
from newsreader.core.models import (
    Article,
    ArticleRow,
    Entity,
    Highlight,
    ImportReport,
    Mention,
    SearchResults,
    Skipped,
    Stats,
)
from newsreader.core.progress import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    no_progress,
)
from newsreader.core.search import SORTS as SEARCH_SORTS
from newsreader.core.search import SearchCancelled, SearchIndex
from newsreader.core.storage import ArticleFilter, SortKey, Storage

__all__ = ["SEARCH_SORTS", "Library", "SearchCancelled"]

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

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback = no_progress,
    ) -> Library:
        """Open (creating if needed) the library at `directory` or the default location.

        The index is checked against the database and rebuilt if missing, stale or corrupt;
        `notices` then says so.
        """
        folder = paths.library_dir(directory)
        folder.mkdir(parents=True, exist_ok=True)
        storage = Storage(folder / paths.DB_FILENAME)
        index = SearchIndex(folder / paths.INDEX_DIRNAME)
        library = cls(folder, storage=storage, index=index)
        notice = index.ensure(storage, progress=progress)
        if notice:
            library.notices.append(notice)
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
    ) -> ImportReport:
        """Import files and folders (recursively). One bad file never stops the rest.

        Articles are stored and indexed in batches; if the work is cancelled or interrupted
        (Ctrl-C), every batch already committed stays, and the index is brought in line.
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

        return self.import_items(items(), progress=progress, cancel=cancel)

    def import_items(
        self,
        items: Iterable[Article | Skipped],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Store and index articles from any reader (files, feeds, datasets) in batches."""
        report = ImportReport()
        batch: list[Article] = []
        try:
            with self.index.writer() as index_writer:
                for item in items:
                    if isinstance(item, Skipped):
                        report.skipped.append(item)
                        continue
                    batch.append(item)
                    if len(batch) >= _BATCH:
                        self._store_batch(batch, report, index_writer)
                        batch = []
                        if cancel is not None and cancel.cancelled:
                            report.cancelled = True
                            return report
                if batch:
                    self._store_batch(batch, report, index_writer)
        finally:
            if report.new_ids or report.cancelled:
                progress(ProgressEvent("index", report.new, report.new, "index committed"))
        return report

    def _store_batch(
        self, batch: list[Article], report: ImportReport, index_writer: SearchIndex.Writer
    ) -> None:
        ids = self.storage.add_articles(batch)
        for article, new_id in zip(batch, ids, strict=True):
            if new_id is None:
                report.duplicates += 1
                continue
            report.new += 1
            report.new_ids.append(new_id)
            index_writer.add(replace(article, id=new_id))

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
        s = self.storage
        return Stats(
            articles=s.count(),
            unread=s.count(ArticleFilter(unread=True)),
            starred=s.count(ArticleFilter(starred=True)),
            truncated=int(s.scalar("SELECT count(*) FROM articles WHERE truncated = 1")),
            sources=len(s.sources()),
            indexed=self.index.doc_count(),
            library_dir=str(self.directory),
        )

    # -- changing ------------------------------------------------------------------------------

    def set_read(self, ids: Sequence[int], read: bool = True) -> None:
        self.storage.set_flag(ids, "read", read)

    def set_starred(self, ids: Sequence[int], starred: bool = True) -> None:
        self.storage.set_flag(ids, "starred", starred)

    def delete(self, ids: Sequence[int]) -> list[Article]:
        """Delete articles from storage and index; return them so `restore` can undo."""
        removed = self.storage.delete(ids)
        self.index.delete([a.id for a in removed if a.id is not None])
        return removed

    def restore(self, articles: Sequence[Article]) -> None:
        """Put deleted articles back with their ids and flags (undo of `delete`)."""
        self.storage.add_articles(articles)
        with self.index.writer() as writer:
            for article in articles:
                writer.add(article)

    # -- search --------------------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int | None = 20, sort: str = "relevance"
    ) -> SearchResults:
        """Ranked results for a query; never raises for a malformed query (see notice).

        `sort` is one of `SEARCH_SORTS`: "relevance" or "date" (newest first)."""
        return self.index.search(query, limit=limit, sort=sort)

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

        Raises `SearchCancelled` when `cancelled()` turns true before it is done."""
        return self.index.search_all(query, limit=limit, sort=sort, cancelled=cancelled)

    def search_snippets(self, highlight: Highlight | None, ids: Sequence[int]) -> dict[int, str]:
        """Snippets (matches in «») for some search results: the rows a list shows."""
        return self.index.snippets(highlight, ids)

    def search_ids(self, query: str) -> list[int]:
        """Every matching article id, best first (the window lists them all)."""
        return self.index.search_ids(query)

    def reindex(self, progress: ProgressCallback = no_progress) -> int:
        """Rebuild the search index from the database; return the number of documents."""
        return self.index.rebuild(self.storage, progress=progress)

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
    ) -> int:
        """Run NER over articles not yet processed (all of them with `rebuild`); return count.

        Resumable: each batch of articles is committed with its mentions and status, so a
        cancelled or interrupted run continues where it stopped. The search index gets each
        article's entity names (fields person/org/place/entity). `n_process=None` uses the
        measured default (one process; see `pipeline.DEFAULT_PROCESSES`).
        Raises `newsreader.core.entities.ModelMissingError` when spaCy or the model is absent.
        """
        return pipeline.run(
            self.storage,
            progress=progress,
            cancel=cancel,
            rebuild=rebuild,
            n_process=n_process,
            index_update=self._index_entities,
        )

    def _index_entities(
        self, articles: Sequence[Article], names: Mapping[int, Mapping[str, Sequence[str]]]
    ) -> None:
        """Re-add articles to the search index with their entity names."""
        self.index.update_entities(articles, names)

    def entities_pending(self) -> int:
        """How many articles still await entity recognition (all of them if no model)."""
        try:
            model: str | None = recognizer.model_id()
        except recognizer.ModelMissingError:
            model = None
        return store.pending_count(self.storage.db, model)
