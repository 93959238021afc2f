"""A feed entry as every feed format maps it, and how it becomes a library article.

RSS, Atom, RDF (through feedparser) and JSON Feed (`jsonfeed`) all produce `FeedEntry`, so the
update logic and the article mapping exist once. An entry is known by its `key`: its id, else
its link, else a hash of its content (the order lemon24's `reader` uses), and it counts as
updated when its `entry_hash` (what a reader would see) changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from newsreader.core.models import Article, Skipped, content_hash

#: `Article.source_kind` of everything a feed brought in.
FEED_KIND = "feed"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, its HTML already sanitised into paragraphs."""

    title: str
    paragraphs: tuple[str, ...]
    entry_id: str = ""
    url: str = ""
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    #: True when the feed carried only a summary (the full text is at the link).
    summary_only: bool = False

    @property
    def key(self) -> str:
        """How the entry is recognised on the next refresh (id, else link, else content)."""
        if self.entry_id.strip():
            return "id:" + self.entry_id.strip()
        if self.url.strip():
            return "link:" + self.url.strip()
        return "hash:" + content_hash(self.title, self.paragraphs)

    @property
    def entry_hash(self) -> str:
        """A hash of what the reader sees; a change means the entry was updated."""
        payload = json.dumps(
            [self.title, self.paragraphs, self.url, self.author, self.categories],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_article(self, source: str, origin: str) -> Article:
        """The article the library stores for this entry.

        The feed's categories become the kicker (the section line above the title), the
        author the byline; an entry without a title is named after its first words.
        """
        title = self.title or _first_words(self.paragraphs) or "(untitled entry)"
        return Article(
            title=title,
            paragraphs=self.paragraphs,
            kicker=" · ".join(self.categories[:4]),
            byline=self.author,
            source=source,
            source_kind=FEED_KIND,
            origin=origin,
            url=self.url,
            published=self.published or self.updated,
        )


def _first_words(paragraphs: tuple[str, ...], limit: int = 12) -> str:
    if not paragraphs:
        return ""
    words = paragraphs[0].split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


@dataclass(slots=True)
class ParsedFeed:
    """What one feed document said: its title and entries, or why it could not be read.

    `error` set with entries empty: nothing usable (the reason in words). `warning` set with
    entries: the document was ill-formed but read as far as it goes. `feed_links` lists the
    feeds an HTML page names (autodiscovery), as (url, title).
    """

    title: str = ""
    site_url: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    error: str = ""
    warning: str = ""
    feed_links: list[tuple[str, str]] = field(default_factory=list)


def articles_from_parsed(
    parsed: ParsedFeed, *, source: str, origin: str
) -> Iterator[Article | Skipped]:
    """Articles of a parsed feed document's entries, each `origin#N` (N counts from 1).

    The one mapping for every feed file, XML or JSON Feed: `FeedEntry.to_article`, as a
    refresh stores it. An entry without text is a `Skipped` with that reason (never an empty
    article); a document that cannot be read, or has no entries, is one `Skipped`.
    """
    if parsed.error:
        yield Skipped(origin, parsed.error)
        return
    if not parsed.entries:
        yield Skipped(origin, "a feed with no entries")
        return
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{number}"
        if not entry.paragraphs:
            what = "a title but no text" if entry.title else "no title and no text"
            yield Skipped(where, f"feed entry with {what}")
            continue
        yield entry.to_article(source, where)
