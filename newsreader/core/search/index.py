"""The Whoosh full-text index of one library: derived from SQLite, always rebuildable.

Threads: the window searches on a worker thread while an import writes on another. Searches
share one long-lived searcher (opening one per query costs far more than the query), refreshed
when the index has changed and guarded by a lock because Whoosh searchers are not meant to be
shared between threads. Writes go through one writing session at a time; a delete or a nested
`writer()` that arrives while an import holds the session joins it rather than waiting for
the whole import to finish (it becomes visible when the import commits).

The library writes here only through its indexer (`newsreader.core.indexer`), which drains the
database's index outbox into `apply` in the ``index`` lane (`newsreader.core.lane`), so one
process at a time holds Whoosh's write lock and a second never sees `IndexBusyError`.
"""

from __future__ import annotations

import gc
import json
import logging
import shutil
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from newsreader.core.entities.store import search_names, with_search_names
from newsreader.core.models import Article, Highlight, SearchHit, SearchResults
from newsreader.core.progress import (
    Cancelled,
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    no_progress,
)
from newsreader.core.search import fastwrite, merging, procwriter, snippets, whoosh_fixes
from newsreader.core.search.fastscore import (
    CACHE_BYTES,
    UNDATED,
    EntityJoin,
    FastScorer,
    JoinedBM25F,
    Matches,
    OutOfTime,
    ScoredCache,
    Unsupported,
)
from newsreader.core.search.querying import (
    ReadQuery,
    expand_terms,
    expansion_notice,
    highlight_of,
    read_bounded,
    read_words,
    suggest,
)
from newsreader.core.search.schema import (
    ENTITY_FIELDS,
    ENTITY_INDEX,
    SCHEMA_VERSION,
    build_schema,
    codec,
    decompress,
    document,
    entity_codec,
    entity_document,
    entity_schema,
    text_document,
    text_schema,
)
from newsreader.core.search.spelling import VOCABULARY_FILE, Vocabulary, words_of
from newsreader.core.storage import Storage

log = logging.getLogger(__name__)
whoosh_fixes.apply()
fastwrite.install()  # a measured hot spot of Whoosh's segment writing; see that module

#: Written into the index folder beside Whoosh's files; says which schema built the index.
VERSION_FILE = "newsreader-index.json"
_PROGRESS_EVERY = 250
_CHUNK = 500


#: How a search's results may be ordered.
SORTS: tuple[str, ...] = ("relevance", "date")
#: Seconds the matching and scoring of one search may take before it is stopped (and, for
#: Whoosh's own collector, what it found so far is shown), with `TIMED_OUT_NOTICE`.
SEARCH_BUDGET = 0.5
TIMED_OUT_NOTICE = "This search took too long and was stopped; not every match is listed."


class SearchCancelled(Exception):
    """A search was given up because a newer one replaced it (see `search_all`)."""


class IndexBusyError(Exception):
    """Another process (a second window, the command line) is writing to the search index."""


@dataclass(frozen=True, slots=True)
class WriterSettings:
    """The knobs of bulk indexing, in one place so that benchmarks can tune them.

    `procs` > 1 uses Whoosh's multiprocessing writer (each process tokenises its share of
    documents); with `multisegment` each process writes its own segment and the commit skips
    the final merge, trading slightly slower searches until the next merge for a faster commit.
    `limitmb` is the memory per process for sorting postings before spilling to disk. `merge`
    lets a commit fold small segments together (keeps searches fast after many small imports).
    `lock_timeout` is how long to wait for another process (a second window, the command line)
    that is writing to the same index.
    """

    procs: int = 1
    limitmb: int = 128
    multisegment: bool = False
    merge: bool = True
    lock_timeout: float = 30.0

    def writer_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "limitmb": self.limitmb,
            "timeout": self.lock_timeout,
            "delay": 0.1,
            # Larger posting blocks (schema.POSTING_BLOCK), read whole by the scorer.
            "codec": codec(),
        }
        if self.procs > 1:
            kwargs.update(procs=self.procs, multisegment=self.multisegment)
        return kwargs


