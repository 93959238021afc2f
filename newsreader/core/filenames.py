"""Safe, readable, unique file names for exported articles.

A title is untrusted text (a feed can call an article `../../.bashrc` or `CON`), yet the file
name a user finds in their notes folder should still read like the title. So the name is a
slug of the title (python-slugify: Unicode letters and digits kept, everything else a hyphen,
cut at a word boundary), then checked against the names every platform reserves (pathvalidate,
"universal" rules: `CON`, `NUL`, `COM1`, ... are refused by Windows even with an extension),
then made unique in the folder without regard to case, because macOS and Windows folders are
case-insensitive and a second `Kursk.md` would silently replace `kursk.md` there.

A slug contains only word characters and hyphens, so it cannot hold a path separator, `..`,
a leading dot (hidden file), a control character or a character Windows forbids.
"""

from __future__ import annotations

from collections.abc import Set

from pathvalidate import is_valid_filename
from slugify import slugify

#: Longest stem in characters, before any `-2` suffix and the extension: long enough to tell
#: titles apart, short enough for a file list and for paths inside synced folders.
MAX_STEM_CHARS = 80
#: Longest stem in UTF-8 bytes: most file systems cap a name at 255 bytes, and 80 characters of
#: some scripts are 320 bytes. The margin leaves room for a suffix and the extension.
MAX_STEM_BYTES = 200
EXTENSION = ".md"

# Apostrophes join words ("Ukraine's" reads better as "ukraines" than "ukraine-s").
_REPLACEMENTS = [["'", ""], ["\u2019", ""], ["\u02bc", ""]]


def slug(title: str) -> str:
    """The title as a lower-case, hyphenated slug that keeps Unicode letters ("" if none)."""
    text = slugify(
        title,
        allow_unicode=True,
        max_length=MAX_STEM_CHARS,
        word_boundary=True,
        save_order=True,
        replacements=_REPLACEMENTS,
    )
    return _cap_bytes(text, MAX_STEM_BYTES)


def _cap_bytes(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` UTF-8 bytes, at a hyphen where one is near."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    head, sep, _ = cut.rpartition("-")
    return (head if sep and len(head) >= len(cut) // 2 else cut).strip("-")


def safe_filename(
    title: str,
    used: Set[str] = frozenset(),
    *,
    article_id: int | None = None,
) -> str:
    """A safe `.md` file name for an article that is not in `used`.

    `used` holds the case-folded names already taken (`name.casefold()`): files in the
    destination folder and names chosen earlier in the same export; the caller adds the
    returned name to it. Case-folded, so that the check costs one set look-up per try however
    large the folder. A title with no letters or digits becomes `article-<id>`; a clash gets
    `-2`, `-3`, ...
    """
    stem = slug(title) or (f"article-{article_id}" if article_id is not None else "article")
    if not is_valid_filename(stem + EXTENSION, platform="universal"):
        # A reserved device name such as "con" or "com1": keep it readable but harmless.
        stem = f"{stem}-article"
    candidate = stem + EXTENSION
    counter = 1
    while candidate.casefold() in used:
        counter += 1
        candidate = f"{stem}-{counter}{EXTENSION}"
    return candidate
