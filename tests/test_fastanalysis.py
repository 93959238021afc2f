"""The fast indexing path (`fastanalysis`, `fastwrite`) against Whoosh's own: the same postings.

A reader searching must find exactly what Whoosh's analyzers and writer would have indexed;
these tests compare the two paths on generated text, and whole indexes built both ways.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.search import WriterSettings, fastanalysis, fastwrite
from newsreader.core.search import index as search_index
from newsreader.core.search.fastanalysis import ExactText, StemmedText
from newsreader.core.search.schema import TEXT_FIELDS, build_schema

#: Pieces that stress the tokenizer and the filters: stop words, one-letter words, accents
#: (precomposed and combining), final sigma, the dotted capital I (which lower-cases to two
#: characters), other scripts, numbers and decimals, underscores, asterisks, apostrophes,
#: hyphens, and punctuation between and inside words.
_PIECES = [
    "the", "of", "and", "a", "I", "to", "in", "is", "it", "be", "an", "on", "at", "by",
    "Oil", "prices", "PRICES", "attacked", "attacks", "running", "ran", "runner", "caresses",
    "Sánchez", "SÁNCHEZ", "naïve", "Café", "cafe\u0301", "Zürich", "Ærø", "Łódź", "ﬁnance",
    "ΟΔΟΣ", "Σίσυφος", "ΣΑΣ", "σας", "İstanbul", "IŞIK", "straße", "STRASSE", "Москва",
    "北京", "東京都", "مرحبا", "3.14", "2024", "1,000", "a.b.c", "U.S.", "e.g.", "x_y",
    "__init__", "a*b", "*", "don't", "O'Neill", "big-time", "co-operate", "£5m", "50%",
    "x", "zz", "Ⅻ", "½", "²", "٣", "\u00a0", "\u2009", "\u200b", "!", "?", ".", ",", "—",
    "…", "\n", "\n\n", "\t", "  ",
]  # fmt: skip

_texts = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.text(max_size=12),
        st.text(alphabet="aeiouáéíóúßΣσς İıI.'*_-0123456789 ", max_size=20),
    ),
    max_size=60,
).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))

_FIELDS = {
    name: field
    for name, field in build_schema().items()
    if isinstance(field, (StemmedText, ExactText))
}


def _both_ways(field: Any, value: str) -> tuple[list[Any], list[Any]]:
    fastanalysis._recent.clear()
    fast = sorted(field.index(value))
    fastanalysis.ENABLED = False
    try:
        whoosh = sorted(field.index(value))
    finally:
        fastanalysis.ENABLED = True
    return fast, whoosh


def test_the_text_fields_take_the_fast_path() -> None:
    assert set(_FIELDS) == {*TEXT_FIELDS, *(f"exact_{name}" for name in TEXT_FIELDS)}


@settings(max_examples=400, deadline=None, database=None)
@given(value=_texts)
def test_fast_analysis_yields_what_whoosh_yields(value: str) -> None:
    """Term, frequency, weight and encoded value (frequency, or packed positions) of every
    word, in every fast field, as Whoosh's analyzer and format make them."""
    for name, field in _FIELDS.items():
        fast, whoosh = _both_ways(field, value)
        assert fast == whoosh, name


def test_fast_analysis_on_long_and_empty_values() -> None:
    rng = random.Random(8)
    long_text = " ".join(rng.choice(_PIECES) for _ in range(30_000))  # many distinct words
    for value in ("", " ", "...", "the of and", "a", long_text, "Oil " * 2000):
        for name, field in _FIELDS.items():
            fast, whoosh = _both_ways(field, value)
            assert fast == whoosh, (name, value[:40])
    fast, _ = _both_ways(_FIELDS["exact_body"], "Oil " * 2000)
    assert [freq for _, freq, _, _ in fast] == [2000], "past the small packed frequencies"


def test_a_text_shared_by_two_fields_is_split_once_and_never_confused() -> None:
    """`body` and `exact_body` hold the same string object, so the second field reuses the
    first's words; thousands of short-lived texts (whose addresses Python reuses) must each
    still be indexed as their own words."""
    body, exact = _FIELDS["body"], _FIELDS["exact_body"]
    rng = random.Random(5)
    reference = build_schema()
    fastanalysis.ENABLED = True
    for n in range(3000):
        value = " ".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8))) + f" w{n}"
        stemmed, positions = sorted(body.index(value)), sorted(exact.index(value))
        fastanalysis.ENABLED = False
        try:
            assert stemmed == sorted(reference["body"].index(value)), value
            assert positions == sorted(reference["exact_body"].index(value)), value
        finally:
            fastanalysis.ENABLED = True
    value = "Oil prices rose"
    first = fastanalysis.folded_words(value)
    assert fastanalysis.folded_words(value) is first, "one split for both fields"
    assert fastanalysis.folded_words("".join(["Oil prices ", "rose"])) is not first


# -- whole indexes, built both ways ---------------------------------------------------------------


def _corpus(count: int, seed: int) -> list[Article]:
    """Articles of generated text, with a few words common enough for several posting
    blocks (over 1,024 articles each) and others in one article only."""
    rng = random.Random(seed)
    vocabulary = [p for p in _PIECES if p.strip()] + [f"word{n}" for n in range(300)]
    articles = []
    for n in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
        body = " ".join(["harbour", *words, f"unique{seed}x{n}"])
        articles.append(
            Article(
                title=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 6))) + f" {n}",
                kicker=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 3))),
                paragraphs=(body, "The harbour master said so."),
                source=rng.choice(["Test wire", "BBC News", "Le Monde"]),
            )
        )
    return articles


