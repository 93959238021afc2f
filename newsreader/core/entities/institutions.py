"""No person is called `Treasury`: a name the model read as a person that ends in the noun
of a public institution (`U.S. Treasury`, `NSW Treasury`, `Treasuries`, `the Senate`,
`Parliament`, `the Foreign Office`) is an organisation.

The small model reads a one-word institution at the head of a clause as a person (`Treasury
said`, `Congress approved`), and the `org_words` layer names companies, banks, ministries
and parties by their last word but not these, whose names are a single noun in most
countries' news; and the `initials` layer takes `U.S. Treasury` for an initial and a
surname. The nouns are a closed class of English. Of the rules' readings only that shape
guess is overridden (the layer runs right after it); others stand.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: The institutions' nouns (plural `Treasuries`: the government's bonds, named as it).
_INSTITUTIONS = frozenset(
    [
        "Treasury",
        "Treasuries",
        "Parliament",
        "Senate",
        "Congress",
        "Cabinet",
        "Government",
        "Department",
        "Police",
        "Army",
        "Navy",
        "Court",
        "Assembly",
        "Legislature",
        "Office",
        "Embassy",
        "Secretariat",
        "Directorate",
        "Tribunal",
        "Inspectorate",
        "Bourse",
        "Church",
        "Duma",
        "Knesset",
        "Bundestag",
        "Bundesbank",
        "Politburo",
    ]
)
#: Readings by shape alone: the model's, and `initials`' (`U.S. Treasury`).
_GUESSES = frozenset({"", "initials"})


def institutions(parts: Mapping[int, str], spans: Spans) -> None:
    """A model person whose last word is the noun of a public institution (`Treasury`,
    `Senate`, `Parliament`, `Foreign Office` ...) is an organisation."""
    for part, found in spans.by_part.items():
        text = parts[part]
        for span in found:
            if span.type != "person" or span.rule not in _GUESSES:
                continue
            words = text[span.start : span.end].rsplit(None, 1)
            if words and words[-1] in _INSTITUTIONS:
                span.type = "org"
