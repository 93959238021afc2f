"""Exact, vectorised scoring: Whoosh's matches, order, totals and BM25F scores, with numpy.

Whoosh scores a query one posting at a time in Python: a broad query over 100,000 articles
has tens of thousands of matches and takes most of a second. This module answers the common
queries (words, AND / OR / NOT, prefixes and other expanded terms, fields, date ranges and
exact phrases) from whole posting lists instead: each term's posting blocks are read and
decoded in one go into arrays, scored with the very BM25F formula Whoosh uses (its `idf`, its
average field lengths, its byte-coded document lengths), and combined with array set
operations. `tests/test_fastscore.py` checks ids, order, totals and scores against Whoosh's
exhaustive collector on hundreds of generated queries.

A query with any part this module does not know (a sloppy phrase `"a b"~3`, a custom
weighting, a codec other than Whoosh 3's) raises `Unsupported`, and the caller falls back
to Whoosh's own collector: slower, never wrong.

Scored postings are cached per searcher (`ScoredCache`): typing "ukrain", "ukrai…" reads
the same long lists again and again. A searcher's cache goes with it when the index changes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3TermsReader, _lenfield
from whoosh.fields import DATETIME, NUMERIC
from whoosh.query.qcore import _NullQuery
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from newsreader.core.search.schema import PackedPositions

Docs = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float64]

#: Memory for cached scored postings (16 bytes a posting): the longest lists of a 100k
#: library are ~45,000 postings, so this holds the few hundred terms of a typing session.
CACHE_BYTES = 64 * 1024 * 1024

#: Document length of each of the 256 byte codes Whoosh stores lengths as (0: no length).
_LENGTHS = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)], dtype=np.float64)


class Unsupported(Exception):
    """The query has a part the fast path does not handle; Whoosh's collector must answer."""


class OutOfTime(Exception):
    """The search went past its deadline (or was cancelled) and was stopped."""


@dataclass(frozen=True, slots=True)
class Matches:
    """Matching documents (global document numbers, ascending) and their scores."""

    docs: Docs
    scores: Scores

    def __len__(self) -> int:
        return len(self.docs)

    def ranked(self) -> Docs:
        """Positions into `docs`, best first; ties by document number, as Whoosh orders."""
        order: Docs = np.lexsort((self.docs, -self.scores))
        return order


_EMPTY = Matches(np.empty(0, np.int64), np.empty(0, np.float64))


#: What the cache holds: a term's scored postings, or its occurrences (document, position).
_Entry = Matches | tuple[Docs, Docs]


def _size(value: _Entry) -> int:
    arrays = (value.docs, value.scores) if isinstance(value, Matches) else value
    return sum(int(a.nbytes) for a in arrays)


