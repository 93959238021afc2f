"""Stand-ins for the window's worker process (`newsreader.core.worker`), for tests of what the
window does when the worker cannot do its work: run as a script with a mode, then the worker's
own arguments.

    python tests/worker_stubs.py no-model --library DIR   the real worker, without the model
    python tests/worker_stubs.py crash --library DIR      dies at once, every time
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from newsreader.core import worker
from newsreader.core.entities import ModelMissingError, recognizer

SCRIPT = Path(__file__).resolve()


def command(mode: str, directory: Path) -> list[str]:
    """The command line that `newsreader.ui.worker_process.worker_command` would return."""
    return [sys.executable, str(SCRIPT), mode, "--library", str(directory)]


def main(argv: Sequence[str]) -> int:
    mode, *rest = argv
    if mode == "crash":
        print("worker stand-in: crashing on purpose", file=sys.stderr)
        return 3
    if mode == "no-model":

        def missing() -> str:
            raise ModelMissingError("the named-entity model is not installed; pip install …")

        recognizer.model_id = missing
    return worker.main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
