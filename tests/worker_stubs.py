"""Stand-ins for the window's worker process (`newsreader.core.worker`), for tests of what the
window does when the worker cannot do its work: run as a script with a mode, then the worker's
own arguments.

    python tests/worker_stubs.py no-model --library DIR   the real worker, without the model
    python tests/worker_stubs.py crash --library DIR      dies at once, every time
    python tests/worker_stubs.py slow-read --library DIR  the real worker (no model), reading
                                                          each imported file 3 ms slower
    python tests/worker_stubs.py crash-import --library DIR
                                the real worker (no model), which dies on the 400th imported
                                file (after its first batch is committed), once per library
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsreader.core import ingest, worker
from newsreader.core.entities import ModelMissingError, recognizer
from newsreader.core.models import Article, Notice, Skipped

#: The imported file on which "crash-import" dies.
CRASH_AT_FILE = 400

SCRIPT = Path(__file__).resolve()


def command(mode: str, directory: Path) -> list[str]:
    """The command line that `newsreader.ui.worker_process.worker_command` would return."""
    return [sys.executable, str(SCRIPT), mode, "--library", str(directory)]


def main(argv: Sequence[str]) -> int:
    mode, *rest = argv
    if mode == "crash":
        print("worker stand-in: crashing on purpose", file=sys.stderr)
        return 3
    if mode in ("no-model", "slow-read", "crash-import"):

        def missing() -> str:
            raise ModelMissingError("the named-entity model is not installed; pip install …")

        recognizer.model_id = missing
    real_read = ingest.read_file
    marker = Path(rest[rest.index("--library") + 1]) / "worker-stub-crashed"
    read = 0

    def slow_read(path: Path, source: str) -> Iterator[Article | Skipped | Notice]:
        time.sleep(0.003)  # storing alone is too quick to catch the list mid-import
        yield from real_read(path, source=source)

    def crashing_read(path: Path, source: str) -> Iterator[Article | Skipped | Notice]:
        nonlocal read
        read += 1
        if read == CRASH_AT_FILE and not marker.exists():
            marker.touch()
            print("worker stand-in: crashing mid-import on purpose", file=sys.stderr, flush=True)
            os._exit(3)
        yield from real_read(path, source=source)

    if mode == "slow-read":
        ingest.read_file = slow_read
    elif mode == "crash-import":
        ingest.read_file = crashing_read
    return worker.main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
