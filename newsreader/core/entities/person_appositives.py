"""A name followed by a comma and a person's job is a person: `Hen Vipheak , former editor
of the Sereipheap Thmei newspaper`, `Julianna Margulies, the star of The Good Wife`, `Adrian
Dunbar, an actor who ...`.

English names a person and then says who the person is in an appositive; the head of the
appositive, a job or a role that only a person has (`editor`, `actress`, `chairman`,
`spokeswoman`), tells the type even where the small model read the name as an organisation
or a place, which it does with names it never saw. Words that also name companies or
clubs' roles (`producer`, `maker`, `champion`, `leader` of a market) are not in the list,
and only names of two to four words that the gazetteer does not know as a place
are changed, where no rule has decided them.

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

#: Jobs and roles only a person has.
_JOBS = (
    "editor|actor|actress|singer|songwriter|rapper|comedian|presenter|journalist|reporter|"
    "columnist|writer|novelist|author|poet|playwright|director|filmmaker|chairman|chairwoman|"
    "spokesman|spokeswoman|minister|senator|governor|mayor|ambassador|lawyer|attorney|judge|"
    "professor|lecturer|scientist|economist|analyst|striker|midfielder|defender|goalkeeper|"
    "batsman|bowler|coach|footballer|cricketer|golfer|sprinter|boxer|jockey|widow|widower|"
    "star|son|daughter|wife|husband|mother|father|brother|sister|founder|co-founder"
)
_APPOSITIVE = re.compile(
    r"\s?,\s+(?:(?:a|an|the|his|her|their|its)\s+)?(?:(?:former|ex-|then|new|veteran|"
    r"deputy|assistant|senior|chief|acting|fellow|award-winning|[A-Z][a-z]+)\s+){0,2}"
    rf"(?:{_JOBS})(?=\s+(?:of|at|for|to|in|and|who|whose)\b|\s?[,.;])"
)
_NAME_WORD = r"[A-Z][\w'’\-]*[a-z][\w'’\-]*"
#: Two to four name words right before the appositive's comma.
_NAME_BEFORE = re.compile(rf"(?<![\w'’.-])((?:{_NAME_WORD}\s+){{1,3}}{_NAME_WORD})$")
_COMMA = re.compile(r"\s?,")
_JOB_WORDS = frozenset(_JOBS.split("|"))
#: Readings the appositive overrides (the model's, not a rule's).
_OVERRIDES = frozenset({"org", "place", "work"})


def person_appositives(parts: Mapping[int, str], spans: Spans) -> None:
    """A name of two to four words followed by a comma and a person's job (`X , former
    editor of`, `X, the actress`) is a person, where the model read an organisation, a
    place or a work, or nothing; not a name the gazetteer knows as a place, nor one that
    opens with a stop word or a title."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        if "," not in text:
            continue
        for comma in _COMMA.finditer(text):
            # Cheap first: a job among the next few words, then the appositive's shape.
            after = [w.strip(",.;:") for w in text[comma.end() : comma.end() + 60].split()[:4]]
            if _JOB_WORDS.isdisjoint(after) or _APPOSITIVE.match(text, comma.start()) is None:
                continue
            found = _NAME_BEFORE.search(text, max(0, comma.start() - 80), comma.start())
            if found is None:
                continue
            start, end = found.span(1)
            words = found.group(1).split()
            # A stop word or a common word before the name (`But`, `Former`) is cut, a
            # common word only where two words are left (`Adrian Dunbar` keeps `Adrian`).
            while words and (
                words[0].lower() in english.stop_words()
                or (len(words) > 2 and english.common(words[0]))
            ):
                start += len(words.pop(0)) + 1
            if len(words) < 2:
                continue
            name = " ".join(words)
            if gazetteer.lookup_place(name) is not None:
                continue
            new = Span(part, start, end, "person", "appositive")
            rivals = spans.overlapping(new)
            if any(r.sure or r.type not in _OVERRIDES for r in rivals):
                continue
            if rivals:
                new.label = rivals[0].label
            spans.put(new)
