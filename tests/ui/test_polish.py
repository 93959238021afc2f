"""Point 7: what a daily reader trips on: cut titles, snippets cut before the hit, menu keys
that read as Shift, "article(s)", import progress counting files, the date syntax, and the
window not returning to the last article read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.core.progress import ProgressEvent
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.main_window import MainWindow
from newsreader.ui.search_bar import SYNTAX_HELP
from newsreader.ui.snippet_delegate import fit_snippet
from newsreader.ui.status_progress import StatusProgress
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import click_row, row_with

README = Path(__file__).resolve().parents[2] / "README.md"


def test_titles_wrap_so_a_headline_reads_at_the_default_size(
    qtbot: QtBot, sample_library: Library
) -> None:
    window = MainWindow(sample_library, seed_sample=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, window)
    assert (window.width(), window.height()) == (1360, 860)
    table = window.table
    column = table.columnWidth(ArticleTableModel.TITLE)
    bold = QFont(table.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    title = window.model.row(0).title  # type: ignore[union-attr]
    lines = table.rowHeight(0) // metrics.lineSpacing()
    assert lines >= 2, "a title gets two lines"
    # The first 60 characters of a headline fit in the lines a row gives it.
    assert metrics.horizontalAdvance(title[:60]) <= column * lines - 40
    window.close()


def test_a_snippet_is_cut_so_that_its_first_hit_shows() -> None:
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("x" * 40)
    early = "«Kursk» region on Tuesday last week and have taken dozens of settlements in it"
    assert fit_snippet(early, metrics, width).startswith("Kursk region")
    words = " ".join(f"word{n}" for n in range(40))
    late = f"{words} the «pipeline» burst and sent a fireball soaring over the houses"
    shown = fit_snippet(late, metrics, width)
    assert "pipeline" in shown and shown.startswith("… ")
    assert metrics.horizontalAdvance(shown) <= width
    assert shown.index("pipeline") > 2, "some words before the hit stay for context"


def test_menus_show_one_letter_keys_in_lower_case(window: MainWindow) -> None:
    article = window.menus["Article"]
    texts = {a.text().split("\t")[0].replace("&", ""): a.text() for a in article.actions()}
    assert texts["Next article"].endswith("\tj  n")
    assert texts["Star"].endswith("\ts")
    assert texts["Mark read / unread"].endswith("\tm")
    # The keys themselves are still the plain letters (not Shift+J).
    assert "J" in [s.toString() for s in window.commands["next"].shortcuts()]
    assert window.commands["star"].toolTip() == "Star or unstar (s)"


def test_messages_count_articles_in_words(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    click_row(window, row_with(window, "Vance"))
    window.article_actions.export(window.listing.selected_ids(), tmp_path / "one.md", "none")
    qtbot.waitUntil(lambda: (tmp_path / "one.md").exists())
    wait_idle(qtbot, window)
    message = window.statusBar().currentMessage()
    assert message.startswith("Exported 1 article to ") and "(s)" not in message
    window.article_actions.delete_selection()
    wait_idle(qtbot, window)
    assert window.statusBar().currentMessage().startswith("Deleted 1 article.")
    window.article_actions.undo_delete()
    wait_idle(qtbot, window)
    assert window.statusBar().currentMessage() == "Restored 1 article."


def test_import_progress_says_it_counts_files(qtbot: QtBot) -> None:
    progress = StatusProgress()
    qtbot.addWidget(progress)
    progress.update_event(ProgressEvent("import", 0, 1, "big.jsonl"))
    assert progress.label.text() == "Importing: 0 of 1 file"
    progress.update_event(ProgressEvent("entities", 250, 5600))
    assert progress.label.text() == "Recognising entities: 250 of 5,600 articles"
    assert progress.bar.maximum() == 5600 and progress.bar.value() == 250


def test_the_syntax_sheet_and_the_readme_agree_on_dates_and_both_work(library: Library) -> None:
    found = re.findall(r"<code>(published:[^<]+)</code>", SYNTAX_HELP)
    sheet = {s.replace("&gt;", ">") for s in found}
    readme = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(published:[^`]+)`", readme))
    assert sheet and sheet <= documented, sheet - documented
    library.import_items(
        [
            Article(
                title=f"Story {m}",
                paragraphs=(f"Text {m}.",),
                published=datetime(2024, m, 15, tzinfo=UTC),
            )
            for m in range(1, 13)
        ]
    )
    for query in sheet:
        results = library.search(query)
        assert results.total > 0 and not results.notice, query


def test_relaunch_returns_to_the_last_article_read(qtbot: QtBot, sample_library: Library) -> None:
    first = open_window(qtbot, sample_library)
    click_row(first, row_with(first, "Japan"))
    wait_idle(qtbot, first)
    reading = first.current_article
    assert reading is not None
    first.close()
    second = open_window(qtbot, sample_library)
    assert second.current_article is not None and second.current_article.id == reading.id
    index = second.table.currentIndex()
    assert second.model.article_id(index.row()) == reading.id
    second.close()


def test_a_folder_source_shows_by_its_name_with_the_path_in_the_tooltip(
    library: Library,
) -> None:
    library.import_items(
        [Article(title="Oil prices fall", paragraphs=("Text.",), source="/data/corpus/bbc-sample")]
    )
    model = ArticleTableModel(library.rows)
    model.set_ids(library.ids())
    index = model.index(0, ArticleTableModel.SOURCE)
    from PySide6.QtCore import Qt

    assert model.data(index) == "bbc-sample"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "/data/corpus/bbc-sample"


def test_title_wrapping_is_greedy_fits_and_loses_no_word_before_the_ellipsis() -> None:
    """The delegate's own wrapping (cached, cheaper than Qt's layout per paint), checked on
    many generated titles: every line fits, lines are filled greedily, words keep their order,
    and only the last line is elided."""
    import itertools
    import random

    from newsreader.ui.snippet_delegate import wrap_lines

    metrics = QFontMetrics(QFont())
    rng = random.Random(11)
    vocabulary = [
        "the",
        "a",
        "Ukraine",
        "offensive",
        "Kursk",
        "region",
        "yesterday",
        "pressed",
        "supercalifragilistic",
        "council",
        "harbour",
        "approves",
        "plan",
        "number",
        "government",
        "said",
        "minister",
    ]
    for _ in range(500):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 30))]
        text = " ".join(words)
        width = rng.randint(40, 400)
        lines = rng.randint(1, 3)
        out = wrap_lines(text, metrics, width, lines)
        assert 1 <= len(out) <= lines
        assert all(metrics.horizontalAdvance(line) <= width for line in out), (text, width)
        shown = " ".join(out)
        if "…" not in shown:
            assert shown == text, "nothing elided means everything shown"
        for first, second in itertools.pairwise(out):
            assert "…" not in first or len(first.split()) == 1, "only the last line elides"
            next_word = second.split()[0]
            if "…" not in first and "…" not in next_word:
                assert metrics.horizontalAdvance(f"{first} {next_word}") > width, "greedy"
        kept = [w for w in " ".join(line.rstrip("…") for line in out).split() if w]
        assert all(words[i].startswith(k) for i, k in enumerate(kept)), (text, out)
