"""The Whoosh schema, its analyzers, and how an article becomes an index document.

Kept apart from the index object so that what is indexed (and why) reads in one place. Any
change here that alters indexed terms or stored values must bump `SCHEMA_VERSION`: an index
built with another version is rebuilt when the library opens.
"""

from __future__ import annotations

import functools
import sys
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import STOP_WORDS, Analyzer, Filter, RegexTokenizer, Token, Tokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from newsreader.core.models import Article

#: Bump whenever the schema or an analyzer changes; older indexes are then rebuilt.
#: 5: entity fields moved to documents of their own (`entity_schema`, `ENTITY_INDEX`).
SCHEMA_VERSION = 5

#: The fields a query's plain words search, and how much a match in each counts.
#: Boosts live in the query parser rather than the index so they can be tuned without a rebuild.
TEXT_FIELDS: tuple[str, ...] = ("title", "kicker", "body")
FIELD_BOOSTS: Mapping[str, float] = {"title": 2.0, "kicker": 1.5, "body": 1.0}

#: Entity fields, filled by named-entity recognition. `entity` holds every name of any type.
ENTITY_FIELDS: tuple[str, ...] = ("person", "org", "place", "entity")

#: The unstemmed twin of each text field, which quoted phrases search (see `exact_analyzer`).
EXACT_FIELDS: Mapping[str, str] = {name: f"exact_{name}" for name in TEXT_FIELDS}

#: Postings per block on disk. Whoosh's default (128) makes reading a long posting list
#: mostly per-block overhead; the vectorised scorer (`fastscore`) reads blocks whole, and
#: Whoosh's own matchers (phrases) only decode a little more per skip.
POSTING_BLOCK = 1024

#: Fields a user may name in a query (`title:kursk`). `body_z` and `exact_*` are internal.
QUERY_FIELDS: frozenset[str] = frozenset(
    {*TEXT_FIELDS, "source", "published", "id", *ENTITY_FIELDS}
)

#: The name of the Whoosh index, in the same folder as the text index, that holds one small
#: document per article with names: its id and its entity fields (`entity_schema`). Kept
#: apart so that recognition, which changes only names, re-writes only names: Whoosh cannot
#: change a field of a document, and re-adding a whole article (title, body and their exact
#: twins) to change its names cost more than recognising it (bench/README.md, *Throughput*).
ENTITY_INDEX = "ENTITIES"

#: Names in one entity or source field are separated by this gap in token positions, so a
#: phrase can never match across two names (`person:"Putin Zelensky"` when both are named).
_NAME_GAP = 100


class NameListTokenizer(Tokenizer):  # type: ignore[misc]  # whoosh is untyped
    """Tokenizes newline-separated names (entity names, a source) into words.

    Each name's words sit at consecutive positions so that `person:"Vladimir Putin"` is a
    phrase match, while single words (`person:putin`) still match; a position gap between
    names keeps phrases from straddling two of them.
    """

    def __init__(self) -> None:
        self._words = RegexTokenizer()

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        **kwargs: Any,
    ) -> Iterator[Token]:
        pos = start_pos
        offset = start_char
        for line in value.split("\n"):
            last = pos - 1
            for token in self._words(
                line,
                positions=positions,
                chars=chars,
                start_pos=pos,
                start_char=offset,
                **kwargs,
            ):
                if positions:
                    last = token.pos
                yield token
            pos = last + 1 + _NAME_GAP
            offset += len(line) + 1


#: Porter stems of words seen; C-level `lru_cache` rather than Whoosh's Python-level cache,
#: which alone cost a tenth of bulk-import time.
_stem = functools.lru_cache(maxsize=100_000)(porter_stem)


def _fold(text: str) -> str:
    """Accents folded ("Sánchez" → "sanchez"); pure-ASCII text, nearly all English news,
    skips the translation table."""
    return text if text.isascii() else text.translate(accent_map)


