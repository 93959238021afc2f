"""Search with the entity fields in an index of their own (schema 5) against one index holding
everything (as before), and SQLite FTS5, on the same library in the same run.

    python -m bench.entity_search --size 100000 [--repeats 5] [--reuse]

Builds (or with `--reuse` reopens) a library of the deterministic scaled BBC corpus
(`bench.corpus`) under `bench/data/entity-search/`, gives every article entity names as
recognition would store them (the capitalised runs of its text that do not open a sentence,
typed person / org / place by a hash: names that occur in the text, as often as they do, at a
fraction of recognition's hours at 100k), then builds its search index both ways
(`SearchIndex(entities_apart=True)` and `entities_apart=False`, each `rebuild`) and an FTS5
table of the same articles (`bench/fts5.py`).

Timed: `SearchIndex.search_all(limit=20)` (the window's path: the total, every id in order,
the first 20 hits with snippets) for the text mix of `bench.import_search` and a mix of
queries naming entity fields (words, names as phrases, prefixes, with words, OR, NOT, a date
range), alternating the two indexes, warm, median of `--repeats` per query; FTS5 for the text
mix. Every match and the top-20 scores of the two indexes are compared (they must agree).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench import corpus
from bench.fts5 import Fts5Reference
from bench.import_search import QUERIES
from newsreader.core.library import Library
from newsreader.core.search import SearchIndex, WriterSettings

WORK = Path(__file__).resolve().parent / "data" / "entity-search"
LIMIT = 20
#: A capitalised run of words (a name, near enough) not at the start of a sentence.
_NAME = re.compile(r"(?<![.!?\"'] )(?<!^)\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}")
_KINDS = ("person", "org", "place")


@dataclass(frozen=True, slots=True)
class Row:
    kind: str
    text: str
    total_one: int
    total_apart: int
    same: bool
    one_ms: float
    apart_ms: float
    fts_ms: float | None


def _say(message: str) -> None:
    print(message, flush=True)


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(m[0] for m in _NAME.finditer(text)))[:15]


def add_names(library: Library) -> int:
    """Entity names for every article, written as recognition writes them; return how many
    article-entity links."""
    db = library.storage.db
    keys: dict[tuple[str, str], int] = {}
    links = 0
    with library.storage.transaction():
        for article in library.storage.iter_articles():
            assert article.id is not None
            for name in _names("\n".join([article.title, *article.paragraphs])):
                kind = _KINDS[zlib.crc32(name.encode()) % 3]
                entity_id = keys.get((kind, name))
                if entity_id is None:
                    cursor = db.execute(
                        "INSERT INTO entities (name, type, key) VALUES (?, ?, ?)"
                        " ON CONFLICT (type, key) DO UPDATE SET name = name RETURNING id",
                        (name, kind, name.lower()),
                    )
                    entity_id = keys[kind, name] = int(cursor.fetchone()[0])
                db.execute(
                    "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
                    (entity_id, article.id),
                )
                links += 1
    return links


def _top(library: Library, kind: str, words: int) -> str:
    row = library.storage.db.execute(
        "SELECT e.name FROM entities e JOIN entity_articles ea ON ea.entity_id = e.id"
        " WHERE e.type = ? AND length(e.name) - length(replace(e.name, ' ', '')) = ?"
        " GROUP BY e.id ORDER BY count(*) DESC LIMIT 1",
        (kind, words - 1),
    ).fetchone()
    return str(row[0])


def entity_queries(library: Library) -> list[tuple[str, str]]:
    person1 = _top(library, "person", 1).lower()
    person2 = _top(library, "person", 2)
    org1 = _top(library, "org", 1).lower()
    org2 = _top(library, "org", 2)
    place1 = _top(library, "place", 1).lower()
    return [
        ("name", f"person:{person1}"),
        ("name", f"org:{org1}"),
        ("name phrase", f'person:"{person2}"'),
        ("name phrase", f'entity:"{org2}"'),
        ("name prefix", f"entity:{person2.split()[0][:4].lower()}*"),
        ("name + word", f"place:{place1} oil"),
        ("name + word", f"org:{org1} government"),
        ("name OR name", f'person:{person1} OR org:"{org2}"'),
        ("NOT name", f"bank -place:{place1}"),
        ("name + date", f"entity:{place1} published:[2021-01-01 TO 2021-12-31]"),
        ("name group", f'(person:"{person2}" OR org:{org1}) AND economy'),
    ]


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm: postings cached as in a typing session
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="reuse the built library")
    args = parser.parse_args(argv)
    corpus.require_bbc()
    _say(f"load average at start: {_load()}")
    folder = WORK / f"lib-{args.size}"
    split_dir, single_dir = WORK / f"split-{args.size}", WORK / f"single-{args.size}"
    fts_path = WORK / f"fts5-{args.size}.sqlite3"
    fresh = not (args.reuse and folder.exists())
    library = Library.open(folder, update_index=False, daily_backup=False)
    if fresh:
        path = corpus.ensure_jsonl(args.size)
        started = time.perf_counter()
        library.import_paths([path], index=False)
        _say(f"listed {library.storage.count():,} in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        links = add_names(library)
        _say(f"{links:,} article-entity links in {time.perf_counter() - started:.0f} s")
        SearchIndex.default_settings = WriterSettings(procs=2, multisegment=True, limitmb=256)
        for directory, kept_apart in ((split_dir, True), (single_dir, False)):
            started = time.perf_counter()
            SearchIndex(directory, entities_apart=kept_apart).rebuild(library.storage)
            _say(f"rebuilt {directory.name} in {time.perf_counter() - started:.0f} s")
    fts = Fts5Reference(fts_path)  # built afresh each run (it cannot be reopened)
    fts.build(corpus.load_articles(corpus.ensure_jsonl(args.size)))
    split = SearchIndex(split_dir)
    single = SearchIndex(single_dir, entities_apart=False)
    mix = [(q.kind, q.text) for q in QUERIES] + entity_queries(library)
    fts_queries = {q.text: q.fts for q in QUERIES}
    rows: list[Row] = []
    for kind, text in mix:
        a = single.search_all(text, limit=LIMIT)
        b = split.search_all(text, limit=LIMIT)
        # Every match the same, and the top scores (ties among equal articles of the scaled
        # corpus are broken by document number, which two rebuilds number differently).
        same = (
            a.total == b.total
            and sorted(a.ids) == sorted(b.ids)
            and all(
                abs(x.score - y.score) <= 1e-9 * max(1.0, abs(x.score))
                for x, y in zip(a.hits, b.hits, strict=True)
            )
        )
        single_ms = _median_ms(partial(single.search_all, text, limit=LIMIT), args.repeats)
        split_ms = _median_ms(partial(split.search_all, text, limit=LIMIT), args.repeats)
        fts_ms = None
        if text in fts_queries:
            fts_ms = _median_ms(
                partial(fts.search_all, fts_queries[text], limit=LIMIT), args.repeats
            )
        rows.append(Row(kind, text, a.total, b.total, same, single_ms, split_ms, fts_ms))
        _say(f"  {text!r}: {a.total:,} / {b.total:,} same={same} {single_ms:.1f} {split_ms:.1f}")
    _say(f"load average at end: {_load()}")
    print()
    print(
        "| Kind | Query | Total (one index / apart) | Same top 20 | One index ms | Apart ms"
        " | FTS5 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        fts_cell = f"{r.fts_ms:.1f}" if r.fts_ms is not None else "—"
        print(
            f"| {r.kind} | `{r.text}` | {r.total_one:,} / {r.total_apart:,}"
            f" | {'yes' if r.same else '**no**'} | {r.one_ms:.1f} | {r.apart_ms:.1f} | {fts_cell} |"
        )
    print()
    for label, subset in (
        ("text mix", [r for r in rows if r.fts_ms is not None]),
        ("entity mix", [r for r in rows if r.fts_ms is None]),
        ("all", rows),
    ):
        one = [r.one_ms for r in subset]
        apart = [r.apart_ms for r in subset]
        line = (
            f"{label}: one index p50 {_pct(one, 0.5):.1f} p95 {_pct(one, 0.95):.1f};"
            f" apart p50 {_pct(apart, 0.5):.1f} p95 {_pct(apart, 0.95):.1f};"
            f" apart/one p50 {_pct(apart, 0.5) / _pct(one, 0.5):.2f}"
        )
        ftss = [r.fts_ms for r in subset if r.fts_ms is not None]
        if ftss:
            line += f"; FTS5 p50 {_pct(ftss, 0.5):.1f}, apart/FTS5 p50 "
            line += f"{_pct(apart, 0.5) / _pct(ftss, 0.5):.2f}"
        print(line)
    for index in (split, single):
        index.close()
    fts.close()
    library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
