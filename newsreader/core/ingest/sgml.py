"""SGML news collections: Reuters-21578 and files laid out like it (`.sgm`).

Each `<REUTERS>` element is one article: `<TITLE>` the headline, `<AUTHOR>` the byline
(where there is one), `<DATELINE>` the place and day ("SALVADOR, Feb 26 - ", kept at the
head of the lead as the wire printed it), `<BODY>` the text and `<DATE>` the filing time.
The stdlib `html.parser` reads the markup: it is lenient with SGML's unclosed and upper-case
tags, and decodes `&lt;` and `&#3;` for us.

The bodies are hard-wrapped at about 70 characters, and a paragraph opens with an indented
line; the closing "Reuter" sign-off and the control characters that framed each story on the
wire are dropped. A story without body text (TYPE="BRIEF": a headline only) is skipped, like
every article without text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from newsreader.core.ingest import prose
from newsreader.core.ingest.dates import parse_date
from newsreader.core.models import Article, Skipped

#: The elements of a story whose text is kept; all are read as plain text.
_FIELDS = frozenset({"title", "author", "dateline", "body", "date"})
_BY = re.compile(r"^by\s+", re.IGNORECASE)
#: A paragraph starts at a line indented by whitespace.
_PARAGRAPH = re.compile(r"\n(?=[ \t]+\S)")
#: The wire's sign-off at the end of a body: "Reuter", "REUTER", often after a control char.
_SIGN_OFF = re.compile(r"\s*\b(?:Reuters?|REUTERS?)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: "26-FEB-1987 15:01:01.79": the filing time; the date alone where the time is garbled.
_REUTERS_DATE = re.compile(r"(\d{1,2}-[A-Za-z]{3}-\d{4})(?:\s+(\d{1,2}:\d{2}:\d{2}))?")


@dataclass(slots=True)
class _Story:
    line: int
    kind: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)  # text outside the fields (TYPE="UNPROC")


class _CollectionParser(HTMLParser):
    """Collects the `<REUTERS>` elements of a file, with their line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stories: list[_Story] = []
        self._story: _Story | None = None
        self._field: str | None = None
        self._in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "reuters":
            self._story = _Story(line=self.getpos()[0])
            self.stories.append(self._story)
        elif self._story is not None and tag == "text":
            self._in_text = True
            self._story.kind = (dict(attrs).get("type") or "").lower()
        elif self._story is not None and tag in _FIELDS:
            self._field = tag
            self._story.fields.setdefault(tag, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "reuters":
            self._story, self._field, self._in_text = None, None, False
        elif tag == "text":
            self._in_text = False
        elif tag == self._field:
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._story is None:
            return
        if self._field is not None:
            self._story.fields[self._field].append(data)
        elif self._in_text:
            self._story.loose.append(data)


def _field(story: _Story, name: str) -> str:
    return _CONTROL.sub(" ", "".join(story.fields.get(name, [])))


def body_paragraphs(text: str) -> list[str]:
    """Paragraphs of a hard-wrapped wire body: a new one at each indented line."""
    text = _SIGN_OFF.sub("", _CONTROL.sub(" ", text).rstrip())
    return [" ".join(part.split()) for part in _PARAGRAPH.split(text) if part.strip()]


def reuters_date(text: str) -> datetime | None:
    match = _REUTERS_DATE.search(text)
    if match is None:
        return parse_date(text)
    day, time = match.groups()
    try:
        return datetime.strptime(f"{day} {time or '00:00:00'}", "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None


def _article(story: _Story, *, source: str, origin: str) -> Article | Skipped:
    title = " ".join(_field(story, "title").split())
    paragraphs = body_paragraphs(_field(story, "body"))
    if not paragraphs and story.kind == "unproc":  # unprocessed: the text is all there is
        paragraphs = body_paragraphs("".join(story.loose))
    if not paragraphs:
        what = "a headline without text" if title else "no title and no text"
        return Skipped(origin, f"{what} in this SGML story")
    dateline = " ".join(_field(story, "dateline").split())
    if dateline and not paragraphs[0].startswith(dateline):
        glue = " " if dateline.endswith(("-", "–", "—")) else " - "
        paragraphs[0] = dateline + glue + paragraphs[0]
    return Article(
        title=title or prose.title_from_text(paragraphs[0]),
        paragraphs=tuple(paragraphs),
        byline=_BY.sub("", " ".join(_field(story, "author").split())),
        source=source,
        source_kind="sgml",
        origin=origin,
        published=reuters_date(_field(story, "date").strip()),
    )


def read_sgml(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """Articles from an SGML news collection, one per `<REUTERS>` element."""
    parser = _CollectionParser()
    parser.feed(text)
    parser.close()
    if not parser.stories:
        yield Skipped(origin, "no <REUTERS> stories in this SGML file")
        return
    for story in parser.stories:
        yield _article(story, source=source, origin=f"{origin}:{story.line}")
