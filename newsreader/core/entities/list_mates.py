"""A name listed among people is a person (`stars including Cate Blanchett, Leonardo
DiCaprio, Keanu Reeves and Richard Gere`), one listed among works a work (`Fahrenheit 9/11,
The Motorcycle Diaries, Lost in Translation ... are all vying in the best foreign film
prize`).

The small model reads some people steadily as organisations (`Cate Blanchett`, `Adrian
Dunbar`, `Cristiano Citto` in a cycling team's line-up), one at a time, while it reads the
names listed with them as people. A list is of one kind: where most of its names are people,
a name in it that has a person's shape (two or three title-case words, no acronym, no known
place, no organisation word) is a person too; so in a list that is mostly works (films in
an award list), a name the model read as an organisation, a person or a place that the
gazetteer does not know is a work. A list of companies (`Merrill Lynch, Morgan Stanley and
Goldman Sachs`) has no majority of people or works, so it stays as it is.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Span, Spans

#: What separates two names of a list: a comma, `and`, `&` (also tokenised, ` , `).
_BETWEEN = re.compile(r"\s*(?:,|,?\s*(?:and|&))\s*")
_PERSON_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")
#: Words that make a name an organisation's (`Reynard Honda`, `Bear Stearns Group`).
#: (Shared with `list_gaps`, whose lists are of the same kind.)
ORG_WORDS = frozenset(
    [
        "Inc",
        "Corp",
        "Ltd",
        "Co",
        "Group",
        "Bank",
        "Party",
        "Association",
        "Union",
        "Club",
        "United",
        "City",
        "Council",
        "Committee",
        "Company",
        "Holdings",
        "Airlines",
        "Airways",
        "Motors",
        "Records",
        "Studios",
        "Pictures",
        "Films",
        "News",
        "Times",
    ]
)


def list_mates(parts: Mapping[int, str], spans: Spans) -> None:
    """In a list of three or more names (separated by commas and `and`), most of them
    people, a name the model read as an organisation or a work that has a person's shape is
    a person."""
    from newsreader.core.entities.layers import NAME_TYPES
    from newsreader.core.entities.layers import Span as NewSpan

    for part, found in spans.by_part.items():
        if len(found) < 3:
            continue
        text = parts[part]
        named = sorted((s for s in found if s.type in NAME_TYPES), key=lambda s: s.start)
        run: list[Span] = []
        runs: list[list[Span]] = []
        for span in named:
            if run and _BETWEEN.fullmatch(text, run[-1].end, span.start):
                run.append(span)
                continue
            if len(run) >= 3:
                runs.append(run)
            run = [span]
        if len(run) >= 3:
            runs.append(run)
        for members in runs:
            for kind, over, fits in _KINDS:
                alike = sum(1 for s in members if s.type == kind)
                if alike < 2 or alike * 2 <= len(members):
                    continue
                for span in members:
                    if span.sure or span.type not in over:
                        continue
                    if fits(text[span.start : span.end]):
                        spans.put(
                            NewSpan(part, span.start, span.end, kind, "list-mate", span.label)
                        )


def _work_shaped(name: str) -> bool:
    """A title (`The Motorcycle Diaries`, `Ray`), not an acronym, not a known place."""
    return name[:1].isupper() and not name.isupper() and gazetteer.lookup_place(name) is None


def _person_shaped(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(_PERSON_WORD.match(w) for w in words)
        and not any(w in ORG_WORDS for w in words)
        and gazetteer.lookup_place(name) is None
    )


#: (the list's kind, the readings a list of that kind overrides, the shape a member needs).
_KINDS = (
    ("person", frozenset({"org", "work"}), _person_shaped),
    ("work", frozenset({"org", "person", "place"}), _work_shaped),
)
