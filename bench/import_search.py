"""Import throughput and search latency at 10k and 100k articles, against an FTS5 reference.

    python -m bench.import_search                      # 10k and 100k, print the tables
    python -m bench.import_search --sizes 1000         # a quick smoke run
    python -m bench.import_search --write-readme       # record the tables in bench/README.md
    python -m bench.import_search --keep ...           # keep the libraries, then after a
    python -m bench.import_search --reuse-import ...   # search-side change re-measure search

What a user waits for, measured in the pieces that can be tuned separately:

* import: (a) SQLite storage alone (`Storage.add_articles` in the import's batches), (b) the
  Whoosh index alone (`SearchIndex.writer()` fed the stored articles), and (c) the end-to-end
  `Library.import_paths` on the corpus as JSON Lines, readers included, which is what a user
  gets. Each runs into a fresh library, so (c) is not helped by (a) or (b).
* search: a fixed mix of single words, AND / OR / NOT, phrases, prefixes, fields and a date range
  through `Library.search(limit=20)` (ranked hits, snippets, total count) on the long-lived
  index, each query warmed once and then timed several times; the same queries, translated, on
  SQLite FTS5 over the same corpus in the same process. Whoosh and FTS5 runs alternate so that
  load from anything else on the machine falls on both alike.

Corpora are deterministic (see `bench.corpus`); libraries are built under `bench/data/`
(git-ignored) and removed afterwards unless `--keep`.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import os
import platform
import pstats
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from whoosh import index as whoosh_index

from bench.corpus import DATA_DIR, ROOT, SEED, ensure_jsonl, fingerprint, load_articles
from bench.fts5 import Fts5Reference, FtsQuery
from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.search import SearchIndex
from newsreader.core.storage import Storage

README = ROOT / "bench" / "README.md"
SECTION = "## Import and search"
FINDINGS = "### Findings"
#: The import's own batch size (`Library` stores and indexes 250 articles per transaction).
BATCH = 250
LIMIT = 20
TARGET_IMPORT = 500.0  # articles/s, import + index
TARGET_P95_MS = 100.0  # at 100k articles
TARGET_RATIO = 2.0  # Whoosh p50 / FTS5 p50


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One query of the mix, as a Newsreader user types it and as FTS5 spells it."""

    kind: str
    text: str
    fts: FtsQuery


#: Chosen from the BBC business and entertainment vocabulary: frequent words (long posting
#: lists, the expensive case), a rarer name, two-word combinations, phrases, prefixes that
#: expand to many terms, a title field, and a date range that keeps about a sixth of the years.
QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("word", "oil", FtsQuery("oil")),
    BenchQuery("word", "government", FtsQuery("government")),
    BenchQuery("word", "yukos", FtsQuery("yukos")),
    BenchQuery("AND", "oil AND prices", FtsQuery("oil AND prices")),
    BenchQuery("AND", "film award", FtsQuery("film AND award")),
    BenchQuery("OR", "film OR music", FtsQuery("film OR music")),
    BenchQuery("NOT", "bank -china", FtsQuery("bank NOT china")),
    BenchQuery("phrase", '"interest rates"', FtsQuery('"interest rates"', exact=True)),
    BenchQuery("phrase", '"chief executive"', FtsQuery('"chief executive"', exact=True)),
    BenchQuery("prefix", "econom*", FtsQuery("econom*")),
    BenchQuery("prefix", "tele*", FtsQuery("tele*")),
    BenchQuery("field", "title:oil", FtsQuery("title:oil")),
    BenchQuery("field", "title:film director", FtsQuery("title:film AND director")),
    BenchQuery(
        "date",
        "bank published:[2021-01-01 TO 2021-12-31]",
        FtsQuery("bank", "2021-01-01", "2022-01-01"),
    ),
)


