"""Entry HTML to the plain paragraphs the library stores.

Feed HTML is untrusted: nh3 (the Rust `ammonia` sanitiser) first removes scripts, styles,
event handlers and everything but a small set of text-structure tags, then the remaining tree
is read into paragraphs at block boundaries. Images, iframes and other embedded resources are
dropped altogether, so nothing remote is ever loaded when an article is read.
"""

from __future__ import annotations

import html
import re

import nh3
from lxml import etree
from lxml import html as lxml_html

#: Tags kept by the sanitiser: only what shapes text into paragraphs.
_KEEP = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
        "h6", "dd", "dt", "dl", "tr", "td", "th", "table", "tbody", "thead", "section",
        "article", "figcaption", "hr", "a", "b", "i", "em", "strong", "span", "code", "sub",
        "sup", "q", "cite", "small", "abbr", "time", "mark", "u", "s", "del", "ins",
    }
)  # fmt: skip
#: Their content goes with them (not just the tag).
_DROP_WITH_CONTENT = frozenset({"script", "style", "noscript", "iframe", "object", "template"})
#: Tags that end a paragraph.
_BLOCKS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "dd", "dt", "dl", "tr", "table", "section", "article", "figcaption", "hr",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_HAS_TAGS = re.compile(r"<\s*[a-zA-Z/!]")


def sanitise(markup: str) -> str:
    """HTML with only text-structure tags left (no attributes but a link's href)."""
    return nh3.clean(
        markup,
        tags=set(_KEEP),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def paragraphs_from_html(markup: str) -> tuple[str, ...]:
    """Paragraphs of text from feed HTML (or plain text), blank ones left out."""
    if not markup or not markup.strip():
        return ()
    if not _HAS_TAGS.search(markup):
        return paragraphs_from_text(html.unescape(markup))
    clean = sanitise(markup)
    if not clean.strip():
        return ()
    try:
        root = lxml_html.fragment_fromstring(clean, create_parent="div")
    except (etree.ParserError, ValueError):
        return paragraphs_from_text(html.unescape(re.sub(r"<[^>]*>", " ", clean)))
    pieces: list[str] = []
    _walk(root, pieces)
    return _split("".join(pieces))


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Plain text split at blank lines (single newlines join), whitespace tidied."""
    return _split(text.replace("\r\n", "\n").replace("\r", "\n"))


def _walk(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCKS
    if block:
        out.append("\n\n")
    if tag == "br":
        out.append("\n\n")
    if element.text:
        out.append(element.text if tag == "pre" else element.text.replace("\n", " "))
    for child in element:
        _walk(child, out)
        if child.tail:
            out.append(child.tail.replace("\n", " "))
    if block:
        out.append("\n\n")


def _split(text: str) -> tuple[str, ...]:
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        line = _SPACES.sub(" ", chunk.replace("\n", " ")).strip()
        if line:
            paragraphs.append(line)
    return tuple(paragraphs)


def plain_text(markup: str) -> str:
    """One line of text from a title or name that may carry markup or entities."""
    if not markup:
        return ""
    if _HAS_TAGS.search(markup):
        return " ".join(paragraphs_from_html(markup))
    return _SPACES.sub(" ", html.unescape(markup).replace("\n", " ")).strip()
