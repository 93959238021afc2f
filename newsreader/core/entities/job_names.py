"""A full name right after a person's job is a person's, whatever the model read.

`said Richard and Judy executive producer Amanda Ross`: the model, which reads some names
steadily as organisations, gave an organisation `Amanda Ross`. The `titles` layer knows
formal titles (`Governor`, `Mr`) and a few jobs; the jobs that open a name in a headline
(`people.job_prefix`: `actor`, `producer`, `designer` ...) say the same in running text,
written in lower case before a name of two or three capitalised words.

Not library evidence (`store.EVIDENCE_RULES`): a job word is a weak cue (`producer Harvey
Weinstein` is right, `the producer Working Title` is a company), so it only decides the
spans next to it.

`layers` registers this layer in its `LAYERS` and imports this module, so `layers` is
imported here only when the layer runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsreader.core.entities import gazetteer, people

if TYPE_CHECKING:
    from newsreader.core.entities.layers import Spans

_NAME_WORD = r"[A-Z][a-z][\w'’-]*"
_JOB_NAME = re.compile(
    rf"(?<![\w-])(?:{'|'.join(sorted(people.JOBS, key=len, reverse=True))})\s+"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})(?![\w-])"
)
#: The model's readings a job overrides.
_OVER = frozenset({"org", "work"})


def job_names(parts: Mapping[int, str], spans: Spans) -> None:
    """A name of two or three capitalised words right after a lower-case job (`executive
    producer Amanda Ross`, `designer Stella McCartney`) that the model read as an
    organisation or a work, with exactly those bounds, is a person; not a known place."""
    from newsreader.core.entities.layers import Span

    for part, text in parts.items():
        for match in _JOB_NAME.finditer(text):
            start, end = match.start(1), match.end(1)
            found = [s for s in spans.by_part.get(part, ()) if s.start == start and s.end == end]
            if len(found) != 1 or found[0].sure or found[0].type not in _OVER:
                continue
            if gazetteer.lookup_place(match.group(1)) is not None:
                continue
            spans.put(Span(part, start, end, "person", "job-name", found[0].label))