class NewsWordFilter(Filter):  # type: ignore[misc]  # whoosh is untyped
    """Lower-case, fold accents, drop stop words and one-letter words, stem: in one pass.

    Exactly `LowercaseFilter | CharsetFilter(accent_map) | StopFilter() | StemFilter()`
    (stop words still renumber positions, so phrases across them match as before), fused
    because each generator layer costs per token and bulk import tokenises millions of words.
    """

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        position: int | None = None
        for token in tokens:
            text = _fold(token.text.lower())
            if len(text) >= 2 and text not in STOP_WORDS:
                if token.positions:
                    if position is None:
                        position = token.pos
                    else:
                        position += 1
                        token.pos = position
                token.stopped = False
                token.text = _stem(text)
                yield token
            elif not token.removestops:
                token.text = text
                token.stopped = True
                yield token


def stem_word(word: str) -> str | None:
    """The index term `text_analyzer` makes of one word, or None for a word it drops (a stop
    word, a single letter): for marking matches without running the whole analyzer."""
    text = _fold(word.lower())
    return _stem(text) if len(text) >= 2 and text not in STOP_WORDS else None


class FoldFilter(Filter):  # type: ignore[misc]  # whoosh is untyped
    """Lower-case and fold accents (for names, which are not stemmed)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = _fold(token.text.lower())
            yield token


class PackedPositions(formats.Positions):  # type: ignore[misc]  # whoosh is untyped
    """Word positions as a packed little-endian uint32 array rather than Whoosh's pickled
    list of deltas, so that the phrase scorer (`fastscore`) decodes a whole posting block's
    positions with numpy in one step; Whoosh's own phrase matching reads them through
    `decode_positions` as usual. The count in front is Whoosh's (`decode_frequency`)."""

    def encode(self, poslist: Sequence[int]) -> bytes:
        packed = array("I", poslist)
        if sys.byteorder != "little":
            packed.byteswap()
        return bytes(pack_uint(len(packed))) + packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        packed = array("I")
        packed.frombytes(valuestring[4:])
        if sys.byteorder != "little":
            packed.byteswap()
        return packed.tolist()


def exact_analyzer() -> Analyzer:
    """Words as written, for quoted phrases: lower-cased and accents folded, but neither
    stemmed nor stop words dropped, so `"state of emergency"` matches those three words in
    that order and not "states … emerging"."""
    return RegexTokenizer() | FoldFilter()


def codec() -> W3Codec:
    """Whoosh's codec with larger posting blocks (`POSTING_BLOCK`)."""
    return W3Codec(blocklimit=POSTING_BLOCK)


def entity_codec() -> W3Codec:
    """The entity index's codec: `codec()` without compressing posting blocks. Its postings
    are short (a name's articles), so zlib saved little space and was a third of the time
    of writing an article's names (bench/README.md, *Throughput*)."""
    return W3Codec(blocklimit=POSTING_BLOCK, compression=0)


def text_analyzer() -> Analyzer:
    """Words for title, kicker and body: lower-cased, accents folded, stop words dropped,
    stemmed, so that "attacks" finds "attacked" and "Sanchez" finds "Sánchez"."""
    return RegexTokenizer() | NewsWordFilter()


def name_analyzer() -> Analyzer:
    """Whole words of names, not stemmed: "Putin" and "Putins" are different people."""
    return NameListTokenizer() | FoldFilter()


def build_schema() -> fields.Schema:
    """The index schema.

    Stored values are only what a result row shows (id, title, source, published), the
    kicker, and the body compressed with zlib (`body_z`) for snippets. Whoosh keeps stored
    fields as uncompressed pickles, so storing the plain body would roughly double the index
    on disk, while a compressed copy costs about a third of the text and keeps search
    independent of the database (snippets need no SQL round trip, and work on any thread).
    Title, kicker and body are also what a deleted article's words are taken back out of the
    spelling vocabulary from.

    `id` is not tiered (`shift_step=0`): it is looked up exactly, never by range, and tiers
    would write sixteen terms per article instead of one.

    The stemmed text fields keep no positions: quoted phrases search their unstemmed
    `exact_*` twins (with positions) instead, so stemmed phrase matching, which let
    `"state of emergency"` find "states … emerging", is gone, and the stemmed postings stay
    small for the scorer. `published` is sortable (a column) so that results sort by date,
    and `id` so that a match's article id is read without its stored fields.
    """
    # The text fields index through a faster path with the same output (that module's
    # docstring); it imports this module, hence imported here.
    from newsreader.core.search.fastanalysis import ExactText, StemmedText

    names = name_analyzer()
    return fields.Schema(
        id=fields.NUMERIC(int, bits=64, stored=True, unique=True, sortable=True, shift_step=0),
        title=StemmedText(stored=True),
        kicker=StemmedText(stored=True),
        body=StemmedText(),
        exact_title=ExactText(),
        exact_kicker=ExactText(),
        exact_body=ExactText(),
        body_z=fields.STORED(),
        source=fields.TEXT(analyzer=names, stored=True),
        published=fields.DATETIME(stored=True, sortable=True),
        person=fields.TEXT(analyzer=names),
        org=fields.TEXT(analyzer=names),
        place=fields.TEXT(analyzer=names),
        entity=fields.TEXT(analyzer=names),
    )


