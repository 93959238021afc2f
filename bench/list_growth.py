"""One growth of the window's list during an import, both ways, side by side in one run.

    python -m bench.list_growth [--library DIR] [--batch 2000] [--rounds 15]

The window grows its list about once a second while an import stores articles. Before
s6-8list it listed the whole view again (`listing.view_listing`) and worked out the inserted
runs against the old list (`article_model.prepare_growth`), in a window thread that held the
interpreter lock while the reading pane built. Now it asks the library only for the articles
stored since the last growth and merges them by their sort keys (`ui/live_list.py`). This
takes a library (by default the one `bench/gui_during_import.py` leaves after a 100k import),
pretends its newest `--batch` articles are the ones the last second stored, and times one
growth each way on the same data (wall and CPU of the thread), checking that both give the
same list. Alternating rounds, medians reported.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import DATA_DIR  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, default=DATA_DIR / "gui-during-5000")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)

    from newsreader.core.library import Library
    from newsreader.ui.article_model import prepare_growth
    from newsreader.ui.listing import view_listing
    from newsreader.ui.live_list import LiveList
    from newsreader.ui.sidebar import ALL

    with tempfile.TemporaryDirectory(prefix="nr-growth-") as tmp:
        folder = Path(tmp) / "lib"
        shutil.copytree(args.library, folder)  # never changes the benchmark's library
        library = Library.open(folder, update_index=False)
        full = LiveList.read(library, ALL, "published", True)
        cut = full.last_id - args.batch
        kept = [(i, k) for i, k in zip(full.ids, full.keys, strict=True) if i <= cut]
        newest = library.keyed_ids(after=cut)
        base = replace(
            full,
            ids=[i for i, _ in kept],
            keys=[k for _, k in kept],
            last_id=cut,
            total=newest.total - len(newest.ids),
            last_stamp=newest.after_stamp,
        )
        print(
            f"library {library.storage.count():,} articles; a growth of {args.batch:,} into"
            f" a list of {len(base.ids):,} (All, newest first)"
        )
        results: dict[str, list[tuple[float, float]]] = {"full re-read": [], "incremental": []}
        for _ in range(args.rounds):
            wall, cpu = time.perf_counter(), time.thread_time()
            listing = view_listing(library, ALL, "published", True)
            growth = prepare_growth(base.ids, 0, listing.ids)
            results["full re-read"].append((time.perf_counter() - wall, time.thread_time() - cpu))
            wall, cpu = time.perf_counter(), time.thread_time()
            grown = base.grow(library)
            results["incremental"].append((time.perf_counter() - wall, time.thread_time() - cpu))
            assert grown is not None and growth is not None
            assert grown[0].ids == listing.ids and grown[1] == growth.runs
        library.close()
    print()
    print("| one growth | wall p50 (ms) | CPU p50 (ms) | wall max (ms) |")
    print("|---|---|---|---|")
    medians = {}
    for name, samples in results.items():
        walls = [w * 1000 for w, _ in samples]
        cpus = [c * 1000 for _, c in samples]
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(f"| {name} | {medians[name][0]:.1f} | {medians[name][1]:.1f} | {max(walls):.1f} |")
    ratio_wall = medians["incremental"][0] / medians["full re-read"][0]
    ratio_cpu = medians["incremental"][1] / medians["full re-read"][1]
    print(f"| incremental / full | {ratio_wall:.3f}× | {ratio_cpu:.3f}× | |")
    print("\nBoth give the same list and the same inserted runs in every round.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
