"""A name that the article calls a town, a city, an island or a province is a place: `the
city of Arbil`, `the western coastal town of Bou Haroun`, `the Arctic island of
Spitzbergen`, `Huize county`, `the eastern Sharqiyah province`.

The gazetteer knows the world's larger places (`layers.add_places` uses it next to the same
words); small towns, islands and provinces of other languages it does not, and the small
model reads many of those as organisations (`Arbil`, `Bou Haroun`, `Chuman`). The article's
own lower-case noun is the evidence, so no list of names is needed: after `city of`,
`town of`, `village of`, `island of`, `port of`, `province of` ... and before a lower-case
`county`, `province`, `district`, `prefecture` ..., in `X is a (Norwegian) town in ...` and
after `neighbouring`, a title-case name is a place where the model read an organisation, a
person or a work, or found nothing. A group word the model
found stays a group (`the Kurdish region`), and a common English word is no place name
(`the town of Hope` aside, `the city of Light` is a metaphor). A place span that the model
ran over the noun (`Sharqiyah province`) is cut to the name, the part a reader looks up and
that the article's other mentions (`Sharqiyah`) are.

The consistency layer then types the name's other mentions in the article (`Spitzbergen
lies some 500 miles off Norway`).

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Span, Spans

_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
_BEFORE_OF = "city|town|village|hamlet|island|islands|port|province|region|district|county|state"
_PLACE_NOUNS = "city|town|village|hamlet|settlement|island|port|province|region|district|county"
_AFTER = "county|province|district|prefecture|governorate|oblast|municipality|region"
_OF_PLACE = re.compile(rf"\b(?:{_BEFORE_OF})\s+of\s+({_NAME})(?![\w'’-])")
_PLACE_BEFORE = re.compile(rf"(?<![\w.'’-])({_NAME})\s+(?:{_AFTER})\b")
#: `Longyear is a town in mourning`, `Longyear is a Norwegian settlement of 1,000 people`.
_IS_A_PLACE = re.compile(
    rf"(?<![\w.'’-])({_NAME})\s+(?:is|was|remains)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{_PLACE_NOUNS})(?=\s*[,.;:]|\s+(?:in|of|on|near|where|which|that|with|about|some)\b)"
)
#: `in neighbouring Chatelineaux`: only places neighbour.
_NEIGHBOUR = re.compile(rf"\bneighbou?ring\s+({_NAME})(?![\w'’-])")
#: The nouns in lower case, searched first (cheap gate).
_NEED = re.compile(
    rf"\b(?:(?:{_BEFORE_OF})\s+of\s+[A-Z]|(?:{_AFTER})\b|(?:is|was|remains)\s+(?:a|an|the)\s"
    rf"|neighbou?ring\s+[A-Z])"
)
#: A place span ending in one of the nouns (`Sharqiyah province`).
_NOUN_END = re.compile(rf"\s+(?:{_AFTER})$")
#: Words of an organisation's name (`the city of London Stock Exchange`).
_ORG_WORDS = frozenset(
    [
        "Exchange",
        "Bank",
        "Council",
        "Corporation",
        "Authority",
        "University",
        "College",
        "Police",
        "Airport",
        "Airways",
        "Airlines",
        "Club",
        "United",
        "Party",
        "Group",
        "Company",
        "Times",
        "News",
        "Post",
        "Herald",
        "Museum",
    ]
)
#: Readings the noun overrides: never a group (`the Kurdish region`) or a date.
_OVERRIDES = frozenset({"org", "person", "work", "event"})


def place_nouns(parts: Mapping[int, str], spans: Spans) -> None:
    """A title-case name after `city of`, `town of`, `island of` ..., before a lower-case
    `county`, `province`, `district` ..., said to be a town, a village, a settlement (`X is a
    town in mourning`) or after `neighbouring` is a place, where the model read another
    kind of name or none; a place span run over the noun is cut to the name."""
    from newsreader.core.entities.layers import Span as NewSpan

    for part, text in parts.items():
        if not _NEED.search(text):
            continue
        for span in spans.by_part.get(part, ()):
            if span.sure or span.type != "place":
                continue
            cut = _NOUN_END.search(text, span.start, span.end)
            if cut is not None and cut.start() > span.start and text[span.start].isupper():
                span.end = cut.start()
        for pattern in (_OF_PLACE, _PLACE_BEFORE, _IS_A_PLACE, _NEIGHBOUR):
            for match in pattern.finditer(text):
                start, name = match.start(1), match.group(1)
                while " " in name and name.split(" ", 1)[0].lower() in english.stop_words():
                    first, name = name.split(" ", 1)  # `The Kharkiv region`
                    start += len(first) + 1
                new = NewSpan(part, start, start + len(name), "place", "place-noun")
                if _fits(name, spans.overlapping(new), new):
                    spans.put(new)


def _fits(name: str, rivals: list[Span], new: Span) -> bool:
    """The name is no common word, and what is in its way is a model span of a kind the
    noun overrides, or a place inside it."""
    words = name.split()
    if all(english.common(word) for word in words) or not _ORG_WORDS.isdisjoint(words):
        return False
    for rival in rivals:
        if rival.sure:
            return False
        if rival.type == "place" and new.start <= rival.start and rival.end <= new.end:
            continue
        if rival.type not in _OVERRIDES:
            return False
    return True
