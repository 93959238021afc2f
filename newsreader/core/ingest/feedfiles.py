"""Saved feed documents (`.rss`, `.atom`, `.rdf`, a feed `.xml`) as the articles a refresh
would store, whether found in a folder or named directly.

Read from bytes, not from decoded text: an XML document names its own encoding, and the feed
parser honours it (or detects one). The mapping is the subscriptions code's
(`core/feeds/files.py`), imported on first use: feedparser and lxml cost import time that an
import of text files never needs. An `.xml` file that is not a feed is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from newsreader.core.models import Article, Skipped

#: Suffixes read as feed documents (lower case, with the dot).
SUFFIXES = frozenset({".rss", ".atom", ".rdf", ".xml"})


def read_feed_bytes(data: bytes, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """The entries of a feed document as articles, or a `Skipped` saying why there are none."""
    if not data.strip():
        yield Skipped(origin, "empty file")
        return
    from newsreader.core.feeds.files import articles_from_feed_bytes

    yield from articles_from_feed_bytes(data, source=source, origin=origin)
