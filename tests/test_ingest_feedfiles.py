"""Saved feeds imported as files: JSON Feed `.json`, `.rss`, `.atom`, `.rdf` and feed `.xml`,
found in a folder or named directly, read through the one feed mapping and the same limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest import limits
from newsreader.core.library import Library
from newsreader.core.models import Article, Notice, Skipped
from tests.feedserver import http_date, items, rss

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Example Newsroom",
    "home_page_url": "https://example.org/",
    "authors": [{"name": "Newsroom desk"}],
    "items": [
        {
            "id": "1",
            "title": "Harbour reopens",
            "url": "https://example.org/harbour",
            # content_html wins over content_text when both are there.
            "content_html": "<p>The harbour <b>reopened</b> on Monday.</p><p>Ships queued.</p>",
            "content_text": "Plain fallback that must not be used.",
            "date_published": "2024-03-04T09:00:00Z",
            "authors": [{"name": "Ana Ruiz"}, {"name": "Li Wei"}],
            "tags": ["Ports"],
        },
        {"id": "2", "content_text": "Ferries resumed.\n\nTimetables are back to normal."},
        {"id": "3", "title": "Only a headline", "url": "https://example.org/3"},
    ],
}

ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Planet</title><entry><id>urn:a</id><title>Atom entry</title>"
    "<updated>2024-05-01T12:00:00Z</updated>"
    '<content type="html">&lt;p&gt;Body of the Atom entry.&lt;/p&gt;</content></entry></feed>'
)
RDF = (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://127.0.0.1/">'
    "<title>RDF site</title><link>http://127.0.0.1/</link><description>d</description>"
    '</channel><item rdf:about="http://127.0.0.1/rdf1"><title>RDF item</title>'
    "<link>http://127.0.0.1/rdf1</link><description>Text of the RDF item.</description>"
    "</item></rdf:RDF>"
)
NOT_A_FEED = '<?xml version="1.0"?><inventory><part id="1">bolt</part></inventory>'


def stored(library: Library) -> dict[str, Article]:
    return {a.title: a for a in library.get_many(library.ids())}


def feed_folder(root: Path) -> Path:
    folder = root / "saved-feeds"
    folder.mkdir()
    (folder / "newsroom.json").write_text(json.dumps(JSON_FEED), encoding="utf-8")
    (folder / "planet.atom").write_text(ATOM, encoding="utf-8")
    (folder / "site.rdf").write_text(RDF, encoding="utf-8")
    (folder / "daily.rss").write_bytes(rss("Daily", items(2, "Daily")))
    (folder / "weekly.xml").write_bytes(rss("Weekly", items(1, "Weekly")))
    (folder / "inventory.xml").write_text(NOT_A_FEED, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "version", ["https://jsonfeed.org/version/1", "http://jsonfeed.org/version/1.1"]
)
def test_a_json_feed_file_is_read_through_the_feed_mapping(
    library: Library, tmp_path: Path, version: str
) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({**JSON_FEED, "version": version}), encoding="utf-8")
    report = library.import_paths([path])
    assert (report.new, library.count()) == (2, 2)
    articles = stored(library)
    harbour = articles["Harbour reopens"]
    assert harbour.paragraphs == ("The harbour reopened on Monday.", "Ships queued.")
    assert harbour.url == "https://example.org/harbour"
    assert harbour.byline == "Ana Ruiz, Li Wei"
    assert harbour.kicker == "Ports"
    assert harbour.published == datetime(2024, 3, 4, 9, tzinfo=UTC)
    ferries = articles["Ferries resumed."]
    assert ferries.paragraphs == ("Ferries resumed.", "Timetables are back to normal.")
    assert ferries.byline == "Newsroom desk", "the feed's authors stand in for the item's"
    # The headline without text is reported, never stored as an empty article.
    assert report.skipped == [Skipped(f"{path}#3", "feed entry with a title but no text")]
    assert library.search("timetables").total == 1


def test_json_that_is_not_a_feed_or_a_feed_without_items_says_so(
    library: Library, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-feed.json"
    empty.write_text(json.dumps({**JSON_FEED, "items": []}), encoding="utf-8")
    broken = tmp_path / "broken-feed.json"
    broken.write_text(json.dumps({**JSON_FEED, "items": "none"}), encoding="utf-8")
    report = library.import_paths([empty, broken])
    assert library.count() == 0
    assert report.skipped == [
        Skipped(str(empty), "a feed with no entries"),
        Skipped(str(broken), "this JSON Feed has no list of items"),
    ]


def test_feed_files_inside_a_folder_are_read_like_the_same_files_named_directly(
    tmp_path: Path,
) -> None:
    folder = feed_folder(tmp_path)
    by_folder = Library.open(tmp_path / "lib-folder")
    by_name = Library.open(tmp_path / "lib-names")
    try:
        folder_report = by_folder.import_paths([folder])
        name_report = by_name.import_paths(sorted(folder.iterdir()))
        expected = {
            "Harbour reopens",
            "Ferries resumed.",
            "Atom entry",
            "RDF item",
            "Daily number 1",
            "Daily number 2",
            "Weekly number 1",
        }
        assert set(stored(by_folder)) == expected
        assert folder_report.new == name_report.new == len(expected)

        def seen(library: Library) -> set[tuple[object, ...]]:
            return {
                (a.title, a.paragraphs, a.url, a.byline, a.published)
                for a in library.get_many(library.ids())
            }

        assert seen(by_folder) == seen(by_name)
        assert stored(by_folder)["Atom entry"].paragraphs == ("Body of the Atom entry.",)
        assert stored(by_folder)["RDF item"].url == "http://127.0.0.1/rdf1"
        # What is not a feed is skipped with the reason, in the folder and named directly.
        for report in (folder_report, name_report):
            reasons = {Path(s.origin).name: s.reason for s in report.skipped}
            assert set(reasons) == {"inventory.xml", "newsroom.json#3"}
            assert reasons["inventory.xml"].startswith("not a feed: ")
            assert not any("unsupported" in s.reason for s in report.skipped)
        assert by_folder.import_paths([folder]).new == 0, "importing again adds nothing"
    finally:
        by_folder.close()
        by_name.close()


def test_an_empty_or_binary_feed_file_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.rss").write_bytes(b"  \n")
    (tmp_path / "noise.atom").write_bytes(bytes(range(256)) * 4)
    found = ingest.discover([tmp_path])
    read = [item for file in found if isinstance(file, tuple) for item in ingest.read_file(*file)]
    assert all(isinstance(item, Skipped) for item in read)
    reasons = {Path(item.origin).name: item.reason for item in read if isinstance(item, Skipped)}
    assert reasons["empty.rss"] == "empty file"
    assert reasons["noise.atom"].startswith("not a feed")


def huge_paragraphs(words: int, marker: str) -> list[str]:
    """`words` words of text in 100-word paragraphs, each paragraph ending a sentence."""
    return [
        " ".join(f"{marker}{(p * 100 + w) % 997}" for w in range(100)) + "."
        for p in range(words // 100)
    ]


def huge_entry(words: int, marker: str) -> dict[str, str]:
    """An RSS item far over the article limit (`huge_paragraphs` as its HTML); its id, link
    and title do not depend on `marker`, so another marker is the same entry changed."""
    return {
        "guid": "urn:huge",
        "title": "Huge entry",
        "link": "http://127.0.0.1/huge",
        "pubDate": http_date(1_700_000_000),
        "description": "".join(f"<p>{p}</p>" for p in huge_paragraphs(words, marker)),
    }


def assert_within_limits(articles: list[Article]) -> None:
    for article in articles:
        assert sum(map(len, article.paragraphs)) <= limits.MAX_ARTICLE_CHARS
        assert len(article.paragraphs) <= limits.MAX_PARAGRAPHS
        assert all(len(p) <= limits.MAX_PARAGRAPH_CHARS for p in article.paragraphs)


def test_a_huge_entry_in_a_feed_file_is_stored_in_parts_with_a_note(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "huge.rss"
    entry = huge_entry(40_000, "w")  # some 180,000 characters
    path.write_bytes(rss("Huge", [entry, *items(1)]))
    report = library.import_paths([path])
    articles = library.get_many(library.ids())
    parts = sorted(a.title for a in articles if a.title.startswith("Huge entry"))
    assert len(parts) >= 2 and parts[0] == f"Huge entry (part 1 of {len(parts)})"
    assert "Story number 1" in {a.title for a in articles}
    assert_within_limits(articles)
    [note] = report.notes
    assert note.message.startswith("too long to show and search in one piece")
    # Nothing is lost: every paragraph of the entry is stored, in order, across the parts.
    in_order = sorted((a for a in articles if a.title in parts), key=lambda a: a.title)
    assert [p for a in in_order for p in a.paragraphs] == huge_paragraphs(40_000, "w")


def test_a_feed_file_over_its_size_limit_is_not_read(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "dump.xml"
    with path.open("wb") as handle:  # sparse: refused by its size, before it is read
        handle.truncate(60 * limits.MIB)
    report = library.import_paths([path])
    assert library.count() == 0
    assert report.skipped == [
        Skipped(
            str(path),
            "file is 60.0 MB, over the 50.0 MB limit for XML files: not imported "
            "(split it into smaller files to import it)",
        )
    ]


def test_read_bytes_keeps_feed_articles_within_the_limits() -> None:
    data = rss("Huge", [huge_entry(30_000, "b")])
    got = list(ingest.read_bytes(data, name="huge.atom", source="s"))
    articles = [item for item in got if isinstance(item, Article)]
    assert len(articles) >= 2 and isinstance(got[-1], Notice)
    assert_within_limits(articles)
