"""When the index folds its segments together: a little at every commit, the rest when idle.

Every Whoosh commit writes a new segment, and every search reads every segment, so segments
must be merged now and then. Whoosh merges inside `commit` through a ``mergetype`` callable;
its default (`whoosh.writing.MERGE_SMALL`, a Fibonacci rule on document counts) may pick
*every* segment at once. In the window's worker that meant one commit folding eleven 25 MB
segments for more than four minutes, while no article was indexed and recognition kept
queuing work (bench/README.md). A merge rewrites each document it folds (stored fields and
every posting, through Whoosh's own per-posting code): about 9 ms of CPU per document measured
here, more than indexing it in the first place. So the cost of a merge is counted in the
documents it rewrites, and this policy bounds it:

- **At a commit** (`commit_mergetype`): only the smallest segments are folded into the new
  one, and only while their documents add up to at most `COMMIT_MERGE_DOCS` (a few seconds
  of CPU at the rate above, at any library size). That folds the first small batch of a
  drain and the small commits of flags, deletes and recognition; the big segments of an
  import's batches are left alone.
- **When idle** (`idle_plan`, run by `SearchIndex.merge_step` in steps): segments of similar
  size are merged, smallest first: a segment joins a step only if it is at most
  `IDLE_RATIO` times the documents already chosen (so a small segment never drags a big one
  through a rewrite), and a step rewrites at most `idle_cap(total)` documents: at least
  `IDLE_STEP_DOCS`, and a share of the library that keeps the count near `IDLE_SEGMENTS`
  however large it grows. A step is interruptible (`_Interruptible`, `_interrupt_flush`):
  reading, it checks every few hundred documents, and writing the merged segment every few
  thousand terms, whether new work has arrived, and if so gives up. Nothing is lost: the
  segments it read stay in the index until a commit writes a new table of contents
  (Whoosh's TOC generation file, written last).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh.reading import SegmentReader

from newsreader.core.search import fastwrite

#: Documents of older segments that one commit may rewrite (about 4.5 s of CPU at 9 ms each).
COMMIT_MERGE_DOCS = 500
#: The least an idle merge step may rewrite (it folds about ten 2,000-article batch segments).
IDLE_STEP_DOCS = 20_000
#: Idle steps may rewrite up to this share of the library, so that however large it grows,
#: idle merging leaves about this many segments (at most about twice as many).
IDLE_SEGMENTS = 8
#: A segment joins an idle step only if it is at most this many times the documents already
#: chosen: merges happen among similar sizes, so each document is rewritten a few times
#: over the life of the library (logarithmically), not at every step.
IDLE_RATIO = 3
#: How often an interruptible merge asks whether to give up (documents, postings).
CHECK_DOCS = 200
CHECK_POSTINGS = 50_000
CHECK_TERMS = 2_000


class MergeInterrupted(Exception):
    """An idle merge gave up because new work arrived (the index is unchanged)."""


def commit_plan(sizes: Sequence[int], cap: int | None = None) -> list[int]:
    """Which segments (indexes into `sizes`, their document counts) a commit folds in.

    The smallest, while their documents add up to at most `cap` (`COMMIT_MERGE_DOCS`); one
    is enough (it is folded into the segment the commit writes anyway).
    """
    cap = COMMIT_MERGE_DOCS if cap is None else cap
    chosen: list[int] = []
    total = 0
    for i in sorted(range(len(sizes)), key=lambda i: sizes[i]):
        if total + sizes[i] > cap:
            break
        chosen.append(i)
        total += sizes[i]
    return chosen


def idle_cap(total: int) -> int:
    """The most documents one idle step may rewrite in a library of `total` documents."""
    return max(IDLE_STEP_DOCS, total // IDLE_SEGMENTS)


def idle_plan(sizes: Sequence[int], cap: int | None = None) -> list[int]:
    """Which segments one idle step merges (indexes into `sizes`); [] when none should.

    Smallest first: from each starting segment in turn, the next larger ones join while they
    are at most `IDLE_RATIO` times the documents chosen so far and the step stays within
    `cap` (default `idle_cap` of the whole library). The first start that gathers two or
    more segments is the step.
    """
    limit = idle_cap(sum(sizes)) if cap is None else cap
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    for start, first in enumerate(order):
        chosen, total = [first], sizes[first]
        for i in order[start + 1 :]:
            if sizes[i] > IDLE_RATIO * max(total, 1) or total + sizes[i] > limit:
                break
            chosen.append(i)
            total += sizes[i]
        if len(chosen) >= 2:
            return chosen
    return []


def segment_docs(segment: Any) -> int:
    """What merging `segment` costs: every document it holds, deleted ones included."""
    return int(segment.doc_count_all())


Mergetype = Callable[[Any, list[Any]], list[Any]]


def _merging(
    plan: Callable[[Sequence[int]], list[int]],
    interrupted: Callable[[], bool] | None = None,
) -> Mergetype:
    """A Whoosh ``mergetype``: fold the segments `plan` picks into the writer's new segment."""

    def mergetype(writer: Any, segments: list[Any]) -> list[Any]:
        chosen = set(plan([segment_docs(s) for s in segments]))
        for i in sorted(chosen):
            reader = SegmentReader(writer.storage, writer.schema, segments[i])
            try:
                writer.add_reader(
                    reader if interrupted is None else _Interruptible(reader, interrupted)
                )
            finally:
                reader.close()
        if interrupted is not None and chosen:
            _interrupt_flush(writer.pool, interrupted)
        return [s for i, s in enumerate(segments) if i not in chosen]

    return mergetype


