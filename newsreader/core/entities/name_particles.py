"""A person's name runs on over its lower-case particles: `Lex van Drooge`, `Joost van der
Westhuizen`, `Rami al-Saadani`, `Ursula von der Leyen`, `Osama bin Laden`.

The small model stops a name at a lower-case word, so it reads `Lex` as a person and drops
`van Drooge`, or finds `Joost` and `Westhuizen` as two people, or `van Schalkwyk` without
`Danie`. Surname particles are a closed class in the naming customs of Dutch, German,
French, Italian, Spanish, Portuguese and Arabic names (`van`, `von`, `der`, `de`, `da`,
`dos`, `bin`, `ibn`, `al-` ...), so the evidence is the name's shape plus the model's own
reading: where the model found a person in a run of title-case words joined by particles,
the whole run is that person. A run the model read only as an organisation or a place
(`Gazzetta dello Sport`, `Casa de Narino`, `Banco do Brasil`) is left alone, and so is a run
that starts at a title word (`President Zine al-Abidine Ben Ali` is `Zine al-Abidine Ben
Ali`).

A run that starts with a capitalised `Van der`, `Von der` or `Van den` mid-sentence is a
surname by itself (`allowed Van der Westhuizen to score`), a person where the model read a
person or an organisation.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import words as english

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|das|dos|du|le|ter|ten|zu|bin|ibn|bint)"
_ARABIC = r"(?:al|el)-"
#: A given name or two, particles (or an Arabic `al-`), a surname and up to two more words.
_RUN = re.compile(
    rf"(?<![\w.'’-])({_WORD}(?:\s+{_WORD})?)"
    rf"(?:(?:\s+{_PARTICLE})+\s+|\s+{_ARABIC}){_WORD}(?:\s+{_WORD}){{0,2}}(?![\w'’-])"
)
#: A capitalised Dutch or German particle pair that is a surname by itself.
_BARE = re.compile(rf"(?<=[a-z,] )(?:Van|Von)\s+(?:der|den|de)\s+{_WORD}(?![\w'’-])")
#: What a particle must follow for the run to be searched at all (cheap gate).
_NEXT = re.compile(r"\S")
_NEED = re.compile(rf"\s(?:{_PARTICLE}\s|{_ARABIC})|(?:Van|Von) d")


def name_particles(parts: Mapping[int, str], spans: Spans) -> None:
    """A run of title-case words joined by surname particles (`van der`, `al-`, `bin`)
    where the model found a person is that person, whole."""
    from newsreader.core.entities.layers import _TITLE_WORDS, Span

    for part, text in parts.items():
        if not _NEED.search(text):
            continue
        for match in _RUN.finditer(text):
            start = match.start()
            first = match.group(1).split()[0]
            # `President Zine al-...`, `But Lex van ...`: not part of the name.
            if first in _TITLE_WORDS or first.lower() in english.stop_words():
                following = _NEXT.search(text, start + len(first))
                start = following.start() if following else match.end()
            _claim(spans, Span(part, start, match.end(), "person", "particles"), {"person"})
        for match in _BARE.finditer(text):
            span = Span(part, match.start(), match.end(), "person", "particles")
            _claim(spans, span, {"person", "org"})


def _claim(spans: Spans, new: object, readings: set[str]) -> None:
    """Put `new` where a model span of one of `readings` lies inside it and every span in
    its way is a model span inside it."""
    from newsreader.core.entities.layers import Span

    assert isinstance(new, Span)
    rivals = spans.overlapping(new)
    if not any(not s.sure and s.type in readings for s in rivals):
        return
    if any(s.sure or s.start < new.start or s.end > new.end for s in rivals):
        return
    label = next((s.label for s in rivals if s.type == "person"), "PERSON")
    new.label = label
    spans.put(new)
