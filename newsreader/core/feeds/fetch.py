"""Fetching one feed over HTTP(S) with httpx, defensively.

Only `http:` and `https:` are fetched (a `file:` or any other address is refused before any
I/O, and so is a redirect to one). Every fetch has connect and read timeouts and an overall
deadline (a server that trickles a byte a second cannot hold a refresh up), a limit on the bytes
received and on the bytes they decompress to (a gzip bomb is refused while it inflates, not
after), and a limit on redirects (a loop is named as one). Conditional requests (ETag,
Last-Modified) make an unchanged feed one small 304 response. Failures come back as a
`FetchResult` with the reason in words, never as an exception.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from newsreader import __version__

USER_AGENT = f"Newsreader/{__version__} (feed reader; +https://github.com/newsreader/newsreader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, text/html;q=0.5, */*;q=0.1"
)
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How long and how much one feed may take."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * _MB
    max_decoded_bytes: int = 50 * _MB
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetch: a body to parse, a 304, or an error in words (`error`)."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    #: The new address when every redirect on the way was permanent (301, 308).
    moved_to: str | None = None
    #: When the server asked to be left alone until (429/503 with Retry-After).
    retry_after: datetime | None = None
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def gone(self) -> bool:
        return self.status == 410

    @property
    def ok(self) -> bool:
        return not self.error and (200 <= self.status < 300 or self.status == 304)


class UnsupportedURL(ValueError):
    """A feed address that is not http(s), or not an address at all."""


def check_url(url: str) -> str:
    """The address, tidied, if it can be fetched; raises `UnsupportedURL` (in words) if not."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if not scheme:
            raise UnsupportedURL(f"{url!r} is not a web address (it should start with https://)")
        raise UnsupportedURL(
            f"only http and https feeds are fetched; {scheme}: addresses are refused"
        )
    if not parts.hostname:
        raise UnsupportedURL(f"{url!r} has no host name")
    return url


def new_client(limits: FetchLimits = DEFAULT_LIMITS, *, connections: int = 16) -> httpx.Client:
    """One client for a whole refresh (connections are reused across feeds on a host).

    Redirects are followed by `fetch` itself, so that a permanent one can be told apart and
    every hop's address checked. No proxy or `.netrc` is read from the environment: a feed
    reader that quietly sent requests elsewhere would surprise.
    """
    return httpx.Client(
        timeout=httpx.Timeout(
            limits.read_timeout, connect=limits.connect_timeout, pool=limits.total_timeout
        ),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        trust_env=False,
    )


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """A Retry-After header (seconds or an HTTP date) as the time to wait until."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> FetchResult:
    """GET a feed, following redirects up to the limit; never raises for network trouble."""
    try:
        current = check_url(url)
    except UnsupportedURL as exc:
        return FetchResult(url, error=str(exc))
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + limits.total_timeout
    seen = {current}
    permanent = True
    for _hop in range(limits.max_redirects + 1):
        try:
            result = _get(client, current, headers, limits, deadline)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            return FetchResult(current, error=_words(exc, limits))
        if isinstance(result, FetchResult):
            moved = current if permanent and current != url else None
            return _replace_moved(result, moved)
        status, location = result
        target = urljoin(current, location)
        try:
            check_url(target)
        except UnsupportedURL as exc:
            return FetchResult(
                current, status=status, error=f"redirected to a refused address: {exc}"
            )
        if target in seen:
            return FetchResult(current, status=status, error="the server redirects in a loop")
        seen.add(target)
        permanent = permanent and status in (301, 308)
        current = target
    return FetchResult(current, error=f"more than {limits.max_redirects} redirects")


def _replace_moved(result: FetchResult, moved: str | None) -> FetchResult:
    if moved is None:
        return result
    return FetchResult(
        url=result.url,
        status=result.status,
        body=result.body,
        content_type=result.content_type,
        etag=result.etag,
        last_modified=result.last_modified,
        moved_to=moved,
        retry_after=result.retry_after,
        error=result.error,
    )


def _get(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    limits: FetchLimits,
    deadline: float,
) -> FetchResult | tuple[int, str]:
    """One request: a final result, or (status, Location) for a redirect to follow."""
    with client.stream("GET", url, headers=headers) as response:
        status = response.status_code
        location = response.headers.get("location")
        if status in (301, 302, 303, 307, 308) and location:
            return status, location
        meta = {
            "content_type": response.headers.get("content-type", ""),
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        if status == 304:
            return FetchResult(url, status=status, **meta)
        if status >= 400 or status < 200:
            return FetchResult(
                url,
                status=status,
                retry_after=parse_retry_after(response.headers.get("retry-after"))
                if status in (429, 503)
                else None,
                error=_status_words(status, response.reason_phrase),
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            return FetchResult(url, status=status, error=_too_big(limits.max_bytes))
        chunks: list[bytes] = []
        decoded = 0
        for chunk in response.iter_bytes():
            decoded += len(chunk)
            if response.num_bytes_downloaded > limits.max_bytes:
                return FetchResult(url, status=status, error=_too_big(limits.max_bytes))
            if decoded > limits.max_decoded_bytes:
                return FetchResult(
                    url,
                    status=status,
                    error=f"the response unpacks to more than {limits.max_decoded_bytes // _MB}"
                    " MB (a compression bomb?); refused",
                )
            if time.monotonic() > deadline:
                return FetchResult(
                    url,
                    status=status,
                    error=f"the server took longer than {limits.total_timeout:g} s to send"
                    " the feed",
                )
            chunks.append(chunk)
        return FetchResult(url, status=status, body=b"".join(chunks), **meta)


def _too_big(limit: int) -> str:
    return f"the feed is larger than {limit // _MB} MB; refused"


def _status_words(status: int, reason: str) -> str:
    words = {
        401: "the feed needs a login (401)",
        403: "the server refuses access to the feed (403 Forbidden)",
        404: "the feed was not found at this address (404)",
        410: "the feed is gone for good (410); it is no longer refreshed",
        429: "the server asks us to slow down (429 Too Many Requests)",
        503: "the server is unavailable for now (503)",
    }
    return words.get(status, f"the server answered {status} {reason}".rstrip())


def _words(exc: Exception, limits: FetchLimits) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"the server did not accept the connection within {limits.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"the server stopped answering (nothing for {limits.read_timeout:g} s)"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to the server ({exc})"
    if isinstance(exc, httpx.DecodingError):
        return "the response is damaged (its compression cannot be undone)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke off the response ({exc})"
    return f"the feed could not be fetched ({type(exc).__name__}: {exc})"
