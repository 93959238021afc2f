"""Highlighted snippets: plain text with the matched words wrapped in « and ».

Plain text rather than HTML so that the command line, the window and JSON output can each
render the marks their own way, and article text never needs escaping here.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import highlight

MARK_OPEN = "«"
MARK_CLOSE = "»"
#: Enough text for two or three lines of a result list.
FRAGMENT_CHARS = 240
#: Words of context on either side of a match, in characters.
CONTEXT_CHARS = 60
FRAGMENTS = 2
_SPACE = re.compile(r"\s+")


class GuillemetFormatter(highlight.Formatter):  # type: ignore[misc]  # whoosh is untyped
    """Wraps each matched word in «», and joins fragments with an ellipsis."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_OPEN}{highlight.get_text(text, token, replace)}{MARK_CLOSE}"


def highlighter() -> highlight.Highlighter:
    return highlight.Highlighter(
        fragmenter=highlight.ContextFragmenter(maxchars=FRAGMENT_CHARS, surround=CONTEXT_CHARS),
        formatter=GuillemetFormatter(),
    )


def one_line(text: str) -> str:
    """Paragraph breaks become spaces: a snippet is one line in a list."""
    return _SPACE.sub(" ", text).strip()


def lead(text: str, limit: int = FRAGMENT_CHARS) -> str:
    """The start of the text, cut at a word boundary: the snippet when no body word matched
    (a title-only or date-only match)."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"
