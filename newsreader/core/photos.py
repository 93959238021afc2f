"""Where photo credits go in an article, and how one reads: one rule for every front end.

The reader pane, `newsreader show` and the Markdown export all lay an article out as
paragraphs with photo lines between them. They used to place a credit recorded after the last
paragraph (or past it, from a damaged or hand-made import) three different ways: the CLI
dropped it, the window appended it at the end, the export clamped it. Here is the one rule:
a position below -1 means "before the first paragraph", one at or past the last paragraph
means "after the last", and photos keep the order the article lists them in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsreader.core.models import Article, Photo

_CREDIT_LABEL = re.compile(r"(?i)\b(photo(graph)?|picture|image|credit)s?\b")
_SENTENCE_END = re.compile(r"[.!?…]['\"’”»)]*$")
#: The position `place_photos` uses for photos that come before the first paragraph.
BEFORE_FIRST = -1


def _one_line(text: str) -> str:
    return " ".join(text.split())


def photo_text(photo: Photo) -> str:
    """A photo's caption and credit as one plain line: "Smoke over Sudzha. Photo: AFP".

    A bare credit ("Reuters") gets a "Photo:" label so it does not read as part of the story;
    one that already names itself ("Photo: AFP", "AFP Photo") is kept as it is. Empty when
    the photo has neither caption nor credit.
    """
    caption, credit = _one_line(photo.caption), _one_line(photo.credit)
    if credit and not _CREDIT_LABEL.search(credit):
        credit = f"Photo: {credit}"
    if caption and credit:
        return f"{caption} {credit}" if _SENTENCE_END.search(caption) else f"{caption} — {credit}"
    return caption or credit


def place_photos(photos: Sequence[Photo], paragraph_count: int) -> dict[int, list[Photo]]:
    """Photos by the paragraph they follow (`BEFORE_FIRST` for those before the first one).

    Out-of-range positions are clamped (see the module docstring), so every photo with text
    is shown exactly once whatever its recorded position; photos with no text are left out.
    """
    last = paragraph_count - 1
    placed: dict[int, list[Photo]] = {}
    for photo in photos:
        if not photo_text(photo):
            continue
        position = min(max(photo.after_paragraph, BEFORE_FIRST), last)
        placed.setdefault(max(position, BEFORE_FIRST), []).append(photo)
    return placed


def article_photos(article: Article) -> dict[int, list[Photo]]:
    """`place_photos` for an article's own photos and paragraphs."""
    return place_photos(article.photos, len(article.paragraphs))
