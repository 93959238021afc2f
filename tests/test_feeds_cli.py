"""`newsreader feeds|opml|sources` as a user drives them, against a server on 127.0.0.1.

The shared OPML files name real internet feeds: they are imported with --no-fetch, or with
every address rewritten to the local server first. Nothing here reaches another address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.cli import EXIT_ERROR, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main
from newsreader.core.feeds.opml import read_opml
from newsreader.core.library import Library
from newsreader.core.storage import ArticleFilter
from tests.feedserver import FeedServer, Reply, Seen, items, rss


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_list_refresh_rename_move_remove(
    capsys: pytest.CaptureFixture[str], server: FeedServer
) -> None:
    server.routes["/world.xml"] = Reply(body=rss("World desk", items(3)))
    code, out, _ = run(
        capsys, "feeds", "add", server.url("/world.xml"), "--folder", "News", "--no-entities"
    )
    assert code == EXIT_OK
    assert out.startswith("Subscribed to World desk") and "3 new articles" in out
    code, out, _ = run(capsys, "feeds", "list", "--json")
    [feed] = json.loads(out)
    assert (feed["name"], feed["folder"], feed["articles"], feed["unread"]) == (
        "World desk",
        "News",
        3,
        3,
    )
    assert feed["location"] == server.url("/world.xml") and feed["last_error"] == ""
    server.routes["/world.xml"] = Reply(body=rss("World desk", items(4)))
    code, out, _ = run(capsys, "feeds", "refresh", "--no-entities")
    assert code == EXIT_OK
    assert out.startswith("Refreshed: 1 feed refreshed: 1 new, 0 updated, 0 failed")
    _, out, _ = run(capsys, "list", "--source", "World desk", "--json")
    assert len(json.loads(out)) == 4
    assert run(capsys, "feeds", "rename", "World desk", "Planet")[0] == EXIT_OK
    assert run(capsys, "feeds", "move", "Planet", "Archive/2024")[0] == EXIT_OK
    _, out, _ = run(capsys, "feeds", "list")
    assert "Archive/2024/Planet  [4/4 unread]  ok" in out
    code, _, err = run(capsys, "feeds", "remove", "Planet")
    assert code == EXIT_USAGE and "deletes its 4 articles; add --yes" in err
    code, out, _ = run(capsys, "feeds", "remove", "Planet", "--yes")
    assert code == EXIT_OK and "Removed 'Planet' and 4 articles." in out
    _, out, _ = run(capsys, "feeds", "list")
    assert "No feeds yet" in out


def test_errors_are_one_line_with_an_exit_code(
    capsys: pytest.CaptureFixture[str], server: FeedServer
) -> None:
    code, _, err = run(capsys, "feeds", "add", "file:///etc/passwd")
    assert code == EXIT_ERROR and "only http and https feeds are fetched" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "feeds", "add", server.url("/missing"))
    assert code == EXIT_ERROR and "not found at this address (404)" in err
    code, _, err = run(capsys, "feeds", "refresh", "nonesuch")
    assert code == EXIT_NOT_FOUND and "no feed named 'nonesuch'" in err
    server.routes["/down"] = Reply(500, b"oops", content_type="text/plain")
    run(capsys, "feeds", "add", server.url("/down"), "--no-fetch")
    code, out, _ = run(capsys, "feeds", "refresh")
    assert code == EXIT_ERROR, "every feed failed"
    assert "failed 127.0.0.1/down: the server answered 500 Internal Server Error" in out


def test_a_page_with_several_feeds_lists_them(
    capsys: pytest.CaptureFixture[str], server: FeedServer
) -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" title="News" href="/a">'
        b'<link rel="alternate" type="application/atom+xml" title="Blog" href="/b"></head></html>'
    )
    server.routes["/"] = Reply(body=page, content_type="text/html; charset=utf-8")
    code, out, err = run(capsys, "feeds", "add", server.url("/"))
    assert code == EXIT_ERROR and "names 2 feeds" in out
    assert f"  {server.url('/a')}  (News)" in out and "several feeds found" in err


@pytest.mark.shared
def test_shared_opml_imports_without_fetching_and_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], shared: Path, server: FeedServer
) -> None:
    path = shared / "opml" / "AramZS_google_reader_subscriptions.opml"
    code, out, _ = run(capsys, "opml", "import", str(path), "--no-fetch")
    assert code == EXIT_OK
    assert out.startswith("OPML: 670 feeds added, 0 already subscribed, 1 skipped")
    assert "skipped Monitoring the Media: only a web page address" in out
    assert not server.requests
    code, out, _ = run(capsys, "opml", "import", str(path), "--no-fetch")
    assert out.startswith("OPML: 0 feeds added, 670 already subscribed, 1 skipped")
    _, out, _ = run(capsys, "feeds", "list", "--json")
    feeds = json.loads(out)
    assert len(feeds) == 670
    by_url = {f["location"]: f for f in feeds}
    assert by_url["http://www.readwriteweb.com/rss.xml"]["folder"] == "On The Media"
    # A scheme-less address in the file is read as http.
    assert "http://www.cfoworld.com/blog/feed" in by_url


@pytest.mark.shared
def test_shared_opml_with_addresses_rewritten_to_the_local_server(
    capsys: pytest.CaptureFixture[str], shared: Path, server: FeedServer, tmp_path: Path
) -> None:
    original = (shared / "opml" / "engineering_blogs.opml").read_text(encoding="utf-8")
    counter = iter(range(10_000))
    local = re.sub(
        r'xmlUrl="[^"]*"', lambda m: f'xmlUrl="{server.url(f"/f/{next(counter)}")}"', original
    )
    path = tmp_path / "local.opml"
    path.write_text(local, encoding="utf-8")
    expected = len(read_opml(path.read_bytes()).feeds)

    def feed(seen: Seen) -> Reply:
        number = seen.path.rsplit("/", 1)[-1]
        return Reply(body=rss(f"Blog {number}", items(2, f"Blog{number}")))

    server.fallback = feed
    code, out, _ = run(capsys, "opml", "import", str(path), "--no-entities")
    assert code == EXIT_OK
    assert out.startswith(f"OPML: {expected} feeds added, 0 already subscribed, 0 skipped")
    assert f"{expected} feeds refreshed: {2 * expected} new, 0 updated, 0 failed" in out
    # Named from the OPML file, not renamed by the first fetch.
    with Library.open() as lib:
        names = {f.name for f in lib.feeds()}
        assert "8th Light" in names
        assert lib.count(ArticleFilter(source="8th Light")) == 2


def test_nested_folders_survive_export_and_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        """<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline text="Europe">
      <outline text="Le Monde \xe9dition" type="rss" xmlUrl="http://127.0.0.1:9/lemonde"/>
    </outline>
    <outline type="rss" xmlUrl="http://127.0.0.1:9/untitled"/>
  </outline>
  <outline text="Just a site" htmlUrl="http://127.0.0.1:9/site"/>
  <outline text="Old FTP" type="rss" xmlUrl="ftp://127.0.0.1/feed"/>
