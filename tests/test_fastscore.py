"""The vectorised scorer against Whoosh's exhaustive collector, on generated libraries.

`fastscore` is only worth having if it is exactly Whoosh: the same matching articles, in the
same order, with the same total and the same BM25F scores. Here a library is generated from
a small vocabulary (so that words share documents and posting lists are long), written in
several segments with some articles deleted, and hundreds of generated queries (words, AND,
OR, NOT, exclusions, prefixes, fields, dates, exact phrases, fuzzy terms) are answered by
both; any difference fails.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from newsreader.core.models import Article
from newsreader.core.search.fastscore import FastScorer, ScoredCache
from newsreader.core.search.querying import expand_terms, read_query
from newsreader.core.search.schema import build_schema, codec, document

WORDS = (
    "oil",
    "price",
    "prices",
    "priced",
    "market",
    "markets",
    "bank",
    "banks",
    "banking",
    "china",
    "trade",
    "film",
    "films",
    "award",
    "awards",
    "music",
    "economy",
    "economic",
    "economist",
    "state",
    "states",
    "emergency",
    "emerging",
    "government",
    "minister",
    "ministers",
    "rate",
    "rates",
    "interest",
    "chief",
    "executive",
    "growth",
    "record",
)
SMALL = ("the", "of", "in", "a", "and", "to", "is")


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(SMALL) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _articles(seed: int, count: int) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2019, 1, 1)
    articles = []
    for number in range(1, count + 1):
        published = (
            start + timedelta(days=rng.randrange(0, 365 * 5)) if rng.random() < 0.9 else None
        )
        articles.append(
            Article(
                id=number,
                title=_sentence(rng, rng.randrange(2, 8)),
                kicker=rng.choice(["", "", "MARKETS", "WORLD ECONOMY", "Film awards"]),
                paragraphs=tuple(
                    _sentence(rng, rng.randrange(3, 40)) for _ in range(rng.randrange(1, 5))
                ),
                source=rng.choice(["Wire", "Business desk", "Culture desk"]),
                published=published,
            )
        )
    return articles


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """A 600-article index in three segments, with some articles deleted.

    Whoosh ORs the words of a prefix differently below 5,000 documents (unscored, in an
    array) than above (summing their BM25 scores); the reference here is Whoosh as it
    answers a real library, so its OR is pinned to the large-index matcher.
    """
    patch = pytest.MonkeyPatch()
    patch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    folder: Path = tmp_path_factory.mktemp("generated-index")
    ix = whoosh_index.create_in(str(folder), build_schema())
    articles = _articles(20241124, 600)
    for first in range(0, len(articles), 200):
        writer = ix.writer(codec=codec())
        for article in articles[first : first + 200]:
            writer.add_document(**document(article))
        writer.commit(merge=False)
    writer = ix.writer(codec=codec())
    for article_id in range(5, 600, 37):
        writer.delete_by_term("id", article_id)
    writer.commit(merge=False)
    with ix.searcher() as opened:
        assert len(opened.reader().leaf_readers()) >= 3
        assert opened.reader().has_deletions()
        yield opened
    ix.close()
    patch.undo()


def assert_same_as_whoosh(searcher: Searcher, text: str) -> int:
    """Answer `text` both ways and compare everything a user could notice; return the total."""
    read = read_query(searcher.schema, text)
    assert read.query is not None, text
    scorer = FastScorer(searcher, ScoredCache())
    expanded, capped = expand_terms(read.query, searcher.reader())
    assert not capped
    reference = searcher.search(read.query, limit=None)
    expected = [(float(score), int(docnum)) for score, docnum in reference.top_n]
    matches = scorer.search(expanded)
    order = matches.ranked()
    got = list(zip(matches.scores[order].tolist(), matches.docs[order].tolist(), strict=True))
    assert len(got) == len(expected) == len(reference), text
    for (got_score, _), (want_score, _) in zip(got, expected, strict=True):
        assert got_score == pytest.approx(want_score, rel=1e-6, abs=1e-6), text
    # Same order: identical ids wherever scores are not tied to within rounding.
    assert _tie_groups(got) == _tie_groups(expected), text
    return len(expected)


def _tie_groups(ranked: list[tuple[float, int]]) -> list[frozenset[int]]:
    groups: list[set[int]] = []
    last: float | None = None
    for score, docnum in ranked:
        if last is not None and abs(score - last) <= 1e-9 * max(1.0, abs(score)):
            groups[-1].add(docnum)
        else:
            groups.append({docnum})
        last = score
    return [frozenset(g) for g in groups]


FIXED = [
    "oil",
    "prices",
    "oil prices",
    "oil AND prices",
    "film OR music",
    "bank -china",
    "bank NOT china",
    "NOT bank",
    "econom*",
    "mark*",
    "title:oil",
    "title:film award",
    "kicker:markets",
    "source:wire oil",
    '"interest rates"',
    '"chief executive"',
    '"state of emergency"',
    '"the state"',
    '"oil"',
    'title:"oil price"',
    '"interest rate" OR growth',
    "bank published:[2021-01-01 TO 2021-12-31]",
    "published:2022",
    "published:>2022-06-01 film",
    "oil ANDMAYBE prices",
    "(film OR music) AND award -china",
    "economi~",
    "econ*y",
    "[bank TO china]",
    "nothing_like_this",
    "oil nothing_like_this",
]


@pytest.mark.parametrize("text", FIXED)
def test_each_kind_of_query_scores_exactly_as_whoosh(searcher: Searcher, text: str) -> None:
    assert_same_as_whoosh(searcher, text)


def test_the_fixed_queries_are_not_trivially_empty(searcher: Searcher) -> None:
    # A comparison of two empty lists proves nothing: most of these must match something.
    totals = [assert_same_as_whoosh(searcher, text) for text in FIXED]
    assert sum(1 for t in totals if t > 10) >= len(FIXED) - 4


_word = st.sampled_from(WORDS)
_small = st.sampled_from(SMALL)


@st.composite
def _clause(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["word", "word", "prefix", "field", "phrase", "fuzzy", "group"]))
    word = draw(_word)
    if kind == "prefix":
        return word[: draw(st.integers(3, max(3, len(word))))] + "*"
    if kind == "field":
        return f"{draw(st.sampled_from(['title', 'kicker', 'body']))}:{word}"
    if kind == "phrase":
        extra = draw(st.lists(st.one_of(_word, _small), min_size=1, max_size=3))
        return '"' + " ".join([word, *extra]) + '"'
    if kind == "fuzzy":
        return word + "~"
    if kind == "group":
        return f"({word} OR {draw(_word)})"
    return word


@st.composite
def _query(draw: st.DrawFn) -> str:
    parts = [draw(_clause())]
    for _ in range(draw(st.integers(0, 3))):
        joint = draw(st.sampled_from([" ", " AND ", " OR ", " -", " NOT ", " ANDMAYBE "]))
        parts.append(joint + draw(_clause()))
    if draw(st.booleans()) and draw(st.booleans()):
        year = draw(st.integers(2019, 2023))
        parts.append(f" published:[{year}-01-01 TO {year}-12-31]")
    return "".join(parts)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_query())
def test_generated_queries_score_exactly_as_whoosh(searcher: Searcher, text: str) -> None:
    assert_same_as_whoosh(searcher, text)


def test_cached_postings_give_the_same_answer(searcher: Searcher) -> None:
    scorer = FastScorer(searcher, ScoredCache())
    query, _ = expand_terms(read_query(searcher.schema, "oil prices").query, searcher.reader())
    first = scorer.search(query)
    assert len(scorer.cache) > 0
    again = scorer.search(query)
    assert first.docs.tolist() == again.docs.tolist()
    assert first.scores.tolist() == again.scores.tolist()


def test_cache_stays_within_its_bytes(searcher: Searcher) -> None:
    cache = ScoredCache(max_bytes=40_000)
    scorer = FastScorer(searcher, cache)
    for word in WORDS:
        scorer.search(read_query(searcher.schema, word).query)
    assert 0 < cache.bytes <= 40_000
