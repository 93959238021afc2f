"""People the model reads as something else, and people's names with a job stuck to them.

The small model reads some one-name stars steadily as organisations (`Beyoncé`), with no
title or first name nearby to tell it. English tells it all the same: only a person has a
mother, a husband or a daughter (`Beyoncé's mom`, `Beyoncé and her husband`). That is
evidence from context, which the store counts across the library (`store.EVIDENCE_RULES`), so
one `Beyoncé's mom` settles every `Beyoncé` the model read as an organisation.

A sentence or a Title-Case headline that opens with a job (`Rapper Eminem Slams ...`) gives
the model a capitalised job word, which it takes into the name: the job is cut off.

`layers` registers these layers in its `LAYERS` and imports this module, so `layers` is
imported here only when a layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_KIN = (
    "mom|mum|mother|dad|father|husband|wife|son|daughter|sister|brother|boyfriend|"
    "girlfriend|fiancé|fiancée|fiance|fiancee|parents|grandmother|grandfather|grandson|"
    "granddaughter|widow|widower|ex-wife|ex-husband|stepfather|stepmother|twins|"
    "newborn|baby daddy|baby mama"
)
#: `X's mom`, `X and her husband`: the kin of a name, in any case (headlines).
_KIN_CUE = re.compile(
    r"(['’]s|\s+(?:and|with)\s+(?:his|her))\s+(?:(?:late|new|former|estranged|younger|"
    rf"older|eldest|elder|baby|infant|teenage)\s+)?(?i:{_KIN})\b"
)
#: `_KIN` in lower case, searched in `layers.folded` text: the same answer as `(?i:...)` on the
#: text, several times faster (sre has no fast scan for a first letter in any case).
_KIN_NEED = re.compile(rf"(?:{_KIN.lower()})\b")
#: The readings kin overrides: a person's kin says nothing about a place (`Britain's sons`).
_NOT_PEOPLE = frozenset({"org", "work"})


def kin(parts: Mapping[int, str], spans: Spans) -> None:
    """A name with a mother, a husband, a daughter ... is a person (`Beyoncé's mom`,
    `Beyoncé and her husband`), where the model read an organisation or a work; a known
    place keeps its reading."""
    from newsreader.core.entities.layers import Span, folded

    for part, text in parts.items():
        if not _KIN_NEED.search(folded(text)):
            continue
        for match in _KIN_CUE.finditer(text):
            end = match.start()
            found = [s for s in spans.by_part.get(part, ()) if s.end == end]
            if len(found) != 1:
                continue
            span = found[0]
            name = text[span.start : span.end]
            if span.sure or span.type not in _NOT_PEOPLE or gazetteer.lookup_place(name):
                continue
            if not name[:1].isupper() or name.isupper():
                continue  # `US`, `NBC`: an acronym is no one's mother
            spans.put(Span(part, span.start, span.end, "person", "kin", span.label))


#: Job words that open a person's name in a sentence or headline (`Rapper Eminem`).
_JOBS = frozenset(
    [
        "actor",
        "actress",
        "singer",
        "rapper",
        "comedian",
        "comic",
        "host",
        "presenter",
        "lawyer",
        "attorney",
        "novelist",
        "author",
        "filmmaker",
        "director",
        "producer",
        "songwriter",
        "model",
        "star",
        "designer",
        "chef",
        "artist",
        "spokesman",
        "spokeswoman",
        "coach",
        "striker",
        "manager",
    ]
)
#: The same jobs, for the layers that read them in running text (`job_names`).
JOBS = _JOBS


def job_prefix(parts: Mapping[int, str], spans: Spans) -> None:
    """A person's name that opens with a capitalised job word (`Rapper Eminem`, `Actress
    Jane Fonda`: a sentence's or a headline's first word) is the name without it."""
    for span in spans:
        if span.type != "person":
            continue
        text = parts[span.part]
        first, _, rest = text[span.start : span.end].partition(" ")
        if rest and first.lower() in _JOBS and first[:1].isupper() and rest[:1].isupper():
            span.start += len(first) + 1


#: `Dinesh Keskar, senior vice president ` before a name: a job in apposition to a person.
#: Not after a conjunction: `Stormy Daniels, and singer Beyonce` names two people.
_APPOSITION_JOB = re.compile(
    r",\s+(?:(?!(?:and|or|nor|but|while|with|as|then|when|after|before)\s)[a-z][\w-]*\s+){1,4}$"
)


#: Jobs held *at* an organisation, the ones an employer's name follows.
_POSTS = frozenset(
    [
        "president",
        "director",
        "chief",
        "chairman",
        "chairwoman",
        "manager",
        "executive",
        "officer",
        "head",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "vice-president",
    ]
)


def employers(parts: Mapping[int, str], spans: Spans) -> None:
    """A name the title rule read as a person right after a lower-case job that stands in
    apposition to a person already named (`Dinesh Keskar, senior vice president Boeing`) is
    that person's employer, an organisation: the job belongs to the person before it. Only
    one word after a post held at an organisation (`president`, `director`, `spokesman`
    ...), not in a list of people with their jobs (`..., actor Hugh Grant and ...`)."""
    for part, text in parts.items():
        found = spans.by_part.get(part, ())
        for span in found:
            if span.rule != "title" or span.type != "person":
                continue
            before = _APPOSITION_JOB.search(text, max(0, span.start - 60), span.start)
            if before is None or text.startswith(("'s", "’s"), span.end):
                continue
            if " " in text[span.start : span.end] or before.group().split()[-1] not in _POSTS:
                continue  # `Sir Trevor McDonald, actor Hugh Grant and ...`: a list of people
            comma = before.start()
            if any(s.type == "person" and s.end == comma for s in found if s is not span):
                span.type, span.rule = "org", "employer"
