"""`python -m newsreader` behaves like the `newsreader` command."""

import sys

from newsreader.cli import main

sys.exit(main())