def _contents(directory: Path) -> list[dict[str, Any]]:
    """Everything an index holds, segment by segment: each term's statistics and postings
    (document, weight, value, block statistics), each document's stored fields and field
    lengths, and the field totals."""
    ix = whoosh_index.open_dir(str(directory))
    try:
        with ix.reader() as top:
            return [_segment_contents(reader) for reader, _ in top.leaf_readers()]
    finally:
        ix.close()


def _segment_contents(reader: Any) -> dict[str, Any]:
    postings: list[tuple[Any, ...]] = []
    for field, text in reader.all_terms():
        info = reader.term_info(field, text)
        postings.append((field, text, info.doc_frequency(), info.weight(), info.max_weight()))
        matcher = reader.postings(field, text)
        while not hasattr(matcher, "block_min_length"):  # deleted documents filtered out
            matcher = matcher.child  # the postings as written, deleted documents included
        while matcher.is_active():
            postings.append(
                (
                    matcher.id(),
                    matcher.weight(),
                    matcher.value(),
                    matcher.block_min_length(),
                    matcher.block_max_length(),
                    matcher.block_max_weight(),
                )
            )
            matcher.next()
    names = list(reader.schema.scorable_names())
    docs = [
        (reader.stored_fields(n), [reader.doc_field_length(n, name) for name in names])
        for n in reader.all_doc_ids()
    ]
    totals = [(name, reader.field_length(name)) for name in names]
    return {"postings": postings, "docs": docs, "totals": totals}


def _searches(library: Library) -> list[Any]:
    queries = [
        "harbour", "oil prices", "attacks", "sanchez", "ΟΔΟΣ", "istanbul", '"harbour master"',
        '"oil prices"', "word7 OR word8", "word1 -word2", "title:word3", "source:bbc", "3.14",
        "unique1x5", "wor*",
    ]  # fmt: skip
    found = []
    for q in queries:  # never cut short by the clock (`tests/conftest.py:untimed_searches`)
        results = library.search(q, limit=None)
        assert search_index.TIMED_OUT_NOTICE not in (results.notice or ""), q
        found.append([(h.article_id, round(h.score, 9)) for h in results.hits])
    return found


def _build(folder: Path, fast: bool, settings: WriterSettings | None = None) -> Library:
    fastwrite.install(fast)
    try:
        library = Library.open(folder)
        if settings is not None:
            library.index.settings = settings
        # Two imports, then a delete: the second commit merges the first segment into the
        # pool (Whoosh's `add_reader`), and the delete leaves a hole in the numbering.
        library.import_items(_corpus(1100, seed=1))
        library.import_items(_corpus(300, seed=2))
        library.delete(library.search_ids("unique1x5 OR unique2x7"))
        library.import_items(_corpus(40, seed=3))
        return library
    finally:
        fastwrite.install(True)


@pytest.mark.parametrize(
    "settings",
    [None, WriterSettings(limitmb=1)],
    ids=["in memory", "spilled to run files"],
)
def test_an_index_built_fast_holds_exactly_what_whoosh_builds(
    tmp_path: Path, settings: WriterSettings | None
) -> None:
    built = []
    for name, fast in (("whoosh", False), ("fast", True)):
        library = _build(tmp_path / name, fast, settings)
        try:
            built.append((_contents(library.index.directory), _searches(library)))
        finally:
            library.close()
    (whoosh_contents, whoosh_hits), (fast_contents, fast_hits) = built
    assert sum(len(segment["postings"]) for segment in whoosh_contents) > 10_000
    assert any(len(hits) > 1024 for hits in whoosh_hits), "some term spans several blocks"
    assert fast_contents == whoosh_contents
    assert fast_hits == whoosh_hits and all(whoosh_hits[:3])


def test_the_two_process_writer_takes_the_fast_path_too(tmp_path: Path) -> None:
    """`newsreader import`'s bulk writer (two worker processes, a segment each) finds what
    one process writing one segment finds, with the same scores, both with Whoosh's code and
    with the fast path.

    Which worker gets which batch of documents depends on timing (one may take them all),
    so the segments differ from run to run. BM25F's statistics (document frequencies, field
    lengths, document counts) are the whole index's, so with no deleted documents (which
    Whoosh counts until a merge drops them) scores do not depend on that layout; only the
    order of equal scores does (ties go by document number, which follows
    the segments), so each query's matches and scores are compared, not their order.
    """
    bulk = WriterSettings(procs=2, multisegment=True, merge=False)
    built = []
    for name, fast, writer in (
        ("whoosh", False, bulk),
        ("fast", True, bulk),
        ("one segment", True, WriterSettings()),
    ):
        fastwrite.install(fast)
        try:
            with Library.open(tmp_path / name) as library:
                library.import_items(_corpus(600, seed=4), index=False)
                library.index.apply(library.storage, library.ids(), settings=writer)
                built.append([sorted(hits) for hits in _searches(library)])
        finally:
            fastwrite.install(True)
    assert built[0] == built[1] == built[2]
    assert all(built[0][:3]) and len(built[0][-1]) > 500, "the queries match something"


def _grouped(items: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    pool = fastwrite.GroupedPool(None, None)
    for item in items:
        pool.add(item)
    return iter(pool.items())


def test_the_grouped_pool_sorts_as_whoosh_sorts() -> None:
    """Postings added out of order (a document's term twice, documents backwards) come out
    in the order Whoosh's pool would give them."""
    rng = random.Random(3)
    items = [
        (rng.choice("ab"), rng.choice([b"x", b"y", b"z"]), rng.randint(0, 9), 1.0, b"")
        for _ in range(300)
    ]
    assert list(_grouped(items)) == sorted(items)
