"""The bundle's entry point: its `newsreader` executable is the `newsreader` command.

With no arguments it opens the window; `newsreader --help` lists the command line. In the
bundle `sys.executable` is this binary, not a Python interpreter, so the window starts its
background worker (`newsreader.core.worker`) as this binary with `WORKER_FLAG` first, and
`multiprocessing` children (Whoosh's bulk writer, spaCy's `n_process`) come back through
`freeze_support()`, which runs them instead of the app.
"""

import multiprocessing
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the worker when asked for it, else the command line (which opens the window)."""
    args = list(sys.argv[1:] if argv is None else argv)
    from newsreader.core import worker

    if args[:1] == [worker.WORKER_FLAG]:
        return worker.main(args[1:])
    from newsreader.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
