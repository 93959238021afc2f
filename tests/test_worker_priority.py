"""The background worker gives way to the window: every thread of it runs at the lowest
priority (numpy's BLAS threads too), so a window thread woken to paint rarely waits behind it
for a core, and the worker is never starved while it holds the write transaction."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from newsreader.core import worker
from newsreader.core.library import Library

pytestmark = pytest.mark.skipif(
    not hasattr(os, "getpriority") or not Path("/proc/self/task").is_dir(),
    reason="per-thread niceness and /proc are Linux's",
)


def test_every_thread_of_the_worker_runs_at_the_lowest_priority(tmp_path: Path) -> None:
    Library.open(tmp_path).close()
    with subprocess.Popen(
        worker.command(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        try:
            ready = json.loads(child.stdout.readline())
            assert ready["event"] == "ready"
            tasks = [int(t.name) for t in Path(f"/proc/{ready['pid']}/task").iterdir()]
            assert len(tasks) >= 3  # the main thread, the indexer's and recognition's
            nice = {os.getpriority(os.PRIO_PROCESS, t) for t in tasks}
            assert nice == {worker.NICENESS}
            assert os.getpriority(os.PRIO_PROCESS, 0) < worker.NICENESS  # the window is not
            assert os.sched_getscheduler(ready["pid"]) == os.SCHED_OTHER  # never starved
        finally:
            child.stdin.write("quit\n")
            child.stdin.close()
            child.wait(timeout=20)