def text_schema() -> fields.Schema:
    """The schema of the text index: `build_schema` without the entity fields, which live
    in the entity index (`entity_schema`). Queries are still read with `build_schema`, so
    `person:putin` parses as it always did; the scorer looks entity fields up there."""
    schema = build_schema()
    for name in ENTITY_FIELDS:
        schema.remove(name)
    return schema


def entity_schema() -> fields.Schema:
    """The schema of the entity index: the article id and the entity fields.

    The fields analyse names exactly as `build_schema`'s do (same terms, same positions, same
    lengths, hence the same BM25 statistics), but keep their positions packed
    (`PackedPositions`) so that the vectorised scorer answers `person:"vladimir putin"` too.
    """
    from newsreader.core.search.fastanalysis import NameText  # imports this module

    return fields.Schema(
        id=fields.NUMERIC(int, bits=64, stored=True, unique=True, sortable=True, shift_step=0),
        **{name: NameText() for name in ENTITY_FIELDS},
    )


def index_time(value: datetime) -> datetime:
    """The naive datetime that `published:` queries compare against.

    Whoosh dates are naive. An aware time keeps its own wall-clock reading rather than being
    converted to UTC: a reader searching `published:2024-08-06` means the date printed on the
    article, not the date in Greenwich.
    """
    return value.replace(tzinfo=None)


def compress(text: str) -> bytes:
    """zlib level 1: nearly the ratio of level 6 at a fraction of the CPU on bulk import."""
    return zlib.compress(text.encode("utf-8"), 1)


def decompress(data: bytes | None) -> str:
    return zlib.decompress(data).decode("utf-8") if data else ""


def document(
    article: Article, entities: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The Whoosh document for an article (which must have an id).

    `entities` maps an entity type to the names found in the article (canonical names and
    aliases alike). Types with a field of their own (person, org, place) fill that field;
    every name of every type also goes into `entity`, so `entity:nato` finds an organisation
    and `entity:kursk` a place.
    """
    doc = text_document(article)
    names = entity_document(doc["id"], entities)
    del names["id"]
    doc.update(names)
    return doc


def text_document(article: Article) -> dict[str, Any]:
    """An article's document in the text index: `document` without the entity fields."""
    if article.id is None:
        raise ValueError("only stored articles (with an id) can be indexed")
    body = article.body
    captions = [photo.caption for photo in article.photos if photo.caption]
    # Captions are text a reader sees on the page, so they are found; credits are not.
    searched_body = "\n\n".join([body, *captions]) if captions else body
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "body": searched_body,
        "exact_title": article.title,
        "exact_kicker": article.kicker,
        "exact_body": searched_body,
        "body_z": compress(body),
        "source": article.source,
    }
    if article.published is not None:
        doc["published"] = index_time(article.published)
        doc["_stored_published"] = article.published
    return doc


def entity_document(
    article_id: int, entities: Mapping[str, Sequence[str]] | None
) -> dict[str, Any]:
    """An article's entity fields (see `document`) with its id; only the id if it has none."""
    doc: dict[str, Any] = {"id": article_id}
    if entities:
        everything: list[str] = []
        for kind, names in entities.items():
            clean = [name.replace("\n", " ").strip() for name in names if name.strip()]
            if kind in ENTITY_FIELDS and kind != "entity":
                doc[kind] = "\n".join(clean)
            everything.extend(clean)
        if everything:
            doc["entity"] = "\n".join(dict.fromkeys(everything))
    return doc
