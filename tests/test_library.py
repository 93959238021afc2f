"""The Library facade keeps storage and index in step, even when an import is interrupted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.library import Library
from newsreader.core.models import Article, Notice, Skipped
from newsreader.core.progress import CancelToken, ProgressEvent


def _write_corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{n:04d}.txt").write_text(
            f"Story number {n} about harbours\n\nParagraph {n} tells of ships and cranes.\n",
            encoding="utf-8",
        )
    return folder


def test_sample_is_seeded_once(library: Library) -> None:
    report = library.ensure_sample()
    assert report is not None and report.new == 5
    for article_id in library.ids():
        library.delete([article_id])
    assert library.ensure_sample() is None, "a user who deleted the sample keeps it deleted"


def test_cancelled_import_keeps_whole_batches_and_the_index_matches(
    library: Library, tmp_path: Path
) -> None:
    folder = _write_corpus(tmp_path / "corpus", 600)
    token = CancelToken()

    def progress(event: ProgressEvent) -> None:
        if event.stage == "import" and event.done >= 300:
            token.cancel()

    report = library.import_paths([folder], progress=progress, cancel=token)
    assert report.cancelled
    stored = library.count()
    assert 0 < stored < 600
    assert library.index.doc_count() == stored
    assert len(library.search("harbours", limit=1).hits) == 1
    assert library.search("harbours").total == stored
    # The rest arrives on the next import, without duplicates.
    again = library.import_paths([folder])
    assert again.new == 600 - stored and again.duplicates == stored
    assert library.index.doc_count() == 600


def test_ctrl_c_mid_import_leaves_a_consistent_library(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_corpus(tmp_path / "corpus", 400)
    real_read = ingest.read_file
    seen = 0

    def read_then_interrupt(path: Path, source: str) -> Iterator[Article | Skipped | Notice]:
        nonlocal seen
        seen += 1
        if seen == 300:
            raise KeyboardInterrupt
        yield from real_read(path, source=source)

    monkeypatch.setattr(ingest, "read_file", read_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        library.import_paths([folder])
    stored = library.count()
    assert 0 < stored < 400, "committed batches stay; the batch in flight is rolled back"
    assert library.index_pending() == stored, "the stored batches wait in the outbox"
    notice = library.search("harbours").notice
    assert notice is not None and "results may be incomplete" in notice
    directory = library.directory
    library.close()
    reopened = Library.open(directory)
    try:
        assert reopened.notices == [], "nothing to repair: the outbox said what to index"
        assert reopened.index_pending() == 0
        results = reopened.search("harbours")
        assert results.total == stored and results.notice is None
    finally:
        reopened.close()


def test_index_missing_is_rebuilt_on_open_with_a_notice(sample_library: Library) -> None:
    directory = sample_library.directory
    sample_library.close()
    for path in sorted((directory / "index").rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
    reopened = Library.open(directory)
    try:
        assert reopened.notices and "rebuilt" in reopened.notices[0]
        assert reopened.search("kursk").total >= 1
    finally:
        reopened.close()


def test_delete_and_restore_update_search(sample_library: Library) -> None:
    [hit] = sample_library.search("Petronas").hits
    removed = sample_library.delete([hit.article_id])
    sample_library.update_index()
    assert sample_library.search("Petronas").total == 0
    sample_library.restore(removed)
    sample_library.update_index()
    assert [h.article_id for h in sample_library.search("Petronas").hits] == [hit.article_id]
