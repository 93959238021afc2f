"""Sentence-level helpers shared by every reader: sentence ends, first sentences, titles.

Deliberately small and rule-based: news prose is regular enough that a handful of rules
(sentence punctuation, closing quotes, known abbreviations, initials) beats pulling in an NLP
toolkit for what is only used to cut titles and spot cut-off paragraphs.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word set written as one string, for lists too long to read as literals."""
    return frozenset(text.split())


#: Characters that may follow the full stop of a finished sentence: closing quotes, brackets.
CLOSERS = "\"'”’»)]}"
_SENTENCE_END = ".!?…"

#: Abbreviations after which a full stop does not end a sentence (compared lower-case,
#: without the stop). Initials ("J.", "J.D.") and dotted acronyms ("U.S.") are caught by rule.
_ABBREVIATIONS = words(
    """mr mrs ms mx dr prof st gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres jr
    sr inc ltd co corp plc llc no nos vs etc al approx dept est fig jan feb mar apr jun
    jul aug sep sept oct nov dec mt ft ave blvd rd e.g i.e cf"""
)

#: A candidate sentence boundary: end punctuation, optional closers, whitespace, then
#: something that can open a sentence (a capital, a digit, an opening quote or bracket).
_BOUNDARY = re.compile(rf"[{_SENTENCE_END}]+[{re.escape(CLOSERS)}]*\s+(?=[\"'“‘«(\[A-Z0-9])")

#: Words a shortened title should not end on ("…the border region of…" reads badly).
_WEAK_ENDINGS = words(
    """a an the of in on at to for by from with and or but nor as into onto over under
    about after before than that which who whose whom its their his her our your my this
    these those is are was were be been has have had will would said says"""
)

TITLE_LIMIT = 100


def ends_sentence(text: str) -> bool:
    """True if `text` ends with sentence punctuation, allowing closing quotes and brackets."""
    stripped = text.rstrip().rstrip(CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_abbreviation(chunk: str) -> bool:
    """Does the text before a full stop end in an abbreviation rather than a sentence?"""
    words = chunk.split()
    if not words:
        return False
    word = words[-1].lstrip("\"'“‘«([").rstrip(".")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "J." in "J. Smith"
        return True
    if "." in word and all(len(part) <= 2 for part in word.split(".")):  # "J.D", "U.S"
        return True
    return word.lower() in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking at "Mr.", "J.D." or "U.S."."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        # Only the last word matters; a bounded look-back keeps long paragraphs linear.
        before = text[max(start, match.start() - 40) : match.start()]
        if match.group(0)[0] == "." and _is_abbreviation(before):
            continue
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return sentences[0] if sentences else ""


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, ending in "…".

    Trailing punctuation and weak words (articles, prepositions, conjunctions) are dropped
    before the ellipsis so the title does not dangle: "…the border region…", not "…region of…".
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text[: limit - 1].split(" ")
    if len(words) > 1:
        words = words[:-1]  # the last word may have been cut in half
    while len(words) > 1 and words[-1].strip(",;:–—-").lower() in _WEAK_ENDINGS:
        words.pop()
    head = " ".join(words).rstrip(",;:–—- ")
    return head + "…"


def title_from_text(text: str, limit: int = TITLE_LIMIT) -> str:
    """A readable title from body text: its first sentence, shortened, without a final stop.

    Headlines do not end in a full stop, so one is dropped; "?" and "!" stay.
    """
    sentence = first_sentence(text)
    if not sentence:
        return ""
    title = shorten(sentence, limit)
    if title.endswith(".") and not title.endswith(".."):
        stem = title[:-1]
        if not _is_abbreviation(stem + "."):
            title = stem
    return title


def word_count(text: str) -> int:
    return len(text.split())


# -- is it prose at all? ---------------------------------------------------------------------

#: Characters that are common in code, markup and data files and rare in news prose.
_CODE_CHARS = frozenset("{}[]()<>=;|\\#$%^*+~@_`")
#: A list needs a few entries to be told from a short article.
MIN_LIST_LINES = 5
#: Prose when at least this share of the words stand in sentence-like lines (a quarter: an
#: article may hold a list of winners or results, a data file holds little else).
MIN_PROSE_SHARE = 0.25
#: Code or markup when more than this share of the visible characters are code characters
#: (news prose: at most 3.5% in the BBC corpus; source code: 8% and up).
MAX_CODE_SHARE = 0.06
#: A table or data dump when more than this share of the visible characters are digits.
MAX_DIGIT_SHARE = 0.3
#: Only the start of a file is looked at: a list or a code file shows what it is at once, and
#: a 30 MB corpus is not scanned twice.
SAMPLE_CHARS = 64 * 1024


_CODE_ORDER = "".join(sorted(_CODE_CHARS))
_DIGIT = re.compile(r"\d")


def symbol_counts(text: str) -> tuple[int, int, int]:
    """(visible characters, code characters, digits) in `text`, counted in C: the check runs
    on every plain-text file an import reads (a test holds it to a per-character count)."""
    visible = len("".join(text.split()))
    code = sum(text.count(char) for char in _CODE_ORDER)
    digits = _DIGIT.subn("", text)[1]
    return visible, code, digits


def _sentence_like(line: str, words: int) -> bool:
    """A line that reads as (part of) running text: several words, or a short sentence."""
    return words >= 6 or (words >= 3 and ends_sentence(line))


def not_prose(text: str) -> str | None:
    """Why `text` is not news prose (a word list, code, markup, a table), or None if it is.

    Data and code files sit beside news in the corpora people download (Reuters-21578 ships
    its category lists as `.txt`); read as plain text they would become junk "articles".
    Short texts always pass: a three-line note is not a list.
    """
    sample = text[:SAMPLE_CHARS]  # a list or a code file shows what it is from its start
    visible, code, digits = symbol_counts(sample)
    if not visible:
        return None
    if visible >= 200:
        if code > MAX_CODE_SHARE * visible:
            return "looks like code, markup or data, not prose (too many symbols such as {} <> = ;)"
        if digits > MAX_DIGIT_SHARE * visible:
            return "mostly numbers (a table or a data file), not prose"
    lines = [line for line in sample.split("\n") if line.strip()]
    if len(lines) >= MIN_LIST_LINES:
        counts = [len(line.split()) for line in lines]
        total = sum(counts)
        in_prose = sum(n for line, n in zip(lines, counts, strict=True) if _sentence_like(line, n))
        if not total or in_prose < MIN_PROSE_SHARE * total:
            return "a list of short entries (one per line), not prose"
    return None