def commit_mergetype(cap: int | None = None, chosen: list[int] | None = None) -> Mergetype:
    """The ``mergetype`` of every commit that adds or deletes documents (`commit_plan`).

    `chosen`, if given, receives the document counts of the segments the commit folds in.
    """

    def plan(sizes: Sequence[int]) -> list[int]:
        picked = commit_plan(sizes, cap)
        if chosen is not None:
            chosen.extend(sizes[i] for i in picked)
        return picked

    return _merging(plan)


def idle_mergetype(
    interrupted: Callable[[], bool], cap: int | None = None, chosen: list[int] | None = None
) -> Mergetype:
    """The ``mergetype`` of one idle step (`idle_plan`), giving up when `interrupted()`.

    `chosen`, if given, receives the document counts of the segments the step merges.
    """

    def plan(sizes: Sequence[int]) -> list[int]:
        picked = idle_plan(sizes, cap)
        if chosen is not None:
            chosen.extend(sizes[i] for i in picked)
        return picked

    return _merging(plan, interrupted)


def _interrupt_flush(pool: Any, interrupted: Callable[[], bool]) -> None:
    """Let the writing of the merged segment (after `add_reader`) stop on request too.

    Whoosh writes the merged postings after the ``mergetype`` returns, from
    `pool.iter_postings()`: about half of a merge's time. The pool's postings are handed
    over with a check every `CHECK_POSTINGS` terms (or postings, for Whoosh's own stream).
    """
    original = pool.iter_postings

    def iter_postings() -> Any:
        postings = original()
        if isinstance(postings, fastwrite.GroupedPostings):
            return _InterruptibleGrouped(postings.fields, interrupted)
        return _checked(postings, interrupted, CHECK_POSTINGS)

    pool.iter_postings = iter_postings


def _checked(items: Iterable[Any], interrupted: Callable[[], bool], every: int) -> Iterator[Any]:
    for n, item in enumerate(items):
        if n % every == 0 and interrupted():
            raise MergeInterrupted
        yield item


class _InterruptibleGrouped(fastwrite.GroupedPostings):
    """Grouped postings (`fastwrite`) that ask `interrupted()` every few thousand terms."""

    def __init__(self, fields: Any, interrupted: Callable[[], bool]) -> None:
        super().__init__(fields)
        self._interrupted = interrupted

    def by_term(self) -> Iterator[tuple[str, Iterator[tuple[bytes, list[Any]]]]]:
        for fieldname, terms in super().by_term():
            yield fieldname, _checked(terms, self._interrupted, CHECK_TERMS)


class _Interruptible:
    """A segment reader whose documents and postings, read by a merge, stop on request.

    Whoosh's `SegmentWriter.add_reader` reads a segment through `iter_docs` (stored fields)
    and `iter_postings`; checking between them lets an idle merge give up within a second
    or so instead of after the whole step. Everything else goes to the real reader.
    """

    def __init__(self, reader: Any, interrupted: Callable[[], bool]) -> None:
        self._reader = reader
        self._interrupted = interrupted

    def _check(self) -> None:
        if self._interrupted():
            raise MergeInterrupted

    def iter_docs(self) -> Iterator[Any]:
        for n, item in enumerate(self._reader.iter_docs()):
            if n % CHECK_DOCS == 0:
                self._check()
            yield item

    def iter_postings(self) -> Iterator[Any]:
        for n, item in enumerate(self._reader.iter_postings()):
            if n % CHECK_POSTINGS == 0:
                self._check()
            yield item

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)
