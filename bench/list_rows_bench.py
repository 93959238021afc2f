"""Article list: two-line rows with wrapped titles against the one-line rows they replaced.

    python bench/list_rows_bench.py               # 10,000 articles (built once into bench/data/)
    python bench/list_rows_bench.py --size 2000   # a quicker run

Titles now wrap onto a second line so a headline reads at the default window size (issue
11, point 7). Wrapping makes Qt lay each visible title out as a paragraph instead of eliding
one line, so this measures what that costs while scrolling, side by side in one process:
the same window and library, the list scrolled top to bottom a page at a time, each frame
painted synchronously, alternating rounds of the new rows and the reference (word wrap off,
one-line rows). Two-line rows show about half as many rows per page, so the cost is reported
per frame and per row painted. Reuses `bench/gui_bench.py`'s library (no search index).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.corpus import DATA_DIR  # noqa: E402
from bench.gui_bench import build_library, open_library, percentile, say  # noqa: E402


def scroll(window: Any, app: Any) -> tuple[list[float], int]:
    """Frame CPU times (ms) scrolling the whole list page by page, and the rows painted."""
    table = window.table
    bar = table.verticalScrollBar()
    bar.setValue(0)
    app.processEvents()
    frames: list[float] = []
    rows = 0
    per_page = max(1, table.viewport().height() // table.verticalHeader().defaultSectionSize())
    while bar.value() < bar.maximum():
        # UI-thread CPU time: what the frame costs, whatever else the machine is doing.
        start = time.thread_time()
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        frames.append((time.thread_time() - start) * 1000)
        rows += per_page
    return frames, rows


def set_rows(window: Any, wrapped: bool, delegates: dict[bool, Any]) -> None:
    """The new rows (the title delegate, two lines) or the reference: Qt's own delegate on
    one elided line, as the list was painted before."""
    from newsreader.ui.article_model import ArticleTableModel

    table = window.table
    table.setItemDelegateForColumn(ArticleTableModel.TITLE, delegates[wrapped])
    table.setWordWrap(wrapped)
    height = table.two_line_height if wrapped else table.row_height
    table.verticalHeader().setDefaultSectionSize(height)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = DATA_DIR / f"gui-{args.size}"
    build_library(folder, args.size, index=False)

    from PySide6.QtWidgets import QApplication, QStyledItemDelegate

    from newsreader.ui.main_window import MainWindow
    from newsreader.ui.settings import Settings

    os.environ["NEWSREADER_HOME"] = str(folder.parent / "list-rows-home")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = open_library(folder, skip_index=True)
    window = MainWindow(library, Settings(), seed_sample=False)
    window.resize(1360, 860)
    window.show()
    while window.jobs.running() or not window.model.rowCount():
        app.processEvents()
        time.sleep(0.001)
    from newsreader.ui.article_model import ArticleTableModel

    delegates = {
        True: window.table.itemDelegateForColumn(ArticleTableModel.TITLE),
        False: QStyledItemDelegate(window.table),
    }
    results: dict[bool, dict[str, list[float]]] = {
        True: {"frame": [], "row": []},
        False: {"frame": [], "row": []},
    }
    for round_ in range(args.rounds):
        for wrapped in (True, False) if round_ % 2 == 0 else (False, True):
            set_rows(window, wrapped, delegates)
            scroll(window, app)  # warm: pages of rows fetched and cached once
            frames, rows = scroll(window, app)
            results[wrapped]["frame"].extend(frames)
            results[wrapped]["row"].append(sum(frames) / rows)
            say(
                f"round {round_ + 1} {'two-line' if wrapped else 'one-line'}: "
                f"{len(frames)} frames, median {statistics.median(frames):.2f} ms"
            )
    window.close()
    library.close()

    new, old = results[True], results[False]
    median_new, median_old = statistics.median(new["frame"]), statistics.median(old["frame"])
    p99_new, p99_old = percentile(new["frame"], 0.99), percentile(old["frame"], 0.99)
    row_new, row_old = statistics.median(new["row"]), statistics.median(old["row"])
    print(
        f"Library: {args.size:,} articles; {args.rounds} alternating rounds; offscreen Qt;"
        f" load average {os.getloadavg()[0]:.1f}.\n"
    )
    print(
        "| per scrolled page (UI-thread CPU) | two-line, wrapped | one-line (reference) | ratio |"
    )
    print("| --- | --- | --- | --- |")
    print(
        f"| frame, median | {median_new:.2f} ms | {median_old:.2f} ms |"
        f" {median_new / median_old:.2f}× |"
    )
    print(f"| frame, p99 | {p99_new:.2f} ms | {p99_old:.2f} ms | {p99_new / p99_old:.2f}× |")
    print(
        f"| per row painted | {row_new * 1000:.0f} µs | {row_old * 1000:.0f} µs |"
        f" {row_new / row_old:.2f}× |"
    )
    print(
        f"| frames to scroll the list | {len(new['frame']) // args.rounds:,} |"
        f" {len(old['frame']) // args.rounds:,} | |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
