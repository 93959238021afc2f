"""Online platforms and broadcasters, told by how news writes about them.

The small model has no idea what `Twitter` or `Netflix` are: it reads `wrote on Twitter` as a
person and `Coming To Netflix` as a place, steadily, in article after article. News writes
about a platform in a few fixed ways: something is *posted*, *shared* or *streaming on* it, it
has *users*, *accounts* and *subscribers*. Those are context cues like the `companies` layer's
(`shares in X`): evidence that the name is an organisation. The store counts such evidence
across the library (`store.EVIDENCE_RULES`), so one `posted on Twitter` settles every
`Twitter` the model read as a person elsewhere.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer
from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

# One capitalised word (`Twitter`, `YouTube`, `iPlayer` excluded) or two (`Fox News`).
_NAME = r"([A-Z][a-z]*[A-Z]?[a-z]+(?:\s+[A-Z][a-z]*[A-Z]?[a-z]+)?)"
#: `posted on X`, `streaming on X`: what is done *on* a platform.
_ON = re.compile(
    r"\b(?:posted|posting|posts|wrote|writing|writes|shared|sharing|tweeted|streaming|"
    r"streams|streamed|available|exclusively|uploaded|trending|viral|livestreamed|"
    r"accounts?|followers)\s+on\s+" + _NAME + r"(?![\w'’-])"
)
#: `X users`, `X account`, `X subscribers`: what a platform has (not `X accounts for`).
_HAS = re.compile(
    r"(?<![\w'’.-])" + _NAME + r"\s+(?i:users?|accounts?|feed|handle|subscribers?|"
    r"livestream|algorithm)\b(?!\s+for\b)"
)
#: `X announced a deal`, `X acquires`, `X subscribers`: what a company does or has; evidence
#: only against a place reading that the gazetteer does not know (a place acts too, `Britain
#: announced`, and is known). Not `X film` or `X series`: `the first Pirates of the Caribbean
#: film`, `a Bollywood film` name where a work comes from.
_ACTS_WORDS = (
    "announced|announces|acquired|acquires|renewed|renews|cancelled|canceled|cancels|ordered|"
    "orders|paid|pays|signed|signs|hired|hires|released|releases|launched|launches|adds|added|"
    "unveiled|unveils|bought|buys|committed|debuts|deal|deals|original|originals|subscribers"
)
_ACTS = re.compile(
    r"(?<![\w'’.-])"
    + _NAME
    + r"(?:['’]s)?\s+(?:(?:has|have|will|would)\s+)?(?i:"
    + _ACTS_WORDS
    + r")\b"
)
#: A part is searched for `_ON` only when it holds ` on `, for `_HAS` only when it holds one
#: of `_HAS`'s words after a space, in any case: every match of either holds its need, so the
#: search it skips would find nothing (and `_HAS`, whose name runs backtrack at every
#: capital, is tried in few parts). `_HAS`'s words are written in lower case and searched in
#: `layers.folded` text (the same answer as `(?i:...)` on the text, several times faster:
#: sre has no fast scan for a first letter in any case).
_NEED = re.compile(r"\son\s")
_NEED_FOLDED = re.compile(r"\s(?:users?|accounts?|feed|handle|subscribers?|livestream|algorithm)\b")
#: `_ACTS`'s words after a space, in lower case, searched in `layers.folded` text: every
#: match of `_ACTS` holds one, so a part without one is not searched (the common stems
#: `add`, `sign`, `order` alone are in most paragraphs: `additional`, `design`, `border`).
_ACTS_NEED = re.compile(rf"\s(?:{_ACTS_WORDS})\b")
#: The model's readings a cue overrides (an organisation is confirmed and made sure).
_OVER = frozenset({"person", "place", "work", "org"})
_PLACE = frozenset({"place"})


def platforms(parts: Mapping[int, str], spans: Spans) -> None:
    """A name something is posted, shared or streaming on (`wrote on Twitter`, `streaming on
    Netflix`), or that has users, an account or subscribers (`Twitter users`, `Netflix
    subscribers`), is an organisation, where the model found it as a person, place, work or
    organisation; the model's span keeps its bounds. Never a known place, a stop word or a
    name a rule gave a type."""
    from newsreader.core.entities.layers import Span, folded

    for part, text in parts.items():
        lower = folded(text)
        cues = []
        if _NEED.search(text):
            cues.append((_ON, _OVER))
        if _NEED_FOLDED.search(lower):
            cues.append((_HAS, _OVER))
        if _ACTS_NEED.search(lower):
            cues.append((_ACTS, _PLACE))
        for pattern, over in cues:
            for match in pattern.finditer(text):
                start, end = match.start(1), match.end(1)
                rivals = spans.overlapping(Span(part, start, end, "org"))
                if len(rivals) != 1:
                    continue  # the model saw no name here, or several
                found = rivals[0]
                if found.sure or found.type not in over or found.start != start:
                    continue  # a rule decided, or the model read something else
                if found.end > end:
                    continue
                name = text[start : found.end]
                if name.lower() in english.stop_words() or gazetteer.lookup_place(name):
                    continue  # `posted on Facebook` yes, `photos on Capri` no
                spans.put(Span(part, start, found.end, "org", "platforms", found.label))
