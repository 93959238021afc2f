"""The background worker gives way to the window: on Linux every thread of it runs under the
`SCHED_IDLE` policy (so a window thread woken to paint never waits behind it for a core)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from newsreader.core import worker
from newsreader.core.library import Library

pytestmark = pytest.mark.skipif(
    not hasattr(os, "SCHED_IDLE") or not Path("/proc/self/task").is_dir(),
    reason="SCHED_IDLE and /proc are Linux's",
)


def test_every_thread_of_the_worker_runs_only_on_idle_cpu_time(tmp_path: Path) -> None:
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
            assert {os.sched_getscheduler(t) for t in tasks} == {os.SCHED_IDLE}
            assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the caller (the window) is not
        finally:
            child.stdin.write("quit\n")
            child.stdin.close()
            child.wait(timeout=20)
