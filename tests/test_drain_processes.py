"""Big backlogs indexed by two writer processes (`core/search/procwriter.py`), in the window's
worker and on the command line alike: what a user searches finds exactly what a one-process
build finds, and a kill -9 or a cancel at any moment loses nothing and leaves no process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsreader.core import indexer
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import CancelToken

WORDS = ["harbour", "lighthouse", "ferry", "dock", "pier", "tug", "quay", "buoy"]
QUERIES = [*WORDS, "story", "harbour AND ferry", '"harbour master"', "dock OR pier", "lig*"]
#: Small bulk settings, so that a few hundred articles take the two-process path.
SMALL = {"BULK_THRESHOLD": 100, "BULK_BATCH": 250, "BATCH": 120}


def _articles(count: int) -> list[Article]:
    return [
        Article(
            title=f"{WORDS[n % len(WORDS)].title()} story {n}",
            paragraphs=(
                f"The harbour master {n} saw the {WORDS[(n * 3) % len(WORDS)]} at dawn.",
                f"A {WORDS[(n * 5) % len(WORDS)]} and a ferry, number {n % 97}, word{n % 13}.",
            ),
            source="sea",
        )
        for n in range(count)
    ]


def _pending(folder: Path, count: int) -> None:
    with Library.open(folder) as library:
        library.import_items(_articles(count), index=False)
        assert library.index_pending() == count


def _found(library: Library) -> list[dict[int, float]]:
    """Each query's matches and their scores."""
    return [{h.article_id: h.score for h in library.search(q, limit=None).hits} for q in QUERIES]


def _same(found: list[dict[int, float]], expected: list[dict[int, float]]) -> None:
    """The same matches for every query, scored alike. BM25F's statistics vary a little with
    how the documents are split into segments (a one-process build in batches of 120 and one
    in batches of 2,000 differ in the third digit), so scores are compared to 2%."""
    assert all(expected)
    for query, got, want in zip(QUERIES, found, expected, strict=True):
        assert sorted(got) == sorted(want), query
        assert got == pytest.approx(want, rel=0.02), query


def _reference(folder: Path, count: int) -> tuple[list[int], list[dict[int, float]]]:
    """What a one-process build of the same articles finds."""
    _pending(folder, count)
    with Library.open(folder, update_index=False) as library:
        assert library.update_index(processes=False).applied == count
        return library.ids(), _found(library)


