"""Named-entity throughput: our pipeline against raw spaCy `nlp.pipe`, in the same run.

    python -m bench.ner_throughput                    # 2,000 articles, 1 and 2 processes
    python -m bench.ner_throughput --articles 500     # a quick smoke run
    python -m bench.ner_throughput --write-readme     # record the table in bench/README.md
    python -m bench.ner_throughput --baseline REV     # also the rule layers as at REV

Corpus: the deterministic scaled BBC corpus of `bench.corpus` (recombined paragraphs of
`../shared/corpus/bbc-sample`). Every article is fed as its title and each paragraph, which is
what the app recognises. Measured, each with 1 and with 2 processes:

* raw: `nlp.pipe` over those texts, the model alone (the `ner` component only, as we load it);
* raw, joined: the same with each article as one text, to see whether per-part docs cost;
* ours: `Library.extract_entities` on a library holding the corpus: reading from SQLite,
  recognition, the rule layers, canonical names, writing mentions in batched transactions and
  updating the search index (the library was imported and indexed before the clock starts,
  as the command line does; each recognised article's Whoosh document is then re-added with
  its entity fields), i.e. everything a user waits for until `person:` finds the names;
* ours without the search-index update: the same minus re-adding each article to Whoosh with
  its entity fields, which is the search index's cost, not recognition's;
* ours, model in its own process: with 1 process, `Library.extract_entities` with the model
  in a process of its own beside this one (`pipeline.APART`, `model_process`) instead of a
  thread of this one; since that is two processes' CPU, also raw `nlp.pipe` with 2 processes
  (the column "vs raw, 2 processes"; the row says "1 + model's" processes);
* with `--uncoalesced`, also `Library.extract_entities` with the index outbox left as the
  run's triggers wrote it (`store.coalesce_index_rows` switched off, as before it existed):
  an article is then re-added to the index once per outbox batch holding one of its rows;
* with `--serial`, for 1 process, also `Library.extract_entities` with the model in the calling
  thread (`pipeline.OVERLAP` off), as before `recognizer.entities_beside` ran it in a thread
  beside the rule layers: the same work, so the CPU seconds say what the thread costs;
* with `--spacy-workers`, for 2 processes and more, also `Library.extract_entities` with
  spaCy's own worker processes (`nlp.pipe(n_process=...)`, which send every Doc back whole)
  instead of ours (`recognizer._in_workers`, which send back only the entity offsets);
* with `--baseline REV`, also that run with `layers.py`, `headlines.py` and `canonical.py` as
  they were at git revision REV (`bench.ner_layers.load_baseline`), to measure a change to the
  rule layers before and after in the same run.

CPU seconds (this process's threads and its ended child processes, over the timed part of
the run whose wall time is the best) stand beside the wall time, so that work moved onto
another core shows as such. Runs alternate (raw, ours, raw, ours, ...) and each figure is the
best of `--repeat`, so that load from anything else on the machine falls on both alike.
Words are whitespace-separated.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import corpus, ner_layers
from bench.ner_eval import README, write_section
from newsreader.core.entities import model_process, pipeline, recognizer, store
from newsreader.core.library import Library
from newsreader.core.models import Article


@dataclass(slots=True)
class Result:
    name: str
    processes: int
    seconds: float


def _texts(articles: Sequence[Article]) -> list[str]:
    return [text for a in articles for text in pipeline.article_parts(a).values()]


def _cpu() -> float:
    """CPU seconds of this process (all its threads), of its children that have ended
    (spaCy's and our worker processes) and of the model's processes that ended
    (`model_process`, started by the fork server): work moved to another core is counted."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + model_process.ended_cpu_seconds


class _Timed:
    """The wall and CPU seconds of the timed part of the last run (not its import)."""

    def __init__(self) -> None:
        self.started = self.cpu_started = self.cpu = 0.0

    def start(self) -> None:
        self.started, self.cpu_started = time.perf_counter(), _cpu()

    def stop(self) -> float:
        self.cpu = _cpu() - self.cpu_started
        return time.perf_counter() - self.started


_timed = _Timed()


def raw_run(texts: Sequence[str], processes: int) -> float:
    nlp = recognizer.load()
    _timed.start()
    for _ in nlp.pipe(texts, batch_size=256, n_process=processes):
        pass
    return _timed.stop()


def ours_run(articles: Sequence[Article], processes: int, folder: Path) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    library = Library.open(folder)
    try:
        library.import_items(articles)
        _timed.start()
        done = library.extract_entities(n_process=processes)
        seconds = _timed.stop()
        assert done == len(articles), (done, len(articles))
        return seconds
    finally:
        library.close()
        shutil.rmtree(folder, ignore_errors=True)


def ours_without_index_run(articles: Sequence[Article], processes: int, folder: Path) -> float:
    """The same, without re-adding articles to the search index (the cost of Whoosh)."""
    shutil.rmtree(folder, ignore_errors=True)
    library = Library.open(folder)
    try:
        library.import_items(articles)
        _timed.start()
        done = pipeline.run(library.storage, n_process=processes)
        seconds = _timed.stop()
        assert done == len(articles), (done, len(articles))
        return seconds
    finally:
        library.close()
        shutil.rmtree(folder, ignore_errors=True)


def uncoalesced_run(articles: Sequence[Article], processes: int, folder: Path) -> float:
    """`ours_run` with every outbox row the run wrote kept (no `coalesce_index_rows`)."""
    saved = store.coalesce_index_rows
    store.coalesce_index_rows = lambda db: 0
    try:
        return ours_run(articles, processes, folder)
    finally:
        store.coalesce_index_rows = saved


def serial_run(articles: Sequence[Article], processes: int, folder: Path) -> float | None:
    """`ours_run` with the model in the calling thread (`pipeline.OVERLAP` off, as before)."""
    if processes != 1:
        return None
    saved = pipeline.OVERLAP
    pipeline.OVERLAP = False
    try:
        return ours_run(articles, processes, folder)
    finally:
        pipeline.OVERLAP = saved


def apart_run(articles: Sequence[Article], processes: int, folder: Path) -> float | None:
    """`ours_run` with the model in a process of its own beside this one (`pipeline.APART`
    on; `model_process`) instead of a thread of this process."""
    if processes != 1:
        return None
    saved = pipeline.APART
    pipeline.APART = True
    try:
        return ours_run(articles, processes, folder)
    finally:
        pipeline.APART = saved


def _spacy_workers(
    texts: Iterable[tuple[str, Any]], n_process: int, batch_size: int
) -> Generator[tuple[list[tuple[int, int, str]], Any], None, None]:
    """`recognizer.entities` for `n_process` > 1 as it was: spaCy's own worker processes."""
    docs = recognizer.load().pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size)
    try:
        for doc, context in docs:
            yield [(e.start_char, e.end_char, e.label_) for e in doc.ents], context
    finally:
        docs.close()


