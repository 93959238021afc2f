"""Feed documents saved as files (`.rss`, `.atom`, `.xml`, a JSON Feed `.json`) as articles.

The same parse and mapping as a refresh (`parse_feed`, `FeedEntry.to_article`), so a feed read
from disk and the same feed fetched give the same articles. Nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator

from newsreader.core.feeds.parse import parse_feed
from newsreader.core.models import Article, Skipped

#: Suffixes read as feed documents by `Library.import_feed_file`.
FEED_SUFFIXES = frozenset({".rss", ".atom", ".rdf", ".xml"})


def articles_from_feed_bytes(
    data: bytes, *, source: str, origin: str
) -> Iterator[Article | Skipped]:
    """Articles of a feed document's entries (`origin#N`), or one `Skipped` with the reason."""
    parsed = parse_feed(data)
    if parsed.error:
        yield Skipped(origin, parsed.error)
        return
    if not parsed.entries:
        yield Skipped(origin, "a feed with no entries")
        return
    for number, entry in enumerate(parsed.entries, start=1):
        if not entry.title and not entry.paragraphs:
            yield Skipped(f"{origin}#{number}", "feed entry with no title and no text")
            continue
        yield entry.to_article(source, entry.url or f"{origin}#{number}")
