"""Whoosh's segment writing with its measured hot spots cut; the segments hold the same.

A commit of Whoosh's `SegmentWriter` used to cost, per posting, in Python (a profile of a
1,500-article drain, bench/README.md):

- **The posting pool.** Every posting was a 5-tuple in `PostingPool`, which estimates about
  150 bytes each and, past `limitmb`, pickles every tuple to a run file on disk, then reads
  them all back through a `heapq` merge at commit. A normal 2,000-article batch (1.3 million
  postings) always spilled. `GroupedPool` keeps postings grouped by (field, term) as flat
  lists of (document, weight, value), counts what that really takes, and spills through
  Whoosh's own run files only beyond `limitmb`; `add_document` hands it a field's postings
  in one call (`GroupedPool.add_field`) instead of one call per posting.
- **Writing postings one at a time.** `FieldWriter.add_postings` walked a sorted stream of
  postings, calling the posting writer (with its type checks) once per posting and reading
  the field length of *every posting* from disk (`doc_field_length`). `_write_grouped` gives
  the posting writer each term's block of up to `POSTING_BLOCK` postings at once, with the
  block statistics computed the way `W3PostingsWriter.add_posting` computes them, and reads
  each field's lengths once per document.
- **zlib on tiny blocks.** Most terms of a segment have one block of one or two postings,
  which zlib only makes longer, at tens of microseconds a call: blocks under
  `COMPRESS_FROM` bytes are written uncompressed (each block records its compression, so
  any Whoosh reads them). This is the one change to the bytes on disk, not to what they say.

Anything else (merging older segments, the multiprocessing writer's runs) takes Whoosh's
path, with the field lengths cached per document (`_CachedLengths`). `install(False)` puts
Whoosh's code back: `tests/test_fastanalysis.py` builds indexes both ways and compares every
term, posting, weight, value, block statistic, stored field and field length.
"""

from __future__ import annotations

import operator
import pickle
import zlib
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import writing
from whoosh.codec import base
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

from newsreader.core.search import fastanalysis

_original_add_postings: Callable[..., Any] = base.FieldWriter.add_postings
_OriginalPool: type[Any] = writing.PostingPool
_original_write_block: Callable[..., Any] = W3PostingsWriter._write_block
_original_add_document: Callable[..., Any] = writing.SegmentWriter.add_document

#: A block's pickled postings shorter than this are written uncompressed: zlib cannot make
#: them smaller (its header and checksum alone take 6 bytes), yet `compress` costs tens of
#: microseconds a call, and most terms of a segment have a block of one or two postings.
#: (Whoosh meant to do this below 20 bytes; its check is overwritten on the next line.)
#: Each block records its own compression, so Whoosh reads either kind.
COMPRESS_FROM = 64

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

    def add_field(
        self, fieldname: str, docnum: int, items: Any, boost: float, scorable: bool
    ) -> int:
        """Add one document's postings in one field (what `add_document` would add one by
        one); returns the field's length in that document, as Whoosh counts it."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        get = terms.get
        length = 0
        size = 0
        for btext, freq, weight, vbytes in items:
            if scorable:
                length += freq
            flat = get(btext)
            if flat is None:
                terms[btext] = [docnum, weight * boost, vbytes]
                size += 150 + len(btext)
            else:
                flat += (docnum, weight * boost, vbytes)
            size += 24 + (len(vbytes) + 33 if vbytes and len(vbytes) > 4 else 0)
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()
        return length

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


def _plain(writer: Any) -> bool:
    """True if no field of the writer's schema has a spelling twin or term vectors (ours has
    none), which `_add_document` leaves to Whoosh's own `add_document`; asked once a writer."""
    plain: bool | None = getattr(writer, "_newsreader_plain", None)
    if plain is None:
        fields = writer.schema.items()
        plain = not any(f.separate_spelling() or f.vector for _, f in fields)
        writer._newsreader_plain = plain
    return plain


def _add_document(self: Any, **fields: Any) -> None:
    """`SegmentWriter.add_document`, adding each field's postings to a `GroupedPool` in one
    call (`GroupedPool.add_field`) rather than one call per posting; the rest is Whoosh's."""
    pool = self.pool
    if not isinstance(pool, GroupedPool) or not _plain(self):
        _original_add_document(self, **fields)
        return
    self._check_state()
    perdocwriter = self.perdocwriter
    schema = self.schema
    docnum = self.docnum
    docboost = self._doc_boost(fields)
    fieldnames = sorted([name for name in fields if not name.startswith("_")])
    self._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                items = field.index(value)
                length = pool.add_field(fieldname, docnum, items, fieldboost, field.scorable)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


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


def _write_block(self: Any, last: bool = False) -> None:
    """`W3PostingsWriter._write_block`, with `COMPRESS_FROM` and the minifying inlined."""
    postfile = self._postfile
    if not self._blockcount:
        postfile.write(WHOOSH3_HEADER_MAGIC)
    self._terminfo.add_block(self)
    ids = self._ids
    if self._byteids:
        mini_ids: Any = tuple(ids)
    else:
        mini_ids = (ids[0], *map(operator.sub, ids[1:], ids[:-1]))
    weights = self._weights
    if weights.count(1.0) == len(weights):
        mini_weights: Any = None
    elif weights.count(weights[0]) == len(weights):
        mini_weights = weights[0]
    else:
        mini_weights = tuple(weights)
    databytes = pickle.dumps((mini_ids, mini_weights, self._mini_values()), 2)
    comp = self._compression if len(databytes) >= COMPRESS_FROM else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    infobytes = pickle.dumps(
        (
            len(ids),
            ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        ),
        2,
    )
    blocklength = len(infobytes) + len(databytes)
    postfile.write_int(-blocklength if last else blocklength)
    postfile.write(infobytes)
    postfile.write(databytes)
    self._blockcount += 1
    self._new_block()


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
    W3PostingsWriter._write_block = _write_block if enabled else _original_write_block
    writing.SegmentWriter.add_document = _add_document if enabled else _original_add_document
    writing.PostingPool = GroupedPool if enabled else _OriginalPool
    fastanalysis.ENABLED = enabled
