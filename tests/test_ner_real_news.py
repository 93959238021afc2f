"""The real-news check's judged names (tests/data/ner_real_news.json) and its scoring."""

from __future__ import annotations

import json
from pathlib import Path

from bench import ner_realnews
from newsreader.core.library import Library
from newsreader.core.models import ENTITY_TYPES
from tests.layer_cases import store_names

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
    store_names(library, names)
    report, shares = ner_realnews.check(library)
    assert shares["person"] == 0.5 and shares["org"] == 1.0
    assert "Oscar (event)" in report