def _worker(folder: Path, **settings: int) -> subprocess.Popen[str]:
    """The window's worker (`python -m newsreader.core.worker`), with small bulk settings."""
    code = (
        "import sys; from newsreader.core import indexer, worker; "
        + "".join(f"indexer.{name} = {value}; " for name, value in settings.items())
        + f"sys.exit(worker.main(['--library', {str(folder)!r}]))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _events(child: subprocess.Popen[str]) -> Iterator[dict[str, Any]]:
    assert child.stdout is not None
    for line in child.stdout:
        yield json.loads(line)


def _until_idle(child: subprocess.Popen[str], command: str) -> tuple[list[dict[str, Any]], str]:
    """Send the worker one command (sequence number 1), read its events until it is idle for
    it, let it exit at the end of input; its events and standard error."""
    assert child.stdin is not None
    events = []
    try:
        child.stdin.write(command + "\n")
        child.stdin.flush()
        for event in _events(child):
            events.append(event)
            if event == {"event": "idle", "seq": 1}:
                break
        _, errors = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return events, errors


def _children() -> dict[int, list[int]]:
    """Every process's children (from /proc)."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, depth) of every live process below `pid`."""
    tree = _children()
    found: list[tuple[int, int]] = []
    todo = [(child, 1) for child in tree.get(pid, [])]
    while todo:
        child, depth = todo.pop()
        found.append((child, depth))
        todo += [(grandchild, depth + 1) for grandchild in tree.get(child, [])]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def test_the_windows_worker_indexes_a_big_backlog_in_two_processes_finding_the_same(
    tmp_path: Path,
) -> None:
    count = 700
    ids, expected = _reference(tmp_path / "one", count)
    _pending(tmp_path / "two", count)
    child = _worker(tmp_path / "two", **SMALL)
    _, errors = _until_idle(child, "index 1")
    assert child.returncode == 0, errors
    assert "articles in 2 processes" in errors and "Traceback" not in errors
    with Library.open(tmp_path / "two", update_index=False) as library:
        assert library.index_pending() == 0
        assert sorted(library.ids()) == sorted(ids) and library.index.doc_count() == count
        _same(_found(library), expected)


def test_a_big_import_through_the_worker_is_stored_then_indexed_in_two_processes(
    tmp_path: Path,
) -> None:
    """As the window imports: the worker stores the whole file, indexes the big backlog in
    two processes after it, and every article is found as a one-process build finds it."""
    count = 900
    ids, expected = _reference(tmp_path / "one", count)
    dataset = tmp_path / "news.jsonl"
    dataset.write_text(
        "".join(
            json.dumps({"title": a.title, "body": "\n\n".join(a.paragraphs)}) + "\n"
            for a in _articles(count)
        ),
        encoding="utf-8",
    )
    Library.open(tmp_path / "two").close()
    child = _worker(tmp_path / "two", **SMALL)
    events, errors = _until_idle(child, f"import 1 {json.dumps({'paths': [str(dataset)]})}")
    assert child.returncode == 0, errors
    [imported] = [e for e in events if e["event"] == "imported"]
    assert imported["report"]["new"] == count
    assert "articles in 2 processes" in errors and "Traceback" not in errors
    with Library.open(tmp_path / "two", update_index=False) as library:
        assert library.index_pending() == 0 and library.index.doc_count() == count
        _same(_found(library), expected)
        assert len(library.ids()) == len(ids)


@linux_only
def test_kill_9_of_the_worker_in_a_two_process_drain_loses_nothing_and_leaves_no_process(
    tmp_path: Path,
) -> None:
    count = 2500
    ids, expected = _reference(tmp_path / "one", count)
    _pending(tmp_path / "two", count)
    child = _worker(tmp_path / "two", BULK_THRESHOLD=100, BULK_BATCH=2000, BATCH=120)
    assert child.stdin is not None
    try:
        child.stdin.write("index 1\n")
        child.stdin.flush()
        # Sub-writers are the fork server's children: two levels below the worker.
        _wait_for(
            lambda: any(depth >= 2 for _, depth in _descendants(child.pid)),
            60,
            "the worker never started its writer processes",
        )
        below = [pid for pid, _ in _descendants(child.pid)]
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        _wait_for(
            lambda: not any(_alive(pid) for pid in below),
            15,
            f"processes outlived the worker: {[p for p in below if _alive(p)]}",
        )
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    with Library.open(tmp_path / "two", update_index=False) as library:
        assert library.index_pending() > 0  # the kill came before the end
        library.update_index()
        assert library.index_pending() == 0
        assert sorted(library.ids()) == sorted(ids) and library.index.doc_count() == count
        _same(_found(library), expected)


def _drain_in_thread(
    library: Library, cancel: CancelToken | None = None
) -> tuple[threading.Thread, list[indexer.DrainReport]]:
    reports: list[indexer.DrainReport] = []
    thread = threading.Thread(
        target=lambda: reports.append(library.update_index(processes=True, cancel=cancel))
    )
    thread.start()
    return thread, reports


def _sub_writers() -> list[int]:
    """This test process's writer processes (children of its fork server)."""
    return [pid for pid, depth in _descendants(os.getpid()) if depth == 2]


@linux_only
def test_a_killed_writer_process_loses_nothing_and_indexing_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 of one of the two writer processes (the out-of-memory killer, say)."""
    count = 2500
    ids, expected = _reference(tmp_path / "one", count)
    for name, value in {"BULK_THRESHOLD": 100, "BULK_BATCH": 2000, "BATCH": 500}.items():
        monkeypatch.setattr(indexer, name, value)
    _pending(tmp_path / "two", count)
    with Library.open(tmp_path / "two", update_index=False) as library:
        thread, reports = _drain_in_thread(library)
        _wait_for(lambda: _sub_writers() or not thread.is_alive(), 60, "no writer processes")
        victims = _sub_writers()
        assert victims, "the drain ended before its writer processes were seen"
        os.kill(victims[0], signal.SIGKILL)
        thread.join(120)
        assert not thread.is_alive()
        assert reports[0].fell_back  # the batch was applied again, in one process
        assert library.index_pending() == 0
        assert sorted(library.ids()) == sorted(ids) and library.index.doc_count() == count
        _same(_found(library), expected)
    _wait_for(lambda: not _sub_writers(), 15, "a writer process outlived its drain")


@linux_only
def test_a_cancel_stops_a_two_process_drain_at_once_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the window (or Ctrl-C) during a big batch: its writer processes are stopped
    within a second, nothing of the batch is committed, and the next drain applies it."""
    count = 3000
    settings = {"BULK_THRESHOLD": 100, "BULK_BATCH": 3000, "BATCH": 3000, "FIRST_BATCH": 10}
    for name, value in settings.items():
        monkeypatch.setattr(indexer, name, value)
    _pending(tmp_path / "lib", count)
    with Library.open(tmp_path / "lib", update_index=False) as library:
        token = CancelToken()
        thread, reports = _drain_in_thread(library, token)
        _wait_for(lambda: _sub_writers() or not thread.is_alive(), 60, "no writer processes")
        assert thread.is_alive()
        token.cancel()
        cancelled = time.monotonic()
        thread.join(30)
        stopped = time.monotonic() - cancelled
        assert not thread.is_alive() and reports[0].applied == 0  # cancelled: not done
        _wait_for(lambda: not _sub_writers(), 5, "writer processes outlived the cancel")
        # The first small batch is in; of the big one nothing was committed: it was given
        # up (a whole batch takes many seconds), not finished first as a cancel used to.
        assert library.index_pending() == count - 10 and library.index.doc_count() == 10
        assert stopped < 5.0, stopped
        assert library.update_index().applied == count - 10
        assert library.search("harbour").total == count


def test_writer_processes_that_cannot_start_leave_the_drain_to_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no process can be started (a bundle without multiprocessing's support, a process
    limit), a big backlog is still indexed, in one process, and nothing is lost."""
    from newsreader.core.search import procwriter

    def refuse(process_obj: object) -> object:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(procwriter._SubWriter, "_Popen", staticmethod(refuse))
    for name, value in SMALL.items():
        monkeypatch.setattr(indexer, name, value)
    _pending(tmp_path / "lib", 400)
    with Library.open(tmp_path / "lib", update_index=False) as library:
        report = library.update_index(processes=True)
        assert report.fell_back and report.applied == 400
        assert library.index_pending() == 0 and library.search("harbour").total == 400
