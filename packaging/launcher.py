"""The bundle's entry point: its `newsreader` executable is the `newsreader` command.

With no arguments it opens the window; `newsreader --help` lists the command line.
"""

import sys

from newsreader.cli import main

if __name__ == "__main__":
    sys.exit(main())