class ScoredCache:
    """A small LRU of decoded postings, bounded in bytes, for one searcher."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple[str, bytes], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bytes]) -> _Entry | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, bytes], value: _Entry) -> None:
        size = _size(value)
        if size > self.max_bytes // 4:
            return  # one huge list would push out everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self.bytes -= _size(old)

    def __len__(self) -> int:
        return len(self._items)


class _Segment:
    """One segment of the index: where its postings are, its deletions, its lengths."""

    def __init__(self, reader: Any, offset: int) -> None:
        terms = getattr(reader, "_terms", None)
        if not isinstance(terms, W3TermsReader):
            raise Unsupported("not a Whoosh 3 segment")
        self.reader = reader
        self.offset = offset
        self.terms = terms
        self.doc_count_all = int(reader.doc_count_all())
        self.live: npt.NDArray[np.bool_] | None = None
        if reader.has_deletions():
            live = np.ones(self.doc_count_all, dtype=np.bool_)
            deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
            live[deleted[deleted < self.doc_count_all]] = False
            self.live = live
        self._lengths: dict[str, npt.NDArray[np.float64]] = {}

    def lengths(self, fieldname: str) -> npt.NDArray[np.float64]:
        """Every document's length in a field, as Whoosh decodes it for scoring."""
        found = self._lengths.get(fieldname)
        if found is None:
            column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            codes = np.zeros(self.doc_count_all, dtype=np.uint8)
            if column is not None:
                count = min(int(column._count), self.doc_count_all)
                raw = column._dbfile.get(column._basepos, count)
                codes[:count] = np.frombuffer(raw, dtype=np.uint8)
            else:  # Whoosh's default for a field without lengths
                codes[:] = 1
            found = self._lengths[fieldname] = _LENGTHS[codes]
        return found

    def term_info(self, fieldname: str, btext: bytes) -> Any | None:
        """The term's statistics and where its postings are, or None if it is not here."""
        try:
            return self.terms.term_info(fieldname, btext)
        except (KeyError, TermNotFound):
            return None

    def postings(
        self, fieldname: str, info: Any, *, positions: bool = False
    ) -> tuple[Docs, npt.NDArray[np.float64], list[bytes]]:
        """A term's live postings here (`info` from `term_info`): local document numbers,
        weights and (if asked) the raw value of each posting, decoded block by block."""
        values: list[bytes] = []
        if info.is_inlined():
            ids, weights, inlined = info.inlined_postings()
            docs = np.asarray(ids, dtype=np.int64)
            w = np.asarray(weights, dtype=np.float64)
            if positions:
                values = list(inlined)
        else:
            offset, length = info.extent()
            fmt = self.reader.schema[fieldname].format
            matcher = W3LeafMatcher(self.terms._postfile, offset, length, fmt)
            id_parts: list[Docs] = []
            weight_parts: list[npt.NDArray[np.float64]] = []
            while True:
                matcher._read_data()
                deltas, weights, block_values = matcher._data
                count = matcher._blocklength
                id_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
                if weights is None:
                    weight_parts.append(np.ones(count, dtype=np.float64))
                elif isinstance(weights, float):
                    weight_parts.append(np.full(count, weights, dtype=np.float64))
                else:
                    weight_parts.append(np.asarray(weights, dtype=np.float64))
                if positions:
                    values.extend(block_values)
                if matcher._lastblock:
                    break
                matcher._goto(matcher._nextoffset)
            docs = np.concatenate(id_parts)
            w = np.concatenate(weight_parts)
        if self.live is not None:
            keep = self.live[docs]
            docs, w = docs[keep], w[keep]
            if positions:
                values = [v for v, k in zip(values, keep.tolist(), strict=True) if k]
        return docs, w, values


#: What `FastScorer.column("published")` holds for an article without a date.
UNDATED = np.iinfo(np.int64).max


def _column_values(segment: _Segment, fieldname: str, field: Any) -> npt.NDArray[np.int64]:
    """One segment's column, read raw and decoded with numpy where the format is known
    (a big-endian 64-bit value per document: signed NUMERIC values with their sign bit
    flipped, DATETIME values as they are), else value by value through Whoosh."""
    count_all = segment.doc_count_all
    raw_reader = segment.reader.column_reader(fieldname, translate=False)
    inner = getattr(raw_reader, "_dbfile", None)
    is_date = isinstance(field, DATETIME)
    known = is_date or (
        isinstance(field, NUMERIC) and field.numtype is int and field.bits == 64 and field.signed
    )
    if inner is None or getattr(raw_reader, "_typecode", "") not in ("q", "Q") or not known:
        if is_date:  # raw longs; a segment without any date has no column at all
            raw = (int(v) if isinstance(v, int) else UNDATED for v in raw_reader)
            dates = np.fromiter(raw, dtype=np.uint64, count=count_all)
            dates[dates > np.uint64(UNDATED)] = np.uint64(UNDATED)
            return dates.astype(np.int64)
        translated = segment.reader.column_reader(fieldname)
        return np.fromiter((int(v) for v in translated), dtype=np.int64, count=count_all)
    count = min(int(raw_reader._count), count_all)
    bits = np.full(count_all, raw_reader._defaultbytes, dtype="S8").view(">u8").astype(np.uint64)
    bits[:count] = np.frombuffer(inner.get(raw_reader._basepos, count * 8), dtype=">u8")
    if is_date:
        values = bits.view(np.int64).copy()
        values[bits == np.uint64(2**64 - 1)] = UNDATED  # Whoosh's "no date"
        return values
    flipped: npt.NDArray[np.int64] = (bits ^ np.uint64(2**63)).view(np.int64)
    return flipped


