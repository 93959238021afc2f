"""Render docs/screenshot-feeds.png: the sidebar of the window with feeds in folders.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/render_feeds_screenshot.py [OUT.png]

The feeds are served from 127.0.0.1 inside this process (tests/feedserver.py), made from the
BBC and HuffPost articles in ../shared/corpus (used by path, never copied): two BBC desks in
News/BBC, HuffPost politics in News, HuffPost world news in World, a feed whose last refresh
failed (503, marked ⚠) and one the server called gone (410, marked ⊘). A few articles are
read, so unread counts differ from totals. The library lives in a temporary folder; the
window is the real one (`MainWindow` on `Library`, as `newsreader gui` opens it), shown at
`gui --screenshot`'s default size once its background work has settled; the image is the
sidebar (library, sources, saved searches, entities, and the Feeds panel under them).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

from tests.feedserver import FeedServer, Reply, http_date, rss  # noqa: E402


def bbc_items(folder: Path, count: int, prefix: str) -> list[dict[str, str]]:
    """The first `count` articles of a BBC folder as feed items (title line, paragraphs)."""
    found: list[dict[str, str]] = []
    for n, path in enumerate(sorted(folder.glob("*.txt"))[:count]):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        paragraphs = "".join(f"<p>{line}</p>" for line in lines[2:] if line.strip())
        found.append(
            {
                "guid": f"urn:bbc:{prefix}:{path.stem}",
                "title": lines[0].strip().replace("&", "&amp;"),
                "link": f"http://127.0.0.1/{prefix}/{path.stem}",
                "pubDate": http_date(1_108_000_000 + n * 7200),
                "description": paragraphs.replace("]]>", ""),
            }
        )
    return found


def huffpost_items(category: str, count: int) -> list[dict[str, str]]:
    """The first `count` HuffPost records of a category as feed items."""
    found: list[dict[str, str]] = []
    with (SHARED / "huffpost-sample.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["category"] != category or len(record["short_description"]) < 60:
                continue
            n = len(found)
            found.append(
                {
                    "guid": record["link"].replace("&", "&amp;"),
                    "title": record["headline"].replace("&", "&amp;"),
                    "link": f"http://127.0.0.1/huffpost/{category.lower()}/{n}",
                    "pubDate": http_date(1_527_000_000 + n * 3600),
                    "description": f"<p>{record['short_description']}</p>",
                }
            )
            if len(found) == count:
                break
    return found


def build_library(server: FeedServer) -> None:
    """Subscribe to the feeds in their folders, make two fail, read a few articles."""
    from newsreader.core.library import Library

    feeds = {
        "/bbc-business.xml": (
            "BBC Business",
            "News/BBC",
            bbc_items(SHARED / "bbc-sample" / "business", 12, "business"),
        ),
        "/bbc-entertainment.xml": (
            "BBC Entertainment",
            "News/BBC",
            bbc_items(SHARED / "bbc-sample" / "entertainment", 9, "entertainment"),
        ),
        "/politics.xml": ("HuffPost Politics", "News", huffpost_items("POLITICS", 8)),
        "/world.xml": ("HuffPost World News", "World", huffpost_items("WORLD NEWS", 6)),
        "/media.xml": ("Media desk", "", huffpost_items("MEDIA", 4)),
        "/travel.xml": ("Travel notes", "", huffpost_items("TRAVEL", 3)),
    }
    for path, (title, _folder, items) in feeds.items():
        server.routes[path] = Reply(body=rss(title, items))
    library = Library.open()
    try:
        for path, (_title, folder, _items) in feeds.items():
            library.add_feed(server.url(path), folder=folder)
        # The media desk now fails (its articles stay); the travel feed was taken down.
        server.routes["/media.xml"] = Reply(503, b"", headers={"Retry-After": "600"})
        server.routes["/travel.xml"] = Reply(410, b"gone", content_type="text/plain")
        library.refresh_feeds(force=True)
        library.set_read([i for i in range(1, 50) if i % 3 == 0])  # some of every feed
    finally:
        library.close()


def render(out: Path) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from newsreader.core.library import Library
    from newsreader.ui.main_window import MainWindow
    from newsreader.ui.settings import Settings

    QCoreApplication.setApplicationName("Newsreader")
    QCoreApplication.setOrganizationName("Newsreader")
    app = QApplication([sys.argv[0]])
    library = Library.open(daily_backup=False, update_index=False)
    window = MainWindow(library, Settings())
    try:
        window.resize(1360, 860)
        window.show()
        deadline = time.monotonic() + 180
        settled = 0
        while time.monotonic() < deadline and settled < 25:
            app.processEvents()
            settled = 0 if window.jobs.running() else settled + 1
            time.sleep(0.02)
        if window.current_article is None:
            window.next_article()
        for _ in range(10):
            app.processEvents()
        left = window.splitter.widget(0)
        assert left is not None
        out.parent.mkdir(parents=True, exist_ok=True)
        if not left.grab().save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        print(f"wrote {out}")
    finally:
        window.jobs.cancel_all()
        window.jobs.wait()
        library.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-feeds.png")
    if not (SHARED / "bbc-sample").is_dir():
        raise SystemExit(f"needs the BBC and HuffPost samples in {SHARED}")
    with tempfile.TemporaryDirectory(prefix="newsreader-feeds-shot-") as home:
        os.environ["NEWSREADER_HOME"] = home
        with FeedServer() as server:
            build_library(server)
            render(out.resolve())


if __name__ == "__main__":
    main()