#: Queries a search box must survive as-you-type without freezing (each ≤ 1 s at 100k):
#: huge range and prefix expansions, `*`-heavy wildcards, fuzzy terms, stop-word phrases, and
#: pasted walls of text (which once spent minutes in the spelling suggester).
HOSTILE: tuple[tuple[str, str], ...] = (
    ("range", "[a TO z]"),
    ("range", "title:[a TO zzzz] OR body:[b TO y]"),
    ("prefixes", "gov* OR com* OR pro* OR sta* OR con*"),
    ("wildcard", "con*t*i*o*n*"),
    ("fuzzy", "governmnet~2 OR ecnomy~2"),
    ("phrase", '"the of and to in a the of and"'),
    ("long", " ".join(["oil", "prices", "governmnet", "economy"] * 2_500)),
    ("long", "ecnomy " * 14_286),
    ("long", "x" * 100_000),
)
TARGET_HOSTILE_MS = 1000.0
TARGET_MEMORY_MB = 300.0


@dataclass(slots=True)
class SizeResult:
    """Everything measured for one corpus size."""

    size: int
    corpus_mb: float
    avg_words: float
    corpus_id: str
    storage_s: float = 0.0
    storage_cpu: float = 0.0
    index_s: float = 0.0
    index_cpu: float = 0.0
    e2e_s: float = 0.0
    e2e_cpu: float = 0.0
    e2e_new: int = 0
    fts_build_s: float = 0.0
    fts_build_cpu: float = 0.0
    db_mb: float = 0.0
    index_mb: float = 0.0
    fts_mb: float = 0.0
    index_segments: int = 0
    import_revision: str = ""
    import_at: str = ""
    search_revision: str = ""
    whoosh_ms: dict[str, list[float]] = field(default_factory=dict)
    fts_ms: dict[str, list[float]] = field(default_factory=dict)
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    hostile_ms: dict[str, float] = field(default_factory=dict)
    hostile_notes: dict[str, str] = field(default_factory=dict)
    memory_mb: float = 0.0
    cache_mb: float = 0.0


#: What `--reuse-import` restores from a kept run (everything but search and FTS5).
IMPORT_FIELDS = (
    "corpus_id",
    "storage_s",
    "storage_cpu",
    "index_s",
    "index_cpu",
    "e2e_s",
    "e2e_cpu",
    "e2e_new",
    "db_mb",
    "index_mb",
    "index_segments",
    "import_revision",
    "import_at",
)
IMPORT_JSON = "import.json"


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def pooled(samples: dict[str, list[float]]) -> list[float]:
    return [ms for runs in samples.values() for ms in runs]


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method: never beyond the largest sample)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def say(message: str) -> None:
    """Progress on stderr, so stdout carries only the Markdown tables."""
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


@dataclass(slots=True)
class Span:
    """Wall time and CPU time of one measured step.

    On a machine shared with other work, wall time is what a user would have waited and CPU
    time (this process and its finished children) is what the step costs: comparing the two
    shows how much of a slow run was waiting for a core.
    """

    wall: float = 0.0
    cpu: float = 0.0


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def clock() -> Iterator[Span]:
    span = Span()
    wall, cpu = time.perf_counter(), cpu_seconds()
    yield span
    span.wall, span.cpu = time.perf_counter() - wall, cpu_seconds() - cpu


# -- import ------------------------------------------------------------------------------------


def measure_storage(storage: Storage, articles: Sequence[Article]) -> tuple[Span, list[Article]]:
    """(a) Store in the import's batches; return the time and the articles with their ids."""
    stored: list[Article] = []
    with clock() as span:
        for first in range(0, len(articles), BATCH):
            batch = articles[first : first + BATCH]
            ids = storage.add_articles(batch)
            stored.extend(
                replace(a, id=i) for a, i in zip(batch, ids, strict=True) if i is not None
            )
    return span, stored


def measure_index(index: SearchIndex, stored: Sequence[Article]) -> Span:
    """(b) Index already-stored articles through the same writer an import uses."""
    with clock() as span, index.writer() as writer:
        for article in stored:
            writer.add(article)
    return span


def count_segments(library: Library) -> int:
    """Whoosh segments in the library's index: each is searched separately, so it matters."""
    reader = whoosh_index.open_dir(str(library.index.directory)).reader()
    try:
        return len(reader.leaf_readers())
    finally:
        reader.close()


# -- search ------------------------------------------------------------------------------------


