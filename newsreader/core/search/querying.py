"""Reading a user's query: parse it, or fall back to its plain words and say so.

A search box must never answer with an error. Whoosh's parser is forgiving in the wrong way:
it quietly turns `foo:bar` into the words "foo bar", drops an unmatched quote, and returns a
match-nothing query for `AND`. So a query is checked before parsing (quotes and brackets
balanced, every `field:` known and followed by something) and after (no error nodes in the
tree); if either check fails, the query's words are searched instead, with a notice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import NUMERIC, Schema
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.query.qcore import _NullQuery
from whoosh.support.levenshtein import distance

from newsreader.core.models import Highlight
from newsreader.core.search.schema import (
    ENTITY_FIELDS,
    EXACT_FIELDS,
    FIELD_BOOSTS,
    QUERY_FIELDS,
    TEXT_FIELDS,
    text_analyzer,
)
from newsreader.core.search.spelling import Vocabulary

FALLBACK_NOTICE = "Couldn't read the query as written; searched for the words instead."
#: Letters a wildcard needs before it. Shorter (`e*`, `*ilm`, a bare `*`) makes Whoosh expand
#: thousands of terms or scan the whole vocabulary: seconds per keystroke on a big library.
MIN_WILDCARD_PREFIX = 3
WILDCARD_NOTICE = (
    f"A wildcard needs at least {MIN_WILDCARD_PREFIX} letters before it (ukrain*);"
    " searched for the words instead."
)
#: A term with a wildcard in it (outside quotes), with an optional `field:` in front.
_WILDCARD = re.compile(r"(?:\w+:)?([^\s()\[\]{}\"]*[*?][^\s()\[\]{}\"]*)")

#: The query language in a few lines, for `--help` and the search box's tooltip.
QUERY_SYNTAX = """\
kursk offensive          both words, in any form (attacks finds attacked)
"state of emergency"     exactly these words in this order (not stemmed, small words count)
kursk OR belgorod        either word; AND, NOT and brackets work too
kursk -belgorod          leave out articles with a word
ukrain*                  words starting with ukrain (three letters at least)
belgorot~                close spellings too (one edit, same first two letters; ~2: two edits)
title:kursk              one field: title, kicker, body, source, person, org, place, entity
person:"vladimir putin"  a name, whole
published:2024-08        a year, month or day; published:[2024-01 to 2024-06]; published:>2024-08-01
"""

#: A word, as a reader would type it: letters/digits, with inner apostrophes or dots (U.S.).
_WORD = re.compile(r"\w+(?:['’.]\w+)*\*?")
#: `name:` where name looks like a field (a letter first, so "12:30" is not a field).
_FIELD = re.compile(r"(?<![\w.])([A-Za-z_]\w*):")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
#: `+word` and `-word` only at the start of a word, so "al-Assad" and "2024-08-01" keep theirs.
_PLUS = r"(?<![^\s(])\+(?=\S)"
_MINUS = r"(?<![^\s(])-(?=\S)"
#: The value of a `published:` clause: a bracketed range, a quoted string or one token.
_PUBLISHED = re.compile(r"(published:\s*[<>]?=?)(\[[^\]]*\]?|\{[^}]*\}?|\"[^\"]*\"?|'[^']*'?|\S+)")
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{1,2})\b")
#: Clauses whose words are not article text, left out of the terms a reader sees highlighted.
_NOT_TEXT = re.compile(
    r"\b(?:published|source|id):\s*[<>]?=?(?:\[[^\]]*\]?|\{[^}]*\}?|\"[^\"]*\"?|'[^']*'?|\S+)"
)
#: Negated parts: `-word`, `-"a phrase"`, `NOT word`, `NOT (a group)`, with an optional field.
_NEGATED = re.compile(r"(?:(?<![^\s(])-|\bNOT\s+)(?:\w+:)?(?:\"[^\"]*\"?|\([^)]*\)?|\S+)")


@dataclass(frozen=True, slots=True)
class ReadQuery:
    """What a query string was taken to mean.

    `query` is None when there is nothing to search (an empty box, only stop words).
    `terms` are the user's own words that a match contains, for highlighting in the reading
    pane (negated words and date, source and id clauses left out; a prefix `ukrain*`
    contributes `ukrain`, which a reading pane should match at word starts).
    """

    text: str
    query: wq.Query | None
    terms: tuple[str, ...]
    notice: str | None = None


class _ExactPhraseNode(qparser.PhrasePlugin.PhraseNode):  # type: ignore[misc]  # untyped
    """A quoted phrase, searched in the unstemmed twin of its field (`schema.EXACT_FIELDS`).

    Users read quotes as "exactly these words": no stemming, stop words kept. Fields without
    a twin (source and entity names) are not stemmed to begin with and search themselves.
    """

    def query(self, parser: qparser.QueryParser) -> wq.Query:
        saved: str | None = getattr(self, "fieldname", None)
        field: str = saved or parser.fieldname
        setattr(self, "fieldname", EXACT_FIELDS.get(field, field))  # noqa: B010  # untyped
        try:
            return super().query(parser)
        finally:
            setattr(self, "fieldname", saved)  # noqa: B010


class _ExactPhrasePlugin(qparser.PhrasePlugin):  # type: ignore[misc]  # whoosh is untyped
    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):  # type: ignore[misc]
        def create(self, parser: qparser.QueryParser, match: re.Match[str]) -> Any:
            slop = match.group("slop")
            return _ExactPhraseNode(match.group("text"), match.start("text"), int(slop or 1))


def _make_parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=dict(FIELD_BOOSTS))
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(_ExactPhrasePlugin())
    # A fresh "now" for every query, so that `published:yesterday` means yesterday.
    parser.add_plugin(DateParserPlugin(basedate=datetime.now()))
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_PLUS, minusexpr=_MINUS))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def _compact_dates(text: str) -> str:
    """Rewrite ISO dates in `published:` clauses to the compact form Whoosh's date parser reads.

    Whoosh reads `20240801` and `202401` but takes `2024-08-01` for the year 2024 followed by
    stray words, so `published:[2024-01 to 2024-06]` would silently mean all of 2024.
    """

    def compact(match: re.Match[str]) -> str:
        value = _ISO_DAY.sub(lambda m: f"{m[1]}{int(m[2]):02d}{int(m[3]):02d}", match[2])
        value = _ISO_MONTH.sub(lambda m: f"{m[1]}{int(m[2]):02d}", value)
        operator = match[1].rstrip()[-1]
        if operator in "<>":
            strict = _strict_comparison(value, after=operator == ">")
            if strict is not None:
                return match[1].rstrip()[:-1] + strict
        return match[1] + value

    return _PUBLISHED.sub(compact, text)


def _strict_comparison(value: str, *, after: bool) -> str | None:
    """`>2025-03-27` as a range starting the day after, `<2025` as one ending the year before.

    Whoosh reads `>X` as "from the start of X" and `<X` as "up to the end of X", so
    `published:<2025` would include all of 2025. Only compact year, month and day values are
    rewritten; anything else ("yesterday") is left to Whoosh.
    """
    step = 1 if after else -1
    if re.fullmatch(r"\d{4}", value):
        bound = f"{int(value) + step:04d}"
    elif re.fullmatch(r"\d{6}", value):
        months = int(value[:4]) * 12 + int(value[4:]) - 1 + step
        bound = f"{months // 12:04d}{months % 12 + 1:02d}"
    elif re.fullmatch(r"\d{8}", value):
        try:
            day = datetime.strptime(value, "%Y%m%d") + timedelta(days=step)
        except ValueError:
            return None
        bound = day.strftime("%Y%m%d")
    else:
        return None
    return f"[{bound} to]" if after else f"[to {bound}]"


def _normalise_field_names(text: str) -> str:
    """`Title:kursk` means `title:kursk`: field names are matched without case."""
    return _FIELD.sub(
        lambda m: (m[1].lower() if m[1].lower() in QUERY_FIELDS else m[1]) + ":", text
    )


def syntax_problem(text: str) -> str | None:
    """Why the query cannot be read as written (None if it looks well formed).

    These are the mistakes Whoosh would otherwise paper over without telling anyone.
    """
    if text.count('"') % 2:
        return "unbalanced quotes"
    depth = 0
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for part in re.split(r"(\"[^\"]*\")", text):
        if part.startswith('"'):
            continue
        for char in part:
            if char in "([{":
                stack.append(char)
            elif char in pairs and (not stack or stack.pop() != pairs[char]):
                return "unbalanced brackets"
        depth = len(stack)
    if depth:
        return "unbalanced brackets"
    words = re.sub(r"\"[^\"]*\"|[()]", " _ ", text).split()
    if words and (words[0] in {"AND", "OR"} or words[-1] in {"AND", "OR", "NOT"}):
        return "an operator with nothing on one side"
    unquoted = re.sub(r"\"[^\"]*\"", "_", text)  # a phrase counts as a value
    for match in _WILDCARD.finditer(unquoted):
        literal = re.split(r"[*?]", match[1].lstrip("+-"), maxsplit=1)[0]
        if len(literal) < MIN_WILDCARD_PREFIX:
            return "short wildcard"
    for match in _FIELD.finditer(unquoted):
        name = match[1]
        if name not in QUERY_FIELDS:
            return f"no field called {name!r}"
        rest = unquoted[match.end() :]
        if not rest or rest[0].isspace() or rest[0] == ")":
            return f"nothing after {name}:"
    return None


#: The most edits a fuzzy term (`kursk~2`) may allow: `economy~5` took 8 s at 10k articles
#: and matches words that have nothing to do with economy.
MAX_FUZZY_EDITS = 2


#: Letters a fuzzy term's matches share with it: misspellings rarely touch the start of a
#: word, and each letter divides the words to compare by about twenty.
FUZZY_PREFIX = 2


def _tame(q: wq.Query) -> wq.Query:
    """Clamp fuzzy terms to `MAX_FUZZY_EDITS` (the parser accepts any number) and make them
    keep their first `FUZZY_PREFIX` letters."""
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(leaf, wq.FuzzyTerm):
            leaf.maxdist = min(leaf.maxdist, MAX_FUZZY_EDITS)
            leaf.prefixlength = max(leaf.prefixlength, FUZZY_PREFIX)
    return q


def _broken(q: wq.Query) -> bool:
    """Does the parsed tree contain the parser's error or match-nothing nodes?"""
    if isinstance(q, _NullQuery) or getattr(q, "error", None) is not None:
        return True
    return any(_broken(child) for child in q.children())


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """The leaf queries a matching document contains (not those under NOT)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


def matched_terms(q: wq.Query, reader: Any, fieldname: str) -> frozenset[str]:
    """The indexed terms (stems) of one field that the query looks for, prefixes and fuzzy
    terms expanded against the index: what a snippet should mark."""
    terms: set[str] = set()
    for leaf in _positive_leaves(q):
        for field, text in leaf.expanded_terms(reader):
            if field == fieldname:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return frozenset(terms)


def plain_words(text: str) -> list[str]:
    """The words of a query with all syntax removed: field names, operators, quotes, wildcards.

    Words are lower-cased so that "and" / "or" / "not" can never be read as operators again.
    """
    without_fields = _FIELD.sub(" ", text)
    words = [m[0].rstrip("*") for m in _WORD.finditer(without_fields)]
    return [word.lower() for word in words if word and word not in _OPERATORS]


def highlight_terms(text: str) -> tuple[str, ...]:
    """The words a reader should see highlighted in a matching article (see `ReadQuery`)."""
    positive = _NEGATED.sub(" ", _NOT_TEXT.sub(" ", text))
    analyzer = text_analyzer()
    terms: dict[str, None] = {}
    for word in plain_words(positive):
        # Words the index ignores (stop words, single letters) would only add noise.
        if any(True for _ in analyzer(word)):
            terms[word] = None
    return tuple(terms)


def read_query(schema: Schema, text: str) -> ReadQuery:
    """Parse `text`; on any failure, fall back to its plain words with a notice."""
    text = text.strip()
    if not text:
        return ReadQuery(text, None, ())
    prepared = _compact_dates(_normalise_field_names(text))
    problem = syntax_problem(prepared)
    if problem is None:
        try:
            parsed = _make_parser(schema).parse(prepared)
        except Exception:  # any parser failure means: use the words instead
            parsed = None
        if parsed is not None and not _broken(parsed):
            return ReadQuery(text, _tame(parsed), highlight_terms(prepared))
    # Only stop words ("the") is not a syntax error: there is just nothing to look for.
    as_typed = problem is None and " ".join(plain_words(text)) == text
    notice = WILDCARD_NOTICE if problem == "short wildcard" else FALLBACK_NOTICE
    return read_words(schema, text, notice=None if as_typed else notice)


def read_words(schema: Schema, text: str, notice: str | None = FALLBACK_NOTICE) -> ReadQuery:
    """`text` taken as plain words only (every word required), whatever syntax it has."""
    text = text.strip()
    words = plain_words(text)
    fallback_text = " ".join(words)
    fallback = _make_parser(schema).parse(fallback_text) if words else None
    if fallback is not None and _broken(fallback):
        fallback = None
    return ReadQuery(text, fallback, highlight_terms(fallback_text), notice)


# -- did you mean ---------------------------------------------------------------------------------


def _same_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


#: "Did you mean" looks at this many words of a query at most, each no longer than
#: `SUGGEST_MAX_WORD`, and stops when `SUGGEST_BUDGET` seconds have passed: it is a hint,
#: and it once made a long query take minutes.
SUGGEST_MAX_WORDS = 8
SUGGEST_MAX_WORD = 24
SUGGEST_BUDGET = 0.25


def suggest(vocabulary: Vocabulary, read: ReadQuery) -> str | None:
    """The query with misspelt words corrected ("did you mean"), or None if none are."""
    corrected = read.text
    changed = False
    deadline = time.monotonic() + SUGGEST_BUDGET
    for word in read.terms[:SUGGEST_MAX_WORDS]:
        if len(word) > SUGGEST_MAX_WORD:
            continue
        if time.monotonic() > deadline:
            break
        replacement = vocabulary.correct(word)
        if replacement is None:
            continue

        def swap(match: re.Match[str], replacement: str = replacement) -> str:
            return _same_case(match[0], replacement)

        corrected, count = re.subn(
            rf"(?<![\w*]){re.escape(word)}(?![\w*])", swap, corrected, flags=re.IGNORECASE
        )
        changed = changed or count > 0
    return corrected if changed else None


# -- bounds ---------------------------------------------------------------------------------------

#: The most index words one prefix, wildcard, fuzzy term or range may stand for. `[a TO z]`
#: would otherwise be every word in the library (20 s at 100k articles).
MAX_EXPANSION = 300
#: ... and a whole query (`gov* OR com* OR pro* …` in three fields each) this many.
MAX_EXPANDED_WORDS = 600


def expansion_notice(capped: Sequence[str]) -> str:
    """What a user is told when `expand_terms` had to cap a term."""
    which = ", ".join(dict.fromkeys(capped))
    most = MAX_EXPANSION
    return (
        f"{which} stands for more than {most:,} words; searched the first"
        f" {most:,} in alphabetical order. Add letters to narrow it."
    )


def expand_terms(
    q: wq.Query, reader: Any, limit: int | None = None, *, entity_reader: Any = None
) -> tuple[wq.Query, list[str]]:
    """`q` with every prefix, wildcard, fuzzy term and text range replaced by the words of
    the index it stands for (at most `limit` each), and the parts that were capped.

    This is what Whoosh does when it matches such a term (an OR of the words, with the
    term's boost, or the single word alone and unboosted), done once and bounded, so that
    neither the vectorised scorer nor Whoosh's collector can be made to walk a whole lexicon.
    The whole query may stand for `MAX_EXPANDED_WORDS` words at most. Entity fields are
    expanded against `entity_reader` when they live in an index of their own.

    Fuzzy terms are matched by edit distance over the words sharing their prefix (what
    Whoosh's multi-segment reader does), not by Whoosh's automaton, which seeks through the
    on-disk word list thousands of times (seconds at 100k articles).
    """
    capped: list[str] = []
    text = reader
    most = MAX_EXPANSION if limit is None else limit
    budget = [MAX_EXPANDED_WORDS]  # words left for the whole query

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.MultiTerm):
            fieldname = node.field()
            names = entity_reader is not None and fieldname in ENTITY_FIELDS
            reader = entity_reader if names else text
            if fieldname not in reader.schema or isinstance(reader.schema[fieldname], NUMERIC):
                return node
            words: list[bytes | str] = []
            found: Iterator[bytes | str] = (
                _fuzzy_words(node, reader)
                if isinstance(node, wq.FuzzyTerm)
                else node._btexts(reader)
            )
            for word in found:
                if not word:
                    continue
                if len(words) == most or budget[0] == 0:
                    capped.append(_user_text(node))
                    break
                words.append(word)
                budget[0] -= 1
            texts = [w.decode("utf-8") if isinstance(w, bytes) else str(w) for w in words]
            if not texts:
                return wq.NullQuery
            if len(texts) == 1:
                return wq.Term(fieldname, texts[0])
            return wq.Or([wq.Term(fieldname, t) for t in texts], boost=node.boost)
        if node.is_leaf():
            return node
        return node.apply(visit)

    return visit(q), capped


def _fuzzy_words(node: wq.FuzzyTerm, reader: Any) -> Iterator[str]:
    """The words within `node.maxdist` edits of its text that share its prefix (Whoosh's
    `IndexReader.terms_within`, with a length check first to skip most distances)."""
    text: str = node.text
    most = int(node.maxdist)
    field = reader.schema[node.fieldname]
    for btext in reader.expand_prefix(node.fieldname, text[: node.prefixlength]):
        word: str = field.from_bytes(btext)
        if abs(len(word) - len(text)) <= most and distance(word, text, limit=most) <= most:
            yield word


def _user_text(node: wq.Query) -> str:
    """A capped term as the user typed it, near enough (`econom*`, `[a TO z]`)."""
    if isinstance(node, wq.TermRange):
        return f"[{node.start or ''} TO {node.end or ''}]"
    if isinstance(node, wq.Prefix):
        return f"{node.text}*"
    return str(getattr(node, "text", node))


#: The longest query read as written; a longer one (a pasted paragraph) is cut at a word.
#: A 10,000-character query took 8 s, nearly all of it in suggesting spellings.
MAX_QUERY_CHARS = 300
LONG_QUERY_NOTICE = f"The query was cut to its first {MAX_QUERY_CHARS} characters."


def read_bounded(schema: Schema, text: str) -> ReadQuery:
    """`read_query`, with a query longer than `MAX_QUERY_CHARS` cut at a word (and said so)."""
    text = text.strip()
    if len(text) <= MAX_QUERY_CHARS:
        return read_query(schema, text)
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ")
    if space > MAX_QUERY_CHARS // 2:
        cut = cut[:space]
    read = read_query(schema, cut)
    notice = " ".join(n for n in (LONG_QUERY_NOTICE, read.notice) if n)
    return ReadQuery(read.text, read.query, read.terms, notice)


def highlight_of(q: wq.Query, reader: Any) -> Highlight:
    """What to mark for a (term-expanded) query: stems, exact words and phrases per part.

    Negated parts are left out. Entity and source names are words of the text too, so
    `person:putin` marks "Putin" wherever it is written.
    """
    parts = {**{f: f for f in TEXT_FIELDS}, **{v: k for k, v in EXACT_FIELDS.items()}}
    stems: dict[str, set[str]] = {}
    words: dict[str, set[str]] = {}
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for leaf in _positive_leaves(q):
        if isinstance(leaf, wq.Phrase):
            targets = [parts[leaf.fieldname]] if leaf.fieldname in parts else list(TEXT_FIELDS)
            for part in targets:
                phrases.setdefault(part, set()).add(tuple(str(w) for w in leaf.words))
            continue
        for field, text in leaf.expanded_terms(reader):
            word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            if field in TEXT_FIELDS:
                stems.setdefault(field, set()).add(word)
            elif field in parts:
                words.setdefault(parts[field], set()).add(word)
            elif field in ENTITY_FIELDS:
                for part in TEXT_FIELDS:
                    words.setdefault(part, set()).add(word)
    return Highlight(
        stems={k: frozenset(v) for k, v in stems.items()},
        words={k: frozenset(v) for k, v in words.items()},
        phrases={k: frozenset(v) for k, v in phrases.items()},
    )
