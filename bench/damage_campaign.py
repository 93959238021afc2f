"""Kill -9 during import, and every kind of database damage: does the library stay whole?

    python -m bench.damage_campaign [--kills 34] [--articles 1500] [--write-readme]

Two campaigns on libraries the script builds itself (generated articles, `bench/data/damage/`):

1. **Kills.** A library of `BASE` articles imports a JSON Lines file of `--articles` more in a
   subprocess (`newsreader import`, as a user runs it), killed with SIGKILL at a random point:
   once a random share of the import is committed (seen by a reader beside it, as the window
   would), a random 0-0.5 s later, mid-batch. A run is *consistent* when, afterwards: the
   database passes `PRAGMA integrity_check`; the library opens; every article it had before is
   there unchanged (text and read/starred marks); every imported article present is complete
   (paragraphs equal to a clean import's); the search index holds exactly the database's ids
   after opening; and running the same import again completes the library (no duplicates,
   nothing missing).
2. **Damage.** Each case of issue 10 (garbage over the first pages, over a page of article rows
   further in, over an index page; a file cut in half; a 0-byte and a missing database; an
   index that no longer matches its table) is applied to a copy of a sound library. A case is
   *handled* when every command tried (`list`, `stats`, `show`, `export`, `entities`,
   `search`) answers with exit code 4 and one line naming the file (no traceback), and the way
   out the message offers (`repair`, or `restore` when there is a backup) gives back a library
   that passes `integrity_check`, opens, and holds every article (none lost).

Prints how many runs of each ended consistent, and with `--write-readme` puts the table in
`bench/README.md` (section "Damage and kill campaign").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsreader.core import backup, integrity, paths  # noqa: E402
from newsreader.core.library import Library  # noqa: E402
from newsreader.core.models import Article  # noqa: E402
from newsreader.core.storage import Storage  # noqa: E402

DATA = ROOT / "bench" / "data" / "damage"
BASE = 300
EXIT_DAMAGED = 4
_TEXT = (
    "the minister said talks on energy prices would resume after the council met while police "
    "reported protests near the market and analysts expected a deal between the two sides on "
    "grain exports shipping insurance and the reopening of ports in the south of the country"
)
_WORDS = _TEXT.split()


def _articles(count: int, seed: int, prefix: str) -> list[Article]:
    rng = random.Random(seed)
    return [
        Article(
            title=f"{prefix} {n}: " + " ".join(rng.choices(_WORDS, k=6)),
            paragraphs=tuple(
                " ".join(rng.choices(_WORDS, k=rng.randint(25, 120))).capitalize() + "."
                for _ in range(rng.randint(2, 7))
            ),
            byline="By A. Writer",
            source="campaign",
            url=f"https://example.com/{prefix}/{n}",
        )
        for n in range(count)
    ]


def _write_jsonl(path: Path, articles: list[Article]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            record = {"title": article.title, "body": "\n\n".join(article.paragraphs)}
            handle.write(json.dumps(record) + "\n")


def _cli(*argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "-q", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def _fingerprint(lib: Library) -> dict[str, tuple[tuple[str, ...], bool, bool]]:
    return {a.title: (a.paragraphs, a.read, a.starred) for a in lib.storage.iter_articles()}


def _integrity_ok(db_path: Path) -> bool:
    db = sqlite3.connect(db_path)
    try:
        return db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


def _index_matches(lib: Library) -> bool:
    return lib.index._indexed_ids() == set(lib.ids(sort="imported")) and (
        lib.index.doc_count() == lib.count()
    )


@dataclass
class Setup:
    base: Path
    corpus: Path
    base_state: dict[str, tuple[tuple[str, ...], bool, bool]]
    reference: dict[str, tuple[tuple[str, ...], bool, bool]]
    import_seconds: float

    @property
    def reference_new(self) -> set[str]:
        return set(self.reference) - set(self.base_state)


def prepare(articles: int) -> Setup:
    """The base library, the file to import, and what a clean import of it stores."""
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    base = DATA / "base"
    with Library.open(base) as lib:
        lib.import_items(_articles(BASE, 1, "Base"))
        lib.set_starred(list(range(1, 21)))
        lib.set_read(list(range(21, 61)))
        base_state = _fingerprint(lib)
    shutil.rmtree(base / backup.BACKUP_DIRNAME, ignore_errors=True)
    corpus = DATA / "import.jsonl"
    _write_jsonl(corpus, _articles(articles, 2, "Imported"))
    clean = DATA / "clean"
    shutil.copytree(base, clean)
    started = time.perf_counter()
    done = _cli("--library", str(clean), "import", "--no-entities", str(corpus))
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"clean import failed: {done.stderr}")
    with Library.open(clean) as lib:
        reference = _fingerprint(lib)
    shutil.rmtree(clean)
    return Setup(base, corpus, base_state, reference, seconds)


# -- kills -----------------------------------------------------------------------------------


def measure_backup(articles: int, repeats: int = 5) -> dict[str, float]:
    """Best-of-N seconds for a backup (online API copy + quick_check of the copy), the
    open-time quick check, and a plain file copy with fsync of the same database (the
    yardstick), on a library of `articles` generated articles (stored without an index)."""
    folder = DATA / "timing"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db_path = folder / paths.DB_FILENAME
    storage = Storage(db_path)
    for start in range(0, articles, 2000):
        storage.add_articles(_articles(min(2000, articles - start), 100 + start, f"T{start}"))
    times: dict[str, list[float]] = {"backup": [], "quick check": [], "file copy": []}
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            made = backup.take(storage.db, folder, "manual")
            times["backup"].append(time.perf_counter() - started)
            made.path.unlink()
            started = time.perf_counter()
            integrity.quick_check(storage.db, seconds=None)
            times["quick check"].append(time.perf_counter() - started)
            started = time.perf_counter()
            shutil.copyfile(db_path, folder / "copy.sqlite3")
            fd = os.open(folder / "copy.sqlite3", os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
            times["file copy"].append(time.perf_counter() - started)
    finally:
        storage.close()
    best = {name: min(values) for name, values in times.items()}
    best["size MB"] = db_path.stat().st_size / 1e6
    best["articles"] = articles
    shutil.rmtree(folder, ignore_errors=True)
    return best


def _wait_for_count(db_path: Path, target: int, process: subprocess.Popen[bytes]) -> None:
    """Until the database holds `target` articles (as a reader beside the import sees them)."""
    while process.poll() is None:
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.1)
            try:
                count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error:
            count = 0
        if count >= target:
            return
        time.sleep(0.02)


def kill_run(setup: Setup, run: int, rng: random.Random) -> tuple[bool, str, int]:
    folder = DATA / f"kill-{run}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(setup.base, folder)
    # Where to kill: after a random share of the import is committed, then a random moment
    # into the next batch. Timing by the clock alone would depend on the machine's load
    # (most kills landed before the first or after the last batch when it was busy).
    target = BASE + int(rng.uniform(0.0, 0.95) * len(setup.reference_new))
    extra = rng.uniform(0.0, 0.5)
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsreader",
            "-q",
            "--library",
            str(folder),
            "import",
            "--no-entities",
            str(setup.corpus),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _wait_for_count(folder / paths.DB_FILENAME, target, process)
    time.sleep(extra)
    delay = time.perf_counter() - started
    finished = process.poll() is not None
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    db_path = folder / paths.DB_FILENAME
    problems = []
    if not _integrity_ok(db_path):
        problems.append("integrity_check failed after the kill")
    try:
        with Library.open(folder) as lib:
            state = _fingerprint(lib)
            for title, before in setup.base_state.items():
                if state.get(title) != before:
                    problems.append(f"base article changed or lost: {title}")
                    break
            for title, stored in state.items():
                if title not in setup.base_state and setup.reference.get(title) != stored:
                    problems.append(f"imported article incomplete: {title}")
                    break
            if not _index_matches(lib):
                problems.append("index and database disagree after opening")
            kept = len(state) - len(setup.base_state)
        done = _cli("--library", str(folder), "import", "--no-entities", str(setup.corpus))
        if done.returncode != 0:
            problems.append(f"re-import failed: {done.stderr.strip()[:200]}")
        with Library.open(folder) as lib:
            if _fingerprint(lib) != setup.reference:
                problems.append("re-import did not complete the library exactly")
            if not _index_matches(lib):
                problems.append("index and database disagree after re-import")
    except Exception as exc:  # any failure to open or read is an inconsistency
        problems.append(f"{type(exc).__name__}: {exc}")
        kept = -1
    shutil.rmtree(folder, ignore_errors=True)
    when = "after it finished" if finished else f"at {delay:.1f}s"
    return (
        not problems,
        f"kill {when}: {kept} of the import kept; " + ("; ".join(problems) or "consistent"),
        kept,
    )


# -- damage ----------------------------------------------------------------------------------


def _pages(db_path: Path, name: str, pagetype: str) -> list[int]:
    db = sqlite3.connect(db_path)
    try:
        return [
            row[0]
            for row in db.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
                (name, pagetype),
            )
        ]
    finally:
        db.close()


def _garble(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(offset).randbytes(length))


def _first_pages(db: Path) -> None:
    _garble(db, 0, 3 * 4096)


def _article_page(db: Path) -> None:
    leaves = _pages(db, "articles", "leaf")
    _garble(db, (leaves[len(leaves) // 2] - 1) * 4096, 4096)


def _index_page(db: Path) -> None:
    leaves = _pages(db, "articles_imported", "leaf")
    _garble(db, (leaves[len(leaves) // 2] - 1) * 4096, 4096)


def _cut_in_half(db: Path) -> None:
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _missing(db: Path) -> None:
    db.unlink()


def _index_mismatch(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX articles_source ON articles (title)'"
        " WHERE name = 'articles_source'"
    )
    conn.commit()
    conn.close()


CASES: dict[str, Callable[[Path], None]] = {
    "garbage over the first pages": _first_pages,
    "garbage over a page of articles further in": _article_page,
    "garbage over an index page": _index_page,
    "file cut in half": _cut_in_half,
    "0-byte database beside the index": _empty,
    "database missing beside the index": _missing,
}
COMMANDS = [
    ["list"],
    ["stats"],
    ["show", "5"],
    ["export", "5", "-o", "-"],
    ["entities"],
    ["search", "minister"],
]


def damage_run(setup: Setup, name: str, with_backup: bool) -> tuple[bool, str]:
    folder = DATA / "damage"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(setup.base, folder)
    if with_backup:
        with Library.open(folder) as lib:
            lib.backup()
    db_path = folder / paths.DB_FILENAME
    CASES[name](db_path)
    problems = []
    for command in COMMANDS:
        done = _cli("--library", str(folder), *command)
        err = done.stderr
        if done.returncode != EXIT_DAMAGED or "Traceback" in err or err.count("\n") != 1:
            problems.append(f"`{command[0]}` answered {done.returncode}: {err.strip()[:160]!r}")
        elif str(db_path) not in err:
            problems.append(f"`{command[0]}` did not name the file")
    way = "restore" if with_backup else "repair"
    done = _cli("--library", str(folder), way)
    if done.returncode != 0:
        problems.append(f"{way} failed: {done.stderr.strip()[:200]}")
    elif not _integrity_ok(db_path):
        problems.append(f"integrity_check failed after {way}")
    else:
        with Library.open(folder) as lib:
            titles = set(_fingerprint(lib))
            lost = len(set(setup.base_state) - titles)
            if lost:
                problems.append(f"{lost} articles lost")
            if not _index_matches(lib):
                problems.append("index and database disagree")
    shutil.rmtree(folder, ignore_errors=True)
    return not problems, "; ".join(problems) or f"clear message, {way} lost nothing"


def full_check_case(setup: Setup) -> tuple[bool, str]:
    """Damage only the full check sees: the window's background check must report it."""
    folder = DATA / "damage"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(setup.base, folder)
    _index_mismatch(folder / paths.DB_FILENAME)
    with Library.open(folder, daily_backup=False) as lib:
        message = lib.check_health()
    ok = message is not None and "is damaged" in message
    if ok:
        done = _cli("--library", str(folder), "repair")
        ok = done.returncode == 0 and _integrity_ok(folder / paths.DB_FILENAME)
    shutil.rmtree(folder, ignore_errors=True)
    return ok, "background full check reported it; repair fixed it" if ok else "not reported"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=34)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--timing-articles", type=int, default=20_000, help="library size for the cost table"
    )
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    setup = prepare(args.articles)
    print(f"clean import of {args.articles} articles: {setup.import_seconds:.1f}s", flush=True)
    rng = random.Random(args.seed)
    kills = []
    kept: list[int] = []
    for run in range(args.kills):
        ok, detail, count = kill_run(setup, run, rng)
        kills.append(ok)
        kept.append(count)
        print(f"  kill {run + 1:>2}: {'ok ' if ok else 'BAD'} {detail}", flush=True)
    damage: list[tuple[str, bool, str]] = []
    for name in CASES:
        for with_backup in (False, True):
            label = f"{name} ({'backup' if with_backup else 'no backup'})"
            ok, detail = damage_run(setup, name, with_backup)
            damage.append((label, ok, detail))
            print(f"  {label}: {'ok ' if ok else 'BAD'} {detail}", flush=True)
    ok, detail = full_check_case(setup)
    damage.append(("index that no longer matches its table", ok, detail))
    print(f"  index mismatch: {'ok ' if ok else 'BAD'} {detail}", flush=True)
    timing = measure_backup(args.timing_articles)
    print("  " + ", ".join(f"{k} {v:.3f}" for k, v in timing.items()), flush=True)
    elapsed = time.perf_counter() - started
    mid = sum(1 for n in kept if 0 < n < args.articles)
    summary = (
        f"kill -9 during import: {sum(kills)} of {len(kills)} runs consistent\n"
        f"damage cases: {sum(ok for _, ok, _ in damage)} of {len(damage)} handled"
    )
    print(summary)
    print(f"({elapsed:.0f}s)")
    if args.write_readme:
        _write_readme(args, setup, kills, mid, damage, timing, elapsed)
    shutil.rmtree(DATA, ignore_errors=True)
    return 0 if all(kills) and all(ok for _, ok, _ in damage) else 1


