"""Scaled, reproducible news corpora for the benchmarks, built from `../shared` BBC articles.

The BBC sample has under a thousand articles, far too few to show how import and search
behave in a library of 100k. Recombining its paragraphs gives any number of articles whose
vocabulary, word frequencies and paragraph lengths are those of real news, which is what
index size and query cost depend on. A fixed seed makes every run (and every machine) build
byte-identical files, so numbers taken on different days compare the same work.

Each generated article keeps a real BBC title (plus a number, so titles stay distinct), its
source article's lead paragraph (so the title still fits the opening), then 3-11 further
paragraphs drawn from articles of the same category (so topics do not mix absurdly), and a
publication date spread over several years (so date-range queries select a real fraction).

The corpus is written as JSON Lines under `bench/data/` (git-ignored) so that the real import
path (`Library.import_paths`) reads it exactly as a user's dataset; the same records also become
`Article` objects directly for the measurements that leave the readers out.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.core.models import Article

ROOT = Path(__file__).resolve().parents[1]
#: The shared data folder sits beside the project, never inside it (DEVELOPERS.md).
SHARED = ROOT.parent / "shared"
BBC_DIR = SHARED / "corpus" / "bbc-sample"
DATA_DIR = ROOT / "bench" / "data"

#: Changing the seed, the date span or the recipe changes every number: bump FORMAT with them
#: so that a stale cached corpus is never reused under the same file name.
SEED = 20_241_124
FORMAT = 1
DATE_FROM = datetime(2019, 1, 1, tzinfo=UTC)
DATE_TO = datetime(2024, 12, 31, 23, 59, tzinfo=UTC)
MIN_PARAGRAPHS = 4
MAX_PARAGRAPHS = 12
SOURCE_KIND = "jsonl"


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One BBC article as read from `bbc-sample/<category>/<n>.txt`."""

    category: str
    title: str
    paragraphs: tuple[str, ...]


def require_bbc(folder: Path = BBC_DIR) -> Path:
    """Return the BBC folder, or exit with a message a developer can act on.

    A benchmark without its data is not a failure to report as a traceback: say where the
    data was expected and stop.
    """
    if not folder.is_dir() or not any(folder.rglob("*.txt")):
        sys.exit(
            f"benchmark data not found: {folder} is missing or empty.\n"
            f"The benchmarks read ../shared/corpus/bbc-sample beside the project ({ROOT}); "
            "mount or copy the shared data folder there and run again."
        )
    return folder


def load_bbc(folder: Path = BBC_DIR) -> list[SourceDoc]:
    """Every BBC article (title line, blank line, paragraphs), in a stable order."""
    docs: list[SourceDoc] = []
    for path in sorted(require_bbc(folder).rglob("*.txt")):
        if path.name.upper() == "README.TXT":
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        blocks = [" ".join(b.split()) for b in text.replace("\r\n", "\n").split("\n\n")]
        blocks = [b for b in blocks if b]
        if len(blocks) < 2:
            continue
        docs.append(SourceDoc(path.parent.name, blocks[0], tuple(blocks[1:])))
    if not docs:
        sys.exit(f"benchmark data not usable: no articles found in {folder}")
    return docs


def generate(
    count: int, seed: int = SEED, docs: list[SourceDoc] | None = None
) -> Iterator[dict[str, str]]:
    """Yield `count` JSON records (title, body, url, published, category), deterministically.

    Only `random.Random(seed)` decides anything, and its integer methods are stable across
    Python versions, so the same arguments give the same records everywhere.
    """
    docs = load_bbc() if docs is None else docs
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {}
    for doc in docs:
        pools.setdefault(doc.category, []).extend(doc.paragraphs)
    span = int((DATE_TO - DATE_FROM).total_seconds() // 60)
    for number in range(1, count + 1):
        base = docs[rng.randrange(len(docs))]
        pool = pools[base.category]
        extra = rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS) - 1
        paragraphs = [base.paragraphs[0], *(pool[rng.randrange(len(pool))] for _ in range(extra))]
        published = DATE_FROM + timedelta(minutes=rng.randrange(span))
        yield {
            "title": f"{base.title} {number}",
            "body": "\n\n".join(paragraphs),
            "url": f"https://bench.example/{base.category}/{number}",
            "published": published.isoformat(),
            "category": base.category,
        }


def corpus_path(count: int, seed: int = SEED, data_dir: Path = DATA_DIR) -> Path:
    """Where the corpus of `count` articles lives; the name pins size, seed and recipe."""
    return data_dir / f"bbc-{count}-s{seed}-v{FORMAT}.jsonl"


def ensure_jsonl(count: int, seed: int = SEED, data_dir: Path = DATA_DIR) -> Path:
    """Build the JSON Lines corpus unless it already exists; return its path.

    Written to a temporary name and renamed, so an interrupted build never leaves a short
    file that a later run would take for the real one.
    """
    path = corpus_path(count, seed, data_dir)
    if path.exists():
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    docs = load_bbc()
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as out:
        for record in generate(count, seed, docs):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def fingerprint(path: Path) -> str:
    """A short SHA-256 of the corpus file, recorded beside the numbers it produced."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def record_to_article(record: dict[str, str], source: str, line: int) -> Article:
    """The `Article` a JSON Lines importer should make of one generated record."""
    return Article(
        title=record["title"],
        paragraphs=tuple(record["body"].split("\n\n")),
        source=source,
        source_kind=SOURCE_KIND,
        origin=f"{source}:{line}",
        url=record["url"],
        published=datetime.fromisoformat(record["published"]),
    )


def load_articles(path: Path) -> list[Article]:
    """Read a generated corpus back as `Article` objects (ids unset)."""
    with path.open(encoding="utf-8") as data:
        return [
            record_to_article(json.loads(line), path.name, number)
            for number, line in enumerate(data, start=1)
        ]


def checkout_at(revision: str, into: Path, script: Path) -> Path:
    """The code of `revision` in `into` (a new folder), measured by today's `script`.

    For a benchmark's `--before REV`: the old code runs under the same harness (`script`,
    copied over its own copy), on the same generated data (`bench/data` linked to this
    checkout's), and finds `../shared` beside it as this checkout does."""
    into.mkdir()
    shared = into.parent / "shared"
    if not shared.exists():
        shared.symlink_to(SHARED, target_is_directory=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    shutil.rmtree(into / "bench" / "data", ignore_errors=True)
    (into / "bench" / "data").symlink_to(DATA_DIR, target_is_directory=True)
    shutil.copy2(script, into / "bench" / script.name)
    return into
