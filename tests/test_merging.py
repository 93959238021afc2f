"""The index's merge policy: small merges per commit, bounded idle steps, nothing lost."""

from __future__ import annotations

import inspect
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsreader.core import indexer
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.search import merging

WORDS = [
    "harbour",
    "crane",
    "ship",
    "tide",
    "storm",
    "minister",
    "bank",
    "oil",
    "film",
    "music",
    "court",
    "river",
]
QUERIES = ["harbour", "ship AND tide", "storm OR court", "bank -oil", '"crane ship"', "mini*"]


def _article(n: int) -> Article:
    """Article number `n`, the same however the articles are batched."""
    rng = random.Random(n)
    return Article(
        title=f"Story {n} {rng.choice(WORDS)}",
        paragraphs=(" ".join(rng.choice(WORDS) for _ in range(12)) + f" number{n}.",),
        source="Test wire",
    )


def _articles(count: int, start: int = 0) -> list[Article]:
    return [_article(n) for n in range(start, start + count)]


def _results(library: Library) -> dict[str, list[int]]:
    return {q: sorted(library.search_ids(q)) for q in QUERIES}


# -- the plans, on given segment sizes ----------------------------------------------------------


def test_a_commit_folds_only_the_smallest_segments_within_its_cap() -> None:
    assert merging.commit_plan([250], cap=500) == [0], "the first small batch is folded"
    assert merging.commit_plan([2000, 120, 300, 90], cap=500) == [3, 1], "90 + 120, not 300"
    assert merging.commit_plan([2000, 120, 300, 60], cap=500) == [3, 1, 2]
    assert merging.commit_plan([2000, 5000], cap=500) == [], "big segments stay"
    assert merging.commit_plan([], cap=500) == []


def test_no_commit_plan_rewrites_more_than_the_cap_whatever_the_sizes() -> None:
    rng = random.Random(3)
    for _ in range(500):
        sizes = [rng.choice([1, 10, 250, 499, 500, 501, 2000, 25_000]) for _ in range(30)]
        chosen = merging.commit_plan(sizes, cap=500)
        assert sum(sizes[i] for i in chosen) <= 500
        assert len(set(chosen)) == len(chosen)
        left = [s for i, s in enumerate(sizes) if i not in chosen]
        if chosen and left:
            assert max(sizes[i] for i in chosen) <= min(left), "always the smallest first"


def test_idle_steps_merge_similar_sizes_smallest_first_within_the_step_cap() -> None:
    assert merging.idle_plan([2000] * 15, cap=20_000) == list(range(10))
    # A small segment does not drag a big one through a rewrite...
    assert merging.idle_plan([100, 19_000, 19_500], cap=20_000) == []
    # ...but small ones are merged among themselves, and big ones among themselves.
    assert merging.idle_plan([19_000, 100, 250, 9_000, 9_500], cap=20_000) == [1, 2]
    assert merging.idle_plan([19_000, 9_000, 9_500], cap=20_000) == [1, 2]
    assert merging.idle_plan([20_000, 20_000], cap=20_000) == [], "over the cap together"
    assert merging.idle_plan([5_000], cap=20_000) == []


def test_idle_merging_leaves_a_bounded_number_of_segments_at_any_library_size() -> None:
    for batches, size in ((50, 2000), (20, 5000), (500, 2000), (5000, 2000), (300, 500)):
        sizes = [size] * batches
        total = sum(sizes)
        cap = merging.idle_cap(total)
        rewritten = 0
        while chosen := merging.idle_plan(sizes):
            step = sum(sizes[i] for i in chosen)
            assert step <= cap, "no step rewrites more than the cap"
            rewritten += step
            sizes = [s for i, s in enumerate(sizes) if i not in chosen] + [step]
        assert len(sizes) <= 2 * merging.IDLE_SEGMENTS + 1, (batches, size, len(sizes))
        assert rewritten <= 4 * total, "each document rewritten a few times, not per step"


