"""A music genre is no name: `R&B`.

The model reads `R&B` as an organisation in every article, and its contexts (`R&B star
Usher`, `R&B singer`) are a band's (`Coldplay singer`), so the real-news top 50 listed it
among organisations. What only a genre does: it names an award category (`best R&B album`,
`best male R&B-soul single`), it is `music` (`R&B music`), and it is listed with genres
written in lower case (`hip-hop, R&B and garage`, `pop and R&B charts`). An article that
says so of a name has no organisation of that name; no kept package lists genres.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_GENRE = r"([A-Z][\w&]*(?:[&/][A-Z]\w*)?)"
#: The lower-case words genres are listed with (`hip-hop, R&B`, `pop and R&B`).
_LOWER_GENRES = r"(?:pop|rock|soul|jazz|hip[- ]hop|rap|dance|garage|funk|disco|blues|reggae|folk)"
_CUES = (
    # `best R&B album`, `best male R&B-soul single`: an award category.
    re.compile(
        rf"\bbest\s+(?:(?:male|female|new|contemporary|urban|traditional)\s+)?{_GENRE}"
        r"(?:-\w+)?\s+(?:album|song|single|performance|vocal|act|artist|record|video|music)\b"
    ),
    # `R&B music`: what only a genre is (not `R&B charts`: `Billboard charts`).
    re.compile(rf"(?<![\w&]){_GENRE}(?:-\w+)?\s+music\b"),
    # `hip-hop, R&B and garage`, `pop and R&B`, `R&B and hip hop`.
    re.compile(rf"\b{_LOWER_GENRES}(?:,|\s+and|\s+or)\s+{_GENRE}(?![\w&])"),
    re.compile(rf"(?<![\w&]){_GENRE}(?:,|\s+and|\s+or)\s+{_LOWER_GENRES}\b"),
)
#: Substrings every cue holds (a cheap first test; `_NEED` then per part).
_NEED_WORDS: tuple[str, ...] = ("best", "music", "pop", "rock", "soul", "jazz", "hip", "rap")
_NEED_WORDS += ("dance", "garage", "funk", "disco", "blues", "reggae", "folk")
_NEED = re.compile(
    r"\b(?:best|music|pop|rock|soul|jazz|hip|rap|dance|garage|funk|disco|blues|reggae|folk)\b"
)


def genres(parts: Mapping[int, str], spans: Spans) -> None:
    """A one-word name the article calls a genre (`best R&B album`, `R&B music`, `hip-hop,
    R&B and garage`) is no organisation, person or work anywhere in the article: its spans
    are dropped (the sidebar lists names, and a genre is none)."""
    whole = "\n".join(parts.values())
    if not any(word in whole for word in _NEED_WORDS):
        return  # substring tests of the whole article: most have no genre word at all
    named: set[str] = set()
    for text in parts.values():
        if not _NEED.search(text):
            continue
        for cue in _CUES:
            named.update(m.group(1) for m in cue.finditer(text))
    if not named:
        return
    for span in list(spans):
        if span.sure or span.type not in {"org", "person", "work"}:
            continue
        surface = parts[span.part][span.start : span.end]
        if " " not in surface and surface in named:
            spans.by_part[span.part].remove(span)
