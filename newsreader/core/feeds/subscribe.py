"""Subscribing: check that an address is a feed (or a page naming feeds) before adding it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from newsreader.core.feeds.entries import ParsedFeed
from newsreader.core.feeds.fetch import (
    DEFAULT_LIMITS,
    FetchLimits,
    FetchResult,
    check_url,
    fetch,
    new_client,
)
from newsreader.core.feeds.parse import parse_feed


class FeedError(Exception):
    """A feed cannot be added or read; the message says why in words."""


class FeedChoice(FeedError):
    """The address is a web page naming several feeds: the user picks one (`links`)."""

    def __init__(self, message: str, links: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.links = links


@dataclass(frozen=True, slots=True)
class Probe:
    """A fetched and parsed feed, ready to subscribe to (`url` after autodiscovery)."""

    url: str
    response: FetchResult
    parsed: ParsedFeed


def probe(url: str, limits: FetchLimits = DEFAULT_LIMITS) -> Probe:
    """Fetch `url`; if it is a page naming one feed, fetch that. Raises `FeedError`/`FeedChoice`."""
    try:
        url = check_url(url)
    except ValueError as exc:
        raise FeedError(str(exc)) from exc
    with new_client(limits, connections=2) as client:
        response, parsed = _get(client, url, limits)
        if parsed.feed_links:
            if len(parsed.feed_links) > 1:
                raise FeedChoice(
                    f"{url} is a web page that names {len(parsed.feed_links)} feeds; choose one",
                    parsed.feed_links,
                )
            url = parsed.feed_links[0][0]
            response, parsed = _get(client, url, limits)
    if parsed.error:
        raise FeedError(f"{url}: {parsed.error}")
    return Probe(response.moved_to or url, response, parsed)


def _get(client: httpx.Client, url: str, limits: FetchLimits) -> tuple[FetchResult, ParsedFeed]:
    response = fetch(client, url, limits=limits)
    if response.error:
        raise FeedError(f"{url}: {response.error}")
    return response, parse_feed(response.body, url=response.url, content_type=response.content_type)


def name_from_url(url: str) -> str:
    """A stand-in name for a feed added without fetching it: its host and path."""
    parts = urlsplit(url)
    return (parts.hostname or url) + (parts.path.rstrip("/") if parts.path not in ("", "/") else "")
