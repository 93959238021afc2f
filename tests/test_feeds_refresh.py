"""Subscribing and refreshing against a real HTTP server on 127.0.0.1, as a user would notice:
what is stored, what a second refresh costs, and that no failure loses or changes anything."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.core.feeds import service
from newsreader.core.feeds.fetch import FetchLimits
from newsreader.core.feeds.fulltext import FullTextError
from newsreader.core.feeds.subscribe import FeedChoice, FeedError
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.storage import ArticleFilter
from tests.feedserver import FeedServer, Reply, http_date, items, rss

QUICK = FetchLimits(connect_timeout=2, read_timeout=0.5, total_timeout=2)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def titles(library: Library, source: str) -> list[str]:
    ids = library.ids(ArticleFilter(source=source), sort="title", descending=False)
    return [a.title for a in library.get_many(ids)]


def test_add_feed_names_the_source_after_the_feed_and_stores_clean_entries(
    library: Library, server: FeedServer
) -> None:
    entry = {
        "guid": "urn:1",
        "title": "Floods in Valencia",
        "link": "http://127.0.0.1/floods",
        "author": "reporter@example.org (Ana Ruiz)",
        "category": "World|Spain",
        "pubDate": http_date(1_700_000_000),
        "description": '<p>Rain fell <b>all</b> night.<img src="http://127.0.0.1/pixel.gif">'
        "</p><script>alert(1)</script><p>Roads closed.</p>",
    }
    server.routes["/feed.xml"] = Reply(body=rss("Daily Planet", [entry]))
    added = library.add_feed(server.url("/feed.xml"), folder="News / Europe")
    assert added.source.name == "Daily Planet"
    assert added.source.kind == "feed" and added.source.folder == "News/Europe"
    assert added.first_fetch is not None and added.first_fetch.new == 1
    [article] = library.get_many(library.ids(ArticleFilter(source="Daily Planet")))
    assert article.title == "Floods in Valencia"
    assert article.paragraphs == ("Rain fell all night.", "Roads closed.")
    assert article.url == "http://127.0.0.1/floods"
    assert "Ana Ruiz" in article.byline
    assert article.kicker == "World · Spain"
    assert article.published == datetime.fromtimestamp(1_700_000_000, UTC)
    assert library.search("valencia").total == 1
    assert library.entities_pending() >= 1, "new entries await entity recognition"
    assert not server.hits("/pixel.gif"), "nothing remote is fetched for an entry"


def test_unchanged_feed_costs_one_304_and_adds_nothing(
    library: Library, server: FeedServer
) -> None:
    server.routes["/etag"] = Reply(body=rss("E", items(5)), etag='"v1"')
    stamp = http_date(1_700_000_000)
    server.routes["/lm"] = Reply(body=rss("L", items(5, "Other")), last_modified=stamp)
    library.add_feed(server.url("/etag"))
    library.add_feed(server.url("/lm"))
    assert library.count() == 10
    report = library.refresh_feeds()
    assert report.new == 0 and report.updated == 0 and not report.failed
    assert library.count() == 10
    assert server.hits("/etag")[-1].headers.get("if-none-match") == '"v1"'
    assert server.hits("/lm")[-1].headers.get("if-modified-since") == stamp
    assert all(f.unchanged for f in report.feeds)


def test_refresh_adds_new_entries_once_and_updates_changed_ones_in_place(
    library: Library, server: FeedServer
) -> None:
    first = items(3)
    server.routes["/f"] = Reply(body=rss("F", first))
    library.add_feed(server.url("/f"))
    [old_id] = [i for i in library.ids() if (a := library.get(i)) and a.title == "Story number 2"]
    changed = [dict(x) for x in first]
    changed[1]["description"] = "<p>Corrected: the minister resigned in Lisbon.</p>"
    server.routes["/f"] = Reply(body=rss("F", [*changed, *items(2, start=4)]))
    report = library.refresh_feeds()
    assert (report.new, report.updated) == (2, 1)
    assert library.count() == 5, "a refresh never duplicates an entry"
    updated = library.get(old_id)
    assert updated is not None and updated.paragraphs == (
        "Corrected: the minister resigned in Lisbon.",
    )
    assert [h.article_id for h in library.search("lisbon").hits] == [old_id]
    paris = {h.article_id for h in library.search("paris", limit=None).hits}
    assert len(paris) == 4 and old_id not in paris, "the old text is no longer found"
    # The same document again changes nothing.
    again = library.refresh_feeds()
    assert (again.new, again.updated) == (0, 0) and library.count() == 5


def test_entries_are_known_by_link_then_by_content_when_they_have_no_id(
    library: Library, server: FeedServer
) -> None:
    linked = {"title": "Linked", "link": "http://127.0.0.1/a", "description": "One."}
    bare = {"title": "Bare", "description": "Only text."}
    server.routes["/f"] = Reply(body=rss("F", [linked, bare]))
    library.add_feed(server.url("/f"))
    linked2 = dict(linked, description="One, corrected.")
    server.routes["/f"] = Reply(body=rss("F", [linked2, bare]))
    report = library.refresh_feeds()
    assert (report.new, report.updated) == (0, 1)
    assert sorted(titles(library, "F")) == ["Bare", "Linked"]


def test_permanent_redirect_updates_the_stored_address_temporary_does_not(
    library: Library, server: FeedServer
) -> None:
    server.routes["/new"] = Reply(body=rss("Moved", items(1)))
    server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    server.routes["/tmp"] = Reply(302, headers={"Location": "/new2"})
    server.routes["/new2"] = Reply(body=rss("Temp", items(1, "T")))
    moved = library.add_feed(server.url("/old"), fetch=False)
    temp = library.add_feed(server.url("/tmp"), fetch=False)
    library.refresh_feeds()
    assert library.find_source(str(moved.source.id)).location == server.url("/new")
    assert library.find_source(str(temp.source.id)).location == server.url("/tmp")
    assert library.count() == 2


def test_redirect_loop_and_redirect_to_a_file_are_errors(
    library: Library, server: FeedServer
) -> None:
    server.routes["/a"] = Reply(302, headers={"Location": "/b"})
    server.routes["/b"] = Reply(302, headers={"Location": "/a"})
    server.routes["/sneaky"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    library.add_feed(server.url("/a"), fetch=False)
    library.add_feed(server.url("/sneaky"), fetch=False)
    errors = sorted(f.error for f in library.refresh_feeds().failed)
    assert errors[0].startswith("redirected to a refused address: only http and https")
    assert errors[1] == "the server redirects in a loop"
    assert library.count() == 0


def test_errors_keep_what_is_stored_and_back_off(library: Library, server: FeedServer) -> None:
    server.routes["/f"] = Reply(body=rss("F", items(3)))
    feed = library.add_feed(server.url("/f")).source
    before = [library.get(i) for i in library.ids()]
    server.routes["/f"] = Reply(404, b"gone fishing", content_type="text/plain")
    report = library.refresh_feeds()
    assert report.failed[0].error == "the feed was not found at this address (404)"
    assert [library.get(i) for i in library.ids()] == before, "a failure changes nothing stored"
    status = library.find_source(str(feed.id))
    assert status.last_error == "the feed was not found at this address (404)"
    assert status.next_attempt is not None and status.next_attempt > datetime.now(UTC)
    # Refreshing all again waits politely; naming the feed tries at once.
    waiting = library.refresh_feeds()
    assert waiting.feeds[0].postponed.startswith("waits until")
    assert len(server.hits("/f")) == 2
    server.routes["/f"] = Reply(body=rss("F", items(4)))
    named = library.refresh_feeds([feed.name])
    assert named.new == 1 and not library.find_source(feed.name).last_error


def test_410_gone_stops_the_feed_and_says_so(library: Library, server: FeedServer) -> None:
    server.routes["/f"] = Reply(410, b"", content_type="text/plain")
    feed = library.add_feed(server.url("/f"), fetch=False).source
    library.refresh_feeds()
    status = library.find_source(str(feed.id))
    assert not status.active
    assert "gone for good (410)" in status.last_error and "no longer refreshed" in status.last_error
    library.refresh_feeds()
    assert len(server.hits("/f")) == 1, "a stopped feed is not fetched again"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(library: Library, server: FeedServer, status: int) -> None:
    when = (datetime.now(UTC) + timedelta(hours=3)).timestamp()
    header = "7200" if status == 429 else http_date(when)
    server.routes["/f"] = Reply(status, b"", headers={"Retry-After": header})
    feed = library.add_feed(server.url("/f"), fetch=False).source
    library.refresh_feeds()
    status_now = library.find_source(str(feed.id))
    assert status_now.next_attempt is not None
    expected = timedelta(hours=2) if status == 429 else timedelta(hours=3)
    wait = status_now.next_attempt - datetime.now(UTC)
    assert expected - timedelta(minutes=2) < wait <= expected + timedelta(minutes=1)
    library.refresh_feeds()
    assert len(server.hits("/f")) == 1


def test_a_server_that_never_answers_or_trickles_times_out(
    library: Library, server: FeedServer
) -> None:
    server.routes["/silent"] = Reply(silent=True)
    server.routes["/slow"] = Reply(body=rss("S", items(50)), chunk=200, trickle=0.2)
    server.routes["/ok"] = Reply(body=rss("OK", items(2)))
    for path in ("/silent", "/slow", "/ok"):
        library.add_feed(server.url(path), fetch=False)
    report = service.refresh_feeds(library, limits=QUICK)
    errors = {f.name: f.error for f in report.feeds}
    assert errors["127.0.0.1/silent"] == "the server stopped answering (nothing for 0.5 s)"
    assert errors["127.0.0.1/slow"] == "the server took longer than 2 s to send the feed"
    assert errors["127.0.0.1/ok"] == "" and report.new == 2, "one slow feed holds up no other"


def test_gzip_is_read_and_a_gzip_bomb_or_huge_body_refused(
    library: Library, server: FeedServer
) -> None:
    server.routes["/gz"] = Reply(body=rss("Zipped", items(3)), gzip=True)
    bomb = gzip.compress(b"<rss>" + b" " * (60 * 1024 * 1024), 9)
    server.routes["/bomb"] = Reply(
        body=bomb, headers={"Content-Encoding": "gzip"}, chunk=1024 * 1024
    )
    huge = b"<rss>" + b"x" * (60 * 1024 * 1024)
    server.routes["/huge"] = Reply(body=huge, chunk=1024 * 1024)
    server.routes["/huge-unsized"] = Reply(body=huge, no_length=True, chunk=1024 * 1024)
    for path in ("/gz", "/bomb", "/huge", "/huge-unsized"):
        library.add_feed(server.url(path), fetch=False)
    report = library.refresh_feeds()
    errors = {f.name: f.error for f in report.feeds}
    assert errors["127.0.0.1/gz"] == "" and report.new == 3
    assert "unpacks to more than 50 MB" in errors["127.0.0.1/bomb"]
    assert errors["127.0.0.1/huge"] == "the feed is larger than 20 MB; refused"
    assert errors["127.0.0.1/huge-unsized"] == "the feed is larger than 20 MB; refused"


def test_billion_laughs_is_not_expanded(library: Library, server: FeedServer) -> None:
    lol = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
        "<title>Laughs</title><item><title>&lol9;</title><description>x</description>"
        "</item></channel></rss>"
    ).encode()
    server.routes["/lol"] = Reply(body=body)
    library.add_feed(server.url("/lol"), fetch=False)
    library.refresh_feeds()
    for article in library.get_many(library.ids()):
        assert len(article.title) < 1000


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/feed", "javascript:alert(1)", "feed.xml", "http://"],
)
def test_non_http_addresses_are_refused(library: Library, url: str) -> None:
    with pytest.raises(FeedError):
        library.add_feed(url)
    with pytest.raises(FeedError):
        library.add_feed(url, fetch=False)
    assert library.feeds() == []


def test_a_web_page_leads_to_its_feed_or_offers_the_choice(
    library: Library, server: FeedServer
) -> None:
    server.routes["/feed"] = Reply(body=rss("Site feed", items(2)))
    one = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>'
    )
    two = (
        b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml"'
        b' title="All" href="/feed"><link rel="alternate" type="application/atom+xml"'
        b' title="Comments" href="/comments"></head></html>'
    )
    none = b"<html><body>Hello</body></html>"
    for path, page in (("/one", one), ("/two", two), ("/none", none)):
        server.routes[path] = Reply(body=page, content_type="text/html")
    added = library.add_feed(server.url("/one"))
    assert added.source.location == server.url("/feed") and added.source.name == "Site feed"
    with pytest.raises(FeedChoice) as choice:
        library.add_feed(server.url("/two"))
    assert choice.value.links == [
        (server.url("/feed"), "All"),
        (server.url("/comments"), "Comments"),
    ]
    with pytest.raises(FeedError, match="web page, not a feed, and it names no feed"):
        library.add_feed(server.url("/none"))
    with pytest.raises(FeedError, match="already subscribed"):
        library.add_feed(server.url("/feed"))
    assert len(library.feeds()) == 1


def test_empty_body_and_json_feed(library: Library, server: FeedServer) -> None:
    server.routes["/empty"] = Reply(body=b"")
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Daily",
        "authors": [{"name": "Desk"}],
        "items": [
            {"id": 1, "title": "One", "content_html": "<p>First <i>item</i>.</p>", "tags": ["a"]},
            {"id": "2", "content_text": "Second item.\n\nTwo paragraphs.", "url": "http://x/2"},
        ],
    }
    server.routes["/json"] = Reply(
        body=json.dumps(doc).encode(), content_type="application/feed+json"
    )
    with pytest.raises(FeedError, match="empty document"):
        library.add_feed(server.url("/empty"))
    added = library.add_feed(server.url("/json"))
    assert added.source.name == "JSON Daily"
    stored = {a.title: a for a in library.get_many(library.ids())}
    assert stored["One"].paragraphs == ("First item.",) and stored["One"].byline == "Desk"
    assert stored["Second item."].paragraphs == ("Second item.", "Two paragraphs.")


def test_remove_a_feed_with_its_articles_and_undo(library: Library, server: FeedServer) -> None:
    server.routes["/f"] = Reply(body=rss("F", items(3)))
    feed = library.add_feed(server.url("/f"), folder="News").source
    removed = library.remove_source(feed.id)
    assert library.count() == 0 and library.feeds() == []
    library.update_index()  # what the window's follower and the CLI do after a write
    assert library.search("story").total == 0
    library.restore_source(removed)
    library.update_index()
    [back] = library.feeds()
    assert (back.name, back.folder, back.articles) == ("F", "News", 3)
    assert library.search("story").total == 3
    assert library.refresh_feeds().new == 0, "restored entries are still known"


ARTICLE_PAGE = (
    "<html><head><title>Dam breaks in the valley | Valley News</title>"
    "<script>track()</script></head><body>"
    "<nav>Home | World | Sport</nav><article><h1>Dam breaks in the valley</h1>"
    + "".join(
        f"<p>Paragraph {n} of the full report from the valley, where engineers said the dam"
        f" had been weakened by weeks of heavy rain and residents were moved to safety.</p>"
        for n in range(1, 6)
    )
    + '<img src="http://127.0.0.1/pixel.gif"></article><footer>Copyright</footer></body></html>'
).encode()


def test_full_text_from_the_link_per_feed_and_per_article(
    library: Library, server: FeedServer
) -> None:
    entry = {
        "guid": "dam",
        "title": "Dam breaks",
        "link": server.url("/story"),
        "description": "Short.",
    }
    server.routes["/story"] = Reply(body=ARTICLE_PAGE, content_type="text/html; charset=utf-8")
    server.routes["/f"] = Reply(body=rss("Summaries", [entry]))
    feed = library.add_feed(server.url("/f")).source
    [article_id] = library.ids()
    assert library.get(article_id).paragraphs == ("Short.",)  # type: ignore[union-attr]
    # Per article, on request.
    fuller = library.fetch_full_text(article_id)
    assert len(fuller.paragraphs) == 5 and fuller.paragraphs[0].startswith("Paragraph 1")
    assert not any("Copyright" in p or "Home |" in p for p in fuller.paragraphs)
    assert library.refresh_feeds().updated == 0, "the feed's summary does not overwrite it"
    # Per feed: new summary-only entries get their page's text at refresh.
    library.set_feed_options(feed.id, full_text=True)
    second = dict(entry, guid="dam2", title="Dam breaks again", link=server.url("/story2"))
    server.routes["/story2"] = Reply(body=ARTICLE_PAGE.replace(b"Paragraph", b"Section"))
    server.routes["/f"] = Reply(body=rss("Summaries", [entry, second]))
    assert library.refresh_feeds().new == 1
    stored = [a for a in library.get_many(library.ids()) if a.title == "Dam breaks again"]
    assert stored[0].paragraphs[0].startswith("Section 1")
    assert not server.hits("/pixel.gif")
    server.routes["/story3"] = Reply(404, b"")
    with pytest.raises(FullTextError, match="not found"):
        library.fetch_full_text(
            library.import_items(
                [Article("Other", ("x",), url=server.url("/story3"), source="s")]
            ).new_ids[0]
        )


def test_a_scheduled_refresh_respects_a_feed_s_own_interval(
    library: Library, server: FeedServer
) -> None:
    server.routes["/hourly"] = Reply(body=rss("Hourly", items(1)))
    server.routes["/often"] = Reply(body=rss("Often", items(1, "O")))
    hourly = library.add_feed(server.url("/hourly")).source
    library.add_feed(server.url("/often"))
    library.set_feed_options(hourly.id, interval_minutes=60)
    report = library.refresh_feeds(scheduled=True)
    assert {f.name: f.postponed for f in report.feeds} == {
        "Hourly": "refreshed every 60 minutes",
        "Often": "",
    }
    assert len(server.hits("/hourly")) == 1
    library.refresh_feeds()  # the user's refresh takes every feed
    assert len(server.hits("/hourly")) == 2


def test_importing_a_saved_feed_or_an_address_as_a_file(library: Library, tmp_path: Path) -> None:
    saved = tmp_path / "planet.atom"
    saved.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Planet</title><entry><id>urn:a</id><title>Atom entry</title>"
        '<content type="html">&lt;p&gt;Body of the entry.&lt;/p&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    report = library.import_paths([saved, "https://example.org/feed"])
    assert report.new == 1
    assert [s.origin for s in report.skipped] == ["https://example.org/feed"]
    [article] = library.get_many(library.ids())
    assert (article.title, article.paragraphs, article.source) == (
        "Atom entry",
        ("Body of the entry.",),
        "planet.atom",
    )


def test_a_huge_entry_in_a_refresh_is_stored_in_parts_within_the_limits(
    library: Library, server: FeedServer
) -> None:
    from newsreader.core.ingest import limits
    from tests.test_ingest_feedfiles import assert_within_limits, huge_entry, huge_paragraphs

    server.routes["/huge"] = Reply(body=rss("Huge", [huge_entry(40_000, "w"), *items(1)]))
    added = library.add_feed(server.url("/huge"))
    assert added.first_fetch is not None
    assert "too long to show and search in one piece" in added.first_fetch.warning
    articles = library.get_many(library.ids())
    parts = sorted((a for a in articles if a.title.startswith("Huge entry")), key=lambda a: a.title)
    assert len(parts) >= 2 and parts[0].title == f"Huge entry (part 1 of {len(parts)})"
    assert_within_limits(articles)
    assert [p for a in parts for p in a.paragraphs] == huge_paragraphs(40_000, "w")
    assert all(a.source == "Huge" and a.url == "http://127.0.0.1/huge" for a in parts)
    count = library.count()
    again = library.refresh_feeds()
    assert (again.new, again.updated, library.count()) == (0, 0, count), "known by its parts"
    # The entry changes: each part is rewritten in place, none stored twice.
    server.routes["/huge"] = Reply(body=rss("Huge", [huge_entry(40_000, "v"), *items(1)]))
    changed = library.refresh_feeds()
    assert changed.new == 0 and changed.updated == len(parts)
    assert library.count() == count
    rewritten = sorted(library.get_many([a.id for a in parts if a.id]), key=lambda a: a.title)
    assert [p for a in rewritten for p in a.paragraphs] == huge_paragraphs(40_000, "v")
    assert library.search("w5").total == 0 and library.search("v5").total >= 1
    assert max(len(p) for a in rewritten for p in a.paragraphs) <= limits.MAX_PARAGRAPH_CHARS


def test_an_entry_that_grows_past_the_limits_keeps_its_article_and_gains_parts(
    library: Library, server: FeedServer
) -> None:
    from tests.test_ingest_feedfiles import assert_within_limits, huge_entry, huge_paragraphs

    small = huge_entry(100, "s")
    server.routes["/grows"] = Reply(body=rss("Grows", [small]))
    library.add_feed(server.url("/grows"))
    [first_id] = library.ids()
    server.routes["/grows"] = Reply(body=rss("Grows", [huge_entry(40_000, "g")]))
    report = library.refresh_feeds()
    parts = sorted(library.get_many(library.ids()), key=lambda a: a.title)
    assert report.updated == 1 and report.new == len(parts) - 1 >= 1
    assert parts[0].id == first_id, "part 1 is the article that was there"
    assert_within_limits(parts)
    assert [p for a in parts for p in a.paragraphs] == huge_paragraphs(40_000, "g")
    assert library.refresh_feeds().new == 0
