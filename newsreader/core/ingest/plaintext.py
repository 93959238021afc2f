"""Plain-text files: how lines of text become articles.

Segmentation rule (the README quotes this):

A `.txt` file is read in one of three ways, after hard-wrapped text (every line at most 100
characters, and most lines that run on into another line stopping mid-sentence) has been
unwrapped: consecutive lines are joined into one paragraph.

1. Explicit separators win. A form feed or a line of three or more `-`, `=`, `*` or `_`
   splits the file into blocks, and each block is one article; so do runs of two or more blank
   lines (except in a titled file, rule 2). Single blank lines separate articles when some
   block between them has several lines; when every block is a single line, they are only
   paragraph spacing (rule 3 applies).
2. A titled article. A file or block whose first line is a headline (one sentence of at most
   150 characters and 25 words, no final full stop) followed by a blank line is one article
   with that title, one paragraph per line (the BBC layout). Inside such a file a run of blank
   lines starts a new article only where another headline of at most 15 words and a blank
   line follow it. A line whose last sentence mark is a full stop is never a headline, even
   inside closing quotes or brackets (`"We won."`, `(Reuters.)`).
3. A running corpus. Otherwise every line is a paragraph, and a new article starts
   - after a paragraph of 8 or more words that ends mid-sentence (no `.`, `!`, `?` or `…`
     before any closing quotes or brackets, and no `:` introducing what follows): that
     article was cut off there;
   - at a paragraph that opens with an all-caps lead-in label (`DITCH TACTICS: …`);
   - at a paragraph that opens with a dateline (`LONDON (Reuters) - …`, `KYIV — …`).

Within every article:
- short credit lines (`Photo: X`, `Photo credit: X`, `Image: X`, `Picture: X`, `(Photo: X)`)
  are photo credits placed after the paragraph they follow, never paragraphs;
- an all-caps lead-in label becomes the kicker. Right after a kicker, a photo caption run into
  the lead without a full stop is split off as a caption: it ends at the first lower-case word
  followed directly by `A`, `An` or `The` opening the real lead (unless that word is a
  preposition or article, as in "of The Guardian"), and only when both sides are long enough to
  be a caption (3+ words) and a lead (6+ words);
- without a headline, the title is the first sentence of the lead (after kicker, caption and
  dateline; "J.D." and "U.S." do not end a sentence), shortened at a word boundary to about
  100 characters with "…";
- an article whose last paragraph ends mid-sentence (8+ words, as above) is flagged truncated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from newsreader.core.ingest import prose
from newsreader.core.models import Article, Photo, Skipped

#: (1-based line number, text); blank lines are kept as "" until blocks are known.
Line = tuple[int, str]

MIN_CUT_OFF_WORDS = 8
MAX_WRAP_WIDTH = 100
MAX_TITLE_LINE = 150
MAX_TITLE_WORDS = 25
#: A headline inside a titled file (after a run of blank lines) is shorter still.
MAX_INNER_TITLE_WORDS = 15


_RULE_LINE = re.compile(r"^\s*([-=*_])(?:\s*\1){2,}\s*$")
_CREDIT = re.compile(
    r"^\(?\s*(?:photo(?:graph)?|picture|pic|image|credit)s?(?:\s+credits?)?\s*:\s*"
    r"(?P<credit>[^()\n]{1,80}?)\s*\)?$",
    re.IGNORECASE,
)
_MAX_CREDIT_WORDS = 10
#: All-caps label of up to six words, a colon, then the text: "DITCH TACTICS: Kenyan …".
_KICKER = re.compile(
    r"^(?P<label>[A-Z0-9][A-Z0-9&'’./\-]*(?: [A-Z0-9&'’./\-]+){0,5}):\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
#: "LONDON (Reuters) - ", "WASHINGTON, March 3 (AP) — ", "KYIV — ".
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?(?: \d{1,2})?)?"
    r"(?: ?\([A-Za-z][\w .&/-]{0,30}\))? ?[-–—]{1,2} )(?P<rest>\S.*)$",
    re.DOTALL,
)
#: A caption glued to the lead: "…dug by Haitian gang members A Kenyan policeman …".
_RUN_IN_LEAD = re.compile(r"\b(?P<word>\w*[a-z]) (?=(?:A|An|The) [A-Za-z])")
_NOT_CAPTION_END = prose.words(
    """a an the of in on at to for by from with and or but as into onto than near via"""
)


@dataclass(frozen=True, slots=True)
class _Context:
    source: str
    origin: str


# -- line classification ---------------------------------------------------------------------


def credit_of(text: str) -> str | None:
    """The credit named by a photo-credit line, or None if the line is not one."""
    match = _CREDIT.match(text.strip())
    if match is None or prose.word_count(text) > _MAX_CREDIT_WORDS:
        return None
    return match.group("credit").strip()


def kicker_of(text: str) -> tuple[str, str] | None:
    """(label, rest) when a paragraph opens with an all-caps lead-in label."""
    match = _KICKER.match(text)
    if match is None:
        return None
    label = match.group("label")
    if sum(ch.isalpha() for ch in label) < 2:  # "Q:", "2024:" are not labels
        return None
    return label, match.group("rest")


def strip_dateline(text: str) -> str:
    match = _DATELINE.match(text)
    return match.group("rest") if match else text


def starts_article(text: str) -> bool:
    """Does this paragraph open a new article (lead-in label or dateline)?"""
    return kicker_of(text) is not None or _DATELINE.match(text) is not None


def is_cut_off(text: str) -> bool:
    """A prose paragraph that stops mid-sentence (short lines may be subheadings)."""
    stripped = text.rstrip()
    return (
        prose.word_count(stripped) >= MIN_CUT_OFF_WORDS
        and not prose.ends_sentence(stripped)
        and not stripped.endswith(":")
    )


def is_title_line(text: str) -> bool:
    """A line that reads as a headline: short, one sentence, not ending in a full stop.

    The full stop counts inside closing quotes and brackets too: `"We won."` and `(Reuters.)`
    are short lines of a paragraph, not headlines.
    """
    stripped = text.strip()
    return (
        0 < len(stripped) <= MAX_TITLE_LINE
        and prose.word_count(stripped) <= MAX_TITLE_WORDS
        and not stripped.rstrip(prose.CLOSERS).rstrip().endswith(".")
        and len(prose.split_sentences(stripped)) == 1
        and credit_of(stripped) is None
    )


def split_run_in_caption(text: str) -> tuple[str, str]:
    """(caption, lead) for a caption glued to the lead without punctuation; ("", text) if none.

    Only the first sentence is searched: a caption never spans a full stop.
    """
    first = prose.first_sentence(text)
    for match in _RUN_IN_LEAD.finditer(first):
        if match.group("word").lower() in _NOT_CAPTION_END:
            continue
        caption, lead = text[: match.end("word")].strip(), text[match.end() :].strip()
        if prose.word_count(caption) >= 3 and prose.word_count(prose.first_sentence(lead)) >= 6:
            return caption, lead
    return "", text


# -- blocks ----------------------------------------------------------------------------------


def _is_hard_wrapped(lines: list[Line]) -> bool:
    """Text broken into lines at a fixed width (e-mail, Usenet, Project Gutenberg style)."""
    texts = [text for _, text in lines if text.strip()]
    if not texts or max(len(text) for text in texts) > MAX_WRAP_WIDTH:
        return False
    running_on = [
        text for (_, text), (_, after) in pairwise(lines) if text.strip() and after.strip()
    ]
    if len(running_on) < 3:
        return False
    open_ended = sum(1 for text in running_on if not prose.ends_sentence(text))
    return open_ended >= len(running_on) / 2


def _joinable(text: str) -> bool:
    return (
        bool(text.strip())
        and "\f" not in text
        and not _RULE_LINE.match(text)
        and credit_of(text) is None
    )


def _unwrap(lines: list[Line]) -> list[Line]:
    """Join the lines of each wrapped paragraph; a line-end hyphen joins without a space."""
    joined: list[Line] = []
    previous_joinable = False
    for number, text in lines:
        joinable = _joinable(text)
        if joinable and previous_joinable:
            head = joined[-1][1].rstrip()
            glue = "" if head.endswith("-") and head[-2:-1].isalpha() else " "
            joined[-1] = (joined[-1][0], head + glue + text.strip())
        else:
            joined.append((number, text))
        previous_joinable = joinable
    return joined


def _split_strong(lines: list[Line]) -> list[list[Line]]:
    """Split at form feeds and rule lines (`---`, `===`, `***`, `___`)."""
    blocks: list[list[Line]] = [[]]
    for number, text in lines:
        if "\f" in text:
            pieces = text.split("\f")
            blocks[-1].append((number, pieces[0]))
            blocks.extend([(number, piece)] for piece in pieces[1:])
        elif _RULE_LINE.match(text):
            blocks.append([])
        else:
            blocks[-1].append((number, text))
    return [trimmed for block in blocks if (trimmed := _trim(block))]


def _split_runs(block: list[Line]) -> list[list[Line]]:
    """Split at runs of two or more blank lines; single blank lines stay inside."""
    parts: list[list[Line]] = [[]]
    blank_run = 0
    for line in block:
        if line[1].strip():
            if blank_run >= 2:
                parts.append([])
            elif blank_run == 1:
                parts[-1].append((line[0] - 1, ""))
            parts[-1].append(line)
            blank_run = 0
        else:
            blank_run += 1
    return [trimmed for part in parts if (trimmed := _trim(part))]


def _titled_sections(block: list[Line]) -> list[list[Line]]:
    """Titled articles in a block that opens with one: a run of blank lines starts a new
    article only when a new title line + blank line follows it. (BBC files use such runs
    inside one article, before lists and readers' comments.)"""
    sections: list[list[Line]] = []
    for part in _split_runs(block):
        if not sections or (_titled(part) and _short_headline(part[0][1])):
            sections.append(part)
        else:
            sections[-1].extend([(part[0][0] - 1, ""), *part])
    return sections


def _short_headline(text: str) -> bool:
    """A headline short enough to open another article inside a titled file: a long line
    without a full stop there is a paragraph cut short, not a new story's title."""
    return prose.word_count(text) <= MAX_INNER_TITLE_WORDS


def _trim(block: list[Line]) -> list[Line]:
    start, end = 0, len(block)
    while start < end and not block[start][1].strip():
        start += 1
    while end > start and not block[end - 1][1].strip():
        end -= 1
    return block[start:end]


def _split_blank(block: list[Line]) -> list[list[Line]]:
    chunks: list[list[Line]] = [[]]
    for line in block:
        if line[1].strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _titled(block: list[Line]) -> bool:
    """Title line, blank line, then text: the one-article-per-file layout."""
    return (
        len(block) >= 3
        and is_title_line(block[0][1])
        and not block[1][1].strip()
        and any(text.strip() for _, text in block[2:])
    )


# -- articles --------------------------------------------------------------------------------


def build_article(
    lines: list[Line], ctx: _Context, *, title: str = "", kind: str = "text", origin: str = ""
) -> Article | Skipped:
    """One article from its lines: credits set apart, kicker and run-in caption split off,
    a title derived when none was given, and the truncated flag set."""
    origin = origin or f"{ctx.origin}:{lines[0][0]}"
    paragraphs: list[str] = []
    photos: list[Photo] = []
    for _, text in lines:
        if not text.strip():
            continue
        credit = credit_of(text)
        if credit is not None:
            photos.append(Photo(credit=credit, after_paragraph=len(paragraphs) - 1))
        else:
            paragraphs.append(text.strip())
    if not paragraphs:
        return Skipped(origin, "no article text (only photo credits)")
    kicker = ""
    labelled = kicker_of(paragraphs[0])
    if labelled is not None:
        kicker, lead = labelled
        caption, lead = split_run_in_caption(lead)
        if caption:
            photos.insert(0, Photo(caption=caption, after_paragraph=-1))
        paragraphs[0] = lead
    if not title:
        title = prose.title_from_text(strip_dateline(paragraphs[0]))
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        kicker=kicker,
        photos=tuple(photos),
        source=ctx.source,
        source_kind=kind,
        origin=origin,
        truncated=prose.word_count(paragraphs[-1]) >= MIN_CUT_OFF_WORDS
        and not prose.ends_sentence(paragraphs[-1]),
    )


