"""Feed documents saved as files (`.rss`, `.atom`, `.xml`, a JSON Feed `.json`) as articles.

The same parse and mapping as a refresh (`parse_feed`, `FeedEntry.to_article`), so a feed read
from disk and the same feed fetched give the same articles. Nothing is fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.core.feeds.parse import parse_feed
from newsreader.core.models import Article, Skipped

if TYPE_CHECKING:
    from newsreader.core.library import Library

#: Suffixes read as feed documents when named directly to an import.
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


def is_web_address(value: str | os.PathLike[str]) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def split_feed_arguments(
    library: Library, given: Sequence[str | os.PathLike[str]]
) -> tuple[list[str | os.PathLike[str]], Iterator[Article | Skipped]]:
    """Split what an import was given into article paths and the items of the rest.

    A web address is skipped with how to subscribe to it (an import never goes online); a
    saved feed document (`.rss`, `.atom`, `.rdf`, `.xml` named directly) is read as a feed,
    its source named after the file. Everything else goes on to the file importers.
    """
    paths: list[str | os.PathLike[str]] = []
    addresses: list[str] = []
    feeds: list[Path] = []
    for item in given:
        if is_web_address(item):
            addresses.append(str(item).strip())
        elif Path(item).suffix.lower() in FEED_SUFFIXES and Path(item).expanduser().is_file():
            feeds.append(Path(item).expanduser())
        else:
            paths.append(item)

    def items() -> Iterator[Article | Skipped]:
        for address in addresses:
            yield Skipped(
                address,
                f"a web address, not a file; to subscribe: newsreader feeds add {address}"
                " (in the window: File → Add feed)",
            )
        for file in feeds:
            try:
                data = file.read_bytes()
            except OSError as exc:
                yield Skipped(str(file), f"cannot read the file: {exc.strerror or exc}")
                continue
            name = library.source_store.register_path(str(file.resolve()), "file")
            yield from articles_from_feed_bytes(data, source=name, origin=str(file))

    return paths, items()
