"""Damaged, emptied and missing library databases: one clear message, backups, restore, repair.

Every library here is built by the test itself (generated articles, imported through the
facade), then damaged the way disks and users damage files: garbage over the first pages,
garbage over a page in the middle, a 0-byte file, a deleted file.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.cli import EXIT_DAMAGED, EXIT_OK, main
from newsreader.core import backup, index_salvage, integrity, migrations, paths
from newsreader.core.index_salvage import ORIGIN
from newsreader.core.integrity import DamagedLibraryError, MissingDatabaseError
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.storage import ArticleFilter, Storage

ARTICLES = 300
_TEXT = (
    "the minister said talks on energy prices would resume after the council met in Kursk"
    " while police reported protests near the market and analysts expected a deal"
)
_WORDS = _TEXT.split()


def generated(count: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    return [
        Article(
            title=f"Report {n}: " + " ".join(rng.choices(_WORDS, k=5)),
            paragraphs=tuple(
                " ".join(rng.choices(_WORDS, k=rng.randint(30, 140))) + "."
                for _ in range(rng.randint(2, 6))
            ),
            byline="By A. Writer",
            source="generated",
            url=f"https://example.com/{n}",
        )
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed library of `ARTICLES` articles, some starred and some read (built once)."""
    folder = tmp_path_factory.mktemp("template") / "lib"
    with Library.open(folder) as lib:
        report = lib.import_items(generated(ARTICLES))
        assert report.new == ARTICLES
        lib.set_starred(list(range(1, 11)))
        lib.set_read(list(range(11, 31)))
    shutil.rmtree(folder / backup.BACKUP_DIRNAME, ignore_errors=True)
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template library for one test to damage."""
    target = tmp_path / "lib"
    shutil.copytree(template, target)
    return target


def db_file(folder: Path) -> Path:
    return folder / paths.DB_FILENAME


def pages_of(folder: Path, table: str, pagetype: str) -> list[int]:
    db = sqlite3.connect(db_file(folder))
    try:
        rows = db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
            (table, pagetype),
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a table's pages with")
    finally:
        db.close()
    return [row[0] for row in rows]


def garble(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(offset).randbytes(length))


def garble_page(folder: Path, page: int) -> None:
    garble(db_file(folder), (page - 1) * 4096, 4096)


def garble_middle_leaf(folder: Path) -> None:
    """Garbage over one page of article rows in the middle of the file."""
    leaves = pages_of(folder, "articles", "leaf")
    garble_page(folder, leaves[len(leaves) // 2])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def index_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / paths.INDEX_DIRNAME).iterdir()}


# -- one clear message ------------------------------------------------------------------------

COMMANDS = [["list"], ["stats"], ["show", "5"], ["export", "5", "-o", "-"], ["entities"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("where", ["first pages", "further in", "an index page", "cut short"])
def test_a_damaged_database_gets_one_clear_message_in_the_cli(
    folder: Path, where: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if where == "first pages":
        garble(db_file(folder), 0, 3 * 4096)
    elif where == "further in":
        garble_middle_leaf(folder)
    elif where == "an index page":
        garble_page(folder, pages_of(folder, "articles_imported", "leaf")[-1])
    else:
        with db_file(folder).open("r+b") as handle:
            handle.truncate(db_file(folder).stat().st_size // 2)
    before = db_file(folder).read_bytes()
    code, out, err = run(capsys, "--library", str(folder), *command)
    assert code == EXIT_DAMAGED
    assert out == ""
    assert err.count("\n") == 1, "one message"
    assert str(db_file(folder)) in err and "is damaged" in err
    assert "no automatic backup yet" in err and "repair` salvages" in err
    assert db_file(folder).read_bytes() == before, "nothing was written to the damaged file"


def test_the_command_line_prints_no_traceback(folder: Path) -> None:
    garble_middle_leaf(folder)
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "--library", str(folder), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == EXIT_DAMAGED
    assert "Traceback" not in done.stderr and "is damaged" in done.stderr


def test_damage_the_quick_check_did_not_reach_still_gets_the_message(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big library is checked at open only as far as the time bound allows."""
    garble_middle_leaf(folder)
    monkeypatch.setattr(integrity, "QUICK_CHECK_SECONDS", 0.0)
    argv = ["--library", str(folder), "export", "--search", "minister", "-o", "-"]
    code, _, err = run(capsys, *argv)
    assert code == EXIT_DAMAGED
    assert "is damaged" in err and "repair" in err