def measure_search(library: Library, fts: Fts5Reference, repeats: int, result: SizeResult) -> None:
    """Warm every query once on both engines, then time `repeats` alternating rounds.

    Both sides do what the window needs for a search: the total, the id of every match in
    order (the list shows them all) and the first `LIMIT` hits with snippets.
    """
    for query in QUERIES:
        found = library.search_all(query.text, limit=LIMIT)
        total, _, ids = fts.search_all(query.fts, limit=LIMIT)
        result.totals[query.text] = (found.total, total)
        if found.total != len(found.ids) or total != len(ids):
            say(f"  warning: {query.text!r}: ids and totals disagree")
        if found.total != total:
            say(f"  warning: {query.text!r}: Whoosh {found.total:,} matches, FTS5 {total:,}")
        if found.notice:
            say(f"  note: {query.text!r}: {found.notice}")
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            library.search_all(query.text, limit=LIMIT)
            middle = time.perf_counter()
            fts.search_all(query.fts, limit=LIMIT)
            ended = time.perf_counter()
            result.whoosh_ms.setdefault(query.text, []).append((middle - started) * 1000)
            result.fts_ms.setdefault(query.text, []).append((ended - middle) * 1000)


def measure_hostile(library: Library, result: SizeResult) -> None:
    """The slowest of two runs of each hostile query, and what the user is told."""
    for _, text in HOSTILE:
        worst = 0.0
        notice = ""
        for _ in range(2):
            started = time.perf_counter()
            found = library.search_all(text, limit=LIMIT)
            worst = max(worst, (time.perf_counter() - started) * 1000)
            notice = found.notice or ""
        result.hostile_ms[text] = worst
        result.hostile_notes[text] = notice


def measure_memory(library_dir: Path, result: SizeResult) -> None:
    """Peak memory of a fresh search process that has filled its postings cache."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_search", "--memory-probe", str(library_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        say(f"  memory probe failed: {done.stderr.strip()[-500:]}")
        return
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    result.memory_mb, result.cache_mb = figures["peak_mb"], figures["cache_mb"]


def peak_rss_kb() -> int:
    """This process's peak resident memory. `VmHWM`, not `ru_maxrss`: Linux carries
    `ru_maxrss` across `exec`, so a child of the benchmark would report the parent's peak
    (the corpus it holds in memory)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def memory_probe(library_dir: Path) -> int:
    """(Child process.) Open the library, search the mix, the hostile set and the 400
    commonest body words (the postings cache fills up), print peak RSS and cache size."""
    library = Library.open(library_dir)
    texts = [q.text for q in QUERIES] + [text for _, text in HOSTILE]
    for text in texts:
        library.search_all(text, limit=LIMIT)
    reader = library.index._current_searcher().reader()
    common = [t.decode("utf-8") for _, t in reader.most_frequent_terms("body", 400)]
    for word in common:
        library.search_all(word, limit=LIMIT)
    for text in texts:
        library.search_all(text, limit=LIMIT)
    scorer = library.index._fast
    cache = scorer.cache.bytes if scorer is not None else 0
    print(json.dumps({"peak_mb": peak_rss_kb() / 1024, "cache_mb": cache / 1e6}))
    library.close()
    return 0