</body></opml>""",
        encoding="latin-1",
    )
    _code, out, _ = run(capsys, "opml", "import", str(opml), "--no-fetch")
    assert out.startswith("OPML: 2 feeds added, 0 already subscribed, 2 skipped")
    assert "skipped Old FTP: only http and https feeds are fetched" in out
    assert "skipped Just a site: only a web page address" in out
    out_file = tmp_path / "out.opml"
    assert run(capsys, "opml", "export", str(out_file))[0] == EXIT_OK
    assert run(capsys, "opml", "export", str(out_file))[0] == EXIT_ERROR, "no overwrite"
    listing = read_opml(out_file.read_bytes())
    assert {(f.title, f.folder) for f in listing.feeds} == {
        ("Le Monde édition", "News/Europe"),
        ("127.0.0.1/untitled", "News"),
    }


def test_sources_list_and_rename(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, "sources", "list", "--json")
    [sample] = json.loads(out)
    assert (sample["kind"], sample["name"], sample["articles"]) == (
        "sample",
        "Newsreader sample",
        5,
    )
    assert run(capsys, "sources", "rename", "Newsreader sample", "Starter")[0] == EXIT_OK
    _, out, _ = run(capsys, "sources", "list")
    assert "sample  Starter  (5 articles)" in out
    _, out, _ = run(capsys, "list", "--source", "Starter", "--json")
    assert len(json.loads(out)) == 5


def test_feeds_set_options(capsys: pytest.CaptureFixture[str], server: FeedServer) -> None:
    server.routes["/f"] = Reply(410, b"")
    run(capsys, "feeds", "add", server.url("/f"), "--no-fetch", "--name", "Old")
    run(capsys, "feeds", "refresh")
    code, out, _ = run(capsys, "feeds", "set", "Old", "--full-text", "on", "--interval", "90")
    assert code == EXIT_OK and out == "Old: full text on, refresh every 90 minutes, stopped\n"
    _, out, _ = run(capsys, "feeds", "set", "Old", "--resume")
    assert out.endswith("active\n")
    assert run(capsys, "feeds", "set", "Old")[0] == EXIT_USAGE
    code, _, err = run(capsys, "feeds", "full-text", "999")
    assert code == EXIT_NOT_FOUND and "no article with id 999" in err


def test_import_takes_feed_files_and_opml_and_points_addresses_to_feeds_add(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    saved = tmp_path / "saved-feed.rss"
    saved.write_bytes(rss("Saved", items(2, "Saved")))
    server.routes["/listed.xml"] = Reply(body=rss("Listed", items(3, "Listed")))
    subs = tmp_path / "subs.opml"
    subs.write_text(
        f'<opml version="2.0"><body><outline text="L" xmlUrl="{server.url("/listed.xml")}"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "import", str(saved), str(subs), "https://example.org/rss.xml", "--no-entities"
    )
    assert code == EXIT_OK
    assert "OPML " in out and "1 feed added" in out
    assert out.splitlines()[-2].startswith("Imported: 5 new, 0 duplicates, 1 skipped")
    assert (
        "a web address, not a file; to subscribe: newsreader feeds add https://example.org/rss.xml"
        in out
    )
    _, out, _ = run(capsys, "sources", "list", "--json")
    kinds = {s["name"]: s["kind"] for s in json.loads(out)}
    assert kinds["saved-feed.rss"] == "file" and kinds["L"] == "feed"
