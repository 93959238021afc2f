"""The reading pane: layout of an article, highlights from mentions and search, no remote loads."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument, QTextFrame
from pytestqt.qtbot import QtBot

from newsreader.core.models import TITLE_PART, Article, Mention, Photo
from newsreader.core.search import SearchIndex
from newsreader.core.storage import Storage
from newsreader.ui.reader import ReaderView, highlighted_spans, search_spans

ARTICLE = Article(
    id=7,
    title="Putin visits Kursk",
    kicker="FRONT LINE",
    byline="By A. Reporter",
    source="Test wire",
    paragraphs=(
        "Vladimir Putin went to Kursk on Monday.",
        "Officials in Moscow said the offensive had stalled.",
    ),
    photos=(Photo(credit="Reuters", after_paragraph=0),),
    truncated=True,
)

MENTIONS = [
    Mention(1, "Vladimir Putin", "person", TITLE_PART, 0, 5, "Putin"),
    Mention(2, "Kursk", "place", TITLE_PART, 13, 18, "Kursk"),
    Mention(1, "Vladimir Putin", "person", 0, 0, 14, "Vladimir Putin"),
    Mention(2, "Kursk", "place", 0, 23, 28, "Kursk"),
    Mention(3, "Moscow", "place", 1, 13, 19, "Moscow"),
    Mention(4, "Monday", "date", 0, 32, 38, "Monday"),
]


def _reader(qtbot: QtBot) -> ReaderView:
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    return view


def test_article_parts_are_laid_out_in_order(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_article(ARTICLE)
    text = view.toPlainText()
    order = [
        "FRONT LINE",
        "Putin visits Kursk",
        "By A. Reporter",
        "Test wire",
        "Truncated in the source",
        "Vladimir Putin went",
        "Photo: Reuters",
        "Officials in Moscow",
        "The source ends mid-sentence",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_entities_are_highlighted_with_their_type(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_article(ARTICLE, MENTIONS, visible_types={"person", "place"})
    spans = highlighted_spans(view.document())
    assert ("Putin", "person", False) in spans
    assert ("Vladimir Putin", "person", False) in spans
    assert ("Kursk", "place", False) in spans
    assert ("Moscow", "place", False) in spans
    assert not any(text == "Monday" for text, _, _ in spans)  # dates hidden by default


def test_toggling_a_type_removes_its_highlights(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_article(ARTICLE, MENTIONS, visible_types={"person", "place"})
    view.set_visible_types({"person"})
    types = {entity_type for _, entity_type, _ in highlighted_spans(view.document())}
    assert types == {"person"}


def test_search_hits_and_entities_are_marked_together(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_article(ARTICLE, MENTIONS, terms=("kursk", "offensive"), visible_types={"place"})
    spans = highlighted_spans(view.document())
    assert ("Kursk", "place", True) in spans  # both: an entity that is also a hit
    assert ("offensive", None, True) in spans


def test_search_spans_match_word_starts_case_insensitively() -> None:
    text = "Ukrainian forces; the UKRAINE war; unukrainian"
    found = [text[s.start : s.end] for s in search_spans(text, ["ukrain*", "war"])]
    assert found == ["Ukrainian", "UKRAINE", "war"]


def test_remote_resources_are_never_loaded(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    for url in (
        "https://tracker.example/pixel.png",
        "http://example.com/a.css",
        "file:///etc/passwd",
    ):
        assert view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url)) is None
    view.setHtml('<p>x<img src="https://tracker.example/pixel.png"></p>')
    assert (
        view.document().resource(
            QTextDocument.ResourceType.ImageResource.value,
            QUrl("https://tracker.example/pixel.png"),
        )
        is None
    )


def test_clicking_a_mention_reports_its_entity(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show()
    view.show_article(ARTICLE, MENTIONS, visible_types={"person", "place"})
    cursor = view.document().find("Moscow")
    rect = view.cursorRect(cursor)
    point = rect.center()
    point.setX(rect.left() - 10)  # inside the word, left of the selection end
    assert "Moscow" in view.format_at(point).toolTip()
    with qtbot.waitSignal(view.entity_clicked) as blocker:
        view.anchorClicked.emit(QUrl("entity:3"))
    assert blocker.args == [3]


def _point_size(view: ReaderView, text: str) -> float:
    cursor = view.document().find(text)
    return cursor.charFormat().fontPointSize()


def test_zoom_scales_every_part_of_the_text(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_article(ARTICLE)
    body, title = _point_size(view, "went to"), _point_size(view, "visits")
    view.set_zoom(3)
    assert _point_size(view, "went to") > body
    assert _point_size(view, "visits") / _point_size(view, "went to") == pytest.approx(title / body)


def test_the_pane_marks_what_the_search_matched(qtbot: QtBot, tmp_path: Path) -> None:
    # The core's own reading of the query decides: stems (offensive ~ "offensives"), the
    # field a `title:` search looked in, and a quoted phrase only where it occurs whole.
    storage = Storage(tmp_path / "library.sqlite3")
    storage.add_articles([ARTICLE])
    index = SearchIndex(tmp_path / "index")
    index.ensure(storage)
    view = _reader(qtbot)

    def marked(query: str) -> list[str]:
        highlight = index.search_all(query).highlight
        assert highlight is not None
        view.show_article(ARTICLE, terms=highlight)
        return [text for text, _, hit in highlighted_spans(view.document()) if hit]

    assert marked("offensives") == ["offensive"]
    assert marked("title:kursk") == ["Kursk"]  # the title's, not the body's "Kursk"
    assert marked("kursk") == ["Kursk", "Kursk"]
    assert marked('"went to kursk"') == ["went", "to", "Kursk"]
    index.close()
    storage.close()


def _frame_wrappers() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, QTextFrame))


def test_the_column_is_centred_on_every_article_and_after_a_resize(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(ARTICLE)
    root = view.document().rootFrame().frameFormat()
    assert root.leftMargin() == root.rightMargin() == view.renderer.side_margin
    assert (root.topMargin(), root.bottomMargin()) == (24, 48)
    narrow = view.renderer.side_margin
    view.resize(1400, 600)
    qtbot.waitUntil(lambda: view.viewport().width() > 1000)
    other = replace(ARTICLE, id=8, title="Another article")
    view.show_article(other)
    root = view.document().rootFrame().frameFormat()
    assert view.renderer.side_margin > narrow
    assert root.leftMargin() == root.rightMargin() == view.renderer.side_margin


def test_opening_articles_leaves_nothing_behind_for_the_collector(qtbot: QtBot) -> None:
    """Each open used to leave a QTextFrame wrapper alive for good (a full collection walked
    one per article ever opened: the pauses a reader felt after a long session)."""
    view = _reader(qtbot)
    view.show_article(ARTICLE, MENTIONS)
    before = _frame_wrappers()
    for number in range(50):
        view.show_article(replace(ARTICLE, id=100 + number), MENTIONS)
        view.resize(800 + number % 3, 600)
    assert _frame_wrappers() <= before
