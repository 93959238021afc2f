"""One-article files: Markdown (front matter or `# Title`) and HTML pages.

Plain `.txt` files are decided per file in `plaintext` (a titled article or a corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser

import markdown
import yaml

from newsreader.core.ingest import prose
from newsreader.core.ingest.dates import parse_date
from newsreader.core.models import Article, Photo, Skipped

_ATX_TITLE = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
_SETEXT_TITLE = re.compile(r"^(?P<title>[^\n]+)\n=+[ \t]*(?:\n|$)")
_BLOCK_TAGS = prose.words(
    """p h1 h2 h3 h4 h5 h6 li blockquote pre td th dt dd figcaption div br hr"""
)


class _BlockText(HTMLParser):
    """Visible text of rendered Markdown, one string per block element; images as photos."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.photos: list[Photo] = []
        self._parts: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "img":
            alt = " ".join((dict(attrs).get("alt") or "").split())
            if alt:
                self._flush()
                self.photos.append(Photo(caption=alt, after_paragraph=len(self.blocks) - 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def markdown_paragraphs(text: str) -> tuple[list[str], list[Photo]]:
    """Paragraphs as a reader sees them once Markdown formatting is rendered away.

    Rendering with the markdown package (rather than stripping `*` and `_` by regex) gets
    escapes, links, inline code and nested emphasis right.
    """
    parser = _BlockText()
    parser.feed(markdown.markdown(text, output_format="html"))
    parser.close()
    return parser.blocks, parser.photos


def _text_field(meta: Mapping[str, object], *names: str) -> str:
    for name in names:
        value = meta.get(name)
        if isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value if item)
        if value is not None and str(value).strip():
            return " ".join(str(value).split())
    return ""


def read_markdown(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """One article from a Markdown file; the title comes from front matter, a first-level
    heading at the top, or else the first sentence."""
    import frontmatter  # imported on first use: opening the app never pays for it

    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Skipped(origin, f"malformed front matter: {reason}")
        return
    meta: Mapping[str, object] = post.metadata if isinstance(post.metadata, dict) else {}
    body = post.content.strip()
    title = _text_field(meta, "title", "headline")
    heading = _ATX_TITLE.match(body.split("\n", 1)[0]) or _SETEXT_TITLE.match(body)
    if heading is not None:
        # A top heading repeats or replaces the front-matter title; either way not a paragraph.
        title = title or markdown_paragraphs(heading.group("title"))[0][0]
        body = body[heading.end() :] if heading.re is _SETEXT_TITLE else body.partition("\n")[2]
    paragraphs, photos = markdown_paragraphs(body)
    if not paragraphs:
        what = "only a title" if title else "no article text"
        yield Skipped(origin, f"{what} in the Markdown file")
        return
    yield Article(
        title=title or prose.title_from_text(paragraphs[0]),
        paragraphs=tuple(paragraphs),
        kicker=_text_field(meta, "kicker", "category", "section"),
        byline=_text_field(meta, "author", "authors", "byline"),
        photos=tuple(photos),
        source=source,
        source_kind="file",
        origin=origin,
        url=_text_field(meta, "url", "link", "canonical_url"),
        published=parse_date(meta.get("date") or meta.get("published")),
        truncated=bool(paragraphs) and not prose.ends_sentence(paragraphs[-1]),
    )


def read_html(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """The main text of a saved web page, by trafilatura (which never goes online here)."""
    # Imported on first use: trafilatura and its dependencies take longer to import than the
    # rest of the core, and only HTML imports need it.
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception as exc:  # a broken page must never stop an import
        yield Skipped(origin, f"could not read the HTML page: {exc}")
        return
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        yield Skipped(origin, "no article text found in the HTML page")
        return
    title = " ".join((getattr(doc, "title", None) or "").split())
    paragraphs = [" ".join(line.split()) for line in body.split("\n") if line.strip()]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the page's own <h1>, already the title
    if not paragraphs:
        yield Skipped(origin, "no article text found in the HTML page")
        return
    yield Article(
        title=title or prose.title_from_text(paragraphs[0]),
        paragraphs=tuple(paragraphs),
        byline=" ".join((getattr(doc, "author", None) or "").split()),
        source=source,
        source_kind="file",
        origin=origin,
        url=getattr(doc, "url", None) or "",
        published=parse_date(getattr(doc, "date", None)),
    )