def spacy_workers_run(articles: Sequence[Article], processes: int, folder: Path) -> float | None:
    """`ours_run` with spaCy's worker processes; nothing to compare with one process."""
    if processes < 2:
        return None
    saved = recognizer._in_workers
    recognizer._in_workers = _spacy_workers
    try:
        return ours_run(articles, processes, folder)
    finally:
        recognizer._in_workers = saved


@contextmanager
def _modules(replacements: Mapping[str, ModuleType]) -> Iterator[None]:
    """`pipeline` using other `layers`/`headlines`/`canonical` modules for a while."""
    saved = {name: getattr(pipeline, name) for name in replacements}
    for name, module in replacements.items():
        setattr(pipeline, name, module)
    try:
        yield
    finally:
        for name, module in saved.items():
            setattr(pipeline, name, module)


def baseline_run(
    articles: Sequence[Article], processes: int, folder: Path, modules: Mapping[str, ModuleType]
) -> float:
    with _modules(modules):
        return ours_without_index_run(articles, processes, folder)


RAW_TWO = "raw nlp.pipe, one doc per part, 2 processes"
APART_ROW = "ours, model in its own process (pipeline.APART)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--baseline", help="also run the rule layers as at this git revision")
    parser.add_argument(
        "--uncoalesced", action="store_true", help="also run without coalescing the outbox"
    )
    parser.add_argument(
        "--spacy-workers", action="store_true", help="also run with spaCy's worker processes"
    )
    parser.add_argument(
        "--serial", action="store_true", help="also run with the model in the calling thread"
    )
    args = parser.parse_args(argv)

    articles = corpus.load_articles(corpus.ensure_jsonl(args.articles))
    texts = _texts(articles)
    joined = [" \n\n".join(pipeline.article_parts(a).values()) for a in articles]
    words = sum(len(t.split()) for t in texts)
    recognizer.load()
    scratch = Path(tempfile.mkdtemp(prefix="ner-bench-"))
    best: dict[tuple[str, int], float] = {}
    runs: list[tuple[str, Callable[[int], float | None]]] = [
        ("raw nlp.pipe, one doc per part", lambda p: raw_run(texts, p)),
        ("raw nlp.pipe, one doc per article", lambda p: raw_run(joined, p)),
        ("ours: Library.extract_entities", lambda p: ours_run(articles, p, scratch / "lib")),
        (APART_ROW, lambda p: apart_run(articles, p, scratch / "lib")),
        (
            "ours without the search-index update",
            lambda p: ours_without_index_run(articles, p, scratch / "lib"),
        ),
    ]
    if 2 not in args.processes:
        # The model in a process of its own beside this one (`pipeline.APART`) is two
        # processes' CPU, so raw with two processes is shown too.
        runs.insert(
            2,
            (RAW_TWO, lambda p: raw_run(texts, 2) if p == 1 else None),
        )
    if args.uncoalesced:
        runs.insert(
            3,
            (
                "ours, outbox not coalesced (as before)",
                lambda p: uncoalesced_run(articles, p, scratch / "lib"),
            ),
        )
    if args.serial:
        runs.insert(
            3,
            (
                "ours, model in the calling thread (as before)",
                lambda p: serial_run(articles, p, scratch / "lib"),
            ),
        )
    if args.spacy_workers:
        runs.insert(
            3,
            (
                "ours, spaCy's worker processes (as before)",
                lambda p: spacy_workers_run(articles, p, scratch / "lib"),
            ),
        )
    if args.baseline:
        modules = ner_layers.load_baseline(args.baseline)
        runs.append(
            (
                f"ours without the index update, layers at {args.baseline}",
                lambda p: baseline_run(articles, p, scratch / "lib", modules),
            )
        )
    cpu: dict[tuple[str, int], float] = {}
    try:
        for _ in range(args.repeat):
            for processes in args.processes:
                for name, run in runs:
                    seconds = run(processes)
                    if seconds is None:
                        continue
                    used = _timed.cpu
                    key = (name, processes)
                    if seconds < best.get(key, float("inf")):
                        best[key], cpu[key] = seconds, used
                    print(
                        f"  {name}, {processes} process(es): {seconds:.2f} s (CPU {used:.2f} s)",
                        file=sys.stderr,
                    )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    lines = [
        f"{len(articles):,} articles ({len(texts):,} texts: titles and paragraphs), "
        f"{words:,} words; {recognizer.model_id()}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; best of {args.repeat}.",
        "",
        "| run | processes | seconds | words/s | articles/s | vs raw (same processes)"
        " | vs raw, 2 processes | CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    raw_two = best.get((RAW_TWO, 1), best.get((runs[0][0], 2)))
    for processes in args.processes:
        raw_seconds = best[(runs[0][0], processes)]
        for name, _ in runs:
            if (name, processes) not in best:
                continue
            seconds = best[(name, processes)]
            shown = str(processes)
            if name == RAW_TWO:
                shown = "2"
            elif processes == 1 and name == APART_ROW:
                shown = "1 + model's"
            lines.append(
                f"| {name} | {shown} | {seconds:.2f} | {words / seconds:,.0f} "
                f"| {len(articles) / seconds:,.1f} | {raw_seconds / seconds:.2f} "
                f"| {'' if raw_two is None else f'{raw_two / seconds:.2f}'} "
                f"| {cpu[(name, processes)]:.2f} |"
            )
    report = "\n".join(lines)
    print(report)
    if args.write_readme:
        write_section(README, f"ner_throughput {args.articles}", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
