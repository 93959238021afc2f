"""The real-news check's judged names (tests/data/ner_real_news.json) and its scoring."""

from __future__ import annotations

import json
from pathlib import Path

from bench import ner_realnews
from newsreader.core.entities import canonical, layers, store
from newsreader.core.library import Library
from newsreader.core.models import ENTITY_TYPES, Article

JUDGED = Path(__file__).parent / "data" / "ner_real_news.json"


def test_judged_names_are_names_and_types_only() -> None:
    data = json.loads(JUDGED.read_text(encoding="utf-8"))
    assert set(data) == {"about", "person", "org", "place"}
    for kind in ("person", "org", "place"):
        assert len([n for n, t in data[kind].items() if t == kind]) >= 50
        assert set(data[kind].values()) <= set(ENTITY_TYPES) | {"none"}
    # The examples, judged as a reader would.
    assert data["place"]["Casablanca"] == "none"  # it was the White House
    assert data["person"]["Oscar"] == "event"
    assert data["org"]["Trump"] == "person"


def test_the_check_counts_the_share_of_each_list_with_its_right_type(library: Library) -> None:
    names = [("Donald Trump", "person"), ("Oscar", "person"), ("Reuters", "org")]
    library.import_items([Article(title=n, paragraphs=(n,)) for n, _ in names])
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        for article_id, (name, kind) in zip(sorted(library.ids()), names, strict=True):
            span = layers.Span(0, 0, len(name), kind)
            store.save_article(
                db, resolver, article_id, [canonical.Named(span, name, name, kind)], "m"
            )
    report, shares = ner_realnews.check(library)
    assert shares["person"] == 0.5 and shares["org"] == 1.0
    assert "Oscar (event)" in report
