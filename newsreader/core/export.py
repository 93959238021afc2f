"""Articles as clean Markdown: one string, one file, or one file each in a folder.

The promise to the user is that an exported article, opened in any Markdown viewer, shows
exactly the article's text: a headline such as `*Breaking*: 1. <b>Kursk</b> [update]` must
not turn into emphasis, a list, HTML or a link. The `markdown` package is the judge (the tests
render every export with it and compare the text), and the escapes are also valid CommonMark so
that note-taking apps show the same.

Escaping approach (see `escape_text`): characters that are Markdown syntax anywhere in a line
get a backslash (`\\ ` `` ` `` `*` `_` `[` `]`); characters Python-Markdown cannot
backslash-escape become character references (`<`, and `|` `~` for GFM tables and
strikethrough), which every renderer decodes back to the character; `&` becomes `&amp;` only
where it would start a character reference (`&copy;`, `&#169`), so `R&B` and `AT&T` stay as
they are; and characters that are syntax only at the start of a line (`#` `>` `-` `+` `=`
`1.` `2)`) are escaped only there, so ordinary prose stays readable in the `.md` source.
Whitespace at either end of a line and tabs also become character references: Markdown would
otherwise read them as code blocks, hard line breaks or nothing at all.

The front matter must be as inert as the body in the many viewers that do not read front
matter and show it as Markdown: `<` `>` `&` `[` in its values are written as YAML escapes
(`\\x3C`), and a URL that is not http(s) (`javascript:`, `data:`) is left out.

Files are written atomically (a temporary file in the same folder, fsync, then a rename), so
an interrupted export never leaves a half-written article, and an existing file is never
replaced unless the caller asked for it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from newsreader.core import photos
from newsreader.core.durable import fsync_path
from newsreader.core.filenames import EXTENSION, safe_filename
from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, Article, Mention, Photo

__all__ = [
    "EntityStyle",
    "article_to_markdown",
    "articles_to_markdown",
    "escape_text",
    "export_articles",
    "safe_url",
    "write_atomic",
]

#: How entity mentions are marked in the body: not at all, in bold, or as `[[wikilinks]]`.
EntityStyle = Literal["none", "bold", "wikilinks"]

TRUNCATED_NOTE = "The source text ends here, mid-sentence: this article is truncated."

# -- escaping -------------------------------------------------------------------------------------

# Syntax wherever it stands in a line. `]`, `{`, `}`, `(`, `)`, `!`, `.` need no escape once
# `[` is escaped and no extension that reads them is enabled.
_INLINE_ESCAPES = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    # Python-Markdown does not honour a backslash before these, so use references instead.
    # (`&` is escaped only where it starts a reference: see `_translate`.)
    "<": "&lt;",
    # GFM tables and strikethrough, which most note-taking apps render.
    "|": "&#124;",
    "~": "&#126;",
    # Python-Markdown expands tabs to spaces before parsing; a reference survives.
    "\t": "&#9;",
}
_INLINE_TABLE = str.maketrans(_INLINE_ESCAPES)
# In a heading every `#` is escaped: trailing ones would be taken for closing the heading.
_TITLE_TABLE = str.maketrans({**_INLINE_ESCAPES, "#": "\\#"})

# Syntax at the start of a line (after any escaped leading whitespace): ATX headings,
# blockquotes, bullet lists, setext underlines and thematic breaks, ordered lists.
_LINE_START = re.compile(r"^(?:(?P<char>[#>+\-])|(?P<equals>=)|(?P<digits>\d+)(?P<delim>[.)]))")

# Control characters cannot be shown, break Markdown's internal placeholders (\x02, \x03) and
# cannot even be written as HTML character references, so they are dropped. Tab and newline
# are handled on their own.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Every Unicode line break as a newline (CR, NEL, U+2028, ...); control characters gone."""
    return _CONTROL.sub("", "\n".join(text.splitlines()))


def _one_line(text: str) -> str:
    """Whitespace runs (line breaks included) as single spaces: for titles and labels."""
    return " ".join(_clean(text).split())


# An `&` that a renderer could read as the start of a character reference: `&amp;`, and any
# `&#` (Python-Markdown reads `&#169` as a reference even without its `;`). Wider than
# CommonMark's list of named references, so that both renderers agree.
_REFERENCE_AMPERSAND = re.compile(r"&(?=#|[0-9A-Za-z]+;)")


