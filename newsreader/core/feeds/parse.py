"""Bytes of a feed document to a `ParsedFeed`: RSS, Atom, RDF by feedparser, JSON Feed by
`jsonfeed`, and an HTML page's `<link rel="alternate">` feeds (autodiscovery).

Never raises for bad content: an unreadable document is a `ParsedFeed` with `error` in words.
feedparser is only ever handed bytes in a stream, never a string it might take for a URL or a
file name and go and open.
"""

from __future__ import annotations

import calendar
import io
import json
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from charset_normalizer import from_bytes
from lxml import etree
from lxml import html as lxml_html

from newsreader.core.feeds.content import paragraphs_from_html, paragraphs_from_text, plain_text
from newsreader.core.feeds.entries import FeedEntry, ParsedFeed
from newsreader.core.feeds.jsonfeed import parse_jsonfeed

#: Link types an HTML page uses to name its feeds.
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "text/xml",
        "application/xml",
    }
)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.I | re.S)


def parse_feed(body: bytes, *, url: str = "", content_type: str = "") -> ParsedFeed:
    """Read a feed document; `content_type` is the HTTP header (its charset is honoured)."""
    if not body.strip():
        return ParsedFeed(error="the server sent an empty document")
    if _looks_like_json(body, content_type):
        return _parse_json(body)
    try:
        return _parse_xml(body, url, content_type)
    except Exception as exc:  # feedparser's own failures, never expected, never fatal
        return ParsedFeed(error=f"could not be read as a feed ({type(exc).__name__}: {exc})")


def _looks_like_json(body: bytes, content_type: str) -> bool:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head in (b"{", b"[") or "json" in content_type.lower()


def _parse_json(body: bytes) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ParsedFeed(error="this JSON is not UTF-8, as a JSON Feed must be")
    except json.JSONDecodeError as exc:
        return ParsedFeed(error=f"this is not valid JSON ({exc.msg}, line {exc.lineno})")
    if not isinstance(data, Mapping):
        return ParsedFeed(error="this is JSON, but not a JSON Feed (not an object)")
    return parse_jsonfeed(data)


_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _undeclared_to_utf8(body: bytes, content_type: str) -> tuple[bytes, str]:
    """A document that names no encoding anywhere and is not UTF-8, as UTF-8.

    Without a declaration, an HTTP charset or a BOM, feedparser would read it as
    windows-1252 and turn Big5, EUC-KR or KOI8-R text into mojibake; charset-normalizer
    tells the encoding from the bytes instead.
    """
    if (
        "charset=" in content_type.lower()
        or body.startswith(_BOMS)
        or b"\x00" in body[:4]  # UTF-16/32 without a BOM: feedparser detects those itself
        or _DECLARED.match(body)
    ):
        return body, content_type
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(body).best()
        if best is not None and best.encoding not in ("utf_8", "ascii"):
            media = content_type.split(";")[0].strip() or "application/xml"
            return str(best).encode("utf-8"), f"{media}; charset=utf-8"
    return body, content_type


def _parse_xml(body: bytes, url: str, content_type: str) -> ParsedFeed:
    body, content_type = _undeclared_to_utf8(body, content_type)
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    # feedparser's own sanitiser and URI rewriting are skipped: entry HTML is sanitised by
    # nh3 in `content` and reduced to text, so they would only cost time (a quarter of it).
    result: Any = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed = dict(result.get("feed", {}))
    entries = [_entry(e) for e in result.get("entries", [])]
    bozo = result.get("bozo_exception")
    if not entries and not result.get("version"):
        if _HTML_START.match(body) or "html" in content_type.lower():
            links = discover_feeds(body, url)
            if links:
                return ParsedFeed(
                    error=f"this is a web page, not a feed; it names {len(links)} feed"
                    + ("s" if len(links) != 1 else ""),
                    feed_links=links,
                )
            return ParsedFeed(error="this is a web page, not a feed, and it names no feed")
        reason = _bozo_words(bozo) if bozo else "no RSS, Atom or JSON Feed content found"
        return ParsedFeed(error=f"not a feed: {reason}")
    return ParsedFeed(
        title=plain_text(str(feed.get("title", ""))),
        site_url=str(feed.get("link", "")),
        entries=entries,
        warning=f"the feed is not well-formed ({_bozo_words(bozo)}); read as far as it goes"
        if bozo and not isinstance(bozo, feedparser.CharacterEncodingOverride)
        else "",
    )


def _bozo_words(exc: BaseException | None) -> str:
    text = str(exc) if exc else ""
    return text or (type(exc).__name__ if exc else "unknown problem")


def _date(value: Any) -> datetime | None:
    if isinstance(value, time.struct_time):
        try:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    return None


def _entry(parsed: Mapping[str, Any]) -> FeedEntry:
    # A plain dict view: feedparser's own lookups map some missing keys to others with a
    # DeprecationWarning (updated_parsed -> published_parsed), which is not what is meant.
    entry: dict[str, Any] = dict(parsed)
    contents = entry.get("content") or []
    content = ""
    for part in contents:
        value = part.get("value", "") if isinstance(part, Mapping) else ""
        if value and len(value) > len(content):
            content = value
    summary = str(entry.get("summary", "") or "")
    text = content or summary
    detail = entry.get("content", [{}])[0] if contents else entry.get("summary_detail", {})
    kind = str(detail.get("type", "text/html")) if isinstance(detail, Mapping) else "text/html"
    paragraphs = paragraphs_from_text(text) if kind == "text/plain" else paragraphs_from_html(text)
    tags = entry.get("tags") or []
    categories = tuple(
        dict.fromkeys(
            plain_text(str(t.get("label") or t.get("term") or ""))
            for t in tags
            if isinstance(t, Mapping)
        )
    )
    return FeedEntry(
        title=plain_text(str(entry.get("title", "") or "")),
        paragraphs=paragraphs,
        entry_id=str(entry.get("id", "") or ""),
        url=str(entry.get("link", "") or ""),
        author=plain_text(str(entry.get("author", "") or "")),
        published=_date(entry.get("published_parsed")),
        updated=_date(entry.get("updated_parsed")),
        categories=tuple(c for c in categories if c),
        summary_only=not content,
    )


def discover_feeds(page: bytes, base_url: str = "") -> list[tuple[str, str]]:
    """Feeds an HTML page names with `<link rel="alternate" type="…">`, as (url, title)."""
    try:
        doc = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    found: dict[str, str] = {}
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            absolute = urljoin(base_url, href)
            if absolute.startswith(("http://", "https://")):
                found.setdefault(absolute, plain_text(link.get("title") or ""))
    return list(found.items())
