"""The indexer: the one follower that brings the Whoosh index in line with SQLite.

SQLite decides every change; each change the index must reflect leaves a row in the
`index_outbox` table in the same transaction (triggers, migration 3). The indexer drains that
table in batches: it reads a batch of rows, makes the documents of their articles what the
database holds *now* (`SearchIndex.apply`), commits the Whoosh writer, and only then deletes
the rows it applied. A kill at any point therefore loses nothing: rows not yet deleted are
applied again on the next drain, and applying one twice is harmless (documents are replaced
by id, and an article the database no longer has is removed).

The outbox is also the test of "stale": an index is up to date exactly when the outbox is
empty. An index that is missing, damaged or built by another schema is rebuilt through the
same lane (and the rows that rebuild covered are dropped); a library from before the outbox
is compared with its index once (`index_verify`, set by the migration).

Only one indexer runs per library at a time (the ``index`` lane, `newsreader.core.lane`);
another process that finds the lane taken need not wait: the outbox is shared, and whoever
holds the lane drains it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from newsreader.core.lane import LaneLock
from newsreader.core.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from newsreader.core.search import SearchIndex, WriterSettings
from newsreader.core.search.merging import MergeInterrupted
from newsreader.core.search.procwriter import SubWriterFailed
from newsreader.core.storage import Storage

#: Articles applied per Whoosh commit. Each commit writes a segment (and may merge), so
#: bigger batches index faster; smaller ones make articles searchable sooner. The first batch
#: of a drain is small so that the first articles of an import are found within a second
#: (not when the outbox holds only changes of names: see `Indexer.drain`).
BATCH = 2000
FIRST_BATCH = 250
log = logging.getLogger(__name__)

#: From this many pending articles on, a drain that may use worker processes does
#: (`WriterSettings.procs`): two processes with `multisegment` index about 1.9x faster
#: (bench/README.md). They come from a fork server, never a fork of the caller
#: (`core/search/procwriter.py`), so the window's multithreaded worker uses them too.
BULK_THRESHOLD = 5000
#: Each worker holds its ~5,000 articles' postings in memory until the commit (about 200 MB;
#: past `limitmb` they spill to run files, which costs twice the CPU: bench/README.md).
BULK_SETTINGS = WriterSettings(procs=2, multisegment=True, merge=False, limitmb=256)
#: Articles per commit in bulk: each multisegment commit leaves one segment per process,
#: so bulk batches are big (100k articles: 20 segments, folded by later merging commits).
BULK_BATCH = 10_000

_VERIFY = "index_verify"
#: Idle merging (`Indexer.tidy`) gives way to recognised names once this many wait, or once
#: they have waited this long (seconds); to anything else in the outbox at once.
TIDY_NAMES_BATCH = BATCH
TIDY_NAMES_WAIT_S = 30.0
_ARTICLES_WAITING = "SELECT EXISTS (SELECT 1 FROM index_outbox WHERE change != 'entities')"
_NAMES_WAITING = "SELECT count(*) FROM (SELECT 1 FROM index_outbox LIMIT ?)"


def pending(storage: Storage) -> int:
    """How many articles have changes the index does not show yet."""
    return int(storage.scalar("SELECT count(DISTINCT article_id) FROM index_outbox"))


@dataclass(slots=True)
class DrainReport:
    """What one drain did."""

    applied: int = 0
    #: What the user should be told (a rebuild, a repair), if anything.
    notices: list[str] = field(default_factory=list)
    #: False when another process held the index lane and `wait=False` was asked.
    ran: bool = True
    #: True when a worker process died and the rest was indexed in one process.
    fell_back: bool = False


@dataclass(slots=True)
class TidyReport:
    """What idle merging (`Indexer.tidy`) did."""

    steps: int = 0
    #: Documents rewritten (deleted ones dropped on the way).
    merged_docs: int = 0
    #: Seconds of the longest step.
    longest_s: float = 0.0
    #: True when it stopped because work arrived (or was cancelled), not because it was done.
    interrupted: bool = False


class Indexer:
    """Drains the index outbox of one library into its search index (module docstring)."""

    def __init__(self, storage: Storage, index: SearchIndex, lane: LaneLock) -> None:
        self.storage = storage
        self.index = index
        self.lane = lane

    def drain(
        self,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
        processes: bool = False,
        until_empty: bool = True,
        batch_size: int | None = None,
    ) -> DrainReport:
        """Apply the outbox until it is empty (or cancelled); see the module docstring.

        `processes` allows Whoosh worker processes for big backlogs (`procwriter`); if one of
        them dies, its batch is applied again and the drain goes on in one process. With
        `until_empty=False` only what was pending when the drain started is
        applied, so a caller is not kept by changes that keep arriving. `batch_size` (default
        `BATCH`) bounds the work of one commit; a cancel gives up the batch it stops (its rows
        stay), within a document, or a fraction of a second in a commit of worker processes.
        """
        report = DrainReport()
        with self.lane.hold(wait=wait, on_wait=on_wait, cancel=cancel) as held:
            if not held:
                report.ran = False
                return report
            self._repair(report, progress)
            total = pending(self.storage)
            last_seq = _last_seq(self.storage) if not until_empty else -1
            # Names alone (a recognition run's rows) need not be searchable within a second:
            # a small first segment would only be merged into the next one, i.e. written twice.
            names_only = not self.storage.scalar(_ARTICLES_WAITING)
            batch = (batch_size or BATCH) if names_only else FIRST_BATCH
            started = time.monotonic()
            while cancel is None or not cancel.cancelled:
                remaining = pending(self.storage)
                bulk = processes and remaining >= BULK_THRESHOLD and batch != FIRST_BATCH
                bulk = bulk and not report.fell_back
                rows = self.storage.db.execute(
                    "SELECT seq, article_id FROM index_outbox"
                    " WHERE ? < 0 OR seq <= ? ORDER BY seq LIMIT ?",
                    (last_seq, last_seq, BULK_BATCH if bulk else batch),
                ).fetchall()
                if not rows:
                    break
                ids = list(dict.fromkeys(int(r[1]) for r in rows))
                total = max(total, report.applied + remaining)
                if bulk:
                    log.info("indexing %d articles in %d processes", len(ids), BULK_SETTINGS.procs)
                try:
                    self.index.apply(
                        self.storage, ids, settings=BULK_SETTINGS if bulk else None, cancel=cancel
                    )
                except SubWriterFailed as exc:
                    # Nothing of the batch was committed and its rows stay: one process.
                    log.warning("%s; indexing goes on in one process", exc)
                    report.fell_back = True
                    continue
                upto = int(rows[-1][0])
                with self.storage.transaction() as db:
                    db.execute("DELETE FROM index_outbox WHERE seq <= ?", (upto,))
                report.applied += len(ids)
                progress(ProgressEvent("index", report.applied, total, _rate(report, started)))
                batch = batch_size or BATCH
        return report

    def tidy(
        self,
        *,
        cancel: CancelToken | None = None,
        interrupted: Callable[[], bool] | None = None,
        steps: int | None = None,
    ) -> TidyReport:
        """Merge the index's segments while there is nothing to index (`merging`'s idle policy).

        Step by step, each step bounded and interruptible: it stops as soon as the outbox has
        rows (new work for the index), `cancel` is cancelled or `interrupted()` is true, and
        gives up the step it was in (the index stays as it was). Does nothing when another
        process holds the index lane (that one may tidy). `steps` bounds the number of steps.
        """
        report = TidyReport()
        names_since: float | None = None

        def stop() -> bool:
            nonlocal names_since
            if cancel is not None and cancel.cancelled:
                return True
            if interrupted is not None and interrupted():
                return True
            if self.storage.scalar(_ARTICLES_WAITING):
                return True  # new, changed or deleted articles: the user waits for those
            names = int(self.storage.scalar(_NAMES_WAITING, (TIDY_NAMES_BATCH,)))
            if not names:
                names_since = None
                return False
            # Recognition's names arrive every few seconds: let them wait a little (a step
            # given up is work lost), but never long, and never more than a batch of them.
            names_since = time.monotonic() if names_since is None else names_since
            return names >= TIDY_NAMES_BATCH or time.monotonic() - names_since >= TIDY_NAMES_WAIT_S

        with self.lane.hold(wait=False) as held:
            if not held:
                return report
            while steps is None or report.steps < steps:
                if stop():
                    report.interrupted = True
                    break
                started = time.monotonic()
                try:
                    merged = self.index.merge_step(stop)
                except MergeInterrupted:
                    report.interrupted = True
                    break
                if not merged:
                    break
                report.steps += 1
                report.merged_docs += sum(merged)
                report.longest_s = max(report.longest_s, time.monotonic() - started)
        return report

    def rebuild(
        self,
        *,
        progress: ProgressCallback = no_progress,
        on_wait: Callable[[str], None] | None = None,
    ) -> int:
        """Rebuild the index from the database in the index lane; drop the rows it covers."""
        with self.lane.hold(on_wait=on_wait):
            upto = _last_seq(self.storage)
            count = self.index.rebuild(self.storage, progress=progress)
            with self.storage.transaction() as db:
                db.execute("DELETE FROM index_outbox WHERE seq <= ?", (upto,))
                db.execute("DELETE FROM meta WHERE key = ?", (_VERIFY,))
            return count

    def _repair(self, report: DrainReport, progress: ProgressCallback) -> None:
        """Rebuild an unusable index; compare an index from before the outbox once."""
        verify = self.storage.get_meta(_VERIFY) == "1"
        reason = self.index.unusable_reason()
        if not verify and reason is None:
            return
        upto = _last_seq(self.storage)
        # Nothing was searchable before (a new library's first import): nothing to tell.
        news = reason != "missing" or self.storage.count() > pending(self.storage)
        notice, rebuilt = self.index.check(self.storage, progress=progress)
        notice = notice if news else None
        with self.storage.transaction() as db:
            if rebuilt:
                # The rebuild read every article after these rows were written: they are in.
                db.execute("DELETE FROM index_outbox WHERE seq <= ?", (upto,))
            db.execute("DELETE FROM meta WHERE key = ?", (_VERIFY,))
        if notice:
            report.notices.append(notice)


def _last_seq(storage: Storage) -> int:
    return int(storage.scalar("SELECT coalesce(max(seq), 0) FROM index_outbox"))


def _rate(report: DrainReport, started: float) -> str:
    elapsed = time.monotonic() - started
    return f"{report.applied / elapsed:,.0f}/s" if elapsed > 0 else ""


def needs_update(storage: Storage, index: SearchIndex) -> bool:
    """Whether a drain has anything to do: outbox rows, or an index to rebuild or verify.

    Cheap (one row of the outbox, a look at the index folder), so that the window can ask it
    before it starts its background worker.
    """
    return (
        bool(storage.scalar("SELECT EXISTS (SELECT 1 FROM index_outbox)"))
        or storage.get_meta(_VERIFY) == "1"
        or index.unusable_reason() is not None
    )