def _union(parts: Sequence[Matches]) -> Matches:
    """Documents in any part, their scores summed."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p.docs for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    summed: Scores = np.bincount(inverse, weights=scores, minlength=len(unique)).astype(np.float64)
    return Matches(unique.astype(np.int64), summed)


def _intersection(parts: Sequence[Matches]) -> Matches:
    """Documents in every part, their scores summed."""
    result = parts[0]
    for part in parts[1:]:
        if not len(result):
            return _EMPTY
        _, left, right = np.intersect1d(
            result.docs, part.docs, assume_unique=True, return_indices=True
        )
        result = Matches(result.docs[left], result.scores[left] + part.scores[right])
    return result


def _unique(parts: Sequence[Docs]) -> Docs:
    merged: Docs = np.unique(np.concatenate([_EMPTY.docs, *parts])).astype(np.int64)
    return merged


def _boosted(matches: Matches, boost: float) -> Matches:
    return matches if boost == 1.0 else Matches(matches.docs, matches.scores * boost)


class JoinedBM25F(BM25F):  # type: ignore[misc]  # whoosh is untyped
    """BM25F for the entity index, scored as though its fields were in the text index.

    The entity index holds a document only for articles with names, but a term's weight must
    be what it was when the names were fields of every article's one document: its idf and
    the field's average length count `doc_count` documents, the text index's (Whoosh's
    `doc_count_all`, deleted documents included, as Whoosh counts them). Document frequency,
    field lengths and term frequencies are the entity index's own, which are the same.
    """

    def __init__(self, doc_count: int) -> None:
        super().__init__()
        self.doc_count = doc_count

    def idf(self, searcher: Searcher, fieldname: str, text: bytes) -> float:
        n = searcher.get_parent().doc_frequency(fieldname, text)
        return math.log(self.doc_count / (n + 1)) + 1

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: int = 1) -> Any:
        found = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(found, BM25FScorer):
            found.avgfl = self.avg_field_length(searcher.get_parent(), fieldname)
        return found

    def avg_field_length(self, searcher: Searcher, fieldname: str) -> float:
        """`Searcher.avg_field_length`, over `doc_count` documents."""
        return float(searcher.field_length(fieldname) / (self.doc_count or 1) or 1)


def collect(searcher: Searcher, q: wq.Query) -> Matches:
    """Every match of `q` with Whoosh's own matchers and scores (for a part of a query this
    module cannot vectorise: Whoosh's And and Or add their parts' scores, so scoring a part
    alone and combining it here comes to what Whoosh's collector gives for the whole)."""
    collector = collectors.UnlimitedCollector()
    searcher.search_with_collector(q, collector)
    top = collector.results().top_n
    docs = np.fromiter((d for _, d in top), dtype=np.int64, count=len(top))
    scores = np.fromiter((s for s, _ in top), dtype=np.float64, count=len(top))
    order = np.argsort(docs, kind="stable")
    return Matches(docs[order], scores[order])


