"""News datasets: the HuffPost JSON Lines sample, CSV, JSON arrays, bad records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest.dates import parse_date
from newsreader.core.library import Library
from newsreader.core.models import Article, Skipped

HUFFPOST_RECORDS = 4782


def read_all(path: Path) -> tuple[list[Article], list[Skipped]]:
    items = list(ingest.read_file(path, source="dataset"))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, Skipped)],
    )


def test_huffpost_jsonl_imports_every_record(library: Library, shared: Path) -> None:
    path = shared / "corpus" / "huffpost-sample.jsonl"
    report = library.import_paths([path])
    # Every record in this sample has a headline and a description, and no two are the same
    # article, so nothing is a duplicate or skipped; a second import adds nothing.
    assert (report.new, report.duplicates, report.skipped) == (HUFFPOST_RECORDS, 0, [])
    again = library.import_paths([path])
    assert (again.new, again.duplicates, again.skipped) == (0, HUFFPOST_RECORDS, [])
    assert library.sources() == [("huffpost-sample.jsonl", HUFFPOST_RECORDS)]  # named, not a path


def test_huffpost_record_fields_are_mapped(shared: Path) -> None:
    path = shared / "corpus" / "huffpost-sample.jsonl"
    with path.open(encoding="utf-8") as lines:
        first = json.loads(next(lines))
    articles, skipped = read_all(path)
    assert skipped == []
    article = articles[0]
    assert article.title == first["headline"]
    assert article.paragraphs == (first["short_description"],)
    assert article.kicker == first["category"]
    assert article.byline == first["authors"]
    assert article.url == first["link"]
    assert article.published == datetime.fromisoformat(first["date"])
    assert article.source_kind == "jsonl"
    assert article.origin == f"{path}:1"


def test_jsonl_bad_records_are_skipped_and_the_rest_continue(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(
        '{"headline": "First", "text": "One."}\n'
        "\n"
        '{"headline": "Broken", "text": \n'
        '["not", "an", "object"]\n'
        '{"headline": "", "short_description": "  ", "link": "https://example.org"}\n'
        '{"Title": "Last", "Body": "Para one.\\n\\nPara two.", "Published_At": 1700000000}\n',
        encoding="utf-8",
    )
    articles, skipped = read_all(path)
    assert [a.title for a in articles] == ["First", "Last"]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:6"]
    assert articles[1].paragraphs == ("Para one.", "Para two.")
    assert articles[1].published == datetime.fromtimestamp(1700000000, tz=UTC)
    assert [s.origin for s in skipped] == [f"{path}:3", f"{path}:4", f"{path}:5"]
    assert skipped[0].reason.startswith("malformed JSON")
    assert skipped[1].reason == "record is a JSON list, not an object"
    assert skipped[2].reason == "record has no title and no text"


CSV_TEXT = """\
Headline,Text,URL,Published At,Author,Category
Bridge opens,"The bridge opened on Monday.

Traffic was light.",https://example.org/a,"Tue, 05 Mar 2024 10:00:00 +0000",Jane Doe,Local
,,https://example.org/empty,2024-03-06,,
,"A storm closed three ports on Friday. More rain is due.",,not a date,,
"""


def test_csv_dataset(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    articles, skipped = read_all(path)
    bridge, storm = articles
    assert bridge.title == "Bridge opens"
    assert bridge.paragraphs == ("The bridge opened on Monday.", "Traffic was light.")
    assert bridge.url == "https://example.org/a"
    assert bridge.published == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert bridge.byline == "Jane Doe"
    assert bridge.kicker == "Local"
    assert bridge.source_kind == "csv"
    assert bridge.origin == f"{path}:2"
    # No headline: the title is derived from the text; an unreadable date is just left out.
    assert storm.title == "A storm closed three ports on Friday"
    assert storm.published is None
    assert skipped == [Skipped(f"{path}:5", "record has no title and no text")]


def test_csv_without_usable_columns_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("ticker,price\nABC,10\n", encoding="utf-8")
    assert list(ingest.read_file(path, source="s")) == [
        Skipped(str(path), "CSV header names no title or text column")
    ]


def test_json_array_and_wrapped_object(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(json.dumps([{"title": "A", "content": "Text."}, 3]), encoding="utf-8")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(
        json.dumps({"articles": [{"headline": "B", "summary": "Text."}, {"headline": "C"}]}),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": ', encoding="utf-8")

    articles, skipped = read_all(array)
    assert [a.title for a in articles] == ["A"]
    assert skipped == [Skipped(f"{array}:2", "record is a JSON int, not an object")]
    articles, skipped = read_all(wrapped)
    assert [(a.title, a.paragraphs) for a in articles] == [("B", ("Text.",))]
    # A headline alone is never stored as an article with an empty body.
    assert skipped == [Skipped(f"{wrapped}:2", "record has a title but no text")]
    articles, skipped = read_all(broken)
    assert articles == []
    assert skipped[0].reason.startswith("malformed JSON")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-05-26", datetime(2018, 5, 26)),
        ("2024-03-05T10:00:00Z", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        ("5 March 2024", datetime(2024, 3, 5)),
        ("March 5, 2024", datetime(2024, 3, 5)),
        (1709632800000, datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        ("yesterday-ish", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: datetime | None) -> None:
    assert parse_date(value) == expected


def test_semicolon_and_tab_separated_files(tmp_path: Path) -> None:
    semicolon = tmp_path / "news.csv"
    semicolon.write_text('titel;title;body\nx;"Rates, again";Held.\n', encoding="utf-8")
    tabbed = tmp_path / "news.tsv"
    tabbed.write_text("headline\tsummary\nPorts reopen\tAll, or most, reopened.\n")
    (first,) = read_all(semicolon)[0]
    assert (first.title, first.paragraphs) == ("Rates, again", ("Held.",))
    (second,) = read_all(tabbed)[0]
    assert (second.title, second.paragraphs) == ("Ports reopen", ("All, or most, reopened.",))


def test_large_jsonl_is_streamed_with_the_same_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big datasets are read a line at a time (flat memory) and give exactly what a whole-file
    read gives: BOM, CRLF, a stray cp1252 byte, blank and malformed lines included."""
    path = tmp_path / "big.jsonl"
    lines = [
        b'\xef\xbb\xbf{"headline": "First",'
        b' "short_description": "One \xe2\x80\x9cquoted\xe2\x80\x9d."}',
        b"",
        b'{"headline": "Caf\xe9 society", "short_description": "A stray cp1252 byte."}',
        b"{not json",
        b'{"headline": "Last", "short_description": "Three."}',
    ]
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    whole = list(ingest.read_file(path, source="s"))

    def no_whole_file_decode(data: bytes) -> str:
        raise AssertionError("a large JSON Lines file must not be decoded whole")

    monkeypatch.setattr(ingest, "STREAM_BYTES", 0)
    monkeypatch.setattr(ingest, "decode", no_whole_file_decode)
    streamed = list(ingest.read_file(path, source="s"))
    assert streamed == whole
    titles = [item.title for item in streamed if isinstance(item, Article)]
    assert titles == ["First", "Café society", "Last"]
    assert [s.origin for s in streamed if isinstance(s, Skipped)] == [f"{path}:4"]