def _translate(text: str, table: Mapping[int, str]) -> str:
    """`text.translate(table)`, with `&` escaped only where it would start a reference.

    A lone `&` (`R&B`, `AT&T`, `Q&A`) is literal text to every renderer, so it is left alone
    and the Markdown source reads as the article does.
    """
    return "&amp;".join(part.translate(table) for part in _REFERENCE_AMPERSAND.split(text))


def _escape_line(line: str, table: Mapping[int, str] = _INLINE_TABLE) -> str:
    """One line of article text as Markdown that renders as exactly that line."""
    core = line.strip()
    if not core:
        # A whitespace-only line would end the paragraph; as references it is text.
        return "".join(f"&#{ord(ch)};" for ch in line)
    start = line.index(core[0])
    lead, trail = line[:start], line[start + len(core) :]
    escaped = _translate(core, table)
    match = _LINE_START.match(escaped)
    if match:
        if match["char"]:
            escaped = "\\" + escaped
        elif match["equals"]:
            escaped = "&#61;" + escaped[1:]
        else:
            cut = match.end("digits")
            escaped = escaped[:cut] + "\\" + escaped[cut:]
    return (
        "".join(f"&#{ord(ch)};" for ch in lead) + escaped + "".join(f"&#{ord(ch)};" for ch in trail)
    )


def escape_text(text: str) -> str:
    """Article text as Markdown that renders as exactly that text (see the module docstring).

    Line breaks inside the text are kept as line breaks within one block; empty lines are
    dropped, because in Markdown they would end the paragraph. Control characters are dropped.
    """
    lines = [line for line in _clean(text).split("\n") if line]
    return "\n".join(_escape_line(line) for line in lines)


def _escape_title(title: str) -> str:
    """A title for an ATX heading: one line, and every `#` escaped (a trailing `#` would go)."""
    return _escape_line(_one_line(title), _TITLE_TABLE)


#: Entity types whose mentions bold and wikilink marking mark: names (person, organisation,
#: place, group, event, work), never dates or numbers.
MARKED_ENTITY_TYPES: frozenset[str] = frozenset(ENTITY_TYPES) - HIDDEN_ENTITY_TYPES


def _render_part(text: str, part: int, mentions: Sequence[Mention], style: EntityStyle) -> str:
    """Escape one part of an article (title, kicker or a paragraph), marking its mentions.

    `mentions` are those whose `part` is this part, with offsets into the stored text. With
    `bold` each mention becomes `**text**`; with `wikilinks` `[[Canonical Name]]` (or
    `[[Canonical Name|text]]` when the text differs, for note-taking apps); everything else is
    escaped exactly as without marking. Called for paragraphs; the title and kicker are
    whitespace-normalised first (`_one_line`), so their mention offsets would need mapping.
    """
    del part
    # Only names are marked: a `[[2004]]` or `**Sunday**` is no note a reader wants.
    mentions = [m for m in mentions if m.type in MARKED_ENTITY_TYPES]
    if style == "none" or not mentions:
        return escape_text(text)
    # Mark each mention with private-use sentinels, escape the whole text as usual (so line
    # starts and everything else are escaped exactly as without marking), then turn the
    # sentinels into the markup. Sentinels already in the text are dropped first.
    text = text.translate(_NO_SENTINELS)
    marked: list[str] = []
    kept: list[Mention] = []
    position = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < position or mention.end > len(text) or mention.start >= mention.end:
            continue  # overlapping or stale offsets: leave that stretch unmarked
        marked += [text[position : mention.start], _OPEN, text[mention.start : mention.end], _CLOSE]
        kept.append(mention)
        position = mention.end
    marked.append(text[position:])
    escaped = escape_text("".join(marked))
    names = iter(kept)

    def markup(match: re.Match[str]) -> str:
        mention = next(names)
        inner = match.group(1)
        if "\n" in inner or not inner.strip():
            return inner  # a mention across a line break cannot be one link or one bold run
        if style == "bold":
            return f"**{inner}**"
        name = _wikilink_text(mention.name)
        shown = _wikilink_text(mention.text)
        return f"[[{name}]]" if shown == name else f"[[{name}|{shown}]]"

    return _MARKED.sub(markup, escaped)


_OPEN, _CLOSE = "\ue000", "\ue001"
_NO_SENTINELS = str.maketrans({_OPEN: None, _CLOSE: None})
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)


def _wikilink_text(text: str) -> str:
    """Text for inside `[[...]]`: one line, without the characters that end or split a link."""
    return _one_line(re.sub(r"[\[\]|#^]", "", text))


# -- front matter ---------------------------------------------------------------------------------