class EntityJoin:
    """The entity index seen from the text index's scorer: entity-field parts of a query
    are scored there (`JoinedBM25F`) and mapped to the text index's documents by article id.
    """

    def __init__(self, searcher: Searcher, text: FastScorer, cache: ScoredCache) -> None:
        try:
            self.scorer: FastScorer | None = FastScorer(searcher, cache)
        except Unsupported:  # an empty entity index (no segment yet), say
            self.scorer = None
        self.searcher = searcher
        self.fields = frozenset(name for name in searcher.schema.names() if name != "id")
        self._text = text
        self._map: tuple[Docs, Docs] | None = None

    def owns(self, q: wq.Query) -> bool:
        """Whether `q` is a leaf on an entity field (answered by the entity index)."""
        return q.is_leaf() and getattr(q, "fieldname", None) in self.fields

    def matches(self, q: wq.Query) -> Matches:
        if not self.searcher.doc_count_all():
            return _EMPTY
        try:
            if self.scorer is None:
                raise Unsupported("no vectorised scorer")
            found = self.scorer.search(q)
        except Unsupported:
            found = collect(self.searcher, q)
        return self._to_text(found)

    def estimate(self, q: wq.Query) -> float:
        """What `FastScorer._estimate` says of `q` on one index holding both (so that an
        AND adds its parts' scores in the same order)."""
        if isinstance(q, wq.Term) and self.scorer is not None:
            return self.scorer._estimate(q)
        return float(self._text._doc_count_all)

    def _ids(self) -> Docs:
        """The article id of each entity document."""
        if self.scorer is not None:
            return self.scorer.column("id")
        column = self.searcher.reader().column_reader("id")
        return np.fromiter((int(v) for v in column), dtype=np.int64)

    def _to_text(self, found: Matches) -> Matches:
        if not len(found):
            return _EMPTY
        if self._map is None:
            ids = self._text.column("id")
            live = self._text._live()
            docnums = np.flatnonzero(live).astype(np.int64)
            order = np.argsort(ids[docnums], kind="stable")
            self._map = (ids[docnums][order], docnums[order])
        sorted_ids, sorted_docs = self._map
        if not len(sorted_ids):
            return _EMPTY
        ids = self._ids()[found.docs]
        at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        hit = sorted_ids[at] == ids
        docs = sorted_docs[at[hit]]
        scores = found.scores[hit]
        unique, first = np.unique(docs, return_index=True)
        return Matches(unique.astype(np.int64), scores[first])


