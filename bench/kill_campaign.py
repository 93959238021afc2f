"""Kill -9 campaign: interrupt imports, recognition and delete/undo at random points, then
check that the library reopens consistent with nothing lost.

    python -m bench.kill_campaign --runs 30 [--seed 8] [--no-entities] [--work bench/data/kill]

Each run starts a child process on one library (the same library across runs, so every run
also resumes what the previous kill left) doing one of:

- ``import``: `newsreader import` of a fresh JSON Lines file (some articles new, some
  already in the library), with or without entity recognition;
- ``entities``: `newsreader entities --rebuild` (recognition over every article);
- ``undo``: delete a few articles, let the index follow, undo the delete (a child script that
  logs each step it has committed);

and sends it SIGKILL after a random delay. The checker then opens the library (which applies
what the outbox still holds) and checks:

- `PRAGMA integrity_check` is ok, and no mention, link or status row points at a missing
  article;
- the outbox is empty and the index holds exactly the library's article ids, once each;
- every article the library had before the run is still there, unless the run logged its
  delete and not its undo (then it is gone, as the user left it) — and an undo that logged
  its commit brought back the article's mentions;
- `person:"…"` finds exactly the articles SQLite links to that person (for the most mentioned
  person), and every imported article is found by a word only it contains.

It exits 1 on the first inconsistency, printing what differed. The module's functions are
also used by `tests/test_kill_campaign.py` for a few quick runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample" / "seed-news.txt"

_UNDO_CHILD = r"""
import json, random, sys
from newsreader.core.library import Library
folder, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(log_path, "a", encoding="utf-8") as log, Library.open(folder, update_index=False) as lib:
    ids = lib.ids()
    chosen = random.Random(seed).sample(ids, min(3, len(ids)))
    removed = lib.delete(chosen)
    log.write(json.dumps({"deleted": [a.id for a in removed]}) + "\n"); log.flush()
    lib.update_index()
    log.write(json.dumps({"indexed": True}) + "\n"); log.flush()
    lib.restore(removed)
    log.write(json.dumps({"restored": [a.id for a in removed]}) + "\n"); log.flush()
    lib.update_index()
    log.write(json.dumps({"done": True}) + "\n"); log.flush()
