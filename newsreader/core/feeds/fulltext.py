"""The full text of an entry from its link, for feeds that carry only a summary.

Asked for by the user, per feed (`full_text` option: new summary-only entries) or per
article. The page is fetched with the same limits as a feed (http/https only, size and time
limits) and its main text extracted by trafilatura (which the HTML importer uses too); the
article keeps its feed title and dates and gets the page's paragraphs. Nothing is kept from the
page but text: no images, scripts or trackers.
"""

from __future__ import annotations

import httpx
from charset_normalizer import from_bytes

from newsreader.core.feeds.fetch import DEFAULT_LIMITS, FetchLimits, fetch, new_client

#: Below this many characters an extraction is taken as a failure (a cookie wall, a stub).
MIN_TEXT = 200


class FullTextError(Exception):
    """The full text could not be had; the message says why in words."""


def _decode(body: bytes, content_type: str) -> str:
    charset = ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(body).best()
        return str(best) if best is not None else body.decode("latin-1")


def extract(html: str, url: str = "") -> tuple[str, ...]:
    """The main text of a page as paragraphs (empty if none was found)."""
    import trafilatura  # slow to import; only this feature needs it here

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception:  # a broken page is "no text", never a crash
        return ()
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [" ".join(line.split()) for line in body.split("\n") if line.strip()]
    title = " ".join((getattr(doc, "title", None) or "").split())
    if paragraphs and title and paragraphs[0] in title:
        # The page's own headline ('Dam breaks' in 'Dam breaks | Valley News'): the article
        # has its title already.
        paragraphs = paragraphs[1:]
    return tuple(paragraphs)


def fetch_full_text(
    url: str,
    *,
    client: httpx.Client | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> tuple[str, ...]:
    """Paragraphs of the page at `url`; raises `FullTextError` when there is no usable text."""
    if not url:
        raise FullTextError("the entry has no link to fetch the full text from")
    own = client is None
    session = client or new_client(limits, connections=2)
    try:
        response = fetch(session, url, limits=limits)
    finally:
        if own:
            session.close()
    if response.error:
        raise FullTextError(f"{url}: {response.error}")
    paragraphs = extract(_decode(response.body, response.content_type), response.url)
    if sum(len(p) for p in paragraphs) < MIN_TEXT:
        raise FullTextError(f"{url}: no article text found on the page")
    return paragraphs
