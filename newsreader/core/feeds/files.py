"""Feed documents saved as files (`.rss`, `.atom`, `.rdf`, `.xml`, a JSON Feed `.json`) as
articles, for the importer (`core/ingest`), in a folder or named directly.

The same parse and mapping as a refresh (`parse_feed`, `FeedEntry.to_article`), so a feed read
from disk and the same feed fetched give the same articles, but for entries without text: an
import skips those with the reason (a refresh keeps a headline with its link, whose full text
can be fetched). Nothing is fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from newsreader.core.feeds.entries import articles_from_parsed
from newsreader.core.feeds.parse import parse_feed
from newsreader.core.models import Article, Skipped

if TYPE_CHECKING:
    from newsreader.core.library import Library


def articles_from_feed_bytes(
    data: bytes, *, source: str, origin: str
) -> Iterator[Article | Skipped]:
    """Articles of a feed document (RSS, Atom, RDF or JSON Feed bytes), as `articles_from_parsed`.

    Nothing here limits sizes: the importer (`core/ingest`) holds these articles to the same
    file and article limits as every other file.
    """
    yield from articles_from_parsed(parse_feed(data), source=source, origin=origin)


def is_web_address(value: str | os.PathLike[str]) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def split_feed_arguments(
    library: Library, given: Sequence[str | os.PathLike[str]]
) -> tuple[list[str | os.PathLike[str]], Iterator[Article | Skipped]]:
    """Split what an import was given into paths and the skips of web addresses.

    A web address is skipped with how to subscribe to it (an import never goes online).
    Everything else, saved feed documents included, goes on to the file importers
    (`core/ingest`), which read a feed file named directly exactly as one found in a folder:
    through `articles_from_feed_bytes`, within the same size limits as any other file.
    `library` is kept for the callers' sake.
    """
    del library  # sources are named by the importer, as for every other file
    paths: list[str | os.PathLike[str]] = []
    addresses: list[str] = []
    for item in given:
        if is_web_address(item):
            addresses.append(str(item).strip())
        else:
            paths.append(item)

    def items() -> Iterator[Article | Skipped]:
        for address in addresses:
            yield Skipped(
                address,
                f"a web address, not a file; to subscribe: newsreader feeds add {address}"
                " (in the window: File → Add feed)",
            )

    return paths, items()
