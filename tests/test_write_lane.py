"""The write lane: the outbox makes the index follow SQLite, undo is exact, imports queue."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from newsreader.core import indexer, migrations
from newsreader.core.entities import recognizer
from newsreader.core.lane import LaneLock
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import ProgressEvent


def _articles(count: int, start: int = 0, word: str = "harbour") -> list[Article]:
    return [
        Article(
            title=f"Story {n} about the {word}",
            paragraphs=(f"Paragraph {n} tells of ships, cranes and the {word} master.",),
            source="Test wire",
        )
        for n in range(start, start + count)
    ]


def _indexed_ids(library: Library) -> list[int]:
    return sorted(library.search_ids("story"))


def _model_or_skip() -> None:
    try:
        recognizer.load()
    except recognizer.ModelMissingError as exc:
        pytest.skip(str(exc))


# -- the outbox ----------------------------------------------------------------------------------


def test_articles_are_listed_at_once_and_searchable_after_the_indexer(library: Library) -> None:
    report = library.import_items(_articles(30), index=False)
    assert library.count() == 30, "listed as soon as the batch committed"
    assert library.index_pending() == 30
    results = library.search("harbour")
    assert results.notice is not None and "30 articles still being indexed" in results.notice
    stats = library.stats()
    assert (stats.articles, stats.indexed) == (30, 0)

    drained = library.update_index()
    assert drained.applied == 30 and library.index_pending() == 0
    results = library.search("harbour", limit=None)
    assert results.total == 30 and results.notice is None
    assert _indexed_ids(library) == sorted(report.new_ids)


def test_applying_the_outbox_twice_is_harmless(library: Library) -> None:
    """A kill after the Whoosh commit but before the rows are deleted applies them again."""
    library.import_items(_articles(10), index=False)
    rows = [r[0] for r in library.storage.db.execute("SELECT article_id FROM index_outbox")]
    library.index.apply(library.storage, rows)  # the commit that happened before the kill
    library.update_index()  # the next drain applies the same rows again
    assert library.index.doc_count() == 10, "no duplicate documents"
    assert library.search("harbour").total == 10


def test_every_change_the_index_shows_writes_an_outbox_row(library: Library) -> None:
    report = library.import_items(_articles(3), index=False)
    first, second, _ = report.new_ids
    db = library.storage.db

    def changes() -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in db.execute("SELECT article_id, change FROM index_outbox")]

    assert changes() == [(i, "article") for i in report.new_ids]
    library.update_index()
    library.set_read([first], True)
    library.set_starred([first], True)
    assert changes() == [], "flags are not in the index, so they queue nothing"
    removed = library.delete([second])
    assert changes() == [(second, "delete")]
    library.restore(removed)
    assert changes() == [(second, "delete"), (second, "article")]
    with library.storage.transaction() as tx:
        tx.execute("UPDATE articles SET title = 'Renamed story' WHERE id = ?", (first,))
    assert changes()[-1] == (first, "article")
    library.update_index()
    assert [h.article_id for h in library.search("renamed").hits] == [first]
    assert library.search("story").total == 3


def test_a_delete_during_an_undrained_import_leaves_no_ghost(library: Library) -> None:
    report = library.import_items(_articles(5), index=False)
    library.delete(report.new_ids[:2])
    library.update_index()
    assert _indexed_ids(library) == sorted(report.new_ids[2:])


def test_a_library_from_before_the_outbox_is_compared_once(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    with Library.open(folder) as library:
        library.import_items(_articles(4))
    # Make it what an older Newsreader left: schema 2, and an index that fell behind.
    db = sqlite3.connect(folder / "library.sqlite3")
    db.executescript(
        "DROP TABLE index_outbox; DROP TRIGGER IF EXISTS index_outbox_article_added;"
        "DELETE FROM schema_migrations WHERE version = 3;"
    )
    for trigger in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {trigger[0]}")
    db.execute(
        "INSERT INTO articles (title, paragraphs, imported, content_hash)"
        " VALUES ('Story late about the harbour', '[\"Late.\"]', '2024-01-01T00:00:00', 'x')"
    )
    db.commit()
    db.close()
    with Library.open(folder) as library:
        assert library.notices == ["search index was out of date; indexed 1 article it lacked"]
        assert library.search("harbour").total == 5
    with Library.open(folder) as library:
        assert library.notices == [], "compared once; from now on the outbox says what is stale"
    assert migrations.MIGRATIONS[2].version == 3


def test_a_damaged_index_is_rebuilt_through_the_lane(library: Library) -> None:
    library.import_items(_articles(6))
    library.close()
    for path in (library.directory / "index").glob("*.toc"):
        path.write_bytes(b"garbage")
    with Library.open(library.directory, update_index=False) as reopened:
        assert reopened.update_index().notices == ["search index was damaged; rebuilt (6 articles)"]
        assert reopened.search("harbour").total == 6 and reopened.index_pending() == 0


# -- undo ------------------------------------------------------------------------------------


def _snapshot(library: Library, article_id: int) -> dict[str, object]:
    article = library.get(article_id)
    return {
        "article": article,
        "mentions": library.mentions(article_id),
        "entities": [(e.name, e.type) for e in library.entities(article_id=article_id)],
        "person": library.search_ids('person:"Vladimir Putin"'),
        "place": library.search_ids("place:kursk"),
        "pending": library.entities_pending(),
    }


def test_undo_of_a_delete_brings_back_flags_mentions_and_index_entry(
    sample_library: Library,
) -> None:
    _model_or_skip()
    library = sample_library
    library.extract_entities(n_process=1)
    [target] = library.search_ids('person:"Vladimir Putin" AND place:kursk')
    library.set_starred([target], True)
    library.set_read([target], True)
    before = _snapshot(library, target)
    assert before["mentions"] and target in before["person"]  # type: ignore[operator]

    removed = library.delete([target])
    library.update_index()
    assert library.mentions(target) == [] and target not in library.search_ids("place:kursk")
    library.extract_entities(n_process=1)  # its end prunes entities no article mentions now

    library.restore(removed)
    library.update_index()
    after = _snapshot(library, target)
    assert after == before
    assert library.entities_pending() == 0, "nothing to recognise again: it came back whole"


def test_undo_of_plain_articles_queues_them_for_recognition(sample_library: Library) -> None:
    library = sample_library
    [target] = library.search_ids("kursk")
    removed = library.delete([target])
    library.restore(list(removed))  # plain articles, without what the delete took
    library.update_index()
    assert library.search_ids("kursk") == [target]
    assert library.get(target) == removed[0]


# -- the lane: one import at a time ------------------------------------------------------------


def test_a_second_import_waits_its_turn_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    first = Library.open(folder)
    second = Library.open(folder)
    events: list[ProgressEvent] = []
    try:
        lane = LaneLock(first.directory, "import")
        with lane.hold():
            worker = threading.Thread(
                target=lambda: second.import_items(_articles(300), progress=events.append)
            )
            worker.start()
            worker.join(1.0)
            assert worker.is_alive(), "the second import waits while the first holds the lane"
        worker.join(30)
        assert not worker.is_alive()
        assert ProgressEvent("wait", 0, None, "another import is running; waiting…") in events
        assert first.count() == 300 and second.search("harbour").total == 300
    finally:
        first.close()
        second.close()


def test_two_imports_at_once_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    libraries = [Library.open(folder) for _ in range(2)]
    errors: list[BaseException] = []
    overlapping = _articles(200, 0) + _articles(200, 1000)

    def run(library: Library, articles: list[Article]) -> None:
        try:
            library.import_items(articles)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(libraries[0], _articles(400, 0))),
        threading.Thread(target=run, args=(libraries[1], overlapping)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert errors == []
        assert libraries[0].count() == 600
        libraries[0].update_index()
        assert libraries[0].index.doc_count() == 600
        assert len(set(libraries[0].search_ids("story"))) == 600
    finally:
        for library in libraries:
            library.close()


def test_import_during_a_search_loop_and_a_delete(library: Library) -> None:
    library.import_items(_articles(100, 0, "lighthouse"))
    stop = threading.Event()
    errors: list[BaseException] = []
    totals: list[int] = []

    def search_loop() -> None:
        while not stop.is_set():
            try:
                totals.append(library.search("lighthouse").total)
            except BaseException as exc:
                errors.append(exc)
                return

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    importer = threading.Thread(target=lambda: library.import_items(_articles(800, 100)))
    importer.start()
    library.delete(library.search_ids("lighthouse")[:10])
    importer.join(120)
    stop.set()
    searcher.join(10)
    library.update_index()
    assert errors == [] and totals, "searches never failed while the import ran"
    assert library.count() == 890
    assert library.search("lighthouse").total == 90
    assert library.index.doc_count() == 890


def test_cli_import_waits_for_another_import(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A story about the harbour\n\nShips.\n", encoding="utf-8")
    with Library.open(folder) as library:
        library.ensure_sample()
    lane = LaneLock(folder.resolve(), "import")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "newsreader", "--library", str(folder)]
    with lane.hold():
        process = subprocess.Popen(
            [*command, "import", "--no-entities", str(corpus)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line == "note: another import is running; waiting…\n"
        assert process.poll() is None, "it waits rather than failing"
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "1 new" in out


def test_indexer_lane_taken_elsewhere_does_not_block(library: Library) -> None:
    library.import_items(_articles(3), index=False)
    with LaneLock(library.directory, "index").hold():
        report = threading_result(lambda: library.update_index(wait=False))
    assert report.ran is False and library.index_pending() == 3
    assert library.update_index().applied == 3


def threading_result(call: object) -> indexer.DrainReport:
    """Run `call` on another thread (a lane is held per thread) and return its result."""
    result: list[indexer.DrainReport] = []
    assert callable(call)
    thread = threading.Thread(target=lambda: result.append(call()))
    thread.start()
    thread.join(30)
    return result[0]


def test_two_process_bulk_indexing_finds_exactly_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path (Whoosh's two-process multisegment writer) against the reference."""
    monkeypatch.setattr(indexer, "BULK_THRESHOLD", 50)
    monkeypatch.setattr(indexer, "BATCH", 120)
    monkeypatch.setattr(indexer, "BULK_BATCH", 120)
    words = ["harbour", "lighthouse", "ferry", "dock", "pier"]
    articles = [a for i, word in enumerate(words) for a in _articles(60, start=i * 100, word=word)]
    libraries = []
    for name, processes in (("one", False), ("two", True)):
        library = Library.open(tmp_path / name)
        library.import_items(articles, index=False)
        assert library.update_index(processes=processes).applied == len(articles)
        libraries.append(library)
    one, two = libraries
    try:
        assert two.index.doc_count() == one.index.doc_count() == len(articles)
        for query in [
            *words,
            "story",
            "ships AND ferry",
            '"harbour master"',
            "dock OR pier",
            "sto*",
        ]:
            # Equal scores may list in another order (documents sit in other segments).
            assert sorted(two.search_ids(query)) == sorted(one.search_ids(query)), query
            scores = [
                sorted(round(h.score, 6) for h in lib.search(query, limit=None).hits)
                for lib in (one, two)
            ]
            assert scores[0] == scores[1] and scores[0], query
        # The bulk path keeps replacing by id: re-applying every row changes nothing.
        two.index.apply(two.storage, two.ids())
        assert two.index.doc_count() == len(articles)
    finally:
        for library in libraries:
            library.close()