class FastScorer:
    """Scores queries on one Whoosh searcher (and must be replaced when it is).

    With `entities` (the entity index, `EntityJoin`), a query's entity-field parts are
    scored there and joined to this index's documents by article id.
    """

    def __init__(self, searcher: Searcher, cache: ScoredCache | None = None) -> None:
        weighting = searcher.weighting
        if type(weighting) not in (BM25F, JoinedBM25F):
            raise Unsupported("only BM25F is vectorised")
        self._searcher = searcher
        self._weighting = weighting
        self._schema = searcher.schema
        self._segments = [_Segment(r, int(o)) for r, o in searcher.reader().leaf_readers()]
        self._doc_count_all = int(searcher.doc_count_all())
        self.cache = cache if cache is not None else ScoredCache()
        self._columns: dict[str, npt.NDArray[np.int64]] = {}
        self._avg_lengths: dict[str, float] = {}
        self._lock = threading.RLock()
        self._deadline: float | None = None
        self._cancelled: Callable[[], bool] | None = None
        #: The document count BM25's idf and average lengths use (`JoinedBM25F`).
        self._stat_count = (
            weighting.doc_count if isinstance(weighting, JoinedBM25F) else self._doc_count_all
        )
        self.entities: EntityJoin | None = None
        #: Whether a part this module cannot vectorise is scored by Whoosh (`collect`)
        #: rather than raising `Unsupported` (set for a search that uses `entities`).
        self._leaf_fallback = False

    # -- public --------------------------------------------------------------------------------

    def search(
        self,
        q: wq.Query,
        *,
        deadline: float | None = None,
        cancelled: Callable[[], bool] | None = None,
        leaf_fallback: bool = False,
    ) -> Matches:
        """Every match of `q` with its score, exactly as Whoosh's collector scores it.

        Raises `Unsupported` for queries (or parts) this scorer does not handle, and
        `OutOfTime` when `time.monotonic()` passes `deadline` or `cancelled()` turns true
        (checked between posting lists). With `leaf_fallback`, a leaf this scorer does not
        handle (a sloppy phrase) is scored by Whoosh's own matcher instead (`collect`).
        """
        with self._lock:
            self._deadline = deadline
            self._cancelled = cancelled
            self._leaf_fallback = leaf_fallback
            try:
                return self._matches(q)
            finally:
                self._deadline = self._cancelled = None
                self._leaf_fallback = False

    def _check(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise OutOfTime
        if self._cancelled is not None and self._cancelled():
            raise OutOfTime

    def column(self, fieldname: str) -> npt.NDArray[np.int64]:
        """A 64-bit numeric column for every document, decoded, loaded once: `id` (the
        article id) or `published` (Whoosh's long for the date; its maximum when undated)."""
        with self._lock:
            found = self._columns.get(fieldname)
            if found is None:
                field = self._schema[fieldname]
                parts = [_EMPTY.docs]
                for segment in self._segments:
                    parts.append(_column_values(segment, fieldname, field))
                found = self._columns[fieldname] = np.concatenate(parts)
            return found

    # -- evaluation ----------------------------------------------------------------------------

    def _live(self) -> npt.NDArray[np.bool_]:
        """Which documents of this index are not deleted."""
        live = np.ones(self._doc_count_all, dtype=np.bool_)
        for segment in self._segments:
            if segment.live is not None:
                end = segment.offset + segment.doc_count_all
                live[segment.offset : end] &= segment.live
        return live

    def _matches(self, q: wq.Query) -> Matches:
        if isinstance(q, _NullQuery):
            return _EMPTY
        if self.entities is not None and self.entities.owns(q):
            self._check()
            return self.entities.matches(q)
        if self._leaf_fallback and q.is_leaf():
            try:
                return self._vectorised(q)
            except Unsupported:
                return collect(self._searcher, q)
        return self._vectorised(q)

    def _vectorised(self, q: wq.Query) -> Matches:
        if isinstance(q, wq.Term):
            return _boosted(self._term(q.fieldname, q.text), q.boost)
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, (wq.And, wq.Or)) and not isinstance(q, wq.DisjunctionMax):
            subs = list(q.subqueries)
            if not subs:
                return _EMPTY
            if len(subs) == 1:  # Whoosh then uses the child alone, without the boost
                return self._matches(subs[0])
            if isinstance(q, wq.Or):
                if q.scale or q.minmatch:
                    raise Unsupported("coordinated OR")
                return _boosted(_union([self._matches(s) for s in subs]), q.boost)
            return _boosted(self._and(subs), q.boost)
        if isinstance(q, wq.AndNot):
            a = self._matches(q.a)
            if not len(a):
                return _EMPTY
            excluded = self._docs(q.b)
            keep = ~np.isin(a.docs, excluded, assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep])
        if isinstance(q, wq.Require):
            a = self._matches(q.a)
            keep = np.isin(a.docs, self._docs(q.b), assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep])
        if isinstance(q, wq.AndMaybe):
            a = self._matches(q.a)
            b = self._matches(q.b)
            found = np.searchsorted(b.docs, a.docs)
            found = np.minimum(found, max(len(b.docs) - 1, 0))
            scores = a.scores.copy()
            if len(b):
                hit = b.docs[found] == a.docs
                scores[hit] += b.scores[found[hit]]
            return Matches(a.docs, scores)
        if isinstance(q, wq.Not):
            return self._not(q)
        if isinstance(q, wq.ConstantScoreQuery):
            docs = self._docs(q.child)
            return Matches(docs, np.full(len(docs), float(q.score), dtype=np.float64))
        if isinstance(q, wq.NumericRange) and q.constantscore:
            if isinstance(self._schema[q.fieldname], DATETIME):
                docs = self._date_range(q)
                return Matches(docs, np.full(len(docs), float(q.boost), dtype=np.float64))
            return self._matches(q._compile_query(self._searcher.reader()))
        raise Unsupported(type(q).__name__)

    def _date_range(self, q: wq.NumericRange) -> Docs:
        """Live documents dated within a range, from the `published` column: the same
        numbers the range's index terms encode, compared directly."""
        values = self.column(q.fieldname)
        keep = values != UNDATED
        if q.start is not None:
            keep &= (values > q.start) if q.startexcl else (values >= q.start)
        if q.end is not None:
            keep &= (values < q.end) if q.endexcl else (values <= q.end)
        for segment in self._segments:
            if segment.live is not None:
                end = segment.offset + segment.doc_count_all
                keep[segment.offset : end] &= segment.live
        docs: Docs = np.flatnonzero(keep).astype(np.int64)
        return docs

    def _estimate(self, q: wq.Query) -> float:
        """Roughly how many documents a query matches, cheaply (to order an AND)."""
        reader = self._searcher.reader()
        if self.entities is not None and self.entities.owns(q):
            return self.entities.estimate(q)
        if isinstance(q, wq.Term):
            btext = self._btext(q.fieldname, q.text)
            return 0.0 if btext is None else float(reader.doc_frequency(q.fieldname, btext))
        if isinstance(q, wq.Or):
            return sum(self._estimate(s) for s in q.subqueries)
        if isinstance(q, wq.And):
            return min((self._estimate(s) for s in q.subqueries), default=0.0)
        if isinstance(q, (wq.AndNot, wq.AndMaybe, wq.Require)):
            return self._estimate(q.a)
        return float(self._doc_count_all)

    def _and(self, subs: Sequence[wq.Query]) -> Matches:
        """All parts, smallest first (an empty one ends the work early)."""
        ordered = sorted(subs, key=self._estimate)
        parts: list[Matches] = []
        for sub in ordered:
            found = self._matches(sub)
            if not len(found):
                return _EMPTY
            parts.append(found)
            if len(parts) > 1:
                parts = [_intersection(parts)]
                if not len(parts[0]):
                    return _EMPTY
        return _intersection(parts)

    def _not(self, q: wq.Not) -> Matches:
        """Every live document without a match, each scoring 1 (Whoosh's InverseMatcher)."""
        excluded = self._docs(q.query)
        live = self._live()
        live[excluded] = False
        docs = np.flatnonzero(live).astype(np.int64)
        return Matches(docs, np.ones(len(docs), dtype=np.float64))

    def _docs(self, q: wq.Query) -> Docs:
        """The documents a query matches, unscored (for exclusions and constant scores)."""
        if self.entities is not None and self.entities.owns(q):
            return self._matches(q).docs
        if isinstance(q, wq.Term):
            return self._term_docs(q.fieldname, q.text)
        if isinstance(q, wq.TermRange) and isinstance(self._schema[q.fieldname], NUMERIC):
            # The tiers of a numeric range: a handful of terms, never a whole lexicon.
            reader = self._searcher.reader()
            return _unique([self._term_docs(q.fieldname, t) for t in q._btexts(reader)])
        if isinstance(q, wq.Or) and not (q.scale or q.minmatch):
            return _unique([self._docs(s) for s in q.subqueries])
        return self._matches(q).docs

    def _btext(self, fieldname: str, text: str | bytes) -> bytes | None:
        """The term as the index stores it (None if it cannot be in the index)."""
        if fieldname not in self._schema:
            return None
        try:
            btext: bytes = self._schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return btext

    def _infos(self, fieldname: str, btext: bytes) -> list[tuple[_Segment, Any]]:
        """The segments holding a term, with its statistics in each (one lookup each)."""
        found = []
        for segment in self._segments:
            info = segment.term_info(fieldname, btext)
            if info is not None:
                found.append((segment, info))
        return found

    def _term_docs(self, fieldname: str, text: str | bytes) -> Docs:
        btext = self._btext(fieldname, text)
        if btext is None:
            return _EMPTY.docs
        parts = [
            segment.postings(fieldname, info)[0] + segment.offset
            for segment, info in self._infos(fieldname, btext)
        ]
        return np.concatenate(parts) if parts else _EMPTY.docs

    def _term(self, fieldname: str, text: str | bytes) -> Matches:
        """A term's documents, scored by BM25F (the boost left to the caller)."""
        btext = self._btext(fieldname, text)
        if btext is None:
            return _EMPTY
        key = (fieldname, btext)
        cached = self.cache.get(key)
        if isinstance(cached, Matches):
            return cached
        field = self._schema[fieldname]
        if not field.scorable:
            raise Unsupported(f"unscored field {fieldname}")
        self._check()
        infos = self._infos(fieldname, btext)
        if not infos:
            return _EMPTY
        weighting = self._weighting
        b = float(weighting._field_B.get(fieldname, weighting.B))
        k1 = float(weighting.K1)
        # Whoosh's WeightingModel.idf, from the same statistics (document frequency summed
        # over segments, deleted documents included, as Whoosh's reader sums it).
        frequency = sum(int(info.doc_frequency()) for _, info in infos)
        idf = math.log(self._stat_count / (frequency + 1)) + 1
        avgfl = self._avg_lengths.get(fieldname)
        if avgfl is None:
            if isinstance(weighting, JoinedBM25F):
                avgfl = weighting.avg_field_length(self._searcher, fieldname)
            else:
                avgfl = float(self._searcher.avg_field_length(fieldname) or 1)
            self._avg_lengths[fieldname] = avgfl
        doc_parts: list[Docs] = []
        score_parts: list[Scores] = []
        for segment, info in infos:
            docs, tf, _ = segment.postings(fieldname, info)
            fl = segment.lengths(fieldname)[docs]
            # whoosh.scoring.bm25, operation for operation, so the floats come out the same.
            scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
            doc_parts.append(docs + segment.offset)
            score_parts.append(scores)
        found = Matches(np.concatenate(doc_parts), np.concatenate(score_parts))
        self.cache.put(key, found)
        return found

    def _phrase(self, q: wq.Phrase) -> Matches:
        """Documents with the words at consecutive positions, scored as Whoosh does: the
        sum of the words' own scores, times the phrase's boost."""
        if q.slop != 1:
            raise Unsupported("sloppy phrase")
        fieldname = q.fieldname
        if fieldname not in self._schema:
            return _EMPTY
        if not isinstance(self._schema[fieldname].format, PackedPositions):
            raise Unsupported("positions not packed")
        if not q.words:
            raise Unsupported("empty phrase")
        btexts: list[bytes] = []
        for word in q.words:
            btext = self._btext(fieldname, word)
            if btext is None:
                return _EMPTY
            btexts.append(btext)
        scored = [self._term(fieldname, btext) for btext in btexts]
        if any(not len(m) for m in scored):  # Whoosh: a missing word matches nothing
            return _EMPTY
        candidates = _intersection(scored)
        if not len(candidates) or len(btexts) == 1:
            return _boosted(candidates, q.boost)
        width = len(btexts)
        keys: Docs | None = None
        wanted = candidates.docs
        # The rarest word first: each later word is decoded only for the documents where
        # the phrase can still be.
        for i in sorted(range(width), key=lambda i: len(scored[i])):
            here = self._position_keys(fieldname, btexts[i], wanted, width - i)
            if keys is not None and len(here):
                at = np.minimum(np.searchsorted(keys, here), len(keys) - 1)
                here = here[keys[at] == here]
            keys = here
            if not len(keys):
                return _EMPTY
            wanted = np.unique(keys >> 32)
        phrase_docs = wanted
        keep = np.isin(candidates.docs, phrase_docs, assume_unique=True)
        return _boosted(Matches(candidates.docs[keep], candidates.scores[keep]), q.boost)

    def _positions(self, fieldname: str, btext: bytes) -> tuple[Docs, Docs]:
        """Every occurrence of a term: (document, position) as two arrays, in order."""
        key = (fieldname + "\x00positions", btext)
        cached = self.cache.get(key)
        if isinstance(cached, tuple):
            return cached
        owner_parts: list[Docs] = [_EMPTY.docs]
        position_parts: list[Docs] = [_EMPTY.docs]
        for segment, info in self._infos(fieldname, btext):
            self._check()
            docs, _, values = segment.postings(fieldname, info, positions=True)
            if not values:
                continue
            # Each value is a 4-byte count, then the positions (`schema.PackedPositions`).
            sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
            flat = np.frombuffer(b"".join(values), dtype="<u4")
            is_count = np.zeros(len(flat), dtype=np.bool_)
            is_count[np.cumsum(sizes) - sizes] = True
            owner_parts.append(np.repeat(docs + segment.offset, sizes - 1))
            position_parts.append(flat[~is_count].astype(np.int64))
        found = (np.concatenate(owner_parts), np.concatenate(position_parts))
        self.cache.put(key, found)
        return found

    def _position_keys(self, fieldname: str, btext: bytes, wanted: Docs, shift: int) -> Docs:
        """`doc << 32 | position + shift` for each occurrence of a term in the wanted docs
        (shifted so that the words of a phrase line up on the same key), in order."""
        owners, positions = self._positions(fieldname, btext)
        if not len(owners) or not len(wanted):
            return _EMPTY.docs
        at = np.minimum(np.searchsorted(wanted, owners), len(wanted) - 1)
        keep = wanted[at] == owners
        keys: Docs = (owners[keep] << 32) | (positions[keep] + shift)
        return keys
