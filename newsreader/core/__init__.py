"""The Qt-free core: models, storage, ingest, search, export and the `Library` facade.

Nothing under this package may import Qt or `newsreader.ui` (a test enforces it), so the
command line, tests and benchmarks use exactly the code the window uses.
"""
