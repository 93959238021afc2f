"""Title-Case headlines, in a form the model reads well.

HuffPost and many US outlets capitalise every word of a headline (`Trump Bombs Syria`,
`New This Week`), and the model, which learnt that capitals mean names, reads such headlines
as strings of names: `Trump Bombs Syria` becomes one organisation. So a Title-Case title is
given to the model in sentence case, where a word keeps its capital only with evidence that
it is a name:

* it is the headline's first word, or opens a clause after `:`, `?` or `!` (position only,
  which is no evidence for a name: `Will` in `Will Smith Joins ...`);
* it is an acronym or has a capital inside (`TV`, `FBI`, `McDonald`, `iPhone`);
* the article's body writes it capitalised other than at a sentence's start;
* it is no common English word (`words.common`: `Diplo`, `Melania`, `Pruitt`);
* it belongs to a place the gazetteer would add (`Texas`, `New York`, `Hong Kong`);
* it stands next to a word kept for being rare (`Melania Trump`, `Kanye West`), unless it is a
  stop word or an inflected form (`Pruitt Gets`, `Diplo Joins`: verbs).

The sentence-cased text has the same length as the title, so the model's offsets are offsets
into the stored title. `unsupported` then names the multi-word spans the model still found
there that take in a word kept for its position only or lowered (a fragment like `Will Smith
Joins`), unless the body names the whole span.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer, words
from newsreader.core.models import TITLE_PART

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Span, Spans

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_CLAUSE_END = re.compile(r"[:?!.;]\s*$|^\s*[\"“‘']*$")
_PARTICLES = frozenset({"of", "de", "la", "van", "von", "der", "den", "du", "da", "al", "and"})


def is_title_case(text: str) -> bool:
    """Most words capitalised, function words included (`... In Texas Last Week, But ...`):
    Title Case, not sentence case and not shouting."""
    found = _WORD.findall(text)
    if len(found) < 3:
        return False
    capitalised = [w for w in found if w[0].isupper()]
    if sum(1 for w in found if w.isupper() and len(w) > 1) >= 0.8 * len(found):
        return False  # shouting: the kicker rules deal with it
    lower_words = [w for w in found[1:] if w[0].islower()]
    common_capitalised = [w for w in capitalised[1:] if words.common(w)]
    return len(lower_words) <= 0.15 * len(found) and len(common_capitalised) >= 2


@dataclass(frozen=True, slots=True)
class Cased:
    """A Title-Case title in sentence case: the text for the model and, per word's start
    offset, why it kept its capital ("position", "evidence", "rare", "neighbour") or that it
    was lowered."""

    text: str
    reason: dict[int, str]


def body_capitals(parts: Mapping[int, str]) -> frozenset[str]:
    """Words the body writes capitalised other than at a sentence's start."""
    found: set[str] = set()
    for part, text in parts.items():
        if part == TITLE_PART:
            continue
        for match in _WORD.finditer(text):
            word = match.group()
            if word[0].isupper() and not clause_start(text, match.start()):
                found.add(word)
    return frozenset(found)


