"""The background worker process (`newsreader.core.worker`), as the window and the bundle
start it: its line protocol, and the bundle's launcher dispatching to it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsreader.core import worker
from newsreader.core.library import Library
from newsreader.core.models import Article
from tests.test_packaging import _load

ROOT = Path(__file__).resolve().parents[1]


def _pending_library(folder: Path, count: int = 30) -> None:
    with Library.open(folder) as library:
        articles = [
            Article(title=f"Lighthouse {n}", paragraphs=(f"The lighthouse keeper {n}.",))
            for n in range(count)
        ]
        library.import_items(articles, index=False)
        assert library.index_pending() == count


def _talk(command: list[str], *commands: str) -> list[dict[str, Any]]:
    """Send each command and read events until the worker is idle after it; then hang up."""
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdin is not None and child.stdout is not None
    events: list[dict[str, Any]] = []
    try:
        for line in commands:
            child.stdin.write(line + "\n")
            child.stdin.flush()
            seq = int(line.split()[1])
            while not events or events[-1] != {"event": "idle", "seq": seq}:
                text = child.stdout.readline()
                assert text, f"the worker ended early: {child.communicate()[1]}"
                events.append(json.loads(text))
        _, errors = child.communicate(timeout=60)  # closes its input: the worker quits
        assert child.returncode == 0, errors
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return events


def test_the_worker_drains_the_outbox_and_says_when_it_is_idle(tmp_path: Path) -> None:
    _pending_library(tmp_path / "lib")
    events = _talk(worker.command(tmp_path / "lib"), "index 1")
    kinds = [e["event"] for e in events]
    assert kinds[0] == "ready" and kinds[-1] == "idle" and events[-1]["seq"] == 1
    progress = [e for e in events if e["event"] == "progress"]
    assert progress and progress[-1]["lane"] == "index" and progress[-1]["done"] == 30
    assert worker.event_from(progress[-1]).total == 30
    assert {"event": "indexed", "applied": 30, "notices": []} in events
    with Library.open(tmp_path / "lib") as library:
        assert library.index_pending() == 0 and library.search("lighthouse").total == 30


def test_the_bundle_launcher_runs_the_worker(tmp_path: Path) -> None:
    _pending_library(tmp_path / "lib", count=5)
    launcher = str(ROOT / "packaging" / "launcher.py")
    events = _talk(
        [sys.executable, launcher, worker.WORKER_FLAG, "--library", str(tmp_path / "lib")],
        "index 4",
    )
    assert events[-1] == {"event": "idle", "seq": 4}
    assert any(e["event"] == "indexed" and e["applied"] == 5 for e in events)


def test_the_launcher_dispatches_on_the_worker_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    launcher = _load("launcher")
    calls: list[tuple[str, list[str]]] = []

    def run_worker(argv: list[str]) -> int:
        calls.append(("worker", list(argv)))
        return 7

    def run_cli(argv: list[str] | None = None) -> int:
        calls.append(("cli", list(argv or [])))
        return 0

    monkeypatch.setattr(worker, "main", run_worker)
    monkeypatch.setattr("newsreader.cli.main", run_cli)
    assert launcher.main([worker.WORKER_FLAG, "--library", "/x"]) == 7
    assert launcher.main(["stats"]) == 0
    assert calls == [("worker", ["--library", "/x"]), ("cli", ["stats"])]


def test_a_bundle_starts_its_own_binary_as_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/newsreader/newsreader")
    assert worker.command("/lib") == [
        "/opt/newsreader/newsreader",
        worker.WORKER_FLAG,
        "--library",
        "/lib",
    ]


def test_a_library_that_cannot_open_is_said_in_the_protocol(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    done = subprocess.run(
        worker.command(folder), input="", capture_output=True, text=True, timeout=60
    )
    [event] = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 2 and event["event"] == "failed" and event["lane"] == "open"
    assert "Traceback" not in done.stderr


def test_the_worker_imports_and_returns_the_report_of_an_import_in_process(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"story-{n}.txt").write_text(
            f"Harbour council approves plan {n}\n\nThe council approved plan {n} today.\n",
            encoding="utf-8",
        )
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 8)
    with Library.open(tmp_path / "reference") as library:
        expected = library.import_paths([folder], index=False)
    with Library.open(tmp_path / "lib"):
        pass
    events = _talk(
        worker.command(tmp_path / "lib"),
        worker.import_command(1, [str(folder)]),
        "import 2 {not json",
    )
    reports = [e["report"] for e in events if e["event"] == "imported"]
    assert len(reports) == 1
    report = worker.report_from(reports[0])
    assert report.summary() == expected.summary() == "3 new, 0 duplicates, 1 skipped"
    assert report.skipped == expected.skipped and report.notes == expected.notes
    assert any(e["event"] == "progress" and e["lane"] == "import" for e in events)
    assert {
        "event": "failed",
        "lane": "import",
        "message": "the import was not understood",
        "expected": False,
    } in events
    with Library.open(tmp_path / "lib") as library:
        assert library.count() == 3
        assert library.index_pending() == 0, "the worker indexed what it imported"
        assert library.search("harbour").total == 3