def _write_readme(
    args: argparse.Namespace,
    setup: Setup,
    kills: list[bool],
    mid: int,
    damage: list[tuple[str, bool, str]],
    timing: dict[str, float],
    elapsed: float,
) -> None:
    load = os.getloadavg()[0]
    lines = [
        "## Damage and kill campaign",
        "",
        "`python -m bench.damage_campaign [--kills 34] [--articles 1500] [--write-readme]`"
        " (`bench/damage_campaign.py`; its docstring says what counts as consistent).",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on this shared 2-CPU machine (load average"
        f" {load:.1f}); a library of {BASE} articles importing {args.articles} more"
        f" (clean import {setup.import_seconds:.1f} s), {elapsed / 60:.0f} minutes in all.",
        "",
        "| campaign | consistent |",
        "| --- | --- |",
        f"| kill -9 at a random moment of `newsreader import` ({mid} mid-import, the rest"
        f" before the first or after the last batch) | {sum(kills)} of {len(kills)} |",
    ]
    for label, ok, detail in damage:
        lines.append(f"| {label} | {'yes' if ok else 'NO'}: {detail} |")
    copy = timing["file copy"]
    lines += [
        "",
        f"What the safety costs, on a {timing['size MB']:.0f} MB database of"
        f" {timing['articles']:,.0f} generated articles (best of 5, against a plain file copy"
        " with fsync of the same file in the same run):",
        "",
        "| step | seconds | × file copy |",
        "| --- | --- | --- |",
        f"| backup (online API + quick_check of the copy) | {timing['backup']:.3f}"
        f" | {timing['backup'] / copy:.1f} |",
        f"| quick_check, unbounded (open stops it at {integrity.QUICK_CHECK_SECONDS} s)"
        f" | {timing['quick check']:.3f}"
        f" | {timing['quick check'] / copy:.1f} |",
        f"| file copy | {copy:.3f} | 1.0 |",
    ]
    section = "\n".join(lines) + "\n"
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.find("## Damage and kill campaign")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
