"""The one thing pyproject.toml cannot say: discover every `newsreader.*` package *and* ship the
top-level resources/ folder as `newsreader.resources` (mapped in pyproject's package-dir), with
its data folders (icons, sample, ...) named too, as setuptools wants for directories Python could
import. Everything else about the build is in pyproject.toml.
"""

from setuptools import find_namespace_packages, find_packages, setup

code = find_packages(include=["newsreader", "newsreader.*"])
data = [f"newsreader.resources.{name}" for name in find_namespace_packages(where="resources")]
setup(packages=[*code, "newsreader.resources", *data])
