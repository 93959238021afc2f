"""Sources as a user meets them: named after the folder, renamed, moved, removed; and an old
library (schema 1+2, as today's main writes it) migrated without losing anything."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsreader.core import migrations
from newsreader.core.library import Library
from newsreader.core.sources import SourceError
from newsreader.core.storage import ArticleFilter


def _old_library(folder: Path) -> None:
    """A library as main wrote it before sources existed: schema 1+2 only, path labels."""
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "library.sqlite3", isolation_level=None)
    db.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        " applied TEXT NOT NULL)"
    )
    for migration in migrations.MIGRATIONS[:2]:
        assert migration.version in (1, 2)
        db.executescript(migration.sql)
        db.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, datetime('now'))",
            (migration.version, migration.description),
        )
    rows = [
        ("Sample story", "Newsreader sample", "text", "seed-news.txt"),
        ("BBC one", "/data/corpus/bbc-sample", "text", "/data/corpus/bbc-sample/b/001.txt"),
        ("BBC two", "/data/corpus/bbc-sample", "text", "/data/corpus/bbc-sample/b/002.txt"),
        ("Other sample", "/elsewhere/sample", "file", "/elsewhere/sample/x.md"),
        ("Huff", "/data/huffpost.jsonl", "jsonl", "/data/huffpost.jsonl:1"),
    ]
    for n, (title, source, kind, origin) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO articles (title, paragraphs, source, source_kind, origin, imported,"
            " content_hash, read, starred) VALUES (?, ?, ?, ?, ?, '2024-01-01T00:00:00+00:00',"
            " ?, ?, ?)",
            (title, json.dumps([f"Text of {title}."]), source, kind, origin, f"h{n}", n % 2, 0),
        )
    db.execute("INSERT INTO meta VALUES ('sample_seeded', '1')")
    db.close()


def test_an_old_library_migrates_to_named_sources_without_losing_anything(tmp_path: Path) -> None:
    _old_library(tmp_path / "old")
    with Library.open(tmp_path / "old") as lib:
        assert lib.notices == ["search index was missing; rebuilt (5 articles)"]
        assert lib.count() == 5
        sources = {s.name: s for s in lib.source_list()}
        assert set(sources) == {"Newsreader sample", "bbc-sample", "sample", "huffpost.jsonl"}
        assert sources["bbc-sample"].kind == "folder"
        assert sources["bbc-sample"].location == "/data/corpus/bbc-sample"
        assert sources["bbc-sample"].articles == 2
        assert sources["Newsreader sample"].kind == "sample"
        assert sources["huffpost.jsonl"].kind == "dataset"
        assert dict(lib.sources())["bbc-sample"] == 2, "the sidebar shows the folder's name"
        assert lib.count(ArticleFilter(unread=True)) == 2, "read flags kept"
        # The index was rebuilt with the new names: search hits show them.
        hit = lib.search("BBC one").hits[0]
        assert hit.source == "bbc-sample"
        assert "bbc-sample" in lib.to_markdown(hit.article_id)
        versions = [r[0] for r in lib.storage.db.execute("SELECT version FROM schema_migrations")]
        assert 4 in versions
    with Library.open(tmp_path / "old") as lib:  # and opening again changes nothing
        assert lib.count() == 5 and len(lib.source_list()) == 4
        assert lib.notices == []


def test_migration_keeps_the_path_when_two_folders_share_a_name(tmp_path: Path) -> None:
    _old_library(tmp_path / "old")
    db = sqlite3.connect(tmp_path / "old" / "library.sqlite3", isolation_level=None)
    db.execute(
        "INSERT INTO articles (title, paragraphs, source, source_kind, origin, imported,"
        " content_hash) VALUES ('Again', '[\"x\"]', '/third/bbc-sample', 'text', 'o',"
        " '2024-01-01T00:00:00+00:00', 'h9')"
    )
    db.close()
    with Library.open(tmp_path / "old") as lib:
        names = {s.name for s in lib.source_list()}
        assert {"/data/corpus/bbc-sample", "/third/bbc-sample"} <= names


def test_importing_a_folder_names_the_source_after_it(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "bbc-sample"
    folder.mkdir()
    (folder / "001.txt").write_text("A title\n\nA first paragraph of news.\n", encoding="utf-8")
    library.import_paths([folder])
    assert dict(library.sources()) == {"bbc-sample": 1}
    [source] = library.source_list()
    assert (source.kind, source.location) == ("folder", str(folder.resolve()))
    # Another folder of the same name elsewhere gets a name of its own.
    other = tmp_path / "x" / "bbc-sample"
    other.mkdir(parents=True)
    (other / "002.txt").write_text("Other\n\nAnother paragraph entirely.\n", encoding="utf-8")
    library.import_paths([other])
    assert dict(library.sources()) == {"bbc-sample": 1, "bbc-sample (2)": 1}


def test_rename_and_move_a_source(sample_library: Library) -> None:
    [sample] = sample_library.source_list()
    renamed = sample_library.rename_source(sample.id, "  Starter   pack ")
    assert renamed.name == "Starter pack"
    assert dict(sample_library.sources()) == {"Starter pack": 5}
    sample_library.update_index()  # the index follows the rename through the outbox
    assert {h.source for h in sample_library.search("kursk").hits} == {"Starter pack"}
    sample_library.move_source(sample.id, "Reading/ Later ")
    assert sample_library.find_source("Starter pack").folder == "Reading/Later"
    sample_library.import_items([])  # any write afterwards keeps the name
    with pytest.raises(SourceError, match="needs a name"):
        sample_library.rename_source(sample.id, "   ")
    with pytest.raises(SourceError, match="no source named 'nope'"):
        sample_library.find_source("nope")


def test_renaming_to_a_taken_name_is_refused(library: Library, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(f"T {name}\n\nBody {name} text.\n")
        library.import_paths([tmp_path / name])
    with pytest.raises(SourceError, match="already called 'b'"):
        library.rename_source(library.find_source("a").id, "b")
