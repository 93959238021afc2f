"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), mapped to `FeedEntry`.

JSON Feed is plain JSON, so it needs no parser of its own, only this mapping; it is the one
mapping in the project: refresh uses `parse_jsonfeed`, and an import of a `.json` file that is
a JSON Feed (in a folder or named directly) uses `articles_from_jsonfeed`. Fields are read
leniently (a wrong type is treated as absent), since real feeds get them wrong: 1.0's `author`
object and 1.1's `authors` list are both read, `content_html` is preferred to `content_text`,
`summary` is the fallback.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from newsreader.core.feeds.content import paragraphs_from_html, paragraphs_from_text, plain_text
from newsreader.core.feeds.entries import FeedEntry, ParsedFeed, articles_from_parsed
from newsreader.core.models import Article, Skipped

VERSION_PREFIX = "https://jsonfeed.org/version/"


def is_jsonfeed(data: object) -> bool:
    """Whether parsed JSON is a JSON Feed (by its `version` URL)."""
    return (
        isinstance(data, Mapping)
        and isinstance(data.get("version"), str)
        and data["version"].startswith((VERSION_PREFIX, "http://jsonfeed.org/version/"))
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    """RFC 3339 dates; a naive one is taken as UTC, a malformed one as unknown."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _authors(item: Mapping[str, Any], feed_authors: str) -> str:
    found: list[str] = []
    candidates = item.get("authors")
    if not isinstance(candidates, list):
        candidates = [item.get("author")]
    for author in candidates:
        if isinstance(author, Mapping):
            name = plain_text(_text(author.get("name")))
            if name:
                found.append(name)
    return ", ".join(found) or feed_authors


def _entry(item: Mapping[str, Any], feed_authors: str) -> FeedEntry:
    content_html = _text(item.get("content_html"))
    content_text = _text(item.get("content_text"))
    summary = _text(item.get("summary"))
    if content_html.strip():
        paragraphs = paragraphs_from_html(content_html)
    elif content_text.strip():
        paragraphs = paragraphs_from_text(content_text)
    else:
        paragraphs = paragraphs_from_text(summary)
    tags = item.get("tags")
    entry_id = item.get("id")
    return FeedEntry(
        title=plain_text(_text(item.get("title"))),
        paragraphs=paragraphs,
        # Ids are strings in the spec; numbers are common and mean the same.
        entry_id=str(entry_id) if isinstance(entry_id, str | int) else "",
        url=_text(item.get("url")) or _text(item.get("external_url")),
        author=_authors(item, feed_authors),
        published=_date(item.get("date_published")),
        updated=_date(item.get("date_modified")),
        categories=tuple(t for t in tags if isinstance(t, str) and t)
        if isinstance(tags, list)
        else (),
        summary_only=not (content_html.strip() or content_text.strip()),
    )


def parse_jsonfeed(data: Mapping[str, Any]) -> ParsedFeed:
    """A JSON Feed document (already decoded from JSON) as a `ParsedFeed`."""
    if not is_jsonfeed(data):
        return ParsedFeed(error="this is JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        return ParsedFeed(
            title=plain_text(_text(data.get("title"))),
            error="this JSON Feed has no list of items",
        )
    feed_authors = _authors(data, "")
    entries = [_entry(item, feed_authors) for item in items if isinstance(item, Mapping)]
    skipped = len(items) - len(entries)
    return ParsedFeed(
        title=plain_text(_text(data.get("title"))),
        site_url=_text(data.get("home_page_url")),
        entries=entries,
        warning=f"{skipped} items were not objects and were left out" if skipped else "",
    )


def articles_from_jsonfeed(
    data: Mapping[str, Any], source: str, origin: str = ""
) -> Iterator[Article | Skipped]:
    """Articles from a JSON Feed document, for importing a `.json` file that is one.

    `origin` names the file; each article's origin is `origin#N` (N counts items from 1). A
    document that is not a usable JSON Feed, or has no items, yields one `Skipped` with the
    reason, and so does each item without text (`articles_from_parsed`, shared with RSS and
    Atom files).
    """
    yield from articles_from_parsed(parse_jsonfeed(data), source=source, origin=origin or source)
