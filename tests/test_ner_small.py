"""The small-library check's judged names (tests/data/ner_small_libraries.json), scoring."""

from __future__ import annotations

import json
from pathlib import Path

from bench import ner_small
from newsreader.core.library import Library
from newsreader.core.models import ENTITY_TYPES
from tests.layer_cases import store_names

JUDGED = Path(__file__).parent / "data" / "ner_small_libraries.json"


def test_judged_names_are_names_and_types_only() -> None:
    data = json.loads(JUDGED.read_text(encoding="utf-8"))
    assert set(data) == {"about", "person", "org", "place"}
    for kind in ("person", "org", "place"):
        assert set(data[kind].values()) <= set(ENTITY_TYPES) | {"none"}
    # What a new user saw wrong, judged as a reader would.
    assert data["person"]["a Hans Christian Andersen"] == "none"
    assert data["person"]["Altria"] == "org"
    assert data["place"]["Landslide"] == "none"


def test_the_check_counts_the_names_judged_wrong(library: Library) -> None:
    names = [("Altria", "person"), ("Alan Bennett", "person"), ("Landslide", "place")]
    store_names(library, names)
    rows, errors, unjudged = ner_small.check("test", library, 20)
    assert errors == 2 and not unjudged
    assert "Altria (org)" in rows[0] and "Landslide (none)" in rows[2]
