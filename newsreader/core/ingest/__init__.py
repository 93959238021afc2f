"""Import: turn the files a user points at into articles, and say why anything was left out.

The contract `Library` relies on:

- `discover(paths)` expands arguments into `(file, source)` pairs (folders recursively, sorted)
  or `Skipped` for what is not read (hidden entries) or cannot be read at all;
- `read_file(path, source)` and `read_bytes(data, name=..., source=...)` yield `Article`,
  `Skipped` and `Notice` items and never raise for bad content: one bad file or record never
  stops the rest. Every article has text and is within the size limits of `limits` (a longer
  one comes in parts, followed by a `Notice` saying so); a file over its format's size limit
  is a `Skipped` before it is read.

Which reader runs is decided by the file's suffix; the readers live in small modules
(`plaintext`, `files`, `datasets`, `sgml`, `feedfiles`), bytes become text in `encoding`
(feed documents are parsed from bytes by the subscriptions code, `core/feeds`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from newsreader.core.ingest import datasets, feedfiles, files, limits, plaintext, sgml
from newsreader.core.ingest.encoding import (
    NotText,
    decode,
    decode_line,
    decode_lines,
    mostly_binary,
    streamable,
)
from newsreader.core.ingest.naming import one_line, quote_name
from newsreader.core.models import Article, Notice, Skipped

__all__ = ["SUFFIXES", "discover", "one_line", "quote_name", "read_bytes", "read_file"]

Reader = Callable[..., Iterator[Article | Skipped]]
#: What an import reads: articles, skips with their reasons, notices of what was changed.
Item = Article | Skipped | Notice

_READERS: dict[str, Reader] = {
    ".txt": plaintext.read_text,
    ".text": plaintext.read_text,
    ".md": files.read_markdown,
    ".markdown": files.read_markdown,
    ".html": files.read_html,
    ".htm": files.read_html,
    ".jsonl": datasets.read_jsonl,
    ".ndjson": datasets.read_jsonl,
    ".json": datasets.read_json,
    ".csv": datasets.read_csv,
    ".tsv": datasets.read_csv,
    ".sgm": sgml.read_sgml,
    ".sgml": sgml.read_sgml,
    **dict.fromkeys(feedfiles.SUFFIXES, feedfiles.read_feed_bytes),
}
#: Readers handed the file's bytes, not decoded text: feed documents name their own encoding.
_READS_BYTES = feedfiles.SUFFIXES
#: File suffixes import understands (lower case, with the dot).
SUFFIXES: frozenset[str] = frozenset(_READERS)

#: Files inside a folder that describe the folder rather than hold news (a dataset's README);
#: read only when the user names them directly.
_DOCUMENTATION = frozenset({"readme", "license", "licence", "copying", "changelog", "notice"})


def _unsupported(path: Path) -> Skipped:
    suffix = path.suffix.lower()
    what = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
    return Skipped(str(path), what)


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Files under `folder` in path order (a folder's entries sorted by name, descending into
    subfolders where they sort); hidden files and folders come as `Skipped`, unread. Symlinked
    folders are not followed, so a link loop cannot hang an import."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(str(folder), f"cannot read the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            # Never read (`.git`, `.DS_Store`, a name like `..%2F..%2Fetc.txt`), but listed:
            # a report accounts for everything it did not import.
            what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            yield Skipped(entry.path, f"hidden {what} (its name starts with a dot), not read")
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        else:
            yield Path(entry.path)


def discover(paths: list[Path]) -> list[tuple[Path, str] | Skipped]:
    """Files to read, each with the `source` label of the argument it came from.

    The label is the resolved path the user gave: the folder for files found inside it, the
    file itself otherwise. A file reached twice (a folder and a file in it) is read once.
    """
    found: list[tuple[Path, str] | Skipped] = []
    seen: set[Path] = set()

    def add(path: Path, source: str) -> None:
        resolved = path.resolve()
        if resolved in seen:
            return
        seen.add(resolved)
        found.append((path, source) if path.suffix.lower() in SUFFIXES else _unsupported(path))

    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            source = str(path.resolve())
            for file in _walk(path):
                if isinstance(file, Skipped):
                    found.append(file)
                elif file.stem.lower() in _DOCUMENTATION:
                    found.append(Skipped(str(file), "documentation file, not an article"))
                elif file.is_file():
                    add(file, source)
                else:
                    found.append(Skipped(str(file), "not a regular file (or a broken link)"))
        elif path.is_file():
            add(path, str(path.resolve()))
        elif path.exists():
            found.append(Skipped(str(path), "not a regular file or folder"))
        else:
            found.append(Skipped(str(path), "no such file or folder"))
    return found


def read_bytes(data: bytes, *, source: str, name: str = "", origin: str = "") -> Iterator[Item]:
    """Articles from bytes already in memory; `name`'s suffix picks the format.

    `origin` labels the articles (default: `name`); either may be given alone, so the
    bundled sample can be read as `read_bytes(data, name="seed-news.txt", source=...)`.
    """
    name = name or origin
    origin = origin or name
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        yield _unsupported(Path(name))
        return
    too_large = limits.file_too_large(origin, suffix, len(data))
    if too_large is not None:
        yield too_large
        return
    try:
        if suffix in _READS_BYTES:
            items = reader(data, source=source, origin=origin)
        elif suffix in _STREAMED:  # a bad line must not make the whole file unreadable
            items = datasets.read_jsonl_lines(decode_lines(data), source=source, origin=origin)
        else:
            items = reader(decode(data), source=source, origin=origin)
    except NotText as exc:
        yield Skipped(origin, str(exc))
        return
    try:
        yield from _checked(items)
    except Exception as exc:
        # The readers turn every bad input they know of into a Skipped; this net catches the
        # ones nobody foresaw, so that one odd file still never stops the rest of an import.
        yield Skipped(origin, f"could not be read ({type(exc).__name__}: {exc})")


def _checked(items: Iterator[Article | Skipped]) -> Iterator[Item]:
    """What any reader yields, held to the rules every article keeps: it has text, and it is
    within the size limits (`limits.bounded`: a longer one is stored in parts)."""
    for item in items:
        if isinstance(item, Skipped):
            yield item
        elif not any(p.strip() for p in item.paragraphs):
            yield Skipped(item.origin, "no article text (a title only)")
        else:
            yield from limits.bounded(item)


#: JSON Lines files larger than this are read a line at a time, so that a dataset of hundreds
#: of megabytes is imported in flat memory and its first articles are stored at once.
STREAM_BYTES = 32 * 1024 * 1024
_STREAMED = frozenset({".jsonl", ".ndjson"})


def read_file(path: Path, source: str) -> Iterator[Item]:
    """Articles from one file, by suffix. Never raises for bad or unreadable content."""
    if path.suffix.lower() in _STREAMED:
        streamed = _stream_jsonl(path, source)
        if streamed is not None:
            yield from streamed
            return
    try:
        too_large = limits.file_too_large(str(path), path.suffix.lower(), path.stat().st_size)
        if too_large is not None:  # refused before it is read into memory
            yield too_large
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), f"cannot read the file: {exc.strerror or exc}")
        return
    yield from read_bytes(data, name=path.name, origin=str(path), source=source)


def _stream_jsonl(path: Path, source: str) -> Iterator[Item] | None:
    """A large JSON Lines file as a stream of records, or None to read it whole (small files,
    and files whose encoding can only be told from all of it)."""
    try:
        if path.stat().st_size <= STREAM_BYTES:
            return None
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
        if not streamable(head):
            return None
    except OSError:
        return None  # the whole-file path reports why it cannot be read
    if mostly_binary(head):  # said at once, not line by line, and never read whole
        return iter([Skipped(str(path), "binary file")])

    def records() -> Iterator[Item]:
        try:
            with path.open("rb") as handle:
                lines = (decode_line(raw) for raw in handle)
                yield from _checked(
                    datasets.read_jsonl_lines(lines, source=source, origin=str(path))
                )
        except OSError as exc:
            yield Skipped(str(path), f"cannot read the file: {exc.strerror or exc}")

    return records()
