"""A real HTTP server on 127.0.0.1 inside the test process, for feed tests and benchmarks.

Routes map a path to a `Reply` (status, headers, body; optionally gzip, a delay, a trickle,
silence) or to a function of the request that returns one. Every request is recorded, so a
test can check what was sent (conditional headers, how many requests an unchanged refresh cost).
Nothing here ever talks to another address.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/rss+xml; charset=utf-8"
    gzip: bool = False
    #: Send no Content-Length and close the connection at the end (the old HTTP/1.0 way).
    no_length: bool = False
    #: Seconds before the status line.
    delay: float = 0.0
    #: Seconds between body chunks (chunks of `chunk` bytes).
    trickle: float = 0.0
    chunk: int = 64 * 1024
    #: Accept the request and never answer (until the server stops).
    silent: bool = False
    #: Answer 304 when the request's If-None-Match equals this ETag.
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


Route = Reply | Callable[[Seen], Reply]


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops connections when many feeds are fetched at once,
    # and the client's retry a second later would be measured as the reader's slowness.
    request_queue_size = 256


class FeedServer:
    """`with FeedServer() as server: server.routes["/feed"] = Reply(body=...)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        #: What a path without a route gets (default: 404).
        self.fallback: Route | None = None
        self.requests: list[Seen] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.requests.append(seen)
                route = server.routes.get(self.path.split("?")[0], server.fallback)
                if route is None:
                    reply = Reply(404, b"not here", content_type="text/plain")
                else:
                    reply = route(seen) if callable(route) else route
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._send(self, seen, reply)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]

    def _send(self, handler: BaseHTTPRequestHandler, seen: Seen, reply: Reply) -> None:
        if reply.silent:
            self._stopping.wait(30)
            handler.close_connection = True
            return
        if reply.delay and self._stopping.wait(reply.delay):
            return
        if reply.etag and seen.headers.get("if-none-match") == reply.etag:
            handler.send_response(304)
            handler.send_header("ETag", reply.etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if reply.last_modified and seen.headers.get("if-modified-since") == reply.last_modified:
            handler.send_response(304)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = gzip.compress(reply.body, 1) if reply.gzip else reply.body
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        if reply.gzip:
            handler.send_header("Content-Encoding", "gzip")
        if reply.etag:
            handler.send_header("ETag", reply.etag)
        if reply.last_modified:
            handler.send_header("Last-Modified", reply.last_modified)
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        if reply.no_length:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for start in range(0, len(body), reply.chunk):
            if self._stopping.is_set():
                return
            handler.wfile.write(body[start : start + reply.chunk])
            if reply.trickle:
                handler.wfile.flush()
                time.sleep(reply.trickle)


def http_date(when: float | None = None) -> str:
    return formatdate(when, usegmt=True)


def rss(title: str, items: list[dict[str, str]], *, link: str = "http://127.0.0.1/") -> bytes:
    """A small RSS 2.0 document: items are dicts of guid/title/link/description/pubDate."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>{link}</link><description>test</description>",
    ]
    for item in items:
        parts.append("<item>")
        for key, value in item.items():
            if key == "description":
                parts.append(f"<description><![CDATA[{value}]]></description>")
            elif key == "category":
                parts += [f"<category>{c}</category>" for c in value.split("|")]
            else:
                parts.append(f"<{key}>{value}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def items(n: int, prefix: str = "Story", *, start: int = 1) -> list[dict[str, str]]:
    """`n` distinct items with guids, links, dates and two-paragraph HTML bodies."""
    return [
        {
            "guid": f"urn:test:{prefix}:{i}",
            "title": f"{prefix} number {i}",
            "link": f"http://127.0.0.1/{prefix}/{i}",
            "pubDate": http_date(1_700_000_000 + i * 3600),
            "description": f"<p>{prefix} {i} first paragraph about Paris.</p>"
            f"<p>Second paragraph of {prefix.lower()} {i}.</p>",
        }
        for i in range(start, start + n)
    ]