def test_the_quick_check_stops_at_its_time_bound(folder: Path) -> None:
    db = sqlite3.connect(db_file(folder))
    try:
        assert integrity.quick_check(db, seconds=0.0) == integrity.CheckResult(complete=False)
        assert integrity.quick_check(db, seconds=None).ok
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
    finally:
        db.close()


def test_the_full_check_finds_what_the_quick_check_cannot(folder: Path) -> None:
    """An index that no longer matches its table: only `integrity_check` compares them."""
    db = sqlite3.connect(db_file(folder))
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX articles_source ON articles (title)'"
        " WHERE name = 'articles_source'"
    )
    db.commit()
    db.close()
    with Library.open(folder) as lib:  # the quick check at open passes
        message = lib.check_health()
    assert message is not None and "is damaged" in message and "repair" in message


def test_a_sound_library_is_healthy_and_gets_its_daily_backup(folder: Path) -> None:
    with Library.open(folder, daily_backup=False) as lib:
        assert backup.list_backups(folder) == []
        assert lib.check_health() is None
    assert [b.reason for b in backup.list_backups(folder)] == ["daily"]


# -- a missing or empty database beside an index ----------------------------------------------


@pytest.mark.parametrize("state", ["empty (0 bytes)", "missing"])
def test_a_missing_database_is_never_taken_for_a_new_library(
    folder: Path, state: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if state == "missing":
        db_file(folder).unlink()
    else:
        db_file(folder).write_bytes(b"")
    index_before = index_files(folder)
    with pytest.raises(MissingDatabaseError, match=rf"is {re.escape(state)}.*holds {ARTICLES}"):
        Library.open(folder)
    code, out, err = run(capsys, "--library", str(folder), "list")
    assert code == EXIT_DAMAGED and out == ""
    assert "repair" in err and "rebuilds the 300 articles from the search index" in err
    assert "sample" not in err
    assert index_files(folder) == index_before, "the index is untouched"
    assert not db_file(folder).exists() or db_file(folder).stat().st_size == 0


def test_with_a_backup_the_missing_database_message_offers_restore(folder: Path) -> None:
    with Library.open(folder) as lib:
        lib.backup()
    db_file(folder).unlink()
    with pytest.raises(MissingDatabaseError) as caught:
        Library.open(folder)
    message = str(caught.value)
    assert "restore` puts back the newest backup" in message and "repair" not in message


def test_a_new_folder_or_one_with_an_empty_index_is_a_new_library(tmp_path: Path) -> None:
    with Library.open(tmp_path / "new") as lib:
        assert lib.count() == 0
    (tmp_path / "new" / paths.DB_FILENAME).unlink()
    with Library.open(tmp_path / "new") as lib:  # its index is empty: nothing to lose
        assert lib.count() == 0


def test_repair_rebuilds_a_missing_database_from_the_index(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    storage = Storage(db_file(folder))
    originals = {a.id: a for a in storage.iter_articles() if a.id is not None}
    storage.close()
    db_file(folder).unlink()
    code, out, _ = run(capsys, "--library", str(folder), "repair")
    assert code == EXIT_OK
    assert f"{ARTICLES} rebuilt from the search index" in out and "Lost: no articles" in out
    with Library.open(folder) as lib:
        assert lib.count() == ARTICLES and lib.stats().indexed == ARTICLES
        for article in lib.get_many(sorted(originals)):
            assert article.id is not None
            original = originals[article.id]
            assert (article.title, article.paragraphs) == (original.title, original.paragraphs)
            assert article.origin == ORIGIN
        assert lib.search("minister").total > 0


# -- repair ----------------------------------------------------------------------------------


def test_repair_salvages_the_readable_rows_and_fills_the_rest_from_the_index(
    folder: Path,
) -> None:
    garble_middle_leaf(folder)
    damaged = db_file(folder).read_bytes()
    report = Library.repair(folder)
    assert 0 < report.recovered < ARTICLES
    assert report.recovered + report.rebuilt == ARTICLES and report.lost_ids == []
    assert report.kept is not None and report.kept.read_bytes() == damaged
    with Library.open(folder) as lib:
        assert lib.count() == ARTICLES
        # Rows read back keep everything, flags included.
        assert lib.count(ArticleFilter(starred=True)) == 10
        recovered = [a for a in lib.get_many(list(range(1, ARTICLES + 1))) if a.origin != ORIGIN]
        assert len(recovered) == report.recovered
        assert all(a.byline == "By A. Writer" and a.url for a in recovered)
        assert lib.check_health() is None


def test_repair_reports_the_articles_it_could_not_get_back(folder: Path) -> None:
    garble_middle_leaf(folder)
    shutil.rmtree(folder / paths.INDEX_DIRNAME)
    # Without the index, what the damaged page held is gone; the database's own indexes
    # still list those ids, so the loss is reported, not hidden.
    report = Library.repair(folder)
    assert report.rebuilt == 0 and 0 < report.recovered < ARTICLES
    with Library.open(folder) as lib:
        assert lib.count() == report.recovered
        present = set(lib.ids())
    assert "Lost:" in report.summary()
    assert set(report.lost_ids).isdisjoint(present)


def test_repair_of_a_database_with_garbage_over_its_first_pages(folder: Path) -> None:
    garble(db_file(folder), 0, 2 * 4096)
    report = Library.repair(folder)
    assert report.articles == ARTICLES and report.lost_ids == []
    assert report.problems, "what was wrong is on record"
    with Library.open(folder) as lib:
        assert lib.count() == ARTICLES


def test_repair_past_a_damaged_page_steps_on_by_rowid(folder: Path) -> None:
    """A scan stops at the bad page; the rows after it are still read back."""
    leaves = pages_of(folder, "articles", "leaf")
    garble_page(folder, leaves[1])
    shutil.rmtree(folder / paths.INDEX_DIRNAME)
    report = Library.repair(folder)
    with Library.open(folder) as lib:
        ids = lib.ids(sort="imported", descending=False)
    assert ARTICLES in ids, "rows after the damaged page were read back"
    assert report.recovered == len(ids) and report.recovered > ARTICLES * 0.8


# -- backups ---------------------------------------------------------------------------------


def test_open_takes_one_daily_backup_a_day_and_it_is_a_sound_copy(folder: Path) -> None:
    with Library.open(folder):
        pass
    with Library.open(folder):
        pass
    taken = backup.list_backups(folder)
    assert [b.reason for b in taken] == ["daily"]
    copy = sqlite3.connect(taken[0].path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
        assert integrity.quick_check(copy, seconds=None).ok
    finally:
        copy.close()
    assert not Path(f"{taken[0].path}-wal").exists()
    storage = Storage(db_file(folder))
    try:
        later = datetime.now(UTC) + timedelta(hours=25)
        assert backup.take_daily_if_due(storage.db, folder, now=later) is not None
    finally:
        storage.close()
    assert len(backup.list_backups(folder)) == 2


def test_no_backup_of_an_empty_library(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib"):
        pass
    assert backup.list_backups(tmp_path / "lib") == []


def test_backups_rotate_keeping_the_newest(folder: Path) -> None:
    storage = Storage(db_file(folder))
    try:
        made = [backup.take(storage.db, folder, "daily") for _ in range(backup.KEEP["daily"] + 2)]
        backup.take(storage.db, folder, "manual")
    finally:
        storage.close()
    kept = backup.list_backups(folder)
    daily = [b for b in kept if b.reason == "daily"]
    assert [b.path for b in daily] == [b.path for b in reversed(made)][: backup.KEEP["daily"]]
    assert [b.reason for b in kept].count("manual") == 1


def test_a_damaged_database_is_never_backed_up_over_good_backups(folder: Path) -> None:
    with Library.open(folder) as lib:
        good = lib.backup()
    garble_middle_leaf(folder)
    storage = sqlite3.connect(db_file(folder))
    try:
        with pytest.raises(DamagedLibraryError):
            backup.take(storage, folder, "manual")
    finally:
        storage.close()
    assert good in backup.list_backups(folder)
    assert [b.reason for b in backup.list_backups(folder)].count("manual") == 1
    assert not list((folder / backup.BACKUP_DIRNAME).glob(".incoming-*"))


def test_a_backup_is_taken_before_migrating_an_existing_library(tmp_path: Path) -> None:
    path = tmp_path / "lib" / paths.DB_FILENAME
    path.parent.mkdir()
    old = sqlite3.connect(path, isolation_level=None)
    first = migrations.MIGRATIONS[0]
    old.executescript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        " applied TEXT NOT NULL);"
        f"BEGIN; {first.sql} INSERT INTO schema_migrations VALUES (1, 'v1', 'then'); COMMIT;"
    )
    old.execute(
        "INSERT INTO articles (title, paragraphs, imported, content_hash)"
        " VALUES ('Old', '[\"text\"]', '2020-01-01T00:00:00+00:00', 'h')"
    )
    old.close()
    Storage(path).close()
    taken = backup.list_backups(path.parent)
    assert [b.reason for b in taken] == ["migration"]
    copy = sqlite3.connect(taken[0].path)
    try:
        assert migrations.schema_version(copy) == 1
        assert copy.execute("SELECT title FROM articles").fetchall() == [("Old",)]
    finally:
        copy.close()
    Storage(path).close()  # nothing pending: no second backup
    assert len(backup.list_backups(path.parent)) == 1


# -- restore ---------------------------------------------------------------------------------


@pytest.fixture
def backed_up(folder: Path) -> Iterator[Path]:
    """A library with a backup, then one more article and one more star after it."""
    with Library.open(folder) as lib:
        lib.backup()
        lib.import_items([Article(title="After the backup", paragraphs=("Newer text.",))])
    yield folder


def test_restore_puts_the_backup_back_and_rebuilds_newer_articles_from_the_index(
    backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garble_middle_leaf(backed_up)
    damaged = db_file(backed_up).read_bytes()
    code, _, err = run(capsys, "--library", str(backed_up), "list")
    assert code == EXIT_DAMAGED and "restore` puts back the automatic backup of" in err
    code, out, _ = run(capsys, "--library", str(backed_up), "restore")
    assert code == EXIT_OK
    assert f"{ARTICLES + 1} articles" in out and "1 article added since the backup" in out
    kept = list(backed_up.glob(f"{paths.DB_FILENAME}.before-restore-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    with Library.open(backed_up) as lib:
        assert lib.count() == ARTICLES + 1
        assert lib.count(ArticleFilter(starred=True)) == 10
        assert [h.title for h in lib.search('"After the backup"').hits] == ["After the backup"]


def test_restore_lists_backups_and_skips_a_damaged_one(
    backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(backed_up) as lib:
        newer = lib.backup()
    garble(newer.path, 4096 * 3, 4096 * 4)
    code, out, _ = run(capsys, "--library", str(backed_up), "restore", "--list")
    assert code == EXIT_OK and out.count("(manual)") == 2
    report = Library.restore_backup(backed_up)
    assert report.backup.path != newer.path
    assert report.articles == ARTICLES + 1


def test_backup_command_and_restore_of_a_chosen_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--library", str(folder), "backup")
    assert code == EXIT_OK and "Backed up the library to" in out
    made = backup.newest(folder, "manual")
    assert made is not None
    with Library.open(folder) as lib:
        lib.delete([1, 2, 3])
    # The index no longer has the deleted articles, so they come back from the backup only.
    code, out, _ = run(capsys, "--library", str(folder), "restore", str(made.path))
    assert code == EXIT_OK
    with Library.open(folder) as lib:
        assert lib.count() == ARTICLES and lib.stats().indexed == ARTICLES


def test_restore_without_backups_says_so(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--library", str(folder), "restore")
    assert code != EXIT_OK and "there are no backups" in err
    with Library.open(folder) as lib:
        assert lib.count() == ARTICLES


def test_repair_leaves_a_sound_library_alone(
    folder: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = db_file(folder).read_bytes()
    code, out, _ = run(capsys, "--library", str(folder), "repair")
    assert code == EXIT_OK and "nothing to repair" in out
    assert db_file(folder).read_bytes() == before
    assert not list(folder.glob("*.damaged-*")) and not list(folder.glob(".repair*"))
    code, _, err = run(capsys, "--library", str(tmp_path / "nowhere"), "repair")
    assert code != EXIT_OK and "there is no library at" in err


def test_the_index_gives_back_title_text_kicker_source_and_date(tmp_path: Path) -> None:
    published = datetime(2024, 8, 6, 10, 30, tzinfo=UTC) + timedelta(hours=3)
    original = Article(
        title="Kursk",
        kicker="DITCH TACTICS",
        paragraphs=("One.", "Two."),
        source="S",
        published=published,
        byline="lost",
        url="https://example.com/lost",
    )
    with Library.open(tmp_path / "lib") as lib:
        lib.import_items([original])
    contents = index_salvage.read_index(tmp_path / "lib" / paths.INDEX_DIRNAME)
    assert contents is not None and contents.ids == {1}
    [rebuilt] = contents.articles()
    assert (rebuilt.id, rebuilt.title, rebuilt.kicker, rebuilt.paragraphs, rebuilt.source) == (
        1,
        "Kursk",
        "DITCH TACTICS",
        ("One.", "Two."),
        "S",
    )
    assert rebuilt.published == published and rebuilt.content_hash == original.content_hash
    assert (rebuilt.byline, rebuilt.url, rebuilt.origin) == ("", "", ORIGIN)