def clause_start(text: str, start: int) -> bool:
    """`_CLAUSE_END.search(text[:start])`, without searching the whole text before each word
    (which made `body_capitals` quadratic in a paragraph's length): after `:?!.;` and
    whitespace, or after nothing but leading whitespace and opening quotes."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i >= 0 and text[i] in ":?!.;":
        return True
    # `$` also matches before a final newline.
    return _opening(text, start) or (text[start - 1 : start] == "\n" and _opening(text, start - 1))


def _opening(text: str, end: int) -> bool:
    """`text[:end]` is whitespace, then opening quotes, and nothing else."""
    i = 0
    while i < end and text[i].isspace():
        i += 1
    while i < end and text[i] in _QUOTES:
        i += 1
    return i == end


_QUOTES = "\"“‘'"


def sentence_case(title: str, capitals: frozenset[str]) -> Cased:
    """The title in sentence case, keeping the capitals the module docstring lists."""
    matches = list(_WORD.finditer(title))
    reason: dict[int, str] = {}
    for match in matches:
        word = match.group()
        if not word[0].isupper():
            continue
        if any(c.isupper() for c in word[1:]) or word in capitals:
            reason[match.start()] = "evidence"
        elif not words.common(word):
            reason[match.start()] = "rare"
        elif clause_start(title, match.start()):
            reason[match.start()] = "position"
    # Places of several words (`New York`, `Los Angeles`).
    for i in range(len(matches)):
        for n in (3, 2, 1):
            run = matches[i : i + n]
            if len(run) < n or not all(m.group()[0].isupper() for m in run):
                continue
            if any(title[a.end() : b.start()] != " " for a, b in itertools.pairwise(run)):
                continue
            name = title[run[0].start() : run[-1].end()]
            if gazetteer.addable_place(name) is not None:
                for m in run:
                    reason[m.start()] = "evidence"
    # Neighbours of evidence: `Melania Trump`, `Kanye West`.
    rare = {m.start() for m in matches if reason.get(m.start()) == "rare"}
    for a, b in itertools.pairwise(matches):
        if title[a.end() : b.start()] != " " or not (
            a.group()[0].isupper() and b.group()[0].isupper()
        ):
            continue
        for this, other in ((a, b), (b, a)):
            if other.start() in rare and reason.get(this.start()) not in {"evidence", "rare"}:
                word = this.group()
                if word.lower() not in words.stop_words() and not words.inflected(word):
                    reason[this.start()] = "neighbour"
    chars = list(title)
    for match in matches:
        word = match.group()
        if word[0].isupper() and match.start() not in reason:
            lowered = word[0].lower()
            if len(lowered) == 1:
                chars[match.start()] = lowered
                reason[match.start()] = "lowered"
    return Cased("".join(chars), reason)


def model_texts(parts: Mapping[int, str]) -> dict[int, str]:
    """Each part's text as the model should read it: a Title-Case title in sentence case
    (same length, so offsets carry over), everything else as stored."""
    title = parts.get(TITLE_PART)
    if title is None or not is_title_case(title):
        return dict(parts)
    texts = dict(parts)
    texts[TITLE_PART] = sentence_case(title, body_capitals(parts)).text
    return texts


def unsupported(parts: Mapping[int, str], start: int, end: int, cased: Cased | None = None) -> bool:
    """A span of the title that is a fragment: several words, one of them lowered or kept
    for its position only, and the body does not name the whole span. `cased` is the title's
    `sentence_case` with the body's capitals, when the caller has it (one per article)."""
    title = parts[TITLE_PART]
    surface = title[start:end]
    if " " not in surface.strip():
        return False
    if any(surface in text for part, text in parts.items() if part != TITLE_PART):
        return False
    if cased is None:
        cased = sentence_case(title, body_capitals(parts))
    for match in _WORD.finditer(title, start, end):
        if match.group().lower() in _PARTICLES:
            continue
        if cased.reason.get(match.start(), "lowered") in {"lowered", "position"}:
            return True
    return False


def unbacked_title_names(parts: Mapping[int, str], spans: Spans) -> list[tuple[Span, str]]:
    """The model's unsure name spans in a Title-Case headline whose text the body does not
    write as the headline does, with that text: what the headline layers (`headline_words`,
    `compounds`) judge. A list, so that they may remove spans from the part as they go."""
    from newsreader.core.entities.layers import NAME_TYPES

    title = parts.get(TITLE_PART)
    if title is None or not is_title_case(title):
        return []
    body = " ".join(text for part, text in parts.items() if part != TITLE_PART)
    found = []
    for span in spans.by_part.get(TITLE_PART, ()):
        if span.sure or span.type not in NAME_TYPES:
            continue
        surface = title[span.start : span.end]
        if surface not in body:
            found.append((span, surface))
    return found
