"""The search index as a user meets it: queries, ranking, snippets, and self-repair.

Articles are built in code and stored in a real `Storage`, then indexed through
`SearchIndex.ensure` exactly as `Library.open` does it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsreader.core.library import Library
from newsreader.core.models import Article, SearchResults
from newsreader.core.progress import ProgressEvent
from newsreader.core.search import (
    IndexBusyError,
    SearchCancelled,
    SearchIndex,
    WriterSettings,
    match_spans,
    querying,
)
from newsreader.core.search.querying import FALLBACK_NOTICE, WILDCARD_NOTICE, ReadQuery
from newsreader.core.search.schema import document
from newsreader.core.storage import Storage

KURSK = Article(
    title="Ukrainian troops push deeper into Russia's Kursk region",
    kicker="WAR IN UKRAINE",
    paragraphs=(
        "Ukrainian forces pressed their offensive into the Kursk region of Russia on Wednesday, "
        "the largest cross-border incursion since the war began.",
        "Russian officials said their troops attacked Ukrainian units near the town of Sudzha "
        "and that fighting continued through the night.",
        "The governor of neighbouring Belgorod declared a regional emergency as residents fled "
        "villages close to the border.",
    ),
    source="World desk",
    published=datetime(2024, 8, 7, 9, 30, tzinfo=UTC),
)
HAITI = Article(
    title="Kenyan police officer missing in Haiti after gang ambush",
    kicker="DITCH TACTICS",
    paragraphs=(
        "A Kenyan police officer serving with the multinational security mission in Haiti is "
        "missing after gangs attacked a patrol, officials said.",
        "The gangs dug ditches across roads to trap armoured vehicles before opening fire.",
    ),
    source="Wire",
    published=datetime(2025, 3, 26, 14, 0),
)
GREENLAND = Article(
    title="Vance visits US base in Greenland amid row with Denmark",
    paragraphs=(
        "US Vice President JD Vance arrived at the Pituffik Space Base in Greenland, a trip "
        "that angered Danish and Greenlandic leaders.",
        "Denmark's prime minister called the pressure on Greenland unacceptable.",
    ),
    source="Wire",
    published=datetime(2025, 3, 28, 16, 45),
)
GAS_FIRE = Article(
    title="Gas pipeline fire in Putra Heights injures dozens",
    paragraphs=(
        "A huge fire broke out after a gas pipeline ruptured in Putra Heights, near Kuala "
        "Lumpur, sending flames hundreds of metres into the sky.",
        "Firefighters took hours to bring the blaze under control; dozens of homes burned.",
    ),
    source="Asia desk",
    published=datetime(2025, 4, 1, 8, 10),
)
JAPAN = Article(
    title="Japan drafts plan to evacuate islanders near Taiwan",
    paragraphs=(
        "Japan has drawn up a plan to evacuate about 120,000 residents of its southern islands "
        "within six days in the event of a conflict over Taiwan.",
        "Officials said ferries and aircraft would carry residents to Kyushu and Yamaguchi.",
    ),
    source="Asia desk",
    published=datetime(2025, 3, 27, 7, 0),
)
ENERGY = Article(
    title="European energy ministers meet on winter supplies",
    paragraphs=(
        "Ministers discussed storage levels and a disputed pipeline project, and heard that "
        "transit through Ukrainian territory could end this winter.",
        "Some delegates said fighting in the Kursk area had already disrupted deliveries.",
    ),
    source="Europe desk",
    published=datetime(2024, 11, 20, 12, 0),
)
UNDATED = Article(
    title="Notes from the archive",
    paragraphs=("An undated note about harbour cranes and container traffic.",),
    source="Archive",
)

ARTICLES = (KURSK, HAITI, GREENLAND, GAS_FIRE, JAPAN, ENERGY, UNDATED)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles(ARTICLES)
    yield db
    db.close()


@pytest.fixture
def index(tmp_path: Path, storage: Storage) -> Iterator[SearchIndex]:
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(storage)
    yield search_index
    search_index.close()


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


def ids_by_title(storage: Storage) -> dict[str, int]:
    return {article.title: article.id for article in storage.iter_articles() if article.id}


# -- the query language ----------------------------------------------------------------------------


def test_stemming_finds_other_forms_of_a_word(index: SearchIndex) -> None:
    # The texts say "attacked"; the user types "attacks".
    results = index.search("attacks")
    assert sorted(titles(results)) == sorted([KURSK.title, HAITI.title])


def test_phrase_matches_only_the_words_in_order(index: SearchIndex) -> None:
    assert titles(index.search('"Kursk region"')) == [KURSK.title]
    # Both words are in the Kursk article, but not next to each other in this order.
    assert index.search('"region Kursk"').total == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kursk ukrainian", {KURSK.title, ENERGY.title}),
        ("kursk AND pipeline", {ENERGY.title}),
        ("greenland OR taiwan", {GREENLAND.title, JAPAN.title}),
        ("kursk NOT pipeline", {KURSK.title}),
        ("kursk -pipeline", {KURSK.title}),
        ("pipeline -kursk", {GAS_FIRE.title}),
        ("(greenland OR taiwan) AND -japan", {GREENLAND.title}),
    ],
)
def test_boolean_operators(index: SearchIndex, query: str, expected: set[str]) -> None:
    results = index.search(query)
    assert results.notice is None
    assert set(titles(results)) == expected


def test_hyphenated_words_are_not_read_as_exclusions(index: SearchIndex) -> None:
    # "cross-border" must not mean "cross, but not border".
    assert titles(index.search("cross-border")) == [KURSK.title]


def test_field_query_searches_only_that_field(index: SearchIndex) -> None:
    # "pipeline" is in the titles of the gas fire only; the energy article has it in the body.
    assert titles(index.search("title:pipeline")) == [GAS_FIRE.title]
    assert set(titles(index.search("pipeline"))) == {GAS_FIRE.title, ENERGY.title}
    assert titles(index.search("kicker:ditch")) == [HAITI.title]
    assert set(titles(index.search('source:"asia desk"'))) == {GAS_FIRE.title, JAPAN.title}


def test_field_names_ignore_case(index: SearchIndex) -> None:
    results = index.search("Title:pipeline")
    assert results.notice is None
    assert titles(results) == [GAS_FIRE.title]


def test_prefix_query(index: SearchIndex) -> None:
    results = index.search("ukrain*")
    assert set(titles(results)) == {KURSK.title, ENERGY.title}
    assert results.terms == ("ukrain",)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("published:2024", {KURSK.title, ENERGY.title}),
        ("published:2024-08", {KURSK.title}),
        ("published:2024-08-07", {KURSK.title}),
        ("published:[2024-01 to 2024-09]", {KURSK.title}),
        ("published:[2025-03-27 to 2025-03-28]", {JAPAN.title, GREENLAND.title}),
        # Strictly after the 27th, strictly before 2025; >= and <= include the bound.
        ("published:>2025-03-27", {GREENLAND.title, GAS_FIRE.title}),
        ("published:>=2025-03-27", {JAPAN.title, GREENLAND.title, GAS_FIRE.title}),
        ("published:<2025", {KURSK.title, ENERGY.title}),
        ("published:<=2024-08", {KURSK.title}),
        ("published:2025-03 AND kenyan", {HAITI.title}),
    ],
)
def test_published_date_ranges(index: SearchIndex, query: str, expected: set[str]) -> None:
    results = index.search(query)
    assert results.notice is None
    assert set(titles(results)) == expected


def test_dates_are_matched_by_the_articles_own_clock(tmp_path: Path) -> None:
    # 00:30 in Kyiv on 8 August is still 7 August in UTC; the reader sees "8 August".
    kyiv = timezone(timedelta(hours=3))
    article = Article(
        title="Night strikes",
        paragraphs=("Drones hit Kyiv.",),
        published=datetime(2024, 8, 8, 0, 30, tzinfo=kyiv),
    )
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles([article])
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(db)
    results = search_index.search("published:2024-08-08")
    assert titles(results) == ["Night strikes"]
    # The hit carries the article's own time, zone and all.
    assert results.hits[0].published == article.published
    search_index.close()
    db.close()


# -- results ---------------------------------------------------------------------------------------


def test_title_match_ranks_above_body_match(index: SearchIndex) -> None:
    results = index.search("pipeline")
    assert titles(results) == [GAS_FIRE.title, ENERGY.title]
    assert results.hits[0].score > results.hits[1].score


def test_total_counts_every_match_even_with_a_small_limit(index: SearchIndex) -> None:
    results = index.search("said", limit=1)
    assert len(results.hits) == 1
    assert results.total == 4  # Kursk, Haiti, Japan, Energy
    assert len(index.search("said", limit=None).hits) == 4


@pytest.mark.parametrize("limit", [1, 2, 20, None])
def test_total_of_an_or_query_counts_every_match(index: SearchIndex, limit: int | None) -> None:
    # Said: Kursk, Haiti, Japan, Energy; Greenland: one more; pipeline: Gas fire (+ Energy).
    assert index.search("said OR greenland OR pipeline", limit=limit).total == 6


def test_hit_carries_what_a_result_row_shows(index: SearchIndex, storage: Storage) -> None:
    (hit,) = index.search("greenland denmark").hits
    assert hit.article_id == ids_by_title(storage)[GREENLAND.title]
    assert hit.title == GREENLAND.title
    assert hit.source == "Wire"
    assert hit.published == GREENLAND.published


def test_snippet_marks_the_matched_words(index: SearchIndex) -> None:
    (hit,) = index.search("belgorod").hits
    assert "«Belgorod»" in hit.snippet
    assert "\n" not in hit.snippet
    # Stemmed matches are marked in the form the text has.
    snippet = index.search("attacks pipeline").hits
    assert snippet == ()
    (haiti,) = index.search("gangs ambush").hits
    assert "«gangs»" in haiti.snippet


def test_guillemets_in_the_text_are_not_taken_for_marks(tmp_path: Path) -> None:
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles(
        [Article(title="Paris", paragraphs=("Le président a parlé d'une «pause» à Kursk.",))]
    )
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(db)
    assert search_index.search("kursk").hits[0].snippet == (
        "Le président a parlé d'une “pause” à «Kursk»."
    )
    assert search_index.search("title:paris").hits[0].snippet.count("«") == 0
    search_index.close()
    db.close()


def test_snippet_for_a_title_only_match_is_the_start_of_the_text(index: SearchIndex) -> None:
    (hit,) = index.search("title:drafts").hits
    assert hit.snippet.startswith("Japan has drawn up a plan")
    assert "«" not in hit.snippet


def test_terms_are_the_users_positive_words(index: SearchIndex) -> None:
    results = index.search('"Kursk region" AND attacks -pipeline published:2024 source:wire')
    assert results.terms == ("kursk", "region", "attacks")


def test_search_ids_lists_every_match_in_rank_order(index: SearchIndex, storage: Storage) -> None:
    ids = ids_by_title(storage)
    assert index.search_ids("pipeline") == [ids[GAS_FIRE.title], ids[ENERGY.title]]
    assert len(index.search_ids("said")) == 4
    assert index.search_ids("") == []


def test_empty_and_stop_word_queries_find_nothing_quietly(index: SearchIndex) -> None:
    for query in ("", "   ", "the"):
        results = index.search(query)
        assert (results.total, results.notice) == (0, None)


def test_limit_zero_counts_without_hits(index: SearchIndex) -> None:
    results = index.search("said", limit=0)
    assert (results.total, results.hits) == (4, ())


# Whoosh itself leaves files open while it retries reading a damaged segment (inside the
# call, before our code sees the error); that is its bug, not the behaviour under test.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_damaged_index_during_a_search_is_a_notice_not_a_crash(
    tmp_path: Path, index: SearchIndex
) -> None:
    index.close()
    for segment in (tmp_path / "index").glob("*.seg"):
        segment.write_bytes(b"\x00garbage" * 100)
    damaged = SearchIndex(tmp_path / "index")
    results = damaged.search("belgorod")
    assert results.total == 0
    assert results.notice is not None
    assert "newsreader reindex" in results.notice
    assert damaged.search_ids("belgorod") == []
    damaged.close()


def test_a_query_whoosh_trips_over_is_searched_as_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_search = SearchIndex._search

    def fail_on_syntax(self: SearchIndex, read: ReadQuery, *args: Any) -> SearchResults:
        if read.notice is None:  # the query as parsed, not yet its words
            raise RecursionError("deeply nested query")
        return real_search(self, read, *args)

    monkeypatch.setattr(SearchIndex, "_search", fail_on_syntax)
    results = index.search("title:pipeline")
    assert set(titles(results)) == {GAS_FIRE.title, ENERGY.title}
    assert results.notice == FALLBACK_NOTICE


# -- malformed queries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"kursk region', {KURSK.title}),  # unbalanced quote
        ("(greenland OR denmark", {GREENLAND.title}),  # unbalanced bracket
        ("greenland)", {GREENLAND.title}),
        ("country:greenland denmark", {GREENLAND.title}),  # no such field
        ("title: greenland", {GREENLAND.title}),  # field with nothing after it
        ("greenland AND", {GREENLAND.title}),  # dangling operator
        ("published:greenland", {GREENLAND.title}),  # not a date
        ("published:[to greenland", {GREENLAND.title}),  # unfinished range
        ("OR greenland", {GREENLAND.title}),
    ],
)
def test_malformed_query_falls_back_to_its_words(
    index: SearchIndex, query: str, expected: set[str]
) -> None:
    results = index.search(query)
    assert results.notice == FALLBACK_NOTICE
    assert set(titles(results)) == expected


@pytest.mark.parametrize("query", ["AND", "title:", '"', "OR NOT", ":", "[", "NOT"])
def test_query_of_pure_syntax_is_not_an_error(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert results.notice == FALLBACK_NOTICE
    assert results.total == 0


@pytest.mark.parametrize("query", ["*", "e*", "*ilm", "?", "ab*", "title:k*"])
def test_too_broad_wildcards_are_searched_as_words(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert results.notice == WILDCARD_NOTICE
    assert index.search("kur*").notice is None  # three letters are enough


def test_fuzzy_terms_allow_at_most_two_edits(index: SearchIndex) -> None:
    assert titles(index.search("belgorot~")) == [KURSK.title]  # one edit by default
    # Five edits would turn "taiwan" into nearly anything of six letters; two are kept.
    assert titles(index.search("taiwen~5")) == [JAPAN.title]


# -- did you mean ----------------------------------------------------------------------------------


def test_did_you_mean_corrects_a_misspelt_word(index: SearchIndex) -> None:
    results = index.search("ukranian")
    assert results.total == 0
    assert results.suggestion == "ukrainian"
    # The rest of the query is kept as typed; the case of the word is kept too.
    assert index.search('Ukranian AND "Kursk region"').suggestion == 'Ukrainian AND "Kursk region"'


def test_no_suggestion_for_words_that_are_found(index: SearchIndex) -> None:
    assert index.search("ukrainian").suggestion is None
    assert index.search("kursk").suggestion is None


# -- keeping in step with the database -------------------------------------------------------------


def test_healthy_index_needs_nothing(index: SearchIndex, storage: Storage) -> None:
    assert index.ensure(storage) is None
    assert index.doc_count() == len(ARTICLES)


def test_missing_index_is_rebuilt_with_a_message(tmp_path: Path, storage: Storage) -> None:
    events: list[ProgressEvent] = []
    search_index = SearchIndex(tmp_path / "index")
    message = search_index.ensure(storage, progress=events.append)
    assert message == f"search index was missing; rebuilt ({len(ARTICLES)} articles)"
    assert search_index.doc_count() == len(ARTICLES)
    assert events[-1] == ProgressEvent("index", 7, 7, "search index rebuilt")
    assert titles(search_index.search("belgorod")) == [KURSK.title]
    search_index.close()


def test_corrupt_index_is_rebuilt(tmp_path: Path, index: SearchIndex, storage: Storage) -> None:
    index.close()
    folder = tmp_path / "index"
    for path in folder.iterdir():
        if path.name != "newsreader-index.json":
            path.write_bytes(b"\x00garbage\xff" * 64)
    reopened = SearchIndex(folder)
    message = reopened.ensure(storage)
    assert message is not None
    assert message.startswith("search index was damaged; rebuilt")
    assert titles(reopened.search("belgorod")) == [KURSK.title]
    assert reopened.ensure(storage) is None
    reopened.close()


def test_index_from_an_older_schema_is_rebuilt(
    tmp_path: Path, index: SearchIndex, storage: Storage
) -> None:
    index.close()
    (tmp_path / "index" / "newsreader-index.json").write_text('{"schema_version": 0}')
    reopened = SearchIndex(tmp_path / "index")
    message = reopened.ensure(storage)
    assert message is not None
    assert "rebuilt (7 articles)" in message
    reopened.close()


def test_article_only_in_the_database_is_caught_up(
    tmp_path: Path, index: SearchIndex, storage: Storage
) -> None:
    # As after a crash between the database commit and the index commit.
    index.close()
    storage.add_articles([Article(title="Late news", paragraphs=("Snow fell in Reykjavik.",))])
    reopened = SearchIndex(tmp_path / "index")
    assert reopened.ensure(storage) == "search index was out of date; indexed 1 article it lacked"
    assert titles(reopened.search("reykjavik")) == ["Late news"]
    assert reopened.ensure(storage) is None
    reopened.close()


def test_article_only_in_the_index_is_dropped(
    tmp_path: Path, index: SearchIndex, storage: Storage
) -> None:
    japan = ids_by_title(storage)[JAPAN.title]
    storage.delete([japan])
    assert index.ensure(storage) == (
        "search index was out of date; removed 1 article no longer in the library"
    )
    assert index.search("taiwan").total == 0


def test_index_holding_an_article_twice_is_rebuilt(index: SearchIndex, storage: Storage) -> None:
    # Simulate a duplicate written behind the index's back (Whoosh's own writer, no replace).
    article = storage.get(ids_by_title(storage)[JAPAN.title])
    assert article is not None
    raw = index._index().writer()
    raw.add_document(**document(article))
    raw.commit()
    assert index.search("taiwan").total == 2
    assert (
        index.ensure(storage) == f"search index was out of date; rebuilt ({len(ARTICLES)} articles)"
    )
    assert index.search("taiwan").total == 1


def test_failed_rebuild_keeps_the_old_index(
    tmp_path: Path, index: SearchIndex, storage: Storage
) -> None:
    def broken_progress(event: ProgressEvent) -> None:
        if event.done > 0:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        index.rebuild(storage, progress=broken_progress)
    assert index.doc_count() == len(ARTICLES)
    assert titles(index.search("belgorod")) == [KURSK.title]
    assert not (tmp_path / "index.building").exists()


# -- writing ---------------------------------------------------------------------------------------


def test_delete_removes_articles_from_results(index: SearchIndex, storage: Storage) -> None:
    ids = ids_by_title(storage)
    index.delete([ids[GAS_FIRE.title]])
    assert titles(index.search("pipeline")) == [ENERGY.title]
    assert index.doc_count() == len(ARTICLES) - 1


def test_writer_commits_what_was_added_when_interrupted(
    index: SearchIndex, storage: Storage
) -> None:
    (new_id,) = storage.add_articles([Article(title="Storm", paragraphs=("A typhoon hit Luzon.",))])
    assert new_id is not None
    stored = storage.get(new_id)
    assert stored is not None
    with pytest.raises(KeyboardInterrupt), index.writer() as writer:
        writer.add(stored)
        raise KeyboardInterrupt
    assert titles(index.search("typhoon")) == ["Storm"]


def test_adding_an_article_again_replaces_it(index: SearchIndex, storage: Storage) -> None:
    article = storage.get(ids_by_title(storage)[GREENLAND.title])
    assert article is not None
    with index.writer() as writer:
        writer.add(article)
    assert index.doc_count() == len(ARTICLES)
    assert index.search("greenland").total == 1


def test_delete_during_an_open_writer_joins_it(index: SearchIndex, storage: Storage) -> None:
    ids = ids_by_title(storage)
    with index.writer():
        index.delete([ids[JAPAN.title]])
        assert index.search("taiwan").total == 1  # not committed yet
    assert index.search("taiwan").total == 0


def test_entity_fields_match_names_and_their_words(index: SearchIndex, storage: Storage) -> None:
    article = storage.get(ids_by_title(storage)[KURSK.title])
    assert article is not None
    with index.writer() as writer:
        writer.add(
            article,
            entities={"person": ["Vladimir Putin", "Volodymyr Zelensky"], "place": ["Kursk"]},
        )
    assert titles(index.search('person:"Vladimir Putin"')) == [KURSK.title]
    assert titles(index.search("person:putin")) == [KURSK.title]
    assert titles(index.search("entity:kursk")) == [KURSK.title]
    # A phrase never runs from one name into the next.
    assert index.search('person:"Putin Volodymyr"').total == 0
    assert index.search("place:putin").total == 0


def test_adding_an_article_twice_in_one_session_keeps_one_copy(
    index: SearchIndex, storage: Storage
) -> None:
    # An import adds an article and entity recognition re-adds it before the import commits.
    (new_id,) = storage.add_articles([Article(title="Storm", paragraphs=("A typhoon hit Luzon.",))])
    assert new_id is not None
    stored = storage.get(new_id)
    assert stored is not None
    with index.writer() as writer:
        writer.add(stored)
        writer.add(stored, entities={"place": ["Luzon"]})
    assert index.search("typhoon").total == 1
    assert titles(index.search("place:luzon")) == ["Storm"]
    assert index.doc_count() == len(ARTICLES) + 1


def test_accents_are_folded_both_ways(tmp_path: Path) -> None:
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles([Article(title="Pedro Sánchez wins vote", paragraphs=("Madrid reacts.",))])
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(db)
    assert titles(search_index.search("sanchez")) == ["Pedro Sánchez wins vote"]
    assert titles(search_index.search("Sánchez")) == ["Pedro Sánchez wins vote"]
    search_index.close()
    db.close()


def test_phrase_snippet_marks_each_word(index: SearchIndex) -> None:
    (hit,) = index.search('"regional emergency"').hits
    assert "«regional» «emergency»" in hit.snippet


def test_search_ids_falls_back_like_search(index: SearchIndex, storage: Storage) -> None:
    assert index.search_ids('"belgorod') == [ids_by_title(storage)[KURSK.title]]


def test_deleted_articles_words_leave_the_suggestions(index: SearchIndex, storage: Storage) -> None:
    ids = ids_by_title(storage)
    assert index.search("ukranian").suggestion == "ukrainian"
    # Kursk and Energy are the only articles with "Ukrainian".
    index.delete([ids[KURSK.title], ids[ENERGY.title]])
    assert index.search("ukranian").suggestion is None


def test_lost_vocabulary_is_recounted(tmp_path: Path, index: SearchIndex, storage: Storage) -> None:
    index.close()
    (tmp_path / "index" / "vocabulary.json").unlink()
    reopened = SearchIndex(tmp_path / "index")
    assert reopened.ensure(storage) == "spelling suggestions were missing; rebuilt them"
    assert reopened.search("ukranian").suggestion == "ukrainian"
    reopened.close()


def test_searching_while_another_thread_imports(index: SearchIndex, storage: Storage) -> None:
    new = [
        Article(title=f"Bulletin {n}", paragraphs=(f"Harbour report number {n}.",))
        for n in range(60)
    ]
    storage.add_articles(new)
    stored = list(storage.iter_articles(after_id=len(ARTICLES)))
    errors: list[BaseException] = []
    done = threading.Event()

    def search_until_done() -> None:
        try:
            while not done.is_set():
                index.search("harbour OR kursk")
                index.search_ids("bulletin")
        except BaseException as exc:
            errors.append(exc)

    searcher = threading.Thread(target=search_until_done)
    searcher.start()
    try:
        for start in range(0, len(stored), 20):
            with index.writer() as writer:
                for article in stored[start : start + 20]:
                    writer.add(article)
    finally:
        done.set()
        searcher.join()
    assert errors == []
    assert index.search("harbour").total == len(new) + 1  # the bulletins and the archive note


def test_rebuild_waits_for_a_writer_on_another_thread(index: SearchIndex, storage: Storage) -> None:
    (new_id,) = storage.add_articles([Article(title="Storm", paragraphs=("A typhoon hit Luzon.",))])
    stored = storage.get(new_id or 0)
    assert stored is not None
    writing, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    rebuilt: list[int] = []

    def importer() -> None:
        try:
            with index.writer() as writer:
                writer.add(stored)
                writing.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)

    def rebuild() -> None:
        rebuilt.append(index.rebuild(storage))

    threads = [threading.Thread(target=importer), threading.Thread(target=rebuild)]
    threads[0].start()
    assert writing.wait(10)
    threads[1].start()
    threads[1].join(0.3)
    assert rebuilt == []  # still waiting for the writer
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert rebuilt == [len(ARTICLES) + 1]
    assert titles(index.search("typhoon")) == ["Storm"]


def test_rebuild_inside_a_writer_block_is_refused(index: SearchIndex, storage: Storage) -> None:
    with index.writer(), pytest.raises(RuntimeError):
        index.rebuild(storage)


def test_writing_while_another_process_writes_says_so(tmp_path: Path, index: SearchIndex) -> None:
    # A second SearchIndex on the same folder stands in for a second process.
    other = SearchIndex(tmp_path / "index", settings=WriterSettings(lock_timeout=0.2))
    with index.writer(), pytest.raises(IndexBusyError, match="another Newsreader"):
        other.delete([1])
    other.close()


def test_suggestions_follow_what_another_process_indexed(
    tmp_path: Path, index: SearchIndex, storage: Storage
) -> None:
    other = SearchIndex(tmp_path / "index")
    assert other.search("zepelin").suggestion is None  # loads its vocabulary
    (new_id,) = storage.add_articles(
        [Article(title="Airship", paragraphs=("A zeppelin flew over the harbour.",))]
    )
    stored = storage.get(new_id or 0)
    assert stored is not None
    with index.writer() as writer:
        writer.add(stored)
    assert other.search("zepelin").suggestion == "zeppelin"
    other.close()


# -- through the library ---------------------------------------------------------------------------


def test_library_imports_searches_and_repairs_its_index(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        report = library.import_items(ARTICLES)
        assert report.new == len(ARTICLES)
        assert titles(library.search("belgorod")) == [KURSK.title]
        assert library.search_ids("pipeline") == [
            hit.article_id for hit in library.search("pipeline").hits
        ]
        library.delete(library.search_ids("belgorod"))
        library.update_index()
        assert library.search("belgorod").total == 0
    shutil.rmtree(folder / "index")
    with Library.open(folder) as library:
        assert library.notices == [
            f"search index was missing; rebuilt ({len(ARTICLES) - 1} articles)"
        ]
        assert titles(library.search("pipeline")) == [GAS_FIRE.title, ENERGY.title]


def test_match_spans_marks_what_the_search_matched() -> None:
    text = "Russian troops attacked Ukrainian units; the attack on Ukraine went on."
    assert [text[a:b] for a, b in match_spans(text, ("attacks",))] == ["attacked", "attack"]
    assert [text[a:b] for a, b in match_spans(text, ("ukrain",))] == ["Ukrainian", "Ukraine"]
    assert match_spans(text, ()) == []


def test_the_bundled_sample_answers_right_after_installation(sample_library: Library) -> None:
    results = sample_library.search("kursk")
    assert results.total == 1
    assert "«Kursk»" in results.hits[0].snippet
    assert sample_library.search("ukranian").suggestion == "ukrainian"
    assert sample_library.search("greenland").total == 1


# -- exact phrases, one pass, sorting, bounds (issue 13) -------------------------------------------

EMERGENCY = Article(
    title="Region declares a state of emergency after floods",
    paragraphs=("The governor declared a state of emergency as the river rose.",),
    source="Wire",
    published=datetime(2025, 5, 2, 8, 0),
)
MARKETS = Article(
    title="Nike shares rise",
    paragraphs=("Sales grew in the United States and emerging markets, the company said.",),
    source="Wire",
    published=datetime(2025, 5, 3, 8, 0),
)


@pytest.fixture
def phrase_index(tmp_path: Path) -> Iterator[SearchIndex]:
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles((*ARTICLES, EMERGENCY, MARKETS))
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(db)
    yield search_index
    search_index.close()
    db.close()


def test_a_quoted_phrase_matches_exactly_those_words(phrase_index: SearchIndex) -> None:
    # Stemmed, "states … emerging" would match too; quoted, only the words as written do.
    assert titles(phrase_index.search('"state of emergency"')) == [EMERGENCY.title]
    assert titles(phrase_index.search('"states"')) == [MARKETS.title]
    # Unquoted words are still stemmed: "states" finds "state" as well.
    assert set(titles(phrase_index.search("states emergency"))) >= {EMERGENCY.title}
    assert set(titles(phrase_index.search("state"))) == {EMERGENCY.title, MARKETS.title}


def test_a_phrase_keeps_its_small_words(phrase_index: SearchIndex) -> None:
    assert titles(phrase_index.search('"state emergency"')) == []
    assert titles(phrase_index.search('title:"a state of emergency"')) == [EMERGENCY.title]


def test_an_exclusion_never_lists_an_article_with_the_excluded_word(tmp_path: Path) -> None:
    # Whoosh kept the first candidate of `a -b` unchecked when b's first article came earlier.
    db = Storage(tmp_path / "db.sqlite3")
    db.add_articles((GAS_FIRE, ENERGY, KURSK))  # pipeline, then kursk + pipeline, then kursk
    search_index = SearchIndex(tmp_path / "index")
    search_index.ensure(db)
    assert titles(search_index.search("kursk -pipeline")) == [KURSK.title]
    search_index.close()
    db.close()


def test_one_pass_gives_total_ids_and_highlight(index: SearchIndex, storage: Storage) -> None:
    results = index.search_all("ukrainian OR pipeline", limit=0)
    assert results.hits == ()
    assert results.total == len(results.ids) == 3
    assert list(results.ids) == index.search_ids("ukrainian OR pipeline")
    ranked = index.search("ukrainian OR pipeline", limit=None)
    assert [hit.article_id for hit in ranked.hits] == list(results.ids)
    snippets = index.snippets(results.highlight, results.ids[:2])
    assert set(snippets) == set(results.ids[:2])
    assert all("«" in text for text in snippets.values())


def test_sort_by_date_lists_newest_first_with_the_same_total(index: SearchIndex) -> None:
    by_relevance = index.search_all("kursk OR greenland OR pipeline OR harbour", limit=None)
    by_date = index.search_all("kursk OR greenland OR pipeline OR harbour", limit=None, sort="date")
    assert by_date.total == by_relevance.total == 5
    assert sorted(by_date.ids) == sorted(by_relevance.ids)
    assert [hit.title for hit in by_date.hits] == [
        GAS_FIRE.title,  # 2025-04-01
        GREENLAND.title,  # 2025-03-28
        ENERGY.title,  # 2024-11-20
        KURSK.title,  # 2024-08-07
        UNDATED.title,  # no date: last
    ]
    with pytest.raises(ValueError, match="sort"):
        index.search("kursk", sort="alphabetical")


def test_a_stale_search_is_cancelled_not_finished(index: SearchIndex) -> None:
    with pytest.raises(SearchCancelled):
        index.search_all("kursk", cancelled=lambda: True)


def test_a_very_long_query_is_cut_and_says_so(index: SearchIndex) -> None:
    results = index.search("kursk " + "offensive " * 2_000)
    assert results.notice is not None and "cut" in results.notice
    assert titles(results) == [KURSK.title]


def test_a_huge_range_is_capped_and_says_so(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(querying, "MAX_EXPANSION", 5)
    results = index.search("[a TO z]")
    assert results.notice is not None and "more than 5 words" in results.notice
    assert results.total > 0  # the first five words, alphabetically, are still searched


def test_highlight_marks_what_matched_where_it_matched(index: SearchIndex) -> None:
    text = KURSK.title
    title_only = index.search_all("title:kursk").highlight
    assert title_only is not None
    assert match_spans(text, title_only, "title") == [
        (text.index("Kursk"), text.index("Kursk") + 5)
    ]
    assert match_spans(KURSK.body, title_only, "body") == []
    stemmed = index.search_all("attacks").highlight
    assert stemmed is not None
    assert [KURSK.body[a:b] for a, b in match_spans(KURSK.body, stemmed)] == ["attacked"]
    phrase = index.search_all('"kursk region"').highlight
    assert phrase is not None
    body = KURSK.body
    assert [body[a:b] for a, b in match_spans(body, phrase)] == ["Kursk", "region"]


def test_accented_text_is_marked_on_the_fast_path() -> None:
    text = "Pedro Sánchez said the £5bn “plan” for Sanchez’s party would pass."
    spans = match_spans(text, ["sanchez"])
    assert [text[a:b] for a, b in spans] == ["Sánchez", "Sanchez"]


def test_a_phrase_on_the_sample_finds_only_the_article_that_says_it(
    sample_library: Library,
) -> None:
    # Stemmed, "state of emergency" also matched "United States … emerging" elsewhere.
    results = sample_library.search('"state of emergency"')
    assert [hit.title for hit in results.hits] == [sample_library.search("kursk").hits[0].title]
    assert "«state» «of» «emergency»" in results.hits[0].snippet