# -- on a real index ----------------------------------------------------------------------------


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Caps scaled to a test's few hundred articles (the policy's shape, not its numbers)."""
    monkeypatch.setattr(merging, "COMMIT_MERGE_DOCS", 25)
    monkeypatch.setattr(merging, "IDLE_STEP_DOCS", 120)
    monkeypatch.setattr(merging, "IDLE_SEGMENTS", 3)


def _build_in_small_commits(library: Library, commits: int, per_commit: int) -> list[list[int]]:
    """Import and index `commits` batches one commit each; the segment sizes after each."""
    seen = []
    for n in range(commits):
        library.import_items(_articles(per_commit, start=n * per_commit), index=False)
        library.update_index(batch_size=per_commit)
        seen.append(library.index.segment_sizes())
    return seen


@pytest.mark.usefixtures("small_caps")
def test_no_commit_rewrites_more_than_the_cap(library: Library) -> None:
    before: list[int] = []
    for after in _build_in_small_commits(library, commits=30, per_commit=10):
        # Whatever segment is gone was folded into the new one: at most the cap's documents.
        gone = list(before)
        for size in after[:-1]:
            gone.remove(size)
        assert sum(gone) <= merging.COMMIT_MERGE_DOCS, (before, after)
        before = after
    assert len(before) < 30, "small segments were folded along the way"


@pytest.mark.usefixtures("small_caps")
def test_small_commits_and_idle_merges_find_what_an_index_built_at_once_finds(
    library: Library, tmp_path: Path
) -> None:
    _build_in_small_commits(library, commits=20, per_commit=20)
    deleted = library.search_ids("storm")[:15]
    library.delete(deleted)
    library.update_index()
    many = library.index.segment_sizes()
    report = library.tidy_index()
    few = library.index.segment_sizes()
    assert report.steps >= 1 and not report.interrupted
    assert len(few) < len(many) and len(few) <= 2 * merging.IDLE_SEGMENTS + 1
    assert library.index.doc_count() == 400 - len(deleted)
    assert sum(few) < sum(many), "the merged segments dropped their deleted documents"
    assert library.tidy_index().steps == 0, "tidy until nothing is worth merging"

    at_once = Library.open(tmp_path / "at-once")
    try:
        at_once.import_items(_articles(400), index=False)
        for article_id in deleted:  # the same ids: both libraries number from 1
            at_once.delete([article_id])
        at_once.index.rebuild(at_once.storage)  # one writer, one segment
        assert len(at_once.index.segment_sizes()) == 1
        assert _results(library) == _results(at_once)
        assert library.search("storm", limit=None).total == at_once.search("storm").total
    finally:
        at_once.close()


@pytest.mark.usefixtures("small_caps")
def test_idle_merging_gives_way_to_new_articles_and_loses_nothing(library: Library) -> None:
    _build_in_small_commits(library, commits=12, per_commit=20)
    sizes, results = library.index.segment_sizes(), _results(library)

    calls = 0

    def new_import_arrives() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3  # inside the first step, after it started reading segments

    report = library.tidy_index(interrupted=new_import_arrives)
    assert report.interrupted and report.steps == 0
    assert library.index.segment_sizes() == sizes, "the step given up changed nothing"
    assert _results(library) == results

    library.import_items(_articles(5, start=1000), index=False)
    assert library.tidy_index().steps == 0, "articles waiting: indexing them comes first"
    library.update_index()
    assert library.tidy_index().steps >= 1
    assert library.index.doc_count() == 245
    assert _results(library) == {q: sorted(library.search_ids(q)) for q in QUERIES}


@pytest.mark.usefixtures("small_caps")
def test_idle_merging_gives_way_while_writing_the_merged_segment_too(library: Library) -> None:
    _build_in_small_commits(library, commits=12, per_commit=20)
    sizes, results = library.index.segment_sizes(), _results(library)

    def writing_the_merged_segment() -> bool:
        return any(frame.function == "_write_grouped" for frame in inspect.stack())

    report = library.tidy_index(interrupted=writing_the_merged_segment)
    assert report.interrupted and report.steps == 0
    assert library.index.segment_sizes() == sizes and _results(library) == results
    assert library.tidy_index().steps >= 1 and _results(library) == results


def test_idle_merging_waits_a_little_for_recognised_names(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names arriving every few seconds do not stop a step at once; after a while they do."""
    library.import_items(_articles(3), index=False)
    library.update_index()
    library.storage.db.execute(
        "INSERT INTO index_outbox (article_id, change) VALUES (1, 'entities')"
    )
    library.storage.db.commit()
    monkeypatch.setattr(indexer, "TIDY_NAMES_WAIT_S", 3600.0)
    assert not library.tidy_index().interrupted, "one name waiting: tidy went on"
    monkeypatch.setattr(indexer, "TIDY_NAMES_WAIT_S", 0.0)
    assert library.tidy_index().interrupted, "names waited long enough: tidy gave way"


