"""Feed refresh: 200 local feeds of 50 entries each, first and unchanged refresh, beside newsboat.

    python -m bench.feeds_refresh                 # 200 x 50, 3 rounds, print the table
    python -m bench.feeds_refresh --feeds 20      # a quick smoke run

What a user waits for after pressing Refresh: every feed fetched, parsed and its new entries
stored and indexed (`Library.refresh_feeds`, entity recognition excluded: it runs afterwards in
the background and newsboat has none). The second refresh finds every feed unchanged (the
server answers 304 to the ETag / Last-Modified sent back), which is the common case.

The reference is newsboat (`newsboat -x reload`, its own cache and config in a temporary
folder, the urls file naming the same local server), measured in the same run, with its default
single reload thread and with `reload-threads` equal to Newsreader's workers. The server is the
tests' one (`tests/feedserver.py`) on 127.0.0.1; every entry is unique, with HTML paragraphs.
Rounds alternate the readers so that load from elsewhere on the machine falls on both alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsreader.core.feeds.refresh import DEFAULT_WORKERS
from newsreader.core.library import Library
from tests.feedserver import FeedServer, Reply, http_date, items, rss


def serve(server: FeedServer, feeds: int, entries: int) -> list[str]:
    urls = []
    stamp = http_date(1_700_000_000)
    for n in range(feeds):
        path = f"/feed/{n}.xml"
        body = rss(f"Feed {n}", items(entries, f"F{n}"))
        server.routes[path] = Reply(body=body, etag=f'"f{n}"', last_modified=stamp)
        urls.append(server.url(path))
    return urls


def newsreader_round(
    urls: list[str], folder: Path, *, index: bool = True
) -> tuple[float, float, int]:
    with Library.open(folder) as lib:
        if not index:
            # Entries stored (listed, readable) but the outbox left for later: what the wait
            # is when the index follows in the background, as in the window.
            lib.update_index = lambda **_: None  # type: ignore[assignment, method-assign]
        for url in urls:
            lib.add_feed(url, fetch=False)
        start = time.perf_counter()
        first = lib.refresh_feeds()
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        second = lib.refresh_feeds()
        second_s = time.perf_counter() - start
        assert not first.failed and not second.failed, first.failed or second.failed
        assert second.new == 0
        return first_s, second_s, first.new


def newsboat_round(urls: list[str], folder: Path, threads: int) -> tuple[float, float, int]:
    folder.mkdir(parents=True)
    (folder / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    (folder / "config").write_text(f"reload-threads {threads}\n", encoding="utf-8")
    command = [
        "newsboat",
        "-x",
        "reload",
        "-u",
        str(folder / "urls"),
        "-c",
        str(folder / "cache.db"),
        "-C",
        str(folder / "config"),
    ]
    env = {"HOME": str(folder), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}

    def timed() -> float:
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
        return time.perf_counter() - start

    first, second = timed(), timed()
    import sqlite3

    with sqlite3.connect(folder / "cache.db") as db:
        stored = int(db.execute("SELECT count(*) FROM rss_item").fetchone()[0])
    return first, second, stored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    have_newsboat = shutil.which("newsboat") is not None
    results: dict[str, list[tuple[float, float, int]]] = {}
    with FeedServer() as server, tempfile.TemporaryDirectory(prefix="feeds-bench-") as tmp:
        urls = serve(server, args.feeds, args.entries)
        runners: dict[str, Callable[[Path], tuple[float, float, int]]] = {
            f"Newsreader ({DEFAULT_WORKERS} workers)": lambda p: newsreader_round(urls, p),
            "Newsreader, index left to the background": lambda p: newsreader_round(
                urls, p, index=False
            ),
        }
        if have_newsboat:
            runners["newsboat (1 reload thread, its default)"] = lambda p: newsboat_round(
                urls, p, 1
            )
            runners[f"newsboat ({DEFAULT_WORKERS} reload threads)"] = lambda p: newsboat_round(
                urls, p, DEFAULT_WORKERS
            )
        for round_no in range(args.rounds):
            for n, (name, run) in enumerate(runners.items()):
                results.setdefault(name, []).append(run(Path(tmp) / f"r{round_no}-{n}"))
    ours = next(iter(results))
    base_first = statistics.median(r[0] for r in results[ours])
    base_second = statistics.median(r[1] for r in results[ours])
    print(
        f"{args.feeds} feeds x {args.entries} entries from 127.0.0.1, median of"
        f" {args.rounds} rounds\n"
    )
    print(
        "| reader | first refresh | unchanged refresh | entries stored |"
        " first: reader / Newsreader | unchanged: reader / Newsreader |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, rows in results.items():
        first = statistics.median(r[0] for r in rows)
        second = statistics.median(r[1] for r in rows)
        print(
            f"| {name} | {first:.2f} s | {second:.2f} s | {rows[0][2]:,} |"
            f" {first / base_first:.2f}x | {second / base_second:.2f}x |"
        )
    if not have_newsboat:
        print("\n(newsboat not installed: apt-get install newsboat)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
