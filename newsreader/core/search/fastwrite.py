"""One measured hot spot of Whoosh's segment writing, cut: field lengths looked up per posting.

When a segment is written, `whoosh.codec.base.FieldWriter.add_postings` asks the per-document
reader for the field length of *every posting* (`doc_field_length(docnum, fieldname)`), which
seeks and reads the lengths column on disk each time. An article of 550 words has about 300
postings in its body but one body length, so the same few values are read hundreds of times:
in a profile of a 1,500-article drain this was 14% of the indexer's time (bench/README.md).
`install()` wraps that reader in a per-call dictionary, so each (document, field) length is
read once. The values are the reader's own, so segments are byte-for-byte what they were
(`tests/test_write_lane.py` compares scores with and without it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.codec import base

_original: Callable[..., Any] = base.FieldWriter.add_postings


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


def _add_postings(self: Any, schema: Any, lengths: Any, items: Any) -> Any:
    return _original(self, schema, _CachedLengths(lengths) if lengths else lengths, items)


def install(enabled: bool = True) -> None:
    """Use the cached lookup for every segment written from now on (or, False, undo it)."""
    base.FieldWriter.add_postings = _add_postings if enabled else _original