# -- the command line ------------------------------------------------------------------------


def test_cli_stats_says_how_far_indexing_and_recognition_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.cli import main

    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_items(_articles(5), index=False)  # and the process was killed
    assert main(["-q", "--library", str(folder), "stats"]) == 0
    out = capsys.readouterr().out
    assert "indexed 0 of 5, recognised 0" in out
    assert main(["-q", "--library", str(folder), "search", "harbour"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 articles match"), "the search brought the index up to date first"
    assert main(["-q", "--library", str(folder), "stats"]) == 0
    assert "indexed 5 of 5, recognised 0" in capsys.readouterr().out


def test_cli_import_without_entities_says_how_to_recognise_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A story about the harbour\n\nShips.\n", encoding="utf-8")
    folder = str(tmp_path / "lib")
    assert main(["--library", folder, "import", "--no-entities", str(corpus)]) == 0
    captured = capsys.readouterr()
    assert "1 new" in captured.out
    assert "run: newsreader entities" in captured.err
    assert main(["-q", "--library", folder, "search", "harbour"]) == 0
    assert "1 article match" in capsys.readouterr().out


def test_cached_field_lengths_score_exactly_as_whoosh_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fastwrite` (field lengths read once per document) against Whoosh's own lookup: the
    lengths written into every posting block, and the scores, are the same."""
    from whoosh import index as whoosh_index

    from newsreader.core.search import fastwrite

    def blocks(library: Library) -> list[tuple[object, ...]]:
        ix = whoosh_index.open_dir(str(library.index.directory))
        reader = ix.reader()
        found: list[tuple[object, ...]] = []
        try:
            for field, text in reader.all_terms():
                matcher = reader.postings(field, text)
                while matcher.is_active():
                    found.append(
                        (
                            field,
                            text,
                            matcher.id(),
                            matcher.block_min_length(),
                            matcher.block_max_length(),
                            matcher.block_max_weight(),
                        )
                    )
                    matcher.next()
        finally:
            reader.close()
            ix.close()
        return found

    words = ["harbour", "lighthouse", "ferry"]
    articles = [
        replace(a, paragraphs=(a.paragraphs[0] * (1 + n % 7),))
        for i, word in enumerate(words)
        for n, a in enumerate(_articles(40, start=i * 100, word=word))
    ]
    scores = []
    written = []
    try:
        for name, cached in (("whoosh", False), ("cached", True)):
            fastwrite.install(cached)
            with Library.open(tmp_path / name) as library:
                library.import_items(articles)
                scores.append(
                    [
                        [(h.article_id, h.score) for h in library.search(q, limit=None).hits]
                        for q in [*words, "story", "ships cranes", "master OR paragraph"]
                    ]
                )
                written.append(blocks(library))
    finally:
        fastwrite.install(True)
    assert written[0] == written[1] and len(written[0]) > 1000
    assert scores[0] == scores[1] and all(scores[0])


def test_an_absorbed_surname_reindexes_the_older_articles(library: Library) -> None:
    """`Putin` seen first, `Vladimir Putin` later: the older article is found by the full name."""
    from newsreader.core.entities import store

    [older] = library.import_items(_articles(1), index=False).new_ids
    with library.storage.transaction() as db:
        db.execute(
            "INSERT INTO entities (id, name, type, key) VALUES (1, 'Putin', 'person', 'putin')"
        )
        db.execute(
            'INSERT INTO mentions (article_id, entity_id, part, start, "end", text)'
            " VALUES (?, 1, -1, 0, 5, 'Putin')",
            (older,),
        )
        db.execute("INSERT INTO entity_articles (entity_id, article_id) VALUES (1, ?)", (older,))
        db.execute(
            "INSERT INTO ner_status (article_id, model, processed) VALUES (?, 'm', 'now')",
            (older,),
        )
    library.update_index()
    assert library.search_ids('person:"Vladimir Putin"') == []
    with library.storage.transaction() as db:
        store.EntityResolver(db).resolve("Vladimir Putin", "person")
        # The library-wide pass after a recognition run folds `Putin` into the full name.
        assert store.consolidate(db) == 1
    assert library.index_pending() == 1
    library.update_index()
    assert library.search_ids('person:"Vladimir Putin"') == [older]


def test_an_updated_article_is_found_by_its_new_text_and_keeps_its_flags(
    library: Library,
) -> None:
    first, second = library.import_items(_articles(2)).new_ids
    library.set_starred([first], True)
    original, other = library.get_many([first, second])
    changed = replace(
        original, title="Story revised about the lighthouse", paragraphs=("The keeper rewrote it.",)
    )
    assert library.update_articles([changed]) == 1
    assert library.index_pending() == 1
    library.update_index()
    assert library.search_ids("keeper") == [first]
    assert first not in library.search_ids("cranes")
    stored = library.get(first)
    assert stored is not None and stored.starred and stored.title == changed.title
    # Content that is already another article's is not taken over.
    clash = replace(changed, title=other.title, paragraphs=other.paragraphs)
    assert library.update_articles([clash]) == 0
    assert library.get(first) == stored
