"""What the window and the CLI share through the core: photo-credit placement, first run,
saved searches (migration 5, `newsreader searches`), undated articles last, data_version."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main
from newsreader.core import migrations
from newsreader.core.export import article_to_markdown
from newsreader.core.library import Library
from newsreader.core.migrations import Migration, migrate
from newsreader.core.models import Article, Photo
from newsreader.core.photos import BEFORE_FIRST, photo_text, place_photos
from newsreader.core.saved_searches import SavedSearchError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- photo credits: one rule for the pane, `show` and the export ----------------------------


def test_photo_positions_out_of_range_are_clamped_and_kept_once() -> None:
    photos = (
        Photo(credit="AFP", after_paragraph=-7),
        Photo(credit="Reuters", after_paragraph=0),
        Photo(caption="Smoke over Sudzha.", credit="EPA", after_paragraph=1),
        Photo(credit="AP", after_paragraph=9),
        Photo(after_paragraph=0),  # nothing to show
    )
    placed = place_photos(photos, 2)
    assert {k: [photo_text(p) for p in v] for k, v in placed.items()} == {
        BEFORE_FIRST: ["Photo: AFP"],
        0: ["Photo: Reuters"],
        1: ["Smoke over Sudzha. Photo: EPA", "Photo: AP"],
    }


def test_a_credit_past_the_last_paragraph_shows_after_it_in_every_front_end(
    capsys: pytest.CaptureFixture[str], library: Library
) -> None:
    article = Article(
        title="Harbour plan approved",
        paragraphs=("The council approved the plan.", "Residents cheered."),
        photos=(Photo(caption="The harbour at dawn", credit="Jo Bloggs", after_paragraph=5),),
    )
    [article_id] = library.import_items([article]).new_ids
    line = "The harbour at dawn — Photo: Jo Bloggs"
    markdown = article_to_markdown(article)
    assert markdown.rstrip().endswith(f"*{line}*")
    library.close()
    code, out, _ = run(capsys, "--library", str(library.directory), "show", str(article_id))
    assert code == EXIT_OK
    assert out.index("Residents cheered.") < out.index(f"[{line}]")


# -- first run ------------------------------------------------------------------------------


def test_first_run_seeds_once_and_says_so(library: Library) -> None:
    first = library.first_run()
    assert first.seeded and first.recognise_entities
    assert "imported the bundled sample (5 articles)" in first.welcome
    again = library.first_run()
    assert not again.seeded and again.welcome == "" and not again.recognise_entities


# -- saved searches -------------------------------------------------------------------------


def test_saved_searches_live_in_the_library(library: Library, tmp_path: Path) -> None:
    library.save_search("Greenland", "greenland OR vance")
    library.save_search("Kursk", "kursk")
    library.save_search("Greenland", "greenland")  # re-pointed, keeps its place
    assert [(s.name, s.query) for s in library.saved_searches()] == [
        ("Greenland", "greenland"),
        ("Kursk", "kursk"),
    ]
    with pytest.raises(SavedSearchError):
        library.save_search("  ", "kursk")
    with pytest.raises(SavedSearchError):
        library.save_search("Empty", " ")
    assert library.remove_saved_search("Kursk") and not library.remove_saved_search("Kursk")
    other = Library.open(tmp_path / "other")
    try:
        assert other.saved_searches() == [], "--library keeps saved searches apart"
    finally:
        other.close()


def test_searches_commands_and_search_saved(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "searches", "list")
    assert code == EXIT_OK and "No saved searches" in out
    code, out, _ = run(capsys, "searches", "add", "Kursk", "kursk", "OR", "belgorod")
    assert code == EXIT_OK and "kursk OR belgorod" in out
    code, out, _ = run(capsys, "searches", "list", "--json")
    assert json.loads(out) == [{"name": "Kursk", "query": "kursk OR belgorod"}]
    code, out, _ = run(capsys, "search", "--saved", "Kursk")
    assert code == EXIT_OK and "match 'kursk OR belgorod'" in out and "Ukraine" in out
    code, _, err = run(capsys, "search", "--saved", "Nope")
    assert code == EXIT_NOT_FOUND and "no saved search named 'Nope'" in err
    code, _, err = run(capsys, "search")
    assert code == EXIT_USAGE and "give a query" in err
    code, _, err = run(capsys, "searches", "add", "Only a name")
    assert code == EXIT_USAGE
    code, _, _ = run(capsys, "searches", "remove", "Kursk")
    assert code == EXIT_OK
    code, _, err = run(capsys, "searches", "remove", "Kursk")
    assert code == EXIT_NOT_FOUND


def test_migrate_copes_with_gaps_in_the_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite3.connect(tmp_path / "gap.sqlite3", isolation_level=None)
    first = [
        Migration(1, "a first table", "CREATE TABLE first (x INTEGER);"),
        Migration(5, "a fifth table", "CREATE TABLE fifth (x INTEGER);"),
    ]
    monkeypatch.setattr(migrations, "MIGRATIONS", first)
    assert migrate(db) == [1, 5]
    # Later another branch's migration 3 arrives: a library already at 5 still gets it.
    late = Migration(3, "a later table", "CREATE TABLE late (x INTEGER);")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*first, late])
    assert migrate(db) == [3]
    assert db.execute("SELECT count(*) FROM late").fetchone()[0] == 0
    versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == [1, 3, 5]


# -- undated articles, data_version ---------------------------------------------------------


def test_undated_articles_sort_after_dated_ones_both_ways(library: Library) -> None:
    def art(title: str, when: datetime | None) -> Article:
        return Article(title=title, paragraphs=(f"{title} text.",), published=when)

    library.import_items(
        [
            art("Undated A", None),
            art("Old", datetime(2020, 1, 1, tzinfo=UTC)),
            art("Undated B", None),
            art("New", datetime(2024, 1, 1, tzinfo=UTC)),
        ]
    )

    def titles(descending: bool) -> list[str]:
        ids = library.ids(sort="published", descending=descending)
        return [row.title for row in library.rows(ids)]

    assert titles(True) == ["New", "Old", "Undated A", "Undated B"]
    assert titles(False) == ["Old", "New", "Undated A", "Undated B"]


def test_data_version_changes_when_another_process_writes(library: Library) -> None:
    before = library.data_version()
    assert library.data_version() == before, "reading changes nothing"
    other = sqlite3.connect(library.storage.path, isolation_level=None)
    other.execute("UPDATE articles SET read = 1")
    other.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    other.close()
    assert library.data_version() != before
