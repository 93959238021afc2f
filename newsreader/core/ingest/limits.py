"""Size limits that keep every imported article quick to show and to search.

Two kinds, both stated in the README:

- a file larger than its format's limit is not read at all (readers hold a whole file in
  memory; JSON Lines is streamed a record at a time and has no file limit, only a limit per
  record line);
- an article longer than `MAX_ARTICLE_CHARS`, or with more than `MAX_PARAGRAPHS` paragraphs,
  is stored as consecutive parts, "Title (part 2 of 5)", each within both limits, and the
  import report says so. A paragraph longer than `MAX_PARAGRAPH_CHARS` (a text without line
  breaks) is first broken at word boundaries.

News articles are far below these limits (a long magazine feature is some 60,000 characters);
what crosses them is a book, a log or a dump, which is still imported, just in parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from newsreader.core.models import Article, Notice, Skipped

MIB = 1024 * 1024
#: Files larger than this (bytes) are refused, by suffix. A suffix not listed has no limit.
MAX_FILE_BYTES: dict[str, int] = {
    ".txt": 32 * MIB,
    ".text": 32 * MIB,
    ".md": 8 * MIB,
    ".markdown": 8 * MIB,
    ".html": 16 * MIB,
    ".htm": 16 * MIB,
    ".json": 128 * MIB,
    ".csv": 256 * MIB,
    ".tsv": 256 * MIB,
    ".sgm": 64 * MIB,
    ".sgml": 64 * MIB,
    # A saved feed: the same ceiling as a fetched one's unpacked body (`FetchLimits`).
    ".rss": 50 * MIB,
    ".atom": 50 * MIB,
    ".rdf": 50 * MIB,
    ".xml": 50 * MIB,
}
#: A JSON Lines record line longer than this (bytes) is skipped with the reason.
MAX_RECORD_BYTES = 16 * MIB

MAX_ARTICLE_CHARS = 100_000
MAX_PARAGRAPHS = 2_000
MAX_PARAGRAPH_CHARS = 20_000

_KIND = {
    ".txt": "plain-text",
    ".text": "plain-text",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".html": "HTML",
    ".htm": "HTML",
    ".json": "JSON",
    ".csv": "CSV",
    ".tsv": "TSV",
    ".sgm": "SGML",
    ".sgml": "SGML",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "XML",
}


def megabytes(size: int) -> str:
    return f"{size / MIB:,.1f} MB"


def file_too_large(origin: str, suffix: str, size: int) -> Skipped | None:
    """A `Skipped` saying why a file of `size` bytes is not read, or None if it may be."""
    limit = MAX_FILE_BYTES.get(suffix)
    if limit is None or size <= limit:
        return None
    return Skipped(
        origin,
        f"file is {megabytes(size)}, over the {megabytes(limit)} limit for {_KIND[suffix]} "
        "files: not imported (split it into smaller files to import it)",
    )


def _break_paragraph(text: str) -> list[str]:
    """`text` in pieces of at most `MAX_PARAGRAPH_CHARS`, cut at the last space before the
    limit (mid-word only when there is no space at all)."""
    pieces: list[str] = []
    while len(text) > MAX_PARAGRAPH_CHARS:
        cut = text.rfind(" ", MAX_PARAGRAPH_CHARS // 2, MAX_PARAGRAPH_CHARS + 1)
        if cut <= 0:
            cut = MAX_PARAGRAPH_CHARS
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _parts(paragraphs: list[str]) -> list[tuple[int, int]]:
    """(start, end) paragraph ranges, each within the article limits, in order."""
    ranges: list[tuple[int, int]] = []
    start, size = 0, 0
    for index, paragraph in enumerate(paragraphs):
        full = index - start >= MAX_PARAGRAPHS or size + len(paragraph) > MAX_ARTICLE_CHARS
        if index > start and full:
            ranges.append((start, index))
            start, size = index, 0
        size += len(paragraph)
    ranges.append((start, len(paragraphs)))
    return ranges


def bounded(article: Article) -> Iterator[Article | Notice]:
    """`article` as it is when within the limits; else its parts, then a `Notice`."""
    if (
        len(article.paragraphs) <= MAX_PARAGRAPHS
        and sum(map(len, article.paragraphs)) <= MAX_ARTICLE_CHARS
        and all(len(p) <= MAX_PARAGRAPH_CHARS for p in article.paragraphs)
    ):
        yield article
        return
    # A photo follows a paragraph by index: it now follows that paragraph's last piece.
    paragraphs: list[str] = []
    last_piece: list[int] = []
    for paragraph in article.paragraphs:
        paragraphs.extend(_break_paragraph(paragraph))
        last_piece.append(len(paragraphs) - 1)
    broken = len(paragraphs) - len(article.paragraphs)
    ranges = _parts(paragraphs)
    count = len(ranges)
    placed = [
        (photo, last_piece[min(photo.after_paragraph, len(last_piece) - 1)])
        if photo.after_paragraph >= 0
        else (photo, -1)
        for photo in article.photos
    ]
    for number, (start, end) in enumerate(ranges, start=1):
        photos = tuple(
            replace(photo, after_paragraph=index - start if index >= 0 else -1)
            for photo, index in placed
            if start <= index < end or (index < 0 and number == 1)
        )
        yield replace(
            article,
            title=f"{article.title} (part {number} of {count})" if count > 1 else article.title,
            paragraphs=tuple(paragraphs[start:end]),
            photos=photos,
            truncated=article.truncated and number == count,
        )
    done = []
    if count > 1:
        done.append(
            f"stored as {count} articles, “{article.title} (part 1 of {count})” and on, "
            f"of at most {MAX_ARTICLE_CHARS:,} characters and {MAX_PARAGRAPHS:,} paragraphs each"
        )
    if broken:
        done.append(
            f"paragraphs over {MAX_PARAGRAPH_CHARS:,} characters broken at word boundaries "
            f"({broken:,} more paragraphs)"
        )
    yield Notice(article.origin, "too long to show and search in one piece: " + "; ".join(done))