def profile_search(library: Library, repeats: int) -> None:
    """cProfile the Whoosh side of the mix and print where the time goes (stderr)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeats):
        for query in QUERIES:
            library.search(query.text, limit=LIMIT)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


# -- one size ----------------------------------------------------------------------------------


def code_revision() -> str:
    """The commit measured, flagged when the shared working tree has uncommitted core changes."""

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + (
        " + uncommitted changes" if git("status", "--porcelain", "newsreader") else ""
    )


def measure_split(split: Path, articles: Sequence[Article], result: SizeResult) -> None:
    """(a) storage alone, then (b) the index alone fed the stored articles."""
    size = len(articles)
    say("  (a) storage only")
    storage = Storage(split / "library.sqlite3")
    span, stored = measure_storage(storage, articles)
    result.storage_s, result.storage_cpu = span.wall, span.cpu
    storage.close()
    say(f"      {span.wall:.1f} s (CPU {span.cpu:.1f} s), {rate(size, span.wall):,.0f} articles/s")

    say("  (b) index only")
    index = SearchIndex(split / "index")
    span = measure_index(index, stored)
    result.index_s, result.index_cpu = span.wall, span.cpu
    index.close()
    say(f"      {span.wall:.1f} s (CPU {span.cpu:.1f} s), {rate(size, span.wall):,.0f} articles/s")


def measure_import(
    size: int,
    corpus: Path,
    articles: Sequence[Article],
    work: Path,
    result: SizeResult,
    *,
    end_to_end_only: bool = False,
) -> Library:
    """(a), (b) and (c), each into a fresh library; return the (c) library, ready to search."""
    shutil.rmtree(work, ignore_errors=True)
    split = work / "split"
    split.mkdir(parents=True)

    if end_to_end_only:
        say("  (a) and (b) skipped (--end-to-end-only)")
    else:
        measure_split(split, articles, result)
    shutil.rmtree(split)

    say("  (c) end to end: Library.import_paths")

    library = Library.open(work / "library")
    with clock() as span:
        report = library.import_paths([corpus])
    result.e2e_s, result.e2e_cpu = span.wall, span.cpu
    result.e2e_new = report.new
    if report.new != size:
        say(f"      warning: {report.summary()} (expected {size} new)")
    say(f"      {span.wall:.1f} s (CPU {span.cpu:.1f} s), {rate(size, span.wall):,.0f} articles/s")
    result.db_mb = folder_mb(work / "library" / "library.sqlite3")
    result.index_mb = folder_mb(work / "library" / "index")
    result.index_segments = count_segments(library)
    result.import_revision = code_revision()
    result.import_at = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    saved = {name: getattr(result, name) for name in IMPORT_FIELDS}
    (work / IMPORT_JSON).write_text(json.dumps(saved, indent=1), encoding="utf-8")
    return library


def reuse_import(work: Path, result: SizeResult) -> Library | None:
    """The library and import numbers of an earlier `--keep` run, if still valid.

    Lets search be re-measured after a search-side change without re-importing 100k
    articles; refused when the library would need a re-index (its numbers would be stale).
    """
    try:
        saved = json.loads((work / IMPORT_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if saved.get("corpus_id") != result.corpus_id:
        return None
    library = Library.open(work / "library")
    if library.notices:
        say(f"  cannot reuse the kept library: {'; '.join(library.notices)}")
        library.close()
        return None
    for name in IMPORT_FIELDS:
        setattr(result, name, saved[name])
    say(f"  reusing the import measured at {result.import_at} ({result.import_revision})")
    return library


def run_size(size: int, args: argparse.Namespace) -> SizeResult:
    data_dir: Path = args.data_dir
    say(f"{size:,} articles: building or reusing the corpus")
    corpus = ensure_jsonl(size, args.seed, data_dir)
    articles = load_articles(corpus)
    words = statistics.fmean(len(a.title.split()) + len(a.body.split()) for a in articles)
    result = SizeResult(size, folder_mb(corpus), words, fingerprint(corpus))
    work = data_dir / f"run-{size}"

    library = reuse_import(work, result) if args.reuse_import else None
    if library is None:
        library = measure_import(
            size, corpus, articles, work, result, end_to_end_only=args.end_to_end_only
        )
    if args.import_only:
        library.close()
        return result

    say("  FTS5 reference: build")
    fts = Fts5Reference(work / "fts5.sqlite3")
    with clock() as span:
        fts.build(articles)
    result.fts_build_s, result.fts_build_cpu = span.wall, span.cpu
    result.fts_mb = folder_mb(work / "fts5.sqlite3")
    del articles

    say(f"  search: {len(QUERIES)} queries x {args.repeats} runs on each engine")
    result.search_revision = code_revision()
    measure_search(library, fts, args.repeats, result)
    say(f"  hostile queries: {len(HOSTILE)}")
    measure_hostile(library, result)
    say("  memory of a search process with its postings cache full")
    measure_memory(work / "library", result)
    if args.profile and size == max(args.sizes):
        profile_search(library, args.repeats)
    library.close()
    fts.close()
    if not (args.keep or args.reuse_import):
        shutil.rmtree(work)
    return result


# -- report ------------------------------------------------------------------------------------


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else f"{size:,}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(results: Sequence[SizeResult], repeats: int, writer: str) -> str:
    """The tables recorded in bench/README.md (and printed on every run)."""
    heads = " | ".join(label(r.size) for r in results)
    rule = "|---" * (len(results) + 2) + "|"
    big = results[-1]

    def row(name: str, cells: Sequence[str], target: str = "") -> str:
        return f"| {name} | {' | '.join(cells)} | {target} |"

    def speed(wall: Callable[[SizeResult], float], cpu: Callable[[SizeResult], float]) -> list[str]:
        return [
            f"{rate(r.size, wall(r)):,.0f}/s ({wall(r):,.1f} s; CPU {cpu(r):,.1f} s)"
            if wall(r) > 0
            else "not measured (`--end-to-end-only`)"
            for r in results
        ]

    combined_ok = all(
        r.storage_s + r.index_s > 0 and rate(r.size, r.storage_s + r.index_s) >= TARGET_IMPORT
        for r in results
    )
    e2e_ok = all(rate(r.size, r.e2e_s) >= TARGET_IMPORT for r in results)
    lines = [
        "Corpus: "
        + "; ".join(
            f"{label(r.size)} = {r.size:,} articles, {r.corpus_mb:,.0f} MB JSON Lines, "
            f"{r.avg_words:,.0f} words each on average (sha256 {r.corpus_id})"
            for r in results
        )
        + ".",
        "",
        "Code measured: "
        + "; ".join(
            f"{label(r.size)} import at {r.import_revision} ({r.import_at}), "
            f"search at {r.search_revision}"
            for r in results
        )
        + ".",
        "",
        "**Import** (articles per second of wall time; wall and CPU seconds in brackets; each "
        f"into a fresh library; index writer {writer})",
        "",
        f"| Stage | {heads} | Target |",
        rule,
        row(
            "(a) Storage only: `Storage.add_articles`, batches of 250",
            speed(lambda r: r.storage_s, lambda r: r.storage_cpu),
        ),
        row(
            "(b) Index only: `SearchIndex.writer()`",
            speed(lambda r: r.index_s, lambda r: r.index_cpu),
        ),
        row(
            "(a) + (b) store and index",
            speed(lambda r: r.storage_s + r.index_s, lambda r: r.storage_cpu + r.index_cpu),
            f"≥ {TARGET_IMPORT:.0f}/s: {verdict(combined_ok)}",
        ),
        row(
            "(c) End to end: `Library.import_paths` on the JSON Lines",
            speed(lambda r: r.e2e_s, lambda r: r.e2e_cpu),
            f"≥ {TARGET_IMPORT:.0f}/s: {verdict(e2e_ok)}",
        ),
        row(
            "FTS5 reference: insert + optimize",
            speed(lambda r: r.fts_build_s, lambda r: r.fts_build_cpu),
        ),
        row(
            "On disk: SQLite / Whoosh (segments) / FTS5",
            [
                f"{r.db_mb:,.0f} / {r.index_mb:,.0f} ({r.index_segments}) / {r.fts_mb:,.0f} MB"
                for r in results
            ],
        ),
        "",
        "**Search**, the window's path (ms per query: `Library.search_all(limit="
        f"{LIMIT})`, the total, the id of every match in order and the first {LIMIT} hits "
        f"with snippets; FTS5: the top {LIMIT} with snippets and every rowid by rank; "
        f"{len(QUERIES)} queries × {repeats} warm runs each)",
        "",
        f"| | {heads} | Target |",
        rule,
    ]
    whoosh = {r.size: pooled(r.whoosh_ms) for r in results}
    fts = {r.size: pooled(r.fts_ms) for r in results}
    big_p95 = p95(whoosh[big.size])
    ratios = {
        r.size: statistics.median(whoosh[r.size]) / statistics.median(fts[r.size]) for r in results
    }
    lines += [
        row("Whoosh p50", [f"{statistics.median(whoosh[r.size]):.1f}" for r in results]),
        row(
            "Whoosh p95",
            [f"{p95(whoosh[r.size]):.1f}" for r in results],
            f"≤ {TARGET_P95_MS:.0f} at {label(big.size)}: {verdict(big_p95 <= TARGET_P95_MS)}",
        ),
        row("FTS5 p50", [f"{statistics.median(fts[r.size]):.1f}" for r in results]),
        row("FTS5 p95", [f"{p95(fts[r.size]):.1f}" for r in results]),
        row(
            "p50 Whoosh / FTS5",
            [f"{ratios[r.size]:.1f}×" for r in results],
            f"≤ {TARGET_RATIO:.0f}×: {verdict(all(v <= TARGET_RATIO for v in ratios.values()))}",
        ),
        "",
        f"**Per query at {label(big.size)}** (median ms; the match totals show that both engines "
        "answer the same question)",
        "",
        "| Kind | Newsreader query | FTS5 MATCH | Whoosh ms | FTS5 ms | Total Whoosh / FTS5 |",
        "|---|---|---|---|---|---|",
    ]
    same = all(w == f for w, f in big.totals.values())
    for query in QUERIES:
        fts_text = f"`{query.fts.match}`" + (
            f" and published in [{query.fts.start}, {query.fts.end})" if query.fts.start else ""
        )
        w_total, f_total = big.totals[query.text]
        lines.append(
            f"| {query.kind} | `{query.text}` | {fts_text} | "
            f"{statistics.median(big.whoosh_ms[query.text]):.1f} | "
            f"{statistics.median(big.fts_ms[query.text]):.1f} | {w_total:,} / {f_total:,} |"
        )
    worst = max(big.hostile_ms.values(), default=0.0)
    lines += [
        "",
        f"Totals equal FTS5's on every query: **{'yes' if same else 'NO'}**. Phrases are "
        "compared with an unstemmed FTS5 table (`unicode61`, no Porter), as our quoted "
        "phrases match the words as written.",
        "",
        f"**Hostile queries at {label(big.size)}** (slowest of two runs, ms; target ≤ "
        f"{TARGET_HOSTILE_MS:.0f} each: {verdict(worst <= TARGET_HOSTILE_MS)})",
        "",
        "| Kind | Query | ms | What the user is told |",
        "|---|---|---|---|",
    ]
    for kind, text in HOSTILE:
        shown = text if len(text) <= 60 else f"{text[:40]}… ({len(text):,} characters)"
        lines.append(
            f"| {kind} | `{shown}` | {big.hostile_ms[text]:.0f} | "
            f"{big.hostile_notes[text] or '—'} |"
        )
    lines += [
        "",
        f"**Memory at {label(big.size)}**: a fresh search process after the mix, the hostile "
        f"set and the 400 commonest words peaked at {big.memory_mb:.0f} MB "
        f"(postings cache {big.cache_mb:.0f} MB); target ≤ {TARGET_MEMORY_MB:.0f} MB: "
        f"{verdict(0 < big.memory_mb <= TARGET_MEMORY_MB)}.",
    ]
    return "\n".join(lines)


def machine_info() -> str:
    """What the numbers depend on, in one line for the README."""
    cpu = platform.processor() or platform.machine()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        if found:
            cpu = found.group(1).strip()
    except OSError:
        pass
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other work while measuring: "
        f"load average {load} at the end), Python {platform.python_version()}, "
        f"whoosh-reloaded {metadata.version('whoosh-reloaded')}, SQLite {sqlite3.sqlite_version}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def write_readme(body: str) -> None:
    """Replace our section of bench/README.md (other benchmarks own the other sections).

    A `### Findings` subsection at the end of ours is written by people, not by this script
    (what the numbers mean, what was changed because of them), so it is carried over.
    """
    section = f"{SECTION}\n\n{body.rstrip()}\n"
    if not README.exists():
        README.write_text(
            "# Benchmarks\n\n"
            "Speed and memory are measured here, by scripts, never by timed tests. Each section "
            "says how to run its benchmark and records the last numbers taken.\n\n" + section,
            encoding="utf-8",
        )
        return
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    found = pattern.search(text)
    if found:
        notes = re.search(rf"^{re.escape(FINDINGS)}\n.*", found[0], re.MULTILINE | re.DOTALL)
        if notes:
            section = f"{section.rstrip()}\n\n{notes[0].rstrip()}\n"
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    README.write_text(text, encoding="utf-8")


def readme_body(tables: str, sizes: Sequence[int], repeats: int) -> str:
    sizes_arg = " ".join(str(s) for s in sizes)
    return f"""\
