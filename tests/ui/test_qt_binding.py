"""Guard against a Qt binding that mishandles Python overrides returning None.

PySide6 6.12.0 on Python 3.11 drops one reference to None each time a Python override that
returns a QVariant (`data`, `headerData`, `loadResource`) returns None. The window's models
return None for every role they do not handle, so such a build aborts the process
("deallocating None") after a few thousand repaints of the article list. pyproject.toml
excludes that release; this test fails loudly, instead of crashing later, if it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.reader import ReaderView

CALLS = 500


def test_model_returning_none_keeps_none_alive(qtbot: QtBot, sample_library: Library) -> None:
    model = ArticleTableModel(sample_library.rows)
    model.set_ids(sample_library.ids())
    proxy = QSortFilterProxyModel()  # calls go through C++, as a view's do
    proxy.setSourceModel(model)
    index = proxy.index(0, ArticleTableModel.SOURCE)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        proxy.data(index, Qt.ItemDataRole.CheckStateRole)  # a role the model leaves unset
    assert sys.getrefcount(None) >= before - CALLS // 10


def test_refused_resources_keep_none_alive(qtbot: QtBot) -> None:
    view = ReaderView()
    qtbot.addWidget(view)
    before = sys.getrefcount(None)
    for number in range(CALLS):
        view.document().resource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(f"https://x.example/{number}")
        )
    assert sys.getrefcount(None) >= before - CALLS // 10