class _FrontMatterDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing date-times as ISO 8601 with a `T` (`2024-08-06T10:00:00`).

    The stock dumper writes `2024-08-06 10:00:00`, which YAML reads back fine but note-taking
    apps and other tools often do not take for a date-time.
    """


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_FrontMatterDumper.add_representer(datetime, _represent_datetime)

# Characters that make text live in a viewer that shows the front matter as Markdown (most
# do not read front matter): `<` opens HTML and autolinks, `&` character references, `[` links.
# In YAML values they are written as escapes of a double-quoted string (`\x3C`), which every
# YAML reader decodes back to the character and no Markdown renderer reads as markup.
_LIVE_IN_MARKDOWN = "<>&["
_YAML_ESCAPES = str.maketrans({ch: f"\\x{ord(ch):02X}" for ch in _LIVE_IN_MARKDOWN})


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Strings with a character from `_LIVE_IN_MARKDOWN` are double-quoted (see there)."""
    style = '"' if any(ch in value for ch in _LIVE_IN_MARKDOWN) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(str, _represent_str)

#: The only URL schemes written to the front matter: anything else (`javascript:`, `data:`,
#: `file:`) could be made a live link by a viewer, and is no address of a news article anyway.
_URL_SCHEMES = ("http", "https")


def safe_url(url: str) -> str:
    """`url` if it is an http(s) address with a host and no spaces or markup; else "".

    Refused rather than escaped: a `javascript:` link is not made harmless by quoting.
    """
    url = _one_line(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in _URL_SCHEMES or not parts.hostname:
        return ""
    if any(ch.isspace() or ch in '<>"`' for ch in url):
        return ""
    return url


def _front_matter(
    article: Article, entity_names: Mapping[str, Sequence[str]] | None
) -> dict[str, Any]:
    """The metadata a notes app or a re-import needs, with empty fields left out."""
    meta: dict[str, Any] = {}
    for key, value in (
        ("title", _one_line(article.title)),
        ("source", _one_line(article.source)),
        ("url", safe_url(article.url)),
        ("published", article.published),
        ("kicker", _one_line(article.kicker)),
        ("byline", _one_line(article.byline)),
    ):
        if value:
            meta[key] = value
    if article.truncated:
        meta["truncated"] = True
    if entity_names:
        entities = {
            kind: [_one_line(name) for name in names]
            for kind, names in entity_names.items()
            if names
        }
        if entities:
            meta["entities"] = entities
    return meta


def _dump_front_matter(meta: Mapping[str, Any]) -> str:
    """YAML between `---` lines; every string is quoted as YAML needs (PyYAML's safe dumper)."""
    body = yaml.dump(
        dict(meta),
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,  # one line per field: easier to read and to grep
    )
    # The characters in `_LIVE_IN_MARKDOWN` now stand only inside double-quoted strings
    # (keys are plain words), where a YAML escape means the same character.
    return f"---\n{body.translate(_YAML_ESCAPES)}---\n"


# -- rendering ------------------------------------------------------------------------------------


def _photo_line(photo: Photo) -> str:
    """A photo's caption and credit as one italic line: `*Smoke over Sudzha. Photo: AFP*`
    (the wording is `photos.photo_text`, shared with the window and the CLI)."""
    text = photos.photo_text(photo)
    return f"*{escape_text(text)}*" if text else ""


def article_to_markdown(
    article: Article,
    *,
    entities: EntityStyle = "none",
    mentions: Sequence[Mention] | None = None,
    entity_names: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """One article as a Markdown document with YAML front matter.

    Layout: front matter (title, source, url, published, kicker, byline, `truncated: true`,
    and `entities:` by type when `entity_names` is given), `# Title`, the kicker in bold on its
    own line, the paragraphs separated by blank lines, each photo credit as an italic line after
    the paragraph it followed, and a closing note when the source text was cut off.

    `entities` and `mentions` are the seam for marking entity mentions in the body (see
    `_render_part`). Blank paragraphs are left out.
    """
    all_mentions: Sequence[Mention] = mentions or ()
    blocks: list[str] = []
    if article.title.strip():
        blocks.append(f"# {_escape_title(article.title)}")
    kicker = _one_line(article.kicker)
    if kicker:
        blocks.append(f"**{escape_text(kicker)}**")

    photos_after = {
        after: [_photo_line(p) for p in placed]
        for after, placed in photos.article_photos(article).items()
    }

    blocks.extend(photos_after.get(-1, []))
    for index, paragraph in enumerate(article.paragraphs):
        rendered = _render_part(
            paragraph, index, [m for m in all_mentions if m.part == index], entities
        )
        if rendered:
            blocks.append(rendered)
        blocks.extend(photos_after.get(index, []))
    if article.truncated:
        blocks.append(f"*{escape_text(TRUNCATED_NOTE)}*")

    front = _dump_front_matter(_front_matter(article, entity_names))
    return front + "\n" + "\n\n".join(blocks) + "\n"


#: Per article: its entity mentions and its entity names by type (for the front matter).
EntityData = Callable[[Article], tuple[Sequence[Mention], Mapping[str, Sequence[str]]]]


def _render(article: Article, entities: EntityStyle, entity_data: EntityData | None) -> str:
    if entity_data is None:
        return article_to_markdown(article, entities=entities)
    mentions, names = entity_data(article)
    return article_to_markdown(article, entities=entities, mentions=mentions, entity_names=names)


def articles_to_markdown(
    articles: Iterable[Article],
    *,
    entities: EntityStyle = "none",
    entity_data: EntityData | None = None,
) -> str:
    """Several articles as one text (for `-`, standard output), each with its front matter.

    The articles are separated by a blank line, so each front matter block starts a new
    `---` section that a reader (or a script splitting on `\\n\\n---\\n`) can find.
    """
    return "\n".join(_render(a, entities, entity_data) for a in articles)


# -- writing files --------------------------------------------------------------------------------


def _temp_file(folder: Path) -> tuple[Path, int]:
    """Create a hidden temporary file in `folder`; its mode follows the user's umask.

    The name does not repeat the target's, which may already be near the 255-byte limit.
    """
    while True:
        temp = folder / f".newsreader-export-{secrets.token_hex(6)}.tmp"
        try:
            return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def _publish(temp: Path, target: Path, *, overwrite: bool) -> None:
    """Move a finished temporary file to its name, atomically.

    Without `overwrite`, a hard link is the no-clobber rename: it fails if `target` exists,
    even when another program created it a moment ago. File systems without hard links fall
    back to a check and a rename.
    """
    if overwrite:
        temp.replace(target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileExistsError(f"{target} already exists") from None
    except OSError:
        if target.exists():
            raise FileExistsError(f"{target} already exists") from None
        temp.replace(target)
    else:
        temp.unlink()


def write_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write `text` (UTF-8) to `path` so that a reader sees the old file or the new, never half.

    Raises FileExistsError if `path` exists and `overwrite` is false. On any failure the
    temporary file is removed and an existing file at `path` is left as it was.
    """
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} already exists")
    temp, fd = _temp_file(path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        _publish(temp, path, overwrite=overwrite)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_path(path.parent)


def _write_new(folder: Path, article: Article, text: str, used: set[str], overwrite: bool) -> Path:
    """Write one article into `folder` under a fresh safe name, retrying if one appears."""
    while True:
        name = safe_filename(article.title, used, article_id=article.id)
        used.add(name.casefold())
        path = folder / name
        try:
            write_atomic(path, text, overwrite=overwrite)
        except FileExistsError:
            continue  # created by someone else since we listed the folder: take the next name
        return path


def export_articles(
    articles: Sequence[Article],
    destination: Path,
    *,
    overwrite: bool = False,
    entities: EntityStyle = "none",
    entity_data: EntityData | None = None,
) -> list[Path]:
    """Write articles as Markdown files and return their paths, in the order given.

    One article and a destination ending in `.md` is written to that file (its folder is
    created); an existing file there raises FileExistsError unless `overwrite`. Otherwise the
    destination is a folder (created if needed) and each article gets a safe file name from its
    title; names already in the folder are avoided (`-2`, `-3`, ...) unless `overwrite`, in
    which case a re-export replaces the files of the same name. Names are unique within one
    export either way. Several articles and a `.md` destination raise NotADirectoryError.
    """
    destination = Path(destination)
    if not articles:
        return []
    is_file = destination.suffix.lower() == EXTENSION and not destination.is_dir()
    if is_file and len(articles) > 1:
        # An OSError, like every other "this destination will not do", so front ends report
        # it the same way.
        raise NotADirectoryError(
            f"{len(articles)} articles need a folder, not the file {destination}; "
            "give a folder name (without .md) or export one article"
        )
    if is_file:
        destination.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(destination, _render(articles[0], entities, entity_data), overwrite=overwrite)
        return [destination]

    if destination.exists() and not destination.is_dir():
        raise NotADirectoryError(f"{destination} is a file, not a folder to export into")
    destination.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    if not overwrite:
        used.update(entry.name.casefold() for entry in os.scandir(destination))
    written = []
    for article in articles:
        text = _render(article, entities, entity_data)
        written.append(_write_new(destination, article, text, used, overwrite))
    return written
