"""Whoosh's segment writing with its measured hot spots cut; the segments are the same.

A commit of Whoosh's `SegmentWriter` used to cost, per posting, in Python (a profile of a
1,500-article drain, bench/README.md):

- **The posting pool.** Every posting was a 5-tuple in `PostingPool`, which estimates about
  150 bytes each and, past `limitmb`, pickles every tuple to a run file on disk, then reads
  them all back through a `heapq` merge at commit. A normal 2,000-article batch (1.3 million
  postings) always spilled. `GroupedPool` keeps postings grouped by (field, term) as flat
  lists of (document, weight, value), counts what that really takes, and spills through
  Whoosh's own run files only beyond `limitmb`.
- **Writing postings one at a time.** `FieldWriter.add_postings` walked a sorted stream of
  postings, calling the posting writer (with its type checks) once per posting and reading
  the field length of *every posting* from disk (`doc_field_length`). `_write_grouped` gives
  the posting writer each term's block of up to `POSTING_BLOCK` postings at once, with the
  block statistics computed the way `W3PostingsWriter.add_posting` computes them, and reads
  each field's lengths once per document.

Anything else (merging older segments, the multiprocessing writer's runs) takes Whoosh's
path, with the field lengths cached per document (`_CachedLengths`). `install(False)` puts
Whoosh's code back: `tests/test_fastanalysis.py` builds indexes both ways and compares every
term, posting, weight, value, block statistic and field length.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import writing
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3FieldWriter

from newsreader.core.search import fastanalysis

_original_add_postings: Callable[..., Any] = base.FieldWriter.add_postings
_OriginalPool: type[Any] = writing.PostingPool

Posting = tuple[str, bytes, int, float, bytes | None]


class _CachedLengths:
    """A per-document reader whose `doc_field_length` remembers what it read."""

    def __init__(self, lengths: Any) -> None:
        self._lengths = lengths
        self._known: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._lengths.doc_field_length(docnum, fieldname, default)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lengths, name)


class GroupedPostings:
    """A pool's postings in Whoosh's sorted order, kept grouped for `_write_grouped`.

    Iterating yields the (field, term, document, weight, value) tuples that
    `PostingPool.items()` would, for any other consumer (the multiprocessing writer merges
    its own pool with the workers' runs this way).
    """

    def __init__(self, fields: dict[str, dict[bytes, list[Any]]]) -> None:
        self.fields = fields

    def by_term(self) -> Iterator[tuple[str, Iterator[tuple[bytes, list[Any]]]]]:
        """(field, ((term, flat postings), ...)) in sorted order; each flat list holds
        document, weight, value triples by ascending document."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            yield fieldname, ((t, _in_order(terms[t])) for t in sorted(terms))

    def __iter__(self) -> Iterator[Posting]:
        for fieldname, terms in self.by_term():
            for btext, flat in terms:
                for i in range(0, len(flat), 3):
                    yield (fieldname, btext, flat[i], flat[i + 1], flat[i + 2])


def _in_order(flat: list[Any]) -> list[Any]:
    """The triples sorted as Whoosh sorts postings, if they are not already (they are,
    unless the same document's term was added twice or documents out of order)."""
    docs = flat[0::3]
    if all(map(operator.lt, docs, docs[1:])):
        return flat
    triples = sorted(zip(docs, flat[1::3], flat[2::3], strict=True))
    return [x for triple in triples for x in triple]


class GroupedPool(_OriginalPool):  # type: ignore[misc]  # whoosh is untyped
    """`PostingPool` with postings grouped by field and term in memory (module docstring)."""

    def __init__(self, tempstore: Any, segment: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._fields: dict[str, dict[bytes, list[Any]]] = {}

    def add(self, item: Posting) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        flat = terms.get(btext)
        # What the lists really take: three pointers a posting, the value (small
        # frequencies' values are shared), and each new term's key and list.
        size = 24 + (len(vbytes) + 33 if vbytes and len(vbytes) > 4 else 0)
        if flat is None:
            terms[btext] = [docnum, weight, vbytes]
            size += 150 + len(btext)
        else:
            flat.append(docnum)
            flat.append(weight)
            flat.append(vbytes)
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        """Spill to one of Whoosh's sorted run files (past `limitmb`, or for a worker)."""
        if self._fields:
            self.current.extend(GroupedPostings(self._fields))
            self._fields = {}
        super().save()

    def items(self, maxfiles: int = 128) -> Any:
        if self.runs or self.current:
            return super().items(maxfiles)
        fields, self._fields = self._fields, {}
        return GroupedPostings(fields)


def _write_grouped(writer: Any, schema: Any, lengths: Any, postings: GroupedPostings) -> None:
    """`FieldWriter.add_postings` for grouped postings: a term's block at a time."""
    lookup = lengths.doc_field_length if lengths else None
    for fieldname, terms in postings.by_term():
        writer.start_field(fieldname, schema[fieldname])
        known: dict[int, int] = {}
        pw = writer._postwriter
        limit = pw._blocklimit
        for btext, flat in terms:
            docs = flat[0::3]
            weights = flat[1::3]
            values = flat[2::3]
            if docs[0] == -1:  # Whoosh's marker for spelling words, which have no postings
                keep = [i for i, d in enumerate(docs) if d != -1]
                if not keep:
                    continue
                docs = [docs[i] for i in keep]
                weights = [weights[i] for i in keep]
                values = [values[i] for i in keep]
            if lookup is None:
                doc_lengths = [0] * len(docs)
            else:
                doc_lengths = []
                for d in docs:
                    found = known.get(d)
                    if found is None:
                        found = known[d] = lookup(d, fieldname)
                    doc_lengths.append(found)
            writer.start_term(btext)
            n = len(docs)
            for a in range(0, n, limit):
                b = min(a + limit, n)
                _fill_block(pw, docs[a:b], weights[a:b], values[a:b], doc_lengths[a:b])
                if b < n:
                    pw._write_block()
            writer.finish_term()
        writer.finish_field()


def _fill_block(
    pw: Any, docs: list[int], weights: list[float], values: list[bytes | None], lengths: list[int]
) -> None:
    """Buffer a block in `pw` exactly as that many `add_posting` calls would."""
    pw._ids = array("I", docs)
    pw._weights = array("f", weights)
    pw._values = [v for v in values if v]
    top = max(weights)
    pw._maxweight = top if top > 0 else 0
    counted = [n for n in lengths if n]
    pw._minlength = min(counted) if counted else None
    pw._maxlength = max(counted) if counted else 0


def _add_postings(self: Any, schema: Any, lengths: Any, items: Any) -> Any:
    if isinstance(items, GroupedPostings) and type(self) is W3FieldWriter:
        return _write_grouped(self, schema, lengths, items)
    return _original_add_postings(
        self, schema, _CachedLengths(lengths) if lengths else lengths, items
    )


def install(enabled: bool = True) -> None:
    """Use the grouped pool, block writing and the fast analysis for every segment written
    from now on (or, False, Whoosh's own code throughout)."""
    base.FieldWriter.add_postings = _add_postings if enabled else _original_add_postings
    writing.PostingPool = GroupedPool if enabled else _OriginalPool
    fastanalysis.ENABLED = enabled