"""


@dataclass
class Campaign:
    """One library and the corpus its runs import from."""

    work: Path
    rng: random.Random
    entities: bool = True
    #: Overrides every kind's range of kill delays (seconds), e.g. for a quick test.
    delays: tuple[float, float] | None = None
    #: New articles per import run (plus a sixth as many repeats).
    articles: int = 600
    imported_words: dict[str, int] = field(default_factory=dict)

    @property
    def library(self) -> Path:
        return self.work / "library"

    def env(self) -> dict[str, str]:
        home = self.work / "home"
        return {
            **os.environ,
            "NEWSREADER_HOME": str(home),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "share"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "PYTHONUNBUFFERED": "1",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "newsreader", "-q", "--library", str(self.library), *args]

    def corpus(self, run: int) -> Path:
        """A JSON Lines file: 600 new articles (each with a word of its own) and 100 repeats
        of the previous run's (three batches, so a kill can fall between two commits)."""
        paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").splitlines() if len(p) > 80]
        lines = []
        new = self.articles
        for n in range(new + new // 6):
            k = n if n < new else self.rng.randrange(0, new)
            source_run = run if n < new else max(0, run - 1)
            marker = f"zq{source_run}x{k}"
            chosen = random.Random(source_run * 1000 + k).sample(paragraphs, 4)
            lines.append(
                json.dumps(
                    {
                        "title": f"Dispatch {source_run}-{k} on {chosen[0].split()[0]}",
                        "text": "\n\n".join([*chosen, f"Reference {marker}."]),
                    }
                )
            )
        path = self.work / f"corpus-{run}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _kill_after(process: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL the child after `delay` seconds; False if it had already finished."""
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def run_once(campaign: Campaign, run: int, kind: str) -> tuple[str, bool, dict[str, Any]]:
    """Start one child of `kind`, kill it at a random point; return what it logged."""
    rng = campaign.rng
    env = campaign.env()
    log_path = campaign.work / f"undo-{run}.log"
    if kind == "import":
        path = campaign.corpus(run)
        args = ["import", str(path)]
        if not campaign.entities or rng.random() < 0.5:
            args.insert(1, "--no-entities")
        command = campaign.command(*args)
        delay = rng.uniform(1.0, 8.0)
    elif kind == "entities":
        command = campaign.command("entities", "--rebuild")
        delay = rng.uniform(4.0, 30.0)
    else:
        command = [
            sys.executable,
            "-c",
            _UNDO_CHILD,
            str(campaign.library),
            str(log_path),
            str(run),
        ]
        delay = rng.uniform(0.2, 3.0)
    if campaign.delays is not None:
        delay = rng.uniform(*campaign.delays)
    err_path = campaign.work / f"run-{run}.err"
    with err_path.open("wb") as err:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        killed = _kill_after(process, delay)
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if not killed and process.returncode != 0:
        raise SystemExit(f"run {run} ({kind}) failed on its own:\n{stderr}")
    log: dict[str, Any] = {}
    if log_path.exists():
        for line in log_path.read_text(encoding="utf-8").splitlines():
            log.update(json.loads(line))
    return kind, killed, log


def outbox_left(folder: Path) -> int:
    """Outbox rows a kill left (changes committed in SQLite, not yet in the index)."""
    db = sqlite3.connect(folder / "library.sqlite3")
    try:
        return int(db.execute("SELECT count(*) FROM index_outbox").fetchone()[0])
    finally:
        db.close()


def snapshot(folder: Path) -> dict[int, int]:
    """Article id → number of mentions, straight from SQLite (no Newsreader code)."""
    db = sqlite3.connect(folder / "library.sqlite3")
    try:
        rows = db.execute(
            "SELECT a.id, (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)"
            " FROM articles a"
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}
    finally:
        db.close()


def check(campaign: Campaign, before: dict[int, int], log: dict[str, Any]) -> list[str]:
    """Open the library as a user would and list every inconsistency found."""
    from newsreader.core.library import Library

    problems: list[str] = []
    with Library.open(campaign.library) as library:
        db = library.storage.db
        if (ok := db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"integrity_check: {ok}")
        for table in ("mentions", "entity_articles", "ner_status"):
            orphans = db.execute(
                f"SELECT count(*) FROM {table} t LEFT JOIN articles a ON a.id = t.article_id"
                " WHERE a.id IS NULL"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{orphans} {table} rows of missing articles")
        if library.index_pending():
            problems.append(f"outbox not empty after open: {library.index_pending()}")
        ids = set(library.ids())
        from whoosh import index as whoosh_index

        reader = whoosh_index.open_dir(str(library.index.directory)).reader()
        try:
            column = reader.column_reader("id")
            indexed = [int(column[d]) for d in reader.all_doc_ids()]
        finally:
            reader.close()
        if len(indexed) != len(set(indexed)):
            problems.append(f"duplicate documents: {len(indexed) - len(set(indexed))}")
        if set(indexed) != ids:
            problems.append(
                f"index and library differ: {len(set(indexed) - ids)} extra,"
                f" {len(ids - set(indexed))} missing"
            )
        deleted: set[int] = set(log.get("deleted", [])) if "restored" not in log else set()
        lost = set(before) - ids - deleted
        if lost:
            problems.append(f"articles lost: {sorted(lost)[:10]}")
        if "restored" in log:
            for article_id in log["restored"]:
                now = len(library.mentions(article_id))
                if now != before.get(article_id, 0):
                    problems.append(
                        f"undo of {article_id}: {now} mentions, {before.get(article_id)} before"
                    )
        top = db.execute(
            "SELECT e.name, count(*) n FROM entities e JOIN entity_articles ea"
            " ON ea.entity_id = e.id WHERE e.type = 'person' GROUP BY e.id ORDER BY n DESC"
            " LIMIT 1"
        ).fetchone()
        if top is not None:
            expected = {
                int(r[0])
                for r in db.execute(
                    "SELECT ea.article_id FROM entity_articles ea JOIN entities e"
                    " ON e.id = ea.entity_id WHERE e.type = 'person' AND e.name = ?",
                    (top[0],),
                )
            }
            found = set(library.search_ids(f'person:"{top[0]}"'))
            if not expected <= found:
                problems.append(
                    f'person:"{top[0]}" misses {len(expected - found)} of {len(expected)}'
                )
        for marker in db.execute(
            "SELECT id, paragraphs FROM articles WHERE paragraphs LIKE '%Reference zq%'"
            " ORDER BY random() LIMIT 20"
        ).fetchall():
            word = json.loads(marker[1])[-1].split()[-1].rstrip(".")
            if int(marker[0]) not in library.search_ids(word):
                problems.append(f"article {marker[0]} not found by its word {word}")
    return problems


def campaign(
    work: Path,
    runs: int,
    seed: int,
    entities: bool,
    say: bool = True,
    delays: tuple[float, float] | None = None,
    kinds: Sequence[str] | None = None,
    articles: int = 600,
) -> int:
    """Run the campaign; return the number of runs in which the child was killed."""
    work.mkdir(parents=True, exist_ok=True)
    plan = Campaign(work, random.Random(seed), entities=entities, delays=delays, articles=articles)
    setup = subprocess.run(
        plan.command("import", "--no-entities", str(plan.corpus(0))),
        env=plan.env(),
        capture_output=True,
        text=True,
    )
    if setup.returncode != 0:
        raise SystemExit(f"setup import failed:\n{setup.stderr}")
    kinds = list(kinds or ["import", "undo"] + (["entities"] if entities else []))
    killed_runs = 0
    for run in range(1, runs + 1):
        kind = plan.rng.choice(kinds)
        before = snapshot(plan.library)
        started = time.monotonic()
        kind, killed, log = run_once(plan, run, kind)
        killed_runs += killed
        left = outbox_left(plan.library)
        problems = check(plan, before, log)
        if say:
            state = "killed" if killed else "finished"
            print(
                f"run {run:>3} {kind:<8} {state:<8} {time.monotonic() - started:5.1f} s "
                f"{len(snapshot(plan.library)):>5} articles, {left:>4} left in the outbox  "
                + ("OK" if not problems else "FAILED"),
                flush=True,
            )
        if problems:
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            raise SystemExit(1)
    return killed_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data" / "kill")
    parser.add_argument(
        "--no-entities", action="store_true", help="skip recognition runs (no spaCy model)"
    )
    args = parser.parse_args()
    if args.work.exists():
        import shutil

        shutil.rmtree(args.work)
    killed = campaign(args.work, args.runs, args.seed, not args.no_entities)
    print(f"{args.runs} runs, {killed} killed mid-work, every one consistent after reopen")


if __name__ == "__main__":
    main()