def _records(count: int, start: int = 0) -> list[str]:
    return [
        json.dumps({"headline": f"Story {n}", "text": f"Paragraph of story {n}."})
        for n in range(start, start + count)
    ]


DEEP_LINE = "[" * 10_000 + "]" * 10_000
NUL_LINE = '{"headline": "Broken\x00\x00 record", "text": "\x00"}'


@pytest.mark.parametrize("streamed", [False, True], ids=["whole-file", "streamed"])
@pytest.mark.parametrize("head", [1000, 0], ids=["bad-lines-late", "bad-lines-first"])
def test_jsonl_unreadable_lines_are_reported_by_line_and_the_rest_imported(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool, head: int
) -> None:
    # With 1,000 records first, the bad lines lie beyond the 64 KB a streamed file is sniffed
    # by; with none, a NUL line sits in that first 64 KB: both must stream line by line.
    lines = [*_records(head), DEEP_LINE, *_records(5, head), NUL_LINE, *_records(5, head + 5)]
    path = tmp_path / "news.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    monkeypatch.setattr(ingest, "STREAM_BYTES", 0 if streamed else 1 << 40)

    if streamed:  # the streamed reader is the one that runs
        monkeypatch.setattr(ingest, "read_bytes", None)
    report = library.import_paths([path])
    assert report.new == head + 10
    assert [(s.origin, s.reason.split(" (")[0]) for s in report.skipped] == [
        (f"{path}:{head + 1}", "JSON nested too deeply to read"),
        (f"{path}:{head + 7}", "binary data"),
    ]
    assert "NUL" in report.skipped[1].reason
    titles = {row.title for row in library.rows(library.ids())}
    assert {"Story 0", f"Story {head}", f"Story {head + 9}"} <= titles


def test_json_array_nested_too_deeply_gets_a_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP_LINE, encoding="utf-8")
    _, skipped = read_all(path)
    assert [s.reason.split(" (")[0] for s in skipped] == ["JSON nested too deeply to read"]


def test_jsonl_line_separator_inside_a_string_is_not_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    record = {"headline": "Split\u2028headline", "text": "One\u2028two.\u2029Three."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    articles, skipped = read_all(path)
    assert skipped == []
    assert [a.title for a in articles] == ["Split headline"]


@pytest.mark.parametrize("streamed", [False, True], ids=["whole-file", "streamed"])
def test_jsonl_that_is_mostly_binary_is_still_a_binary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    monkeypatch.setattr(ingest, "STREAM_BYTES", 0 if streamed else 1 << 40)
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\x00\x01\x02garbage\n" * 50 + _records(1)[0].encode() + b"\n")
    assert read_all(path) == ([], [Skipped(str(path), "binary file")])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("headlines.csv", "headline,text,url\nOnly a headline,,https://example.org/1\n"),
        ("headlines.jsonl", '{"title": "Only a headline", "url": "https://example.org/1"}\n'),
        ("headlines.json", '[{"title": "Only a headline", "body": "   "}]'),
        ("title-only.md", "---\ntitle: Only a headline\n---\n\n"),
    ],
)
def test_no_reader_stores_an_article_with_an_empty_body(
    library: Library, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = library.import_paths([path])
    assert (report.new, library.count()) == (0, 0)
    assert len(report.skipped) == 1
    assert "title" in report.skipped[0].reason
