"""A name the article goes on to call `he` or `she` is a person's.

The model reads some people steadily as organisations: `Tiffany Haddish Says An Anonymous
Actress Bit Beyoncé` gives an organisation in every HuffPost headline about her. The record's
one sentence says who she is: `Haddish spills more tea about what led up to her infamous
selfie`. A name written alone and then, in the same sentence and before any other name,
referred to as `he`, `she`, `his`, `her` ... is a person's: an organisation is `it`. The
name's other spans then follow by the chains and consistency layers.

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

#: After the name: the rest of its sentence up to a personal pronoun, with no capital, digit
#: or sentence end in between (`Haddish spills more tea about what led up to her`).
_PRONOUN_AFTER = re.compile(
    r"(?:['’]s)?(?:\s+[a-z][\w'’-]*(?:,)?){0,12}?\s+(?:he|she|him|his|her|hers|himself|herself)\b"
)
#: `Cate Blanchett, herself nominated ...`: a reflexive right after the name's comma (a bare
#: comma before `he` is no cue: `Speaking to Congress, he said`).
_REFLEXIVE_AFTER = re.compile(r"(?:['’]s)?,\s+(?:herself|himself)\b")
#: The readings a pronoun overrides.
_OVER = frozenset({"org", "work"})


def pronouns(parts: Mapping[int, str], spans: Spans) -> None:
    """A name the model read as an organisation or a work, of one to three capitalised
    words (initials first allowed: `JK Rowling`), is a person's when the article writes it
    (or its last word) alone and, later in the same sentence and before any other
    capitalised word, says `he`, `she`, `his`, `her` ... (`Haddish spills more tea about
    ... her selfie`, `Rowling said she`), or right after it `, herself` (`Cate Blanchett,
    herself nominated`); not a known place, not an acronym (`NBC's boss said he`: a person
    of the company), not a name ending in a body's word (`Fox News`, `Supreme Court`,
    `Labour Party`: their speakers are the `he`). A single common word (`Congress`, `Trump`) is
    made a person in this article only (rule `pronoun-common`, no library evidence)."""
    from newsreader.core.entities.layers import Span

    candidates: dict[str, list[Span]] = {}
    for span in spans:
        if span.sure or span.type not in _OVER:
            continue
        words = parts[span.part][span.start : span.end].split()
        if not 1 <= len(words) <= 3 or not all(_name_word(w) for w in words):
            continue
        if _INITIALS.match(words[-1]):
            continue
        if gazetteer.lookup_place(" ".join(words)) is not None:
            continue
        if len(words) > 1 and words[-1] in _BODIES:
            continue  # `Fox News ... she`: a body's speaker, not its name
        candidates.setdefault(" ".join(words), []).append(span)
    if not candidates:
        return
    # Only parts with a personal pronoun can refer to anyone (most names have none near).
    texts = [text for text in parts.values() if _PRONOUN.search(text)]
    if not texts:
        return
    for name, found in candidates.items():
        last = name.split()[-1]
        if len(last) < 3 or not any(_referred(text, name, last) for text in texts):
            continue
        # One common word (`Congress ... he`, but also `Trump ... he`) is this article's
        # person only: no evidence for the library (`store.EVIDENCE_RULES`).
        rule = "pronoun-common" if english.all_common(name) else "pronoun"
        for span in found:
            spans.put(Span(span.part, span.start, span.end, "person", rule, span.label))


#: Last words of a body's name, whose `he` is a speaker for it (`Fox News reported that she`).
_BODIES = frozenset(
    [
        "News",
        "Court",
        "Times",
        "Post",
        "Brothers",
        "House",
        "Senate",
        "Congress",
        "Network",
        "Channel",
        "Service",
        "Services",
        "Department",
        "Office",
        "Club",
        "Union",
        "Assembly",
        "Group",
        "Bank",
        "Party",
        "Fund",
        "Agency",
        "Committee",
        "Council",
        "Association",
        "Board",
        "Federation",
        "Institute",
        "University",
        "Ministry",
        "Commission",
    ]
)
_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself)\b")
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")


def _name_word(word: str) -> bool:
    """Capitalised (`Haddish`) or initials (`JK`, `J.K.`)."""
    return (word[:1].isupper() and word[1:].islower()) or bool(_INITIALS.match(word))


def _referred(text: str, name: str, last: str) -> bool:
    """The name or its last word, alone (a whole word, no capitalised word right before it
    unless a sentence ends there), and then a personal pronoun in the same sentence before
    any other capital."""
    for form in {name, last}:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if _alone(text, start, end) and (
                _PRONOUN_AFTER.match(text, end) or _REFLEXIVE_AFTER.match(text, end)
            ):
                return True
            start = text.find(form, end)
    return False


def _alone(text: str, start: int, end: int) -> bool:
    """A whole word (no letter, digit, apostrophe or hyphen on either side), not right after
    another capitalised word (`Tiffany Haddish` is the full name's own) unless a sentence
    ends there."""
    if start and (text[start - 1].isalnum() or text[start - 1] in "_'’-"):
        return False
    if end < len(text) and (text[end].isalnum() or text[end] in "_-"):
        return False
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] in '.:;!?"“':
        return True
    j = i
    while j >= 0 and (text[j].isalnum() or text[j] in "_'’-"):
        j -= 1
    word = text[j + 1 : i + 1]
    return not (word[:1].isupper() and word[:1].isalpha())