KILL_MID_MERGE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from newsreader.core.library import Library
    from newsreader.core.search import merging
    merging.IDLE_STEP_DOCS, merging.IDLE_SEGMENTS = 120, 3
    library = Library.open(Path(sys.argv[1]), daily_backup=False, update_index=False)
    calls = 0
    def kill_now():
        global calls
        calls += 1
        if calls > int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 inside the merge
        return False
    library.tidy_index(interrupted=kill_now)
    sys.exit(3)  # not reached
    """
)


@pytest.mark.usefixtures("small_caps")
@pytest.mark.parametrize(
    ("checks", "first_step"),
    # The first step makes two checks per segment it reads (documents, postings); later
    # kills land in the second step or between steps.
    [(1, True), (2, True), (4, True), (9, False), (12, False)],
)
def test_a_kill_during_an_idle_merge_loses_nothing(
    library: Library, tmp_path: Path, checks: int, first_step: bool
) -> None:
    _build_in_small_commits(library, commits=12, per_commit=20)
    sizes, results = library.index.segment_sizes(), _results(library)
    directory = library.directory
    library.close()

    script = tmp_path / "kill_mid_merge.py"
    script.write_text(KILL_MID_MERGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(directory), str(checks)], capture_output=True
    )
    assert done.returncode == -9, done.stderr.decode()

    reopened = Library.open(directory, daily_backup=False)
    try:
        if first_step:
            assert reopened.index.segment_sizes() == sizes, "the killed step committed nothing"
        assert reopened.index.doc_count() == 240 and _results(reopened) == results
        assert reopened.tidy_index().steps >= 1, "the next idle moment merges after all"
        assert _results(reopened) == results and reopened.index.doc_count() == 240
        files = [p.name for p in (directory / "index").iterdir() if p.name.startswith("MAIN_")]
        segments = [f for f in files if f != "MAIN_WRITELOCK"]
        assert len(segments) == len(reopened.index.segment_sizes()), "no half-written files"
    finally:
        reopened.close()


@pytest.mark.usefixtures("small_caps")
def test_the_entity_index_folds_small_commits_and_merges_when_idle(library: Library) -> None:
    """Recognition commits names every few seconds: its small segments are folded by the same
    policy, and idle merging tidies the entity index too, finding the same articles."""
    _build_in_small_commits(library, commits=2, per_commit=100)
    ids = library.ids()
    for chunk in range(0, len(ids), 10):  # twenty recognition commits
        batch = ids[chunk : chunk + 10]
        names = {i: {"person": [f"Ada Person{i % 7}"], "place": ["Harbourtown"]} for i in batch}
        articles = library.get_many(batch)
        library.index.update_entities(articles, names)
        sizes = library.index.entity_segment_sizes()
        assert max(sizes) <= merging.COMMIT_MERGE_DOCS + len(batch), "a commit folds small ones"
    many = library.index.entity_segment_sizes()
    want = {q: sorted(library.search_ids(q)) for q in ("person:person3", "place:harbourtown")}
    assert len(want["place:harbourtown"]) == 200 and len(want["person:person3"]) == 29
    library.tidy_index()
    few = library.index.entity_segment_sizes()
    assert len(few) < len(many), "idle merging tidied the entity index"
    assert sum(few) == 200
    assert {q: sorted(library.search_ids(q)) for q in want} == want