def _block_article(block: list[Line], ctx: _Context) -> Article | Skipped:
    """A block that is known to be one article (rule 1)."""
    if _titled(block):
        return build_article(block[2:], ctx, title=block[0][1].strip(), origin=_at(ctx, block))
    nonblank = [line for line in block if line[1].strip()]
    first = nonblank[0][1]
    if (
        len(nonblank) > 1
        and is_title_line(first)
        and not prose.ends_sentence(first)
        and not starts_article(first)
        and prose.word_count(first) <= 15
    ):
        return build_article(nonblank[1:], ctx, title=first.strip(), origin=_at(ctx, block))
    return build_article(nonblank, ctx)


def _at(ctx: _Context, block: list[Line]) -> str:
    return f"{ctx.origin}:{block[0][0]}"


def segment(paragraphs: list[Line]) -> list[list[Line]]:
    """Group running paragraphs into articles (rule 3). Credit lines never start or end one."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    has_text = False
    cut = False
    for line in paragraphs:
        text = line[1]
        if credit_of(text) is not None:
            current.append(line)
            continue
        if has_text and (cut or starts_article(text)):
            groups.append(current)
            current, has_text = [], False
        current.append(line)
        has_text = True
        cut = is_cut_off(text)
    if current:
        groups.append(current)
    return groups


def _read_block(block: list[Line], ctx: _Context) -> Iterator[Article | Skipped]:
    """Articles from a block with no strong separators inside (rules 1 to 3)."""
    if _titled(block):
        sections = _titled_sections(block)
        if len(sections) == 1:  # the whole file is one article
            yield build_article(
                block[2:], ctx, title=block[0][1].strip(), kind="file", origin=ctx.origin
            )
            return
        for section in sections:
            yield _block_article(section, ctx)
        return
    parts = _split_runs(block)
    if len(parts) > 1:
        for part in parts:
            yield _block_article(part, ctx)
        return
    chunks = _split_blank(block)
    if len(chunks) > 1 and any(len(chunk) > 1 for chunk in chunks):
        for chunk in chunks:
            yield _block_article(chunk, ctx)
        return
    for group in segment([line for line in block if line[1].strip()]):
        yield build_article(group, ctx)


def read_text(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """Articles from decoded plain text, by the module's segmentation rule; a file that is
    not prose at all (a word list, code, a table) is skipped with the reason."""
    reason = prose.not_prose(text)
    if reason is not None:
        yield Skipped(origin, reason)
        return
    ctx = _Context(source=source, origin=origin)
    lines = list(enumerate(text.split("\n"), start=1))
    if _is_hard_wrapped(lines):
        lines = _unwrap(lines)
    blocks = _split_strong(lines)
    if not blocks:
        yield Skipped(origin, "empty file")
    elif len(blocks) == 1:
        yield from _read_block(blocks[0], ctx)
    else:
        for block in blocks:
            yield _block_article(block, ctx)
