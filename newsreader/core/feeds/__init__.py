"""Subscriptions: RSS, Atom, RDF and JSON Feed, fetched over HTTP(S), refreshed, and OPML.

- `fetch`: one defensive HTTP GET (httpx): timeouts, size limits, redirects, conditional.
- `parse`: bytes to `ParsedFeed` (feedparser; `jsonfeed` for JSON Feed; autodiscovery).
- `content`: entry HTML sanitised (nh3) into paragraphs.
- `entries`: `FeedEntry`, its identity key and update hash, and its `Article`.
- `refresh`: many feeds at once; new vs updated entries; backoff and Retry-After.
- `subscribe`, `opml`, `service`: what `Library`'s feed methods do.
"""