`python -m bench.import_search --sizes {sizes_arg} --repeats {repeats} --write-readme` \
(`--help` for the options; `--profile` adds a cProfile of the search mix). It builds
deterministic corpora (seed {SEED}) by recombining paragraphs of `../shared/corpus/bbc-sample`
(`bench/corpus.py`), imports them into fresh libraries under `bench/data/` and compares search
against SQLite FTS5 (porter tokenizer, BM25 `rank`, `LIMIT {LIMIT}` with a snippet per hit,
and every matching rowid by rank, as the window lists every match; quoted phrases on a second,
unstemmed FTS5 table; on the same corpus in the same run; `bench/fts5.py`). It also times a set
of hostile queries and measures the memory of a fresh search process with its postings cache
full.

Measured on {machine_info()}. The machine was shared with other engineers' work, so absolute
numbers carry noise; the Whoosh/FTS5 ratio, taken in alternating runs, carries less.

{tables}
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_search",
        description="Import throughput (storage, index, end to end) and search latency p50/p95 "
        "against SQLite FTS5, on deterministic corpora built from ../shared/corpus/bbc-sample.",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        metavar="N",
        help="corpus sizes in articles (default: 10000 100000)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"corpus seed (default {SEED})")
    parser.add_argument(
        "--data-dir", type=Path, default=DATA_DIR, help="where corpora and libraries go"
    )
    parser.add_argument(
        "--writer-procs",
        type=int,
        metavar="N",
        help="index writer processes for this run (default: the library's own setting); "
        "N > 1 writes one segment per process",
    )
    parser.add_argument("--keep", action="store_true", help="keep the libraries afterwards")
    parser.add_argument(
        "--reuse-import",
        action="store_true",
        help="re-measure only search on libraries kept by an earlier --keep run (same corpus, "
        "no re-index needed), reusing that run's import numbers; implies --keep",
    )
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--end-to-end-only",
        action="store_true",
        help="import only end to end (c), skipping (a) and (b): a library to search, sooner",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="stop after the import (with --keep, to measure search later with --reuse-import)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the search mix at the largest size"
    )
    parser.add_argument(
        "--write-readme",
        action="store_true",
        help=f"replace the '{SECTION}' section of bench/README.md with the results",
    )
    args = parser.parse_args(argv)
    if any(s < 1 for s in args.sizes) or args.repeats < 1:
        parser.error("sizes and repeats must be positive")
    args.sizes = sorted(set(args.sizes))
    return args


def apply_writer_procs(procs: int | None) -> str:
    """Set the index writer's process count for this run; describe the settings measured.

    With more than one process, each writes its own segment (`multisegment`), the only
    multiprocessing mode in which Whoosh's commit does not fold everything back into one
    segment in the parent process, which would undo the gain.
    """
    settings = SearchIndex.default_settings
    if procs is not None and procs != settings.procs:
        settings = dataclasses.replace(settings, procs=procs, multisegment=procs > 1)
        SearchIndex.default_settings = settings
    return (
        f"procs={settings.procs}, limitmb={settings.limitmb}, "
        f"multisegment={settings.multisegment}, merge={settings.merge}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_probe is not None:
        return memory_probe(args.memory_probe)
    args.writer = apply_writer_procs(args.writer_procs)
    say(f"index writer: {args.writer}")
    results = [run_size(size, args) for size in args.sizes]
    if args.import_only:
        return 0
    tables = markdown(results, args.repeats, args.writer)
    print(tables)
    if args.write_readme:
        write_readme(readme_body(tables, args.sizes, args.repeats))
        say(f"recorded in {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
