"""The two sides of a result: `Wales beat San Marino`, `SOCCER - IRELAND BEAT LIECHTENSTEIN`.

Rules v18 (issue 12, quality). In a sports story, the names on either side of a result
verb (`beat`, `drew with`, `lost to`, `thrashed` ...) are the sides of a game. The small
model reads a headline in capitals as one run (`BEAT SAN MARINO IN`, `MARLINS BEAT REDS`)
or misses it, and skips a country at a sentence's start (`Wales beat San Marino 6-0`). A side
is typed by what it is, never by a list of teams:

- a country, a home nation or a continent is a place: national sides carry its name, and
  readers and CoNLL-2003 alike call them places (`teams` leaves them so too);
- another place the gazetteer knows is a club named after its town: an organisation
  (`LEICESTER`, `Norwich`);
- a plural word that the story's body names as a team, after `the` or a town (`the Reds`,
  `the Texas Rangers`), is that team, an organisation (`MARLINS BEAT REDS`); a surname that
  ends in `s` (`JONES BEAT WILLIAMS`) has no such mention, so it is left alone.

A side replaces the model's spans over it, and a model span that runs across the verb; a
rule's span stands, and so does the model's person where the side would be a club: boxers
and tennis players are named like towns too (`JONES BEAT WILLIAMS`, and a town `Jones`).

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

#: A result verb between two sides (in any case: headlines are written in capitals).
_VERB = re.compile(
    r"(?<![\w'’-])(?:beat|beats|defeated|defeat|edged|edge|edges|thrashed|thrash|thrashes|"
    r"routed|rout|routs|crushed|crush|crushes|stunned|stun|stuns|trounced|trounce|"
    r"hammered|hammer|hammers|outclassed|outclass|overcame|overcome|overcomes|"
    r"drew with|draw with|draws with|held|hold|holds|lost to|lose to|loses to)"
    r"(?![\w'’-])",
    re.IGNORECASE,
)
#: A word of a side's name: capitalised, or all capitals in a headline.
_NAME_WORD = re.compile(r"[A-Z][\w'’.\-]*")
#: How many words a side's name may have (`SAN MARINO`, `NEW YORK RANGERS`).
_MOST_WORDS = 3
#: Words that end a side's name in a headline in capitals (`AS MARLINS BEAT REDS IN`).
_FUNCTION_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "after", "before", "by", "for", "from", "in", "into"}
    | {"of", "on", "or", "over", "the", "to", "with"}
)


def sides(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, the name right before and right after a result verb (`beat`,
    `drew with`, `lost to` ...) is a side: a country a place, a town the gazetteer knows a
    club (an organisation), a plural the body names as a team (`the Reds`) an organisation.
    It replaces the model's spans over it or across the verb; a rule's span stands."""
    from newsreader.core.entities.layers import Span, is_sports

    if not is_sports(parts):
        return
    body = " ".join(parts.values())
    for part, text in parts.items():
        for verb in _VERB.finditer(text):
            words = text[verb.start() : verb.end()]
            if words.isupper() != text[: verb.start()].rstrip().isupper():
                continue  # a verb in capitals only in a part written in capitals
            for start, end in (_before(text, verb.start()), _after(text, verb.end())):
                if start == end:
                    continue
                kind = _side_type(text[start:end], body)
                if kind is None:
                    continue
                new = Span(part, start, end, kind, "sides")
                rivals = spans.overlapping(new)
                if any(r.sure for r in rivals):
                    continue
                if any(
                    r.start <= start
                    and end <= r.end
                    and (r.start, r.end) != (start, end)
                    and not (r.start < verb.end() and verb.start() < r.end)
                    for r in rivals
                ):
                    continue  # a longer name the model read (`the Republic of Ireland`)
                if any((r.start, r.end, r.type) == (start, end, kind) for r in rivals):
                    continue  # the model read it right
                if kind == "org" and any(
                    (r.start, r.end, r.type) == (start, end, "person") for r in rivals
                ):
                    continue  # a person named like a town (`JONES BEAT WILLIAMS`)
                spans.put(new)


def _before(text: str, at: int) -> tuple[int, int]:
    """The run of one to three name words ending right before `at` (a function word or
    punctuation ends it); (at, at) if no name word stands there."""
    run: list[re.Match[str]] = []
    for match in reversed(list(_NAME_WORD.finditer(text, max(0, at - 60), at))):
        gap = text[match.end() : run[0].start() if run else at]
        if gap.strip() or match.group().lower() in _FUNCTION_WORDS:
            break
        run.insert(0, match)
    if not run or len(run) > _MOST_WORDS:
        return at, at
    return run[0].start(), run[-1].end()


def _after(text: str, at: int) -> tuple[int, int]:
    """The run of one to three name words starting right after `at` (a function word or
    punctuation ends it); (at, at) if no name word stands there."""
    run: list[re.Match[str]] = []
    position = at
    for match in _NAME_WORD.finditer(text, at, at + 60):
        if text[position : match.start()].strip() or match.group().lower() in _FUNCTION_WORDS:
            break
        run.append(match)
        position = match.end()
    if not run or len(run) > _MOST_WORDS:
        return at, at
    return run[0].start(), run[-1].end()


def _side_type(name: str, body: str) -> str | None:
    """What a side is: a place (a country), an organisation (a club), or None (unknown)."""
    if gazetteer.fold(name) in gazetteer.HOME_NATIONS:
        return "place"
    place = gazetteer.lookup_place(name)
    if place is not None:
        return "place" if place.kind in {"country", "continent"} else "org"
    if " " in name or len(name) < 4 or not name.lower().endswith("s"):
        return None
    plural = name[0] + name[1:].lower()
    named = rf"\b(the|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{re.escape(plural)}\b"
    for match in re.finditer(named, body):
        town = match.group(1)
        if town == "the" or gazetteer.lookup_place(town) is not None:
            return "org"
    return None
