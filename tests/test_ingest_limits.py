"""Size limits: a huge file is refused with its size, a huge article stored in bounded parts."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest import limits
from newsreader.core.library import Library
from newsreader.core.models import Article, Notice, Photo, Skipped


def test_a_60_mb_text_file_is_refused_with_its_size_and_what_to_do(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "dump.txt"
    with path.open("wb") as handle:  # sparse: refused by its size, before it is read
        handle.truncate(60 * limits.MIB)
    report = library.import_paths([path])
    assert (report.new, library.count()) == (0, 0)
    assert report.skipped == [
        Skipped(
            str(path),
            "file is 60.0 MB, over the 32.0 MB limit for plain-text files: not imported "
            "(split it into smaller files to import it)",
        )
    ]


def test_in_memory_bytes_obey_the_same_file_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(limits.MAX_FILE_BYTES, ".md", 100)
    (item,) = ingest.read_bytes(b"# Title\n\n" + b"Text. " * 50, name="big.md", source="s")
    assert isinstance(item, Skipped) and item.reason.startswith("file is 0.0 MB, over the")


def _prose_lines(count: int) -> list[str]:
    """Short finished sentences: one article by the segmentation rule, and 2,000 of them stay
    under the character limit, so the paragraph limit is the one that splits."""
    return [f"Figure {n} was revised." for n in range(count)]


def test_an_article_over_the_paragraph_limit_is_stored_in_parts_and_noted(
    library: Library, tmp_path: Path
) -> None:
    lines = _prose_lines(5000)
    path = tmp_path / "report.txt"
    path.write_text("Annual report\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    report = library.import_paths([path])
    assert report.new == 3
    assert [n.origin for n in report.notes] == [str(path)]
    assert "stored as 3 articles" in report.notes[0].message
    assert report.summary() == "3 new, 0 duplicates, 0 skipped, 1 note"
    stored = library.get_many(library.ids(sort="title", descending=False))
    assert [a.title for a in stored] == [f"Annual report (part {n} of 3)" for n in (1, 2, 3)]
    assert all(len(a.paragraphs) <= limits.MAX_PARAGRAPHS for a in stored)
    # Nothing is lost: the parts hold every paragraph, in order.
    assert [p for a in stored for p in a.paragraphs] == lines


def test_one_huge_record_is_broken_into_bounded_parts_without_losing_a_word(
    library: Library, tmp_path: Path
) -> None:
    vocabulary = [f"word{n}" for n in range(50)]  # few distinct terms: the index stays quick
    rng = random.Random(4)
    words = [rng.choice(vocabulary) for _ in range(120_000)]  # 800,000 characters, one line
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"title": "Dump", "text": " ".join(words)}) + "\n")
    report = library.import_paths([path])
    assert len(report.notes) == 1 and "broken at word boundaries" in report.notes[0].message
    stored = library.get_many(library.ids(sort="title", descending=False))
    assert len(stored) == report.new > 1
    for article in stored:
        assert sum(map(len, article.paragraphs)) <= limits.MAX_ARTICLE_CHARS
        assert max(map(len, article.paragraphs)) <= limits.MAX_PARAGRAPH_CHARS
    assert " ".join(p for a in stored for p in a.paragraphs).split() == words


def test_article_within_the_limits_is_untouched() -> None:
    article = Article(title="Short", paragraphs=("One.", "Two."), photos=(Photo(credit="AP"),))
    assert list(limits.bounded(article)) == [article]


def test_bounded_parts_keep_every_paragraph_and_photo_on_generated_articles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small limits, many random shapes: every part within all limits, text and photos kept.
    monkeypatch.setattr(limits, "MAX_ARTICLE_CHARS", 400)
    monkeypatch.setattr(limits, "MAX_PARAGRAPHS", 7)
    monkeypatch.setattr(limits, "MAX_PARAGRAPH_CHARS", 100)
    rng = random.Random(10)
    for _ in range(300):
        paragraphs = tuple(
            " ".join("x" * rng.randint(1, 12) for _ in range(rng.randint(1, 40)))
            for _ in range(rng.randint(1, 40))
        )
        photos = tuple(
            Photo(credit=f"p{i}", after_paragraph=rng.randint(-1, len(paragraphs) - 1))
            for i in range(rng.randint(0, 4))
        )
        article = Article(title="T", paragraphs=paragraphs, photos=photos, truncated=True)
        out = list(limits.bounded(article))
        parts = [item for item in out if isinstance(item, Article)]
        assert all(isinstance(item, Article) for item in out[:-1])
        for part in parts:
            assert len(part.paragraphs) <= 7
            assert sum(map(len, part.paragraphs)) <= 400
            assert all(0 < len(p) <= 100 for p in part.paragraphs)
            assert all(-1 <= ph.after_paragraph < len(part.paragraphs) for ph in part.photos)
        words = [w for part in parts for p in part.paragraphs for w in p.split()]
        assert words == " ".join(paragraphs).split()
        assert sorted(ph.credit for part in parts for ph in part.photos) == sorted(
            ph.credit for ph in photos
        )
        assert [part.truncated for part in parts][-1] is True
        assert not any(part.truncated for part in parts[:-1])
        if len(parts) > 1 or isinstance(out[-1], Notice):
            assert isinstance(out[-1], Notice)


def test_cli_report_prints_the_note(library: Library, tmp_path: Path) -> None:
    from newsreader.cli import _report_import

    path = tmp_path / "report.txt"
    path.write_text("Annual report\n\n" + "\n".join(_prose_lines(2500)) + "\n", encoding="utf-8")
    out = io.StringIO()
    _report_import(library.import_paths([path]), out)
    assert out.getvalue().splitlines() == [
        "Imported: 2 new, 0 duplicates, 0 skipped, 1 note",
        f"  note {path}: too long to show and search in one piece: stored as 2 articles, "
        "“Annual report (part 1 of 2)” and on, of at most 100,000 characters and 2,000 "
        "paragraphs each",
    ]
