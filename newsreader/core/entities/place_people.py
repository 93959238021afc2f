"""A known place the model read as a person, with nothing in the article about a person.

The model reads some places steadily as people: `Genoa`, `Devon`, `Cornwall` in a sentence
such as `holidays in Devon and Cornwall`. The gazetteer layer makes a person reading a place
only for a country, a US state, a continent or a city of a million, because many surnames
are towns too (`Clinton`, `Dole`, `Hamilton`). But an article about Bill Clinton says so: it
names him in full, gives him a title (`Mr Clinton`) or a pronoun (`Clinton said he`). Where
the article has none of that for the word, says something of a place about it (`in X`,
`in X and Y`), and is no sports story (where the teams layer decides), the known place is a
place. Both kinds of evidence are needed: a one-sentence HuffPost record says little either
way, and `Diplo` (a town in Pakistan) is the DJ.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

#: A pronoun or a person's relation within three words after the name: `Clinton said he`,
#: `Dole, who`, `Hamilton's wife` (the `kin` layer's words are enough here: any person cue).
_PERSON_AFTER = re.compile(
    r"\W{0,3}(?:['’]s\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:he|she|him|his|her|himself|herself|who|whose|wife|husband|mother|father|son|"
    r"daughter)\b"
)
#: What is said of a place: `in Devon`, `near Genoa`, `in Devon and Cornwall` (a list of
#: capitalised names after the preposition). Not `to`, `from` or `visited`: letters go to
#: people and come from them, and people are visited.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|near|across|around|outside|inside|throughout|via)\s+(?:[A-Z][\w'’-]+(?:,\s+|\s+and\s+|\s+or\s+))*$"
)
#: A title or first-name-like word right before the name: `Mr Dole`, `President Clinton`.
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|President|Senator|Governor|Mayor|"
    r"Minister|Prince|Princess|King|Queen|Judge|Rev|Gen|Capt|Coach)\.?\s+)$"
)


def place_people(parts: Mapping[int, str], spans: Spans) -> None:
    """A one-word name the model read as a person that the gazetteer knows as a place is
    that place where the article says something of a place about it (`in Devon`, `near
    Genoa`, `in Devon and Cornwall`) and gives no evidence of a person by that name: no
    full name with the word in it, no title before it, no pronoun or relation just after it
    (`Clinton said he`); never in a sports story."""
    from newsreader.core.entities.layers import Span, is_sports

    candidates = [
        span
        for span in spans
        if not span.sure
        and span.type == "person"
        and " " not in (word := parts[span.part][span.start : span.end])
        and word[1:].islower()
        and gazetteer.lookup_place(word) is not None
    ]
    if not candidates or is_sports(parts):
        return
    in_names = {
        word
        for span in spans
        if span.type == "person"
        for word in parts[span.part][span.start : span.end].split()
        if " " in parts[span.part][span.start : span.end]
    }
    evidence: set[str] = set()
    located: set[str] = set()
    for span in candidates:
        word = parts[span.part][span.start : span.end]
        if word in in_names or word in evidence:
            evidence.add(word)
            continue
        occurrence = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for text in parts.values():
            for match in occurrence.finditer(text):
                start = match.start()
                if _TITLE_BEFORE.search(text, max(0, start - 20), start) or _PERSON_AFTER.match(
                    text, match.end()
                ):
                    evidence.add(word)
                possessive = text.startswith(("'s", "’s"), match.end())  # `in X's hometown`
                if not possessive and _PLACE_BEFORE.search(text, max(0, start - 80), start):
                    located.add(word)
    for span in candidates:
        word = parts[span.part][span.start : span.end]
        if word in located and word not in evidence:
            spans.put(Span(span.part, span.start, span.end, "place", "place-no-person"))
