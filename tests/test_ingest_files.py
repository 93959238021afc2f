"""Folders of article files: discovery, the BBC folder, Markdown and HTML articles."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from newsreader.core import ingest
from newsreader.core.library import Library
from newsreader.core.models import Article, Photo, Skipped

BBC_FILES = 896
BBC_EXACT_DUPLICATE_FILES = 24


def read_one(path: Path) -> Article:
    (item,) = list(ingest.read_file(path, source=str(path.parent)))
    assert isinstance(item, Article), item
    return item


def test_bbc_folder_imports_with_duplicate_and_skip_counts(library: Library, shared: Path) -> None:
    folder = shared / "corpus" / "bbc-sample"
    report = library.import_paths([folder])
    assert report.new == BBC_FILES - BBC_EXACT_DUPLICATE_FILES
    assert report.duplicates == BBC_EXACT_DUPLICATE_FILES
    # The dataset's README.TXT describes the folder; it is reported, not imported.
    assert report.skipped == [
        Skipped(str(folder / "README.TXT"), "documentation file, not an article")
    ]
    assert library.sources() == [("bbc-sample", BBC_FILES - BBC_EXACT_DUPLICATE_FILES)]

    again = library.import_paths([folder])
    assert (again.new, again.duplicates) == (0, BBC_FILES)


def test_bbc_file_is_one_titled_article(shared: Path) -> None:
    path = shared / "corpus" / "bbc-sample" / "business" / "001.txt"
    article = read_one(path)
    assert article.title == "Ad sales boost Time Warner profit"
    assert article.paragraphs[0].startswith("Quarterly profits at US media giant TimeWarner")
    assert "(£600m)" in article.paragraphs[0]
    assert len(article.paragraphs) == 5
    assert article.source_kind == "file"
    assert article.origin == str(path)
    assert article.truncated is False


def test_discover_walks_folders_sorted_and_reports_what_it_cannot_read(tmp_path: Path) -> None:
    news = tmp_path / "news"
    (news / "b").mkdir(parents=True)
    (news / ".hidden").mkdir()
    (news / "b" / "2.txt").write_text("x")
    (news / "1.md").write_text("x")
    (news / ".secret.txt").write_text("x")
    (news / ".hidden" / "3.txt").write_text("x")
    (news / "photo.jpg").write_bytes(b"\xff\xd8")
    single = tmp_path / "one.jsonl"
    single.write_text("{}")

    found = ingest.discover([news, single, tmp_path / "missing", news / "1.md"])
    assert found == [
        Skipped(str(news / ".hidden"), "hidden folder (its name starts with a dot), not read"),
        Skipped(str(news / ".secret.txt"), "hidden file (its name starts with a dot), not read"),
        (news / "1.md", str(news.resolve())),
        (news / "b" / "2.txt", str(news.resolve())),
        Skipped(str(news / "photo.jpg"), "unsupported file type .jpg"),
        (single, str(single.resolve())),
        Skipped(str(tmp_path / "missing"), "no such file or folder"),
    ]


MARKDOWN_FRONT_MATTER = """\
---
title: "Council approves *new* bridge"
date: 2024-03-05
url: https://example.org/bridge
author: [Jane Doe, John Roe]
category: Local
---
# Council approves new bridge

The council **approved** the [new bridge](https://example.org/plan) on `Tuesday`.

![The old bridge at dusk](old.jpg)

- Work starts in June.
- It ends in 2026.
"""


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "bridge.md"
    path.write_text(MARKDOWN_FRONT_MATTER, encoding="utf-8")
    article = read_one(path)
    assert article.title == "Council approves *new* bridge"
    assert article.paragraphs == (
        "The council approved the new bridge on Tuesday.",
        "Work starts in June.",
        "It ends in 2026.",
    )
    assert article.photos == (Photo(caption="The old bridge at dusk", after_paragraph=0),)
    assert article.published == datetime(2024, 3, 5)
    assert article.url == "https://example.org/bridge"
    assert article.byline == "Jane Doe, John Roe"
    assert article.kicker == "Local"
    assert article.source_kind == "file"
    assert article.origin == str(path)


def test_markdown_with_heading_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Storm _closes_ ports\n\nA storm closed three ports.\n\n## Outlook\n\nMore rain\n"
    )
    article = read_one(path)
    assert article.title == "Storm closes ports"
    assert article.paragraphs == ("A storm closed three ports.", "Outlook", "More rain")
    assert article.published is None


def test_markdown_with_broken_front_matter_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\nText.\n")
    (item,) = list(ingest.read_file(path, source="s"))
    assert isinstance(item, Skipped)
    assert item.reason.startswith("malformed front matter")


HTML_PAGE = """\
<!DOCTYPE html><html><head><title>Storm hits coast | Example News</title>
<meta property="og:title" content="Storm hits coast">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>document.write("tracking");</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Storm hits coast</h1>
<p>A powerful storm struck the northern coast on Tuesday, cutting power to thousands of homes
and forcing the closure of several ports along the shoreline.</p>
<p>Emergency services said they had rescued dozens of people from flooded houses overnight,
and warned that more rain was expected later in the week.</p>
<p>The national weather office issued its highest warning level for three regions and urged
residents to stay indoors until the winds eased.</p></article>
<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>
"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "storm.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    article = read_one(path)
    assert article.title == "Storm hits coast"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("A powerful storm struck the northern coast")
    assert not any("tracking" in p or "Copyright" in p or "Home" in p for p in article.paragraphs)
    assert article.byline == "Jane Doe"
    assert article.published is not None
    assert article.published.date() == date(2024, 3, 5)


def test_html_without_article_text_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><title>Nothing</title></head><body></body></html>")
    (item,) = list(ingest.read_file(path, source="s"))
    assert item == Skipped(str(path), "no article text found in the HTML page")


def test_folder_of_mixed_files_imports_each_kind(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "bridge.md").write_text(MARKDOWN_FRONT_MATTER, encoding="utf-8")
    (folder / "storm.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "brief.txt").write_text("Ports reopen\n\nAll three ports reopened on Friday.\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    report = library.import_paths([folder])
    assert (report.new, report.duplicates) == (3, 0)
    assert report.skipped == [Skipped(str(folder / "notes.docx"), "unsupported file type .docx")]
    titles = {row.title for row in library.rows(library.ids())}
    assert titles == {"Council approves *new* bridge", "Storm hits coast", "Ports reopen"}


def test_every_file_a_folder_import_leaves_out_is_listed(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "story.txt").write_text("Harbour reopens\n\nThe harbour reopened on Monday.\n")
    (folder / "..%2F..%2Fetc.txt").write_text("Not read\n\nA hidden file is never read.\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    report = library.import_paths([folder])
    assert report.new == 1
    assert sorted(Path(s.origin).name for s in report.skipped) == ["..%2F..%2Fetc.txt", ".DS_Store"]
    assert all(s.reason.startswith("hidden file") for s in report.skipped)
