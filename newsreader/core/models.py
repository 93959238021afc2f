"""Plain data passed between storage, ingest, search, export and the front ends."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo credit or caption, kept apart from the body so it never reads as a paragraph.

    `after_paragraph` is the index of the body paragraph the photo followed (-1: before the
    first), so a reader can show it where the original had it.
    """

    credit: str = ""
    caption: str = ""
    after_paragraph: int = -1


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. `id` is None until storage has assigned one.

    `source` names what the user imported (a file, a folder, a feed, a dataset) and is what
    the sidebar groups by; `origin` pins the article down inside it (`file.txt`, `data.jsonl:12`);
    `source_kind` says which importer read it ("text", "file", "jsonl", "csv", "feed").
    """

    title: str
    paragraphs: tuple[str, ...]
    kicker: str = ""
    byline: str = ""
    photos: tuple[Photo, ...] = ()
    source: str = ""
    source_kind: str = ""
    origin: str = ""
    url: str = ""
    published: datetime | None = None
    truncated: bool = False
    id: int | None = None
    imported: datetime | None = None
    read: bool = False
    starred: bool = False

    @property
    def body(self) -> str:
        """The paragraphs as one text, separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        """A hash of what a reader would call the same article: title and body text.

        Whitespace, Unicode normalisation form and case are folded so that the same story
        read twice from files with different line endings or encodings is one article.
        """
        return content_hash(self.title, self.paragraphs)


_WS = re.compile(r"\s+")


def content_hash(title: str, paragraphs: tuple[str, ...] | list[str]) -> str:
    """Hash of normalised title and paragraphs (see `Article.content_hash`)."""
    text = "\n".join([title, *paragraphs])
    text = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """The light columns the article list shows, loaded without paragraphs."""

    id: int
    title: str
    source: str
    published: datetime | None
    imported: datetime
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something an import did not take, and why, in words a user can act on."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something an import changed in what it took, and why: an article too long to read or
    search in one piece, stored in parts. Nothing is lost; the user should still know."""

    origin: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """What one import did: counts, every skip with its reason, and every notice."""

    new: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    notes: list[Notice] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.new} new, {self.duplicates} duplicate"
            f"{'' if self.duplicates == 1 else 's'}, {len(self.skipped)} skipped"
        )
        if self.notes:
            text += f", {len(self.notes)} note{'' if len(self.notes) == 1 else 's'}"
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result with a highlighted snippet (plain text, hits in «»)."""

    article_id: int
    score: float
    title: str
    snippet: str
    source: str = ""
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Highlight:
    """What a search matched, per part of an article, for marking it (`snippets.match_spans`).

    `stems` are index terms of the stemmed fields (prefixes and fuzzy terms already expanded
    against the index), `words` are exact words (a quoted single word), `phrases` are exact
    word sequences; each maps a part ("title", "kicker", "body") to what matched there, so a
    `title:` search marks the title only.
    """

    stems: dict[str, frozenset[str]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.stems, self.words, self.phrases))


@dataclass(frozen=True, slots=True)
class SearchResults:
    """A page of ranked hits, the total match count, and what the query was taken to mean.

    `notice` is set when the query could not be parsed and was searched as plain terms, or
    when a part of it was capped or cut short (say which); `suggestion` is a corrected query
    ("did you mean") when words look misspelt. `ids` (filled by `SearchIndex.search_all`)
    lists every match in order, for a list that shows them all; `highlight` says what to
    mark in an article; `sort` is "relevance" or "date".
    """

    query: str
    total: int
    hits: tuple[SearchHit, ...]
    suggestion: str | None = None
    notice: str | None = None
    terms: tuple[str, ...] = ()
    ids: tuple[int, ...] = ()
    highlight: Highlight | None = None
    sort: str = "relevance"


@dataclass(frozen=True, slots=True)
class Stats:
    articles: int
    unread: int
    starred: int
    truncated: int
    sources: int
    indexed: int
    library_dir: str
    #: Articles the current entity model has been over (the rest await recognition).
    recognised: int = 0


#: Entity types a reader sees, in legend order. "date" and "number" are hidden by default.
ENTITY_TYPES: tuple[str, ...] = (
    "person",
    "org",
    "place",
    "group",
    "event",
    "work",
    "date",
    "number",
)
HIDDEN_ENTITY_TYPES: frozenset[str] = frozenset({"date", "number"})

#: `Mention.part` for the title and the kicker; paragraphs are 0, 1, 2, ...
TITLE_PART = -1
KICKER_PART = -2
#: `Mention.part` of photo i's credit (`Article.photos[i].credit`) is `PHOTO_CREDIT_PART - i`.
PHOTO_CREDIT_PART = -10


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity (one row however many articles and spellings mention it)."""

    id: int
    name: str
    type: str
    article_count: int = 0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an entity is named: `part` (title, kicker or paragraph index) and the
    character offsets [start, end) into that part's stored text, so a highlight lands exactly."""

    entity_id: int
    name: str
    type: str
    part: int
    start: int
    end: int
    text: str