class SearchIndex:
    """The search index in `directory` (a folder inside the library folder).

    The folder holds Whoosh's files, `newsreader-index.json` (the schema version that built
    them) and `vocabulary.json` (the words "did you mean" suggests from). Construction is
    cheap: nothing is opened until first use. To tune bulk indexing for every index (a
    benchmark, say), set `SearchIndex.default_settings`; one index takes `settings=`.
    """

    #: Defaults for every index; an instance can be given its own.
    default_settings = WriterSettings()

    class Writer:
        """Adds and deletes documents within one writing session (see `SearchIndex.writer`).

        Thread-safe: a window's delete may join an import's session from another thread.
        """

        def __init__(
            self,
            open_writer: Callable[[], Any],
            vocabulary: Vocabulary,
            settings: WriterSettings,
            *,
            replace: bool = True,
        ) -> None:
            self._open = open_writer
            self._writer = open_writer()
            self._vocabulary = vocabulary
            self._settings = settings
            self._lock = threading.Lock()
            # A rebuild writes into an empty index, so it can skip looking for an older copy
            # of each document to replace.
            self._replace = replace
            #: Ids added since the last commit: Whoosh can only replace committed documents.
            self._uncommitted: set[int] = set()
            self._changed = False
            self.added = 0
            self.deleted = 0
            #: Whether documents leave out the entity fields (kept in the entity index);
            #: names given to `add` then wait here and are written after the commit.
            self.entities_apart = False
            self.names: dict[int, Mapping[str, Sequence[str]]] = {}
            #: Polled by a multi-process writer while it waits on its processes.
            self._interrupted: Callable[[], bool] | None = None

        def stop_when(self, interrupted: Callable[[], bool]) -> None:
            """Let a multi-process writer give up (`Cancelled`) once `interrupted()` is
            true, also while it commits (`procwriter.ProcessWriter.interrupted`)."""
            with self._lock:
                self._interrupted = interrupted
                self._watch()

        def _watch(self) -> None:
            if self._interrupted is not None and isinstance(self._writer, procwriter.ProcessWriter):
                self._writer.interrupted = self._interrupted

        def discard(self) -> None:
            """Give up what this session added and deleted (a cancelled drain: its outbox
            rows stay, so the next drain applies them); the session then commits nothing."""
            with self._lock:
                if not self._writer.is_closed:
                    self._writer.cancel()
                self._forget()

        def _forget(self) -> None:
            """Drop what was not committed, the words counted for it included."""
            self._vocabulary.reload()
            self._uncommitted.clear()
            self._changed = False

        def add(
            self, article: Article, entities: Mapping[str, Sequence[str]] | None = None
        ) -> None:
            """Index a stored article (replacing any older copy with the same id).

            `entities` maps an entity type to the names found in the article; see
            `schema.document`.
            """
            doc = text_document(article) if self.entities_apart else document(article, entities)
            words = words_of(article.title, article.kicker, article.body)
            article_id: int = doc["id"]
            with self._lock:
                if self.entities_apart and entities is not None:
                    self.names[article_id] = entities
                if self._replace:
                    self._delete(article_id)
                self._writer.add_document(**doc)
                self._uncommitted.add(article_id)
                self._vocabulary.add(words)
                self._changed = True
                self.added += 1

        def delete(self, ids: Iterable[int]) -> None:
            with self._lock:
                for article_id in ids:
                    self._delete(article_id)

        def _delete(self, article_id: int) -> None:
            """Delete a document and take its words out of the vocabulary."""
            if article_id in self._uncommitted:
                # Added in this session (an article re-indexed with its entities during the
                # import that added it, say): commit so that it can be replaced.
                self._commit()
                self._writer = self._open()
                self._watch()
            stored = self._writer.searcher().document(id=article_id)
            if stored is not None and self._writer.delete_by_term("id", article_id):
                self._vocabulary.remove(
                    words_of(
                        stored.get("title", ""),
                        stored.get("kicker", ""),
                        decompress(stored.get("body_z")),
                    )
                )
                self._changed = True
                self.deleted += 1

        def commit(self) -> None:
            """Write what was added and deleted (or release the lock if nothing was)."""
            with self._lock:
                self._commit()

        def cancel(self) -> None:
            with self._lock:
                self._writer.cancel()

        def _commit(self) -> None:
            if self._writer.is_closed:  # discarded, or a multi-process writer that failed
                self._forget()
                return
            try:
                self._commit_open()
            except BaseException:
                self._forget()  # nothing was committed: the words counted for it go too
                raise

        def _commit_open(self) -> None:
            settings = self._settings
            if self._changed:
                # A multisegment commit leaves each process's segment unmerged, by design.
                merge = settings.merge and not (settings.procs > 1 and settings.multisegment)
                if merge:
                    # Only small segments, never minutes of merging (`merging`).
                    folded: list[int] = []
                    started = time.monotonic()
                    self._writer.commit(mergetype=merging.commit_mergetype(chosen=folded))
                    if folded:
                        log.info(
                            "commit folded %d segments (%d documents) in %.1f s",
                            len(folded),
                            sum(folded),
                            time.monotonic() - started,
                        )
                else:
                    self._writer.commit(merge=False)
                self._vocabulary.save()
            else:
                self._writer.cancel()
            self._uncommitted.clear()
            self._changed = False

    def __init__(
        self,
        directory: Path,
        *,
        settings: WriterSettings | None = None,
        entities_apart: bool = True,
    ) -> None:
        self.directory = Path(directory)
        self.settings = settings or self.default_settings
        #: What queries are read with: every field a user may name, entity fields included.
        self._schema = build_schema()
        #: Entity fields in an index of their own (`schema.ENTITY_INDEX`), so that a change
        #: of names re-writes only names. False keeps them in the text documents, as before
        #: schema 5: the reference that `tests/test_entity_index.py` compares against.
        self.entities_apart = entities_apart
        self._text_schema = text_schema() if entities_apart else self._schema
        self._entity_schema = entity_schema()
        self._eix: Any = None
        #: The entity index's searcher and the text searcher whose document count it scores
        #: with (`fastscore.JoinedBM25F`).
        self._esearcher: Searcher | None = None
        self._esearcher_for: Searcher | None = None
        self._fast_entities: Searcher | None = None
        self._entity_lock = threading.Lock()
        self._vocabulary = Vocabulary(self.directory / VOCABULARY_FILE)
        self._ix: Any = None
        self._searcher: Searcher | None = None
        #: The vectorised scorer and the searcher it was made for (see `_scorer`).
        self._fast: FastScorer | None = None
        self._fast_for: Searcher | None = None
        self._search_lock = threading.RLock()
        self._session_lock = threading.RLock()
        #: Notified when the last user leaves the writing session (a rebuild waits for it).
        self._session_idle = threading.Condition(self._session_lock)
        self._session: SearchIndex.Writer | None = None
        #: Thread id → how many `writer()` blocks that thread has open in the session.
        self._session_threads: dict[int, int] = {}

    # -- opening -------------------------------------------------------------------------------

    def _exists(self) -> bool:
        return self.directory.is_dir() and whoosh_index.exists_in(str(self.directory))

    def _schema_version(self) -> int | None:
        try:
            data = json.loads((self.directory / VERSION_FILE).read_text(encoding="utf-8"))
            return int(data["schema_version"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _index(self) -> Any:
        """The open Whoosh index; an empty one is created if there is none yet."""
        with self._search_lock:
            if self._ix is None:
                if not self._exists():
                    self._create_empty(self.directory)
                self._ix = _storage(self.directory).open_index(schema=self._text_schema)
            return self._ix

    def _entity_index(self) -> Any:
        """The open entity index (`schema.ENTITY_INDEX`), created with the text index."""
        with self._search_lock:
            if self._eix is None:
                self._index()
                self._eix = _storage(self.directory).open_index(
                    ENTITY_INDEX, schema=self._entity_schema
                )
            return self._eix

    def _create_empty(self, folder: Path) -> Any:
        folder.mkdir(parents=True, exist_ok=True)
        if self.entities_apart:
            whoosh_index.create_in(str(folder), self._entity_schema, indexname=ENTITY_INDEX).close()
        ix = whoosh_index.create_in(str(folder), self._text_schema)
        (folder / VERSION_FILE).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8"
        )
        return ix

    def _current_searcher(self) -> Searcher:
        """The shared searcher, refreshed if the index changed (by us or another process).

        Call with `_search_lock` held.
        """
        searcher = self._searcher
        if searcher is not None and not searcher.up_to_date():
            # Not `Searcher.refresh()`: it reuses the readers of segments whose files did not
            # change, and so keeps seeing documents that a later commit deleted.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._searcher = self._index().searcher()
        return searcher

    def _entity_searcher(self, text: Searcher) -> Searcher:
        """The entity index's searcher, scoring as one index with `text` would (refreshed
        when either changed). Call with `_search_lock` held."""
        searcher = self._esearcher
        if searcher is not None and (self._esearcher_for is not text or not searcher.up_to_date()):
            searcher.close()
            searcher = None
        if searcher is None:
            weighting = JoinedBM25F(int(text.doc_count_all()))
            searcher = self._esearcher = self._entity_index().searcher(weighting=weighting)
            self._esearcher_for = text
        return searcher

    def _close_handles(self) -> None:
        with self._search_lock:
            if self._esearcher is not None:
                self._esearcher.close()
                self._esearcher = self._esearcher_for = None
            if self._eix is not None:
                self._eix.close()
                self._eix = None
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def close(self) -> None:
        """Release open files. Safe to call more than once; the index reopens on next use."""
        self._close_handles()

    # -- keeping in step with the database -----------------------------------------------------

    def ensure(self, storage: Storage, *, progress: ProgressCallback = no_progress) -> str | None:
        """Bring the index in line with the database; say what was done, or None if nothing.

        Cheap when healthy: the article counts and the newest id are compared, and the full
        id sets only when those disagree. A missing, unreadable or outdated index is rebuilt
        from scratch. Since the index outbox (`newsreader.core.indexer`) this comparison runs
        once, for a library from before the outbox; day to day the outbox says what is stale.
        """
        return self.check(storage, progress=progress)[0]

    def check(
        self, storage: Storage, *, progress: ProgressCallback = no_progress
    ) -> tuple[str | None, bool]:
        """`ensure`, also saying whether the index was rebuilt from scratch."""
        with self._session_lock:
            reason = self._unusable_reason()
            if reason is not None:
                count = self.rebuild(storage, progress=progress)
                if reason == "missing" and count == 0:
                    return None, True  # a new library: nothing was lost, so nothing to tell
                return f"search index was {reason}; rebuilt ({_articles(count)})", True
            notice = self._compare(storage, progress)
            return notice, bool(notice and "rebuilt" in notice)

    def unusable_reason(self) -> str | None:
        """Why the index must be rebuilt before use ("missing", "damaged", ...), or None."""
        with self._session_lock:
            return self._unusable_reason()

    def _compare(self, storage: Storage, progress: ProgressCallback) -> str | None:
        """Compare counts and ids with the database; catch up or rebuild when they differ."""
        with self._session_lock:
            with self._search_lock:
                searcher = self._current_searcher()
                newest = storage.max_id()
                if searcher.doc_count() == storage.count() and (
                    newest == 0 or searcher.document_number(id=newest) is not None
                ):
                    if searcher.doc_count() and not self._vocabulary.exists():
                        return self._rebuild_vocabulary(storage)
                    return None
            return self._catch_up(storage, progress)

    def _rebuild_vocabulary(self, storage: Storage) -> str:
        """Recount the spelling vocabulary (lost, say, in a crash right after a commit)."""
        self._vocabulary.clear()
        for article in storage.iter_articles():
            self._vocabulary.add(words_of(article.title, article.kicker, article.body))
        self._vocabulary.save()
        return "spelling suggestions were missing; rebuilt them"

    def _unusable_reason(self) -> str | None:
        """Why the index must be rebuilt ("missing", "damaged", ...), or None if it opens."""
        with warnings.catch_warnings():
            # Whoosh leaks the open file of a table of contents it cannot parse. Collect it
            # here, where its ResourceWarning is expected, rather than at some random later
            # moment (where the test suite's warnings-as-errors would trip over it).
            warnings.simplefilter("ignore", ResourceWarning)
            reason = self._probe()
            if reason == "damaged":
                gc.collect()
        return reason

    def _probe(self) -> str | None:
        try:
            if not self._exists():
                return "missing"
            if self._schema_version() != SCHEMA_VERSION:
                return "from another version of Newsreader"
            if self.entities_apart and not whoosh_index.exists_in(
                str(self.directory), indexname=ENTITY_INDEX
            ):
                return "damaged"
            with self._search_lock:
                searcher = self._current_searcher()
                searcher.doc_count()
                if self.entities_apart:
                    self._entity_searcher(searcher).doc_count()
        except Exception as exc:  # whatever fails to open is damaged
            # A string, not the exception: a log record keeping the traceback alive would
            # keep Whoosh's leaked file open too.
            log.warning("search index cannot be opened, rebuilding: %s", repr(exc))
            self._close_handles()
            return "damaged"
        return None

    def _indexed_ids(self) -> set[int]:
        with self._search_lock:
            searcher = self._current_searcher()
            ids = searcher.reader().column_reader("id")
            return {int(ids[docnum]) for docnum in searcher.reader().all_doc_ids()}

    def _catch_up(self, storage: Storage, progress: ProgressCallback) -> str:
        """Index what the database has and the index lacks; drop what it no longer has."""
        in_db = set(storage.ids(sort="imported"))
        in_index = self._indexed_ids()
        missing = sorted(in_db - in_index)
        extra = sorted(in_index - in_db)
        # No difference in ids but in counts means duplicate documents: only a rebuild helps.
        duplicates = not missing and not extra
        if duplicates or len(missing) + len(extra) > max(1000, len(in_db) // 2):
            count = self.rebuild(storage, progress=progress)
            return f"search index was out of date; rebuilt ({_articles(count)})"
        with self.writer() as writer:
            writer.delete(extra)
            for start in range(0, len(missing), _CHUNK):
                chunk = storage.get_many(missing[start : start + _CHUNK])
                for article, names in with_search_names(storage.db, chunk):
                    writer.add(article, names)
                done = min(start + _CHUNK, len(missing))
                progress(ProgressEvent("index", done, len(missing), "catching up"))
        self._put_entities(extra, {})  # the names of `missing` came with `add`
        parts = []
        if missing:
            parts.append(f"indexed {_articles(len(missing))} it lacked")
        if extra:
            parts.append(f"removed {_articles(len(extra))} no longer in the library")
        return "search index was out of date; " + " and ".join(parts)

    def rebuild(self, storage: Storage, *, progress: ProgressCallback = no_progress) -> int:
        """Rebuild from the database; return the number of documents.

        The new index is built in a sibling folder and swapped in only when complete, so a
        failed or interrupted rebuild leaves the old index (if any) in place.
        """
        with self._session_lock:
            if threading.get_ident() in self._session_threads:
                raise RuntimeError("the search index cannot be rebuilt inside a writer() block")
            # An import writing on another thread finishes first: swapping the folder from
            # under its writer would lose what it adds.
            while self._session is not None:
                self._session_idle.wait()
            building = self.directory.with_name(self.directory.name + ".building")
            _remove(building)
            ix = self._create_empty(building)
            total = storage.count()
            progress(ProgressEvent("index", 0, total, "rebuilding the search index"))
            vocabulary = Vocabulary(building / VOCABULARY_FILE)
            vocabulary.clear()  # saved even when empty: its absence means "lost"
            writer = SearchIndex.Writer(
                lambda: self._open_writer(ix),
                vocabulary,
                self.settings,
                replace=False,
            )
            writer.entities_apart = self.entities_apart
            names_writer = self._entity_writer(building) if self.entities_apart else None
            try:
                for article, names in with_search_names(storage.db, storage.iter_articles()):
                    if names_writer is not None:
                        writer.add(article)
                        _add_entities(names_writer, article.id or 0, names)
                    else:
                        writer.add(article, names)
                    if writer.added % _PROGRESS_EVERY == 0:
                        progress(ProgressEvent("index", writer.added, total))
                progress(ProgressEvent("index", writer.added, total, "committing"))
                if names_writer is not None:
                    names_writer.commit()
                    names_writer = None
                writer.commit()
            except BaseException:
                if names_writer is not None:
                    names_writer.cancel()
                writer.cancel()
                ix.close()
                _remove(building)
                raise
            count: int = ix.doc_count()
            ix.close()
            self._swap_in(building)
            progress(ProgressEvent("index", count, total, "search index rebuilt"))
            return count

    def _swap_in(self, building: Path) -> None:
        old = self.directory.with_name(self.directory.name + ".old")
        with self._search_lock:
            self._close_handles()
            _remove(old)
            if self.directory.exists() or self.directory.is_symlink():
                self.directory.rename(old)
            building.rename(self.directory)
            _remove(old)
            self._vocabulary.reload()

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def writer(self, settings: WriterSettings | None = None) -> Iterator[SearchIndex.Writer]:
        """A writing session; commits when the outermost `with` exits.

        It commits on an exception or Ctrl-C as well: whatever was added belongs to articles
        the database has already committed, and the index must match the database. Keep one
        session open for a whole import: each commit costs a segment write and maybe a merge.
        """
        with self._session_lock:
            if self._session is None:
                ix = self._index()
                chosen = settings or self.settings
                self._session = SearchIndex.Writer(
                    lambda: self._open_writer(ix, chosen), self._vocabulary, chosen
                )
                self._session.entities_apart = self.entities_apart
                # Holding Whoosh's write lock now, read the vocabulary afresh: another
                # process may have written it since this one loaded it.
                self._vocabulary.reload()
            session = self._session
            me = threading.get_ident()
            self._session_threads[me] = self._session_threads.get(me, 0) + 1
        try:
            yield session
        finally:
            with self._session_lock:
                self._session_threads[me] -= 1
                if not self._session_threads[me]:
                    del self._session_threads[me]
                if not self._session_threads:
                    self._session = None
                    try:
                        self._commit(session)
                    finally:
                        self._session_idle.notify_all()

    def _open_writer(self, ix: Any, settings: WriterSettings | None = None) -> Any:
        kwargs = (settings or self.settings).writer_kwargs()
        procs = int(kwargs.pop("procs", 1))
        try:
            if procs > 1:  # never Whoosh's own: it forks this process (`procwriter`)
                return procwriter.ProcessWriter(ix, procs=procs, **kwargs)
            return ix.writer(**kwargs)
        except whoosh_index.LockError:
            raise IndexBusyError(
                "the search index is being updated by another Newsreader (a window or a"
                " command); try again when it has finished"
            ) from None

    def _commit(self, session: SearchIndex.Writer) -> None:
        session.commit()
        if session.names:  # names given to `Writer.add`, when entities are kept apart
            self._put_entities(list(session.names), session.names)
            session.names.clear()
        with self._search_lock:
            # Let go of the old segments now rather than at the next search.
            if self._searcher is not None:
                self._current_searcher()

    def merge_step(self, interrupted: Callable[[], bool] = lambda: False) -> list[int]:
        """Merge segments once by the idle policy (`merging.idle_plan`); what it merged.

        The text index first; when it has nothing worth merging, the entity index, whose
        commits (one every few seconds while recognition runs) fold only small segments too.
        Returns the document counts of the segments merged ([] when there is nothing worth
        merging). Raises `merging.MergeInterrupted` when `interrupted()` turned true
        meanwhile: then the index is as it was, since Whoosh writes the new table of
        contents only at the end. Call it when nothing waits to be indexed; the indexer
        does, in the ``index`` lane (`Indexer.tidy`).
        """
        with self._session_lock:
            if self._session is not None:
                return []  # an import is writing: not idle
            ix = self._index()
            chosen = self._merge_once(ix, lambda: self._open_writer(ix), interrupted, "text")
        if not chosen and self.entities_apart:
            with self._entity_lock:
                entities = self._entity_index()
                chosen = self._merge_once(entities, self._entity_writer, interrupted, "entity")
        if chosen:
            with self._search_lock:
                if self._searcher is not None:
                    self._current_searcher()  # let go of the merged segments' files
        return chosen

    @staticmethod
    def _merge_once(
        ix: Any, open_writer: Callable[[], Any], interrupted: Callable[[], bool], what: str
    ) -> list[int]:
        """One idle merge step of `ix` (see `merge_step`)."""
        if not merging.idle_plan([merging.segment_docs(s) for s in ix._segments()]):
            # Not even a writer: it would create (empty) files and a new generation.
            return []
        writer = open_writer()
        chosen: list[int] = []
        started = time.monotonic()
        try:
            writer.commit(mergetype=merging.idle_mergetype(interrupted, chosen=chosen))
        except merging.MergeInterrupted:
            writer.cancel()
            log.info("idle %s merge gave way after %.1f s", what, time.monotonic() - started)
            raise
        except BaseException:
            writer.cancel()
            raise
        log.info(
            "idle %s merge of %d segments (%d documents) in %.1f s",
            what,
            len(chosen),
            sum(chosen),
            time.monotonic() - started,
        )
        return chosen

    def segment_sizes(self) -> list[int]:
        """The documents (deleted ones included) of each segment of the index."""
        with self._search_lock:
            ix = self._index()
            return [merging.segment_docs(s) for s in ix._segments()]

    def entity_segment_sizes(self) -> list[int]:
        """The documents (deleted ones included) of each segment of the entity index."""
        with self._entity_lock:
            ix = self._entity_index()
            return [merging.segment_docs(s) for s in ix._segments()]

    def apply(
        self,
        storage: Storage,
        ids: Sequence[int],
        *,
        settings: WriterSettings | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Make the documents of `ids` what the database holds now, in one commit.

        An article the database has is (re-)indexed with its entity names; one it no longer
        has is removed. Idempotent: the outcome depends only on the database, not on how often
        or in which order this runs (the indexer relies on it). Returns how many were indexed.
        A `cancel` raises `Cancelled` within a document (or, with worker processes, within
        `procwriter.POLL_S` of their commit), having committed none of it.
        """
        if not self.entities_apart:
            articles = storage.get_many(ids)
            present = {a.id for a in articles}
            with self.writer(settings) as writer:
                _stop_on(writer, cancel)
                writer.delete([i for i in ids if i not in present])
                for article, names in with_search_names(storage.db, articles):
                    _check(writer, cancel)
                    writer.add(article, names)
            return len(articles)
        # Recognition changes only names: its articles' text documents stay as they are.
        names_only = _names_only(storage, ids)
        text_ids = [i for i in ids if i not in names_only]
        articles = storage.get_many(text_ids)
        present = {a.id for a in articles}
        if text_ids:
            with self.writer(settings) as writer:
                _stop_on(writer, cancel)
                writer.delete([i for i in text_ids if i not in present])
                for article in articles:
                    _check(writer, cancel)
                    writer.add(article)
        self._write_entities(storage, ids)
        return len(articles) + len(names_only)

    def update_entities(
        self,
        articles: Iterable[Article],
        names: Mapping[int, Mapping[str, Sequence[str]]],
    ) -> None:
        """Re-index articles with the entity names recognition found (type → names), so
        `person:`, `org:`, `place:` and `entity:` find them; joins a running session.

        With entities apart, only the articles' entity documents are written."""
        if not self.entities_apart:
            with self.writer() as writer:
                for article in articles:
                    writer.add(article, names.get(article.id or 0, {}))
            return
        ids = [a.id for a in articles if a.id is not None]
        self._put_entities(ids, names)

    def delete(self, ids: Sequence[int]) -> None:
        """Remove articles from the index (joining a running import's session if there is one)."""
        if not ids:
            return
        with self.writer() as writer:
            writer.delete(ids)
        self._put_entities(ids, {})

    # -- the entity index ------------------------------------------------------------------------

    def _entity_writer(self, folder: Path | None = None) -> Any:
        """A writer of the entity index (in `folder`, for a rebuild; else the live one)."""
        if folder is None:
            ix = self._entity_index()
        else:
            ix = _storage(folder).open_index(ENTITY_INDEX, schema=self._entity_schema)
        try:
            return ix.writer(timeout=self.settings.lock_timeout, delay=0.1, codec=entity_codec())
        except whoosh_index.LockError:
            raise IndexBusyError(
                "the search index is being updated by another Newsreader (a window or a"
                " command); try again when it has finished"
            ) from None

    def _write_entities(self, storage: Storage, ids: Sequence[int]) -> None:
        """Make the entity documents of `ids` what the database holds now, in one commit."""
        if not self.entities_apart or not ids:
            return
        ids = list(dict.fromkeys(ids))
        present = _present(storage, ids)
        self._put_entities(ids, search_names(storage.db, [i for i in ids if i in present]))

    def _put_entities(
        self, ids: Sequence[int], names: Mapping[int, Mapping[str, Sequence[str]]]
    ) -> None:
        """Replace the entity documents of `ids` with `names` (none: no document).

        Ids without names and without a document need nothing (an import's new articles,
        before recognition): a batch of only those opens no writer and commits nothing.
        """
        if not self.entities_apart or not ids:
            return
        with self._entity_lock:
            ix = self._entity_index()
            with ix.searcher() as searcher:
                existing = {i for i in ids if searcher.document_number(id=i) is not None}
            work = [i for i in dict.fromkeys(ids) if names.get(i) or i in existing]
            if not work:
                return
            writer = self._entity_writer()
            try:
                for article_id in work:
                    if article_id in existing:
                        writer.delete_by_term("id", article_id)
                    _add_entities(writer, article_id, names.get(article_id))
            except BaseException:
                writer.cancel()
                raise
            # Only small segments, never minutes of merging; the rest when idle (`merging`).
            writer.commit(mergetype=merging.commit_mergetype())

    # -- reading -------------------------------------------------------------------------------

    def doc_count(self) -> int:
        with self._search_lock:
            return int(self._current_searcher().doc_count())

    def search(
        self, query: str, *, limit: int | None = 20, sort: str = "relevance"
    ) -> SearchResults:
        """Ranked hits for a query, the full match count, and how the query was read.

        Never raises for a malformed query (it is searched as plain words, with `notice` set)
        nor for an unreadable index (no hits, with a notice saying how to repair it).
        `sort` is "relevance" (best first) or "date" (newest first, undated last).
        """
        return self.search_all(query, limit=limit, sort=sort, with_ids=False)

    def search_all(
        self,
        query: str,
        *,
        limit: int | None = 20,
        sort: str = "relevance",
        with_ids: bool = True,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResults:
        """One pass for a window: the total, the first `limit` hits with snippets, and the
        ids of every match in order (`SearchResults.ids`), scored once.

        `cancelled` is asked between the steps; when it says yes, `SearchCancelled` is
        raised rather than finishing a search nobody wants any more (a stale keystroke).
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        read = read_bounded(self._schema, query)
        if read.query is None:
            return SearchResults(read.text, 0, (), notice=read.notice, terms=read.terms, sort=sort)
        try:
            with self._search_lock:
                return self._search(read, limit, sort, with_ids, cancelled)
        except SearchCancelled:
            raise
        except Exception as exc:  # neither a query nor a damaged index may crash a search
            _log_and_forget(exc, f"search failed for {query!r}")
        # Whoosh tripped over the query as parsed: its plain words are the next best thing.
        words = read_words(self._schema, read.text)
        if read.notice is None and words.query is not None:
            try:
                with self._search_lock:
                    return self._search(words, limit, sort, with_ids, cancelled)
            except SearchCancelled:
                raise
            except Exception as exc:
                _log_and_forget(exc, f"search failed for the words of {query!r}")
        return SearchResults(
            read.text,
            0,
            (),
            notice="The search index could not be read; rebuild it with `newsreader reindex`.",
            terms=read.terms,
            sort=sort,
        )

    def _scorer(self, searcher: Searcher) -> FastScorer | None:
        """The vectorised scorer for the current searcher (None if it cannot read it), with
        the entity index joined (`fastscore.EntityJoin`) when entities are kept apart."""
        entities = self._entity_searcher(searcher) if self.entities_apart else None
        if self._fast_for is not searcher:
            self._fast_for = searcher
            self._fast_entities = None
            try:
                self._fast = FastScorer(searcher)
            except Unsupported as exc:
                log.info("search falls back to Whoosh's collector: %s", exc)
                self._fast = None
        fast = self._fast
        if fast is not None and entities is not None and self._fast_entities is not entities:
            # Names changed (recognition) while the text did not: only the join is new.
            self._fast_entities = entities
            cache = ScoredCache(CACHE_BYTES // 4)
            fast.entities = EntityJoin(entities, fast, cache)
        return fast

    def _ranked(
        self,
        searcher: Searcher,
        q: Any,
        sort: str,
        deadline: float,
        cancelled: Callable[[], bool] | None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], bool]:
        """Every match (document numbers) in display order, their scores, and whether the
        search ran out of time (so the list is incomplete)."""
        scorer = self._scorer(searcher)
        timed_out = False
        joined = self.entities_apart and _names_query(q)
        try:
            if scorer is None:
                if joined:
                    raise RuntimeError("the entity fields need the vectorised scorer")
                raise Unsupported("no vectorised scorer")
            try:
                matches = scorer.search(
                    q, deadline=deadline, cancelled=cancelled, leaf_fallback=joined
                )
            except OutOfTime:
                if cancelled is not None and cancelled():
                    raise SearchCancelled from None
                matches = Matches(np.empty(0, np.int64), np.empty(0, np.float64))
                timed_out = True
            docs, scores = matches.docs, matches.scores
        except Unsupported:
            if joined:  # Whoosh's collector sees only the text index
                raise RuntimeError(f"cannot join the entity index for {q!r}") from None
            # Exhaustive (no pruning, exact totals: see bench/README.md), but time-boxed.
            collector = collectors.TimeLimitCollector(
                collectors.UnlimitedCollector(),
                timelimit=max(0.05, deadline - time.monotonic()),
                use_alarm=False,
            )
            try:
                searcher.search_with_collector(q, collector)
            except collectors.TimeLimit:
                timed_out = True
            top = collector.results().top_n
            docs = np.fromiter((d for _, d in top), dtype=np.int64, count=len(top))
            scores = np.fromiter((s for s, _ in top), dtype=np.float64, count=len(top))
        if sort == "date":
            published = self._column(searcher, scorer, "published")[docs]
            undated = published == UNDATED
            newest = np.where(undated, np.iinfo(np.int64).min + 1, published)
            order = np.lexsort((docs, -scores, -newest))
        else:
            order = np.lexsort((docs, -scores))
        return docs[order], scores[order], timed_out

    @staticmethod
    def _column(searcher: Searcher, scorer: FastScorer | None, name: str) -> npt.NDArray[np.int64]:
        if scorer is not None:
            return scorer.column(name)
        if not searcher.doc_count_all():  # nothing indexed yet (a big import's drain begins)
            return np.empty(0, dtype=np.int64)
        # Not a segment the scorer reads (never the case with our codec): value by value.
        values = (
            datetime_to_long(v) if isinstance(v, datetime) else UNDATED if v is None else int(v)
            for v in searcher.reader().column_reader(name)
        )
        return np.fromiter(values, dtype=np.int64)

    def _search(
        self,
        read: ReadQuery,
        limit: int | None,
        sort: str,
        with_ids: bool,
        cancelled: Callable[[], bool] | None,
    ) -> SearchResults:
        deadline = time.monotonic() + SEARCH_BUDGET
        searcher = self._current_searcher()
        reader = searcher.reader()
        names = self._entity_searcher(searcher).reader() if self.entities_apart else None
        query, capped = expand_terms(read.query, reader, entity_reader=names)
        notices = [n for n in (read.notice,) if n]
        if capped:
            notices.append(expansion_notice(capped))
        if cancelled is not None and cancelled():
            raise SearchCancelled
        docs, scores, timed_out = self._ranked(searcher, query, sort, deadline, cancelled)
        if timed_out:
            notices.append(TIMED_OUT_NOTICE)
        if cancelled is not None and cancelled():
            raise SearchCancelled
        shown = len(docs) if limit is None else max(0, limit)
        highlight = highlight_of(query, reader)
        make_snippet = snippets.for_part(highlight, "body")
        hits = []
        for docnum, score in zip(docs[:shown].tolist(), scores[:shown].tolist(), strict=True):
            stored = searcher.stored_fields(docnum)
            hits.append(
                SearchHit(
                    article_id=int(stored["id"]),
                    score=float(score),
                    title=stored.get("title", ""),
                    snippet=make_snippet(decompress(stored.get("body_z"))),
                    source=stored.get("source", ""),
                    published=stored.get("published"),
                )
            )
        ids: tuple[int, ...] = ()
        if with_ids:
            ids = tuple(self._column(searcher, self._scorer(searcher), "id")[docs].tolist())
        return SearchResults(
            read.text,
            len(docs),
            tuple(hits),
            suggestion=suggest(self._vocabulary, read),
            notice=" ".join(notices) or None,
            terms=read.terms,
            ids=ids,
            highlight=highlight,
            sort=sort,
        )

    def snippets(self, highlight: Highlight | None, ids: Sequence[int]) -> dict[int, str]:
        """Snippets for some results (the rows a list shows), marked as `highlight` says.

        For a list that builds snippets lazily, row by row, instead of for every hit.
        """
        found: dict[int, str] = {}
        if not ids:
            return found
        make_snippet = snippets.for_part(highlight or Highlight(), "body")
        try:
            with self._search_lock:
                searcher = self._current_searcher()
                for article_id in ids:
                    stored = searcher.document(id=article_id)
                    if stored is not None:
                        found[article_id] = make_snippet(decompress(stored.get("body_z")))
        except Exception as exc:  # a damaged index costs the snippets, not the window
            _log_and_forget(exc, "snippets failed")
        return found

    def search_ids(self, query: str, *, sort: str = "relevance") -> list[int]:
        """Every matching article id, best first (for a list that shows all results)."""
        return list(self.search_all(query, limit=0, sort=sort).ids)


def _stop_on(writer: SearchIndex.Writer, cancel: CancelToken | None) -> None:
    if cancel is not None:
        writer.stop_when(lambda: cancel.cancelled)


def _check(writer: SearchIndex.Writer, cancel: CancelToken | None) -> None:
    """Give up the session's work if `cancel` was cancelled (see `SearchIndex.apply`)."""
    if cancel is not None and cancel.cancelled:
        writer.discard()
        raise Cancelled()


def _log_and_forget(exc: BaseException, what: str) -> None:
    """Log a failure with its traceback as text, then let go of the traceback, quietly.

    Whoosh leaves files open when it fails part-way through reading a damaged index; they are
    closed when the traceback that holds them goes. Dropping it here, where the ResourceWarning
    is expected, keeps it from surfacing at some unrelated later moment (or failing a test run
    that turns warnings into errors, as ours does).
    """
    log.warning("%s:\n%s", what, "".join(traceback.format_exception(exc)).rstrip())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        exc.__traceback__ = None
        gc.collect()


def _add_entities(writer: Any, article_id: int, names: Mapping[str, Sequence[str]] | None) -> None:
    """Add an article's entity document, if it has any names."""
    doc = entity_document(article_id, names)
    if len(doc) > 1:
        writer.add_document(**doc)


def _names_query(q: Any) -> bool:
    """Whether a query has a part on an entity field (answered by the entity index)."""
    leaves = [q] if q.is_leaf() else q.leaves()
    return any(getattr(leaf, "fieldname", None) in ENTITY_FIELDS for leaf in leaves)


def _names_only(storage: Storage, ids: Sequence[int]) -> set[int]:
    """Those of `ids` whose every pending outbox row is a change of names ('entities'):
    their text documents are as the database has them, so only names need writing. An id
    without any row (a caller outside the indexer) counts as changed all over."""
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = storage.db.execute(
            f"SELECT article_id FROM index_outbox WHERE article_id IN ({marks})"
            " GROUP BY article_id HAVING max(change <> 'entities') = 0",
            chunk,
        )
        found.update(int(row[0]) for row in rows)
    return found


def _present(storage: Storage, ids: Sequence[int]) -> set[int]:
    """Those of `ids` the database has."""
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = storage.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
        found.update(int(row[0]) for row in rows)
    return found


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _storage(directory: Path) -> Any:
    """The index folder as Whoosh storage, read through file handles rather than mmap.

    Whoosh reads the parts of a compound segment from an mmap by copying each part into a
    `BytesIO` (`filedb.compound.BufferFile`): at 100k articles that is about a gigabyte of
    memory and half a second when the library opens. Without mmap it reads the same parts
    through seek/read on the file, which the OS page cache keeps as fast (measured: open 0.07 s
    instead of 0.59 s, 33 MB instead of 1 GB resident, the same search times).
    """
    return FileStorage(str(directory), supports_mmap=False)
