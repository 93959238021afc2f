"""Rule layers that correct the statistical model where a news reader would notice.

The small spaCy model reads one paragraph at a time and forgets everything else: it calls
`Kursk` a product in one paragraph and an organisation in the next, misses `Alexei Smirnov`
after `Kursk Governor`, and reads `Petronas` as a person. Each layer below fixes a *kind* of
error with general evidence, never a word-by-word patch.

The layers are one registry, `LAYERS`: each has a name (what `Options` switches off and
`bench/ner_eval.py` reports, measuring what each pays on CoNLL-2003 and real news), runs in the
registry's order, and is documented once, in its function's docstring (`Layer.doc`).

Names found once are also found in parts written in capitals (headlines, kickers).

Model spans are trimmed of a leading `the`, quotes and a trailing possessive, also a spaced
one (`Reagan 's`, as tokenised text such as CoNLL-2003 writes it).

Spans set by a rule are `sure` and win overlaps against model spans.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from newsreader.core.entities import (
    acronym_first,
    club_players,
    company_units,
    competitions,
    compounds,
    cut_short,
    dateline_towns,
    demonyms,
    determiners,
    game_towns,
    gazetteer,
    genres,
    headline_words,
    headlines,
    institutions,
    job_names,
    leading_dates,
    list_gaps,
    list_mates,
    lower_case,
    lower_tails,
    name_particles,
    name_pieces,
    opening_conjunctions,
    people,
    person_appositives,
    place_codes,
    place_nouns,
    place_people,
    platforms,
    press,
    pronouns,
    ranked_rows,
    regnal_names,
    roles,
    scorecards,
    short_orgs,
    sides,
    sports_lines,
)
from newsreader.core.entities import words as english

#: spaCy OntoNotes labels → the types a reader sees (`models.ENTITY_TYPES`).
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "LANGUAGE": "group",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "work",
    "PRODUCT": "work",
    "DATE": "date",
    "TIME": "date",
    "CARDINAL": "number",
    "MONEY": "number",
    "PERCENT": "number",
    "QUANTITY": "number",
    "ORDINAL": "number",
}

#: Types whose names rules reason about (dates and numbers are left as the model found them).
NAME_TYPES = frozenset({"person", "org", "place", "group", "event", "work"})
#: When votes tie, the more specific reading wins.
_PRIORITY = {"person": 6, "place": 5, "org": 4, "group": 3, "event": 2, "work": 1}


@dataclass(slots=True)
class Span:
    """A typed span of one part's text; `rule` names the layer that set it ("" = the model)."""

    part: int
    start: int
    end: int
    type: str
    rule: str = ""
    label: str = ""  # the model's OntoNotes label, if the model found it

    @property
    def sure(self) -> bool:
        return bool(self.rule)


# -- shared regular expressions ---------------------------------------------------------------

# A name word: capitalised with a lower-case letter (`Smirnov`, `McDonald`, `O'Brien`), or
# initials (`J.D.`). All-caps words are not name words: `US`, `NATO`, headline shouting.
_WORD = r"(?:[A-Z](?:\.[A-Z])*\.|[A-Z][\w'’\-]*[a-z][\w'’\-]*)"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,3}}"
_POSSESSIVE = re.compile(r"['’]s?$")

_TITLES = (
    "President|Vice President|Prime Minister|Deputy Prime Minister|Premier|Chancellor|"
    "Governor|Gov\\.|Senator|Sen\\.|Rep\\.|Representative|Congressman|Congresswoman|Mayor|"
    "Minister|Secretary|Ambassador|Commissioner|Chairman|Chairwoman|Speaker|"
    "King|Queen|Prince|Princess|Pope|Sheikh|Emir|"
    "Gen\\.|Lt\\.|Col\\.|Capt\\.|Sgt\\.|Colonel|Captain|Lieutenant|Sergeant|Admiral|Marshal|"
    "Judge|Mr|Mr\\.|Mrs|Mrs\\.|Ms|Ms\\.|Dr|Dr\\.|Sir|Dame|Lord|"
    "spokesman|spokeswoman|spokesperson|leader|chief|coach|striker|defender|midfielder|"
    "goalkeeper|captain|manager|director|minister|governor|president|senator|mayor|secretary|"
    "actor|actress|singer|rapper|comedian|star|host|presenter|lawyer|attorney|novelist|"
    "filmmaker|songwriter|model"
)
_TITLE_NAME = re.compile(rf"(?<![\w-])(?:{_TITLES})\s+({_NAME})")
_TITLE_WORDS = frozenset(w.replace("\\", "") for w in _TITLES.split("|") if " " not in w) | {
    "Vice",
    "Deputy",
    "Prime",
    "General",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
}

_DESCRIPTORS = (
    "company|companies|firm|group|giant|carrier|airline|bank|lender|insurer|retailer|maker|"
    "manufacturer|broadcaster|newspaper|agency|conglomerate|start-up|startup|operator|"
    "utility|supplier|producer|chain|club|party|brand|network|channel|exchange|fund|regulator"
)
_DESCRIPTOR_NAME = re.compile(rf"(?<![\w-])(?:{_DESCRIPTORS})\s+({_NAME})")

_PLACE_WORDS = (
    "Base|Air Base|Airbase|Airport|Station|Bridge|Square|Street|Avenue|Road|Park|Heights|"
    "Island|Islands|Mountains|Mountain|River|Sea|Ocean|Bay|Valley|Desert|Peninsula|Strait|"
    "Canal|Dam|Palace|Stadium|Cathedral|Gulf|Lake|Plaza|Harbour|Harbor|Coast|Province|Oblast"
)
_PLACE_NAME = re.compile(rf"(?<![\w-])((?:{_WORD}\s+){{1,3}}(?:{_PLACE_WORDS}))(?![\w-])")

_CREDIT = re.compile(
    r"^\s*(?:Photo|Photos|Photograph|Picture|Pictures|Image|Images|Video|Source|Credit)s?"
    r"(?:\s+credit)?\s*[:/|]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_CREDIT_SPLIT = re.compile(r"\s*(?:/|,|;|\bvia\b|\band\b)\s*")

#: Capitalised words that are never a surname on their own (they start sentences and dates).
_NOT_SURNAMES = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Jr",
        "Sr",
    ]
)
_DETERMINER = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"[\s,.;:!?\"“”‘'’)(\-–—]+$")
_LEADING = re.compile(r"^[\s,.;:!?\"“”‘'’)(\-–—]+")

#: What `re.IGNORECASE` matches to an ASCII letter that `str.lower` does not make one: the
#: dotless i and the long s (sre's equivalences), and `İ`, which `lower` makes two characters.
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s", "\u0130": "i"})


@lru_cache(maxsize=256)
def folded(text: str) -> str:
    """The text in lower case, of the same length, for searches that ignore case
    (`_gate`, `is_sports`): several per part, so cached, keyed by the text."""
    return text.translate(_FOLD).lower()


# -- span bookkeeping ---------------------------------------------------------------------------


class Spans:
    """An article's spans, kept per part so overlap checks look at a handful, not all."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.by_part: dict[int, list[Span]] = defaultdict(list)
        for span in spans:
            self.by_part[span.part].append(span)

    def __iter__(self) -> Iterator[Span]:
        for spans in self.by_part.values():
            yield from spans

    def overlapping(self, new: Span) -> list[Span]:
        return [
            s for s in self.by_part.get(new.part, ()) if s.start < new.end and new.start < s.end
        ]

    def free(self, new: Span) -> bool:
        return not self.overlapping(new)

    def add(self, new: Span) -> None:
        self.by_part[new.part].append(new)

    def put(self, new: Span) -> bool:
        """Add `new`, removing spans it overrides; refuse it if a stronger span is in the way.

        A sure (rule) span beats a model span; between two of the same kind the longer wins.
        """
        rivals = self.overlapping(new)
        for rival in rivals:
            if rival.start == new.start and rival.end == new.end:
                continue
            if rival.sure and not new.sure:
                return False
            if rival.sure == new.sure and (rival.end - rival.start) > (new.end - new.start):
                return False
        part = self.by_part[new.part]
        for rival in rivals:
            part.remove(rival)
        part.append(new)
        return True

    def ordered(self) -> list[Span]:
        return sorted(self, key=lambda s: (_part_order(s.part), s.start))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading `the`, quotes, brackets and a trailing possessive or punctuation."""
    chunk = text[start:end]
    if m := _LEADING.match(chunk):
        start += m.end()
        chunk = text[start:end]
    if m := _DETERMINER.match(chunk):
        start += m.end()
        chunk = text[start:end]
    if chunk.endswith((" 's", " ’s")):  # tokenised text: `Reagan 's`
        end -= 3
        chunk = text[start:end]
    m = _POSSESSIVE.search(chunk)
    if (
        m is not None
        and m.start() > 0
        and chunk[m.start() - 1] != " "
        and (m.group() != "'" or chunk.endswith("s'"))
    ):
        end = start + m.start()
        chunk = text[start:end]
    if m := _TRAILING_CONJUNCTION.search(chunk):  # `Lil Jon and`
        end = start + m.start()
        chunk = text[start:end]
    if m := _TRAILING.search(chunk):
        keep = chunk[: m.start()]
        # Keep the dot of an abbreviation or initial (`U.S.`, `Inc.`, `J.D.`).
        if chunk[m.start() :].startswith(".") and _ABBREVIATION_END.search(keep):
            keep += "."
        end = start + len(keep)
    return start, end


_TRAILING_CONJUNCTION = re.compile(r"\s+(?:and|or|nor|but|&)$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]|\.[A-Z]|Inc|Ltd|Co|Corp|Jr|Sr)$")


_SCORE_TRIMMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_TRAILING_SCORE = re.compile(r"(?<=[A-Za-z.])(?:\s+[+(]?\d[\d\-./,)]*)+$")


def scores(parts: Mapping[int, str], spans: Spans) -> None:
    """`D. Blenkiron 4-43`, `Durham 114`: in scorecards the model takes the score into the
    name. A person's name never ends in a number, an organisation's or a place's not in a
    score or a number of two digits or more (`Channel 4` keeps its digit)."""
    for span in list(spans):
        if span.sure or span.label not in _SCORE_TRIMMED:
            continue
        m = _TRAILING_SCORE.search(parts[span.part], span.start, span.end)
        if m is not None and (span.label == "PERSON" or not _ONE_DIGIT.match(m.group())):
            span.end = m.start()


_ONE_DIGIT = re.compile(r"^\s+\d$")


def separators(parts: Mapping[int, str], spans: Spans) -> None:
    """A name never runs across a spaced dash or an open bracket: the model's
    `Romania - Cosmin Contra`, `Scott Draper ( Australia` and `CRICKET - SRI LANKA` are split
    there. A piece the gazetteer knows becomes that place; a piece in title case keeps the
    model's label; the rest (a number, a shouted headline word) is dropped."""
    for span in list(spans):
        if span.sure or span.type not in NAME_TYPES:
            continue
        text = parts[span.part]
        if not _SEPARATOR.search(text, span.start, span.end):
            continue
        spans.by_part[span.part].remove(span)
        offset = span.start
        for piece in _SEPARATOR.split(text[span.start : span.end]):
            start = text.index(piece, offset)
            offset = start + len(piece)
            start, end = _trim(text, start, offset)
            name = text[start:end]
            if end <= start:
                continue
            place = gazetteer.lookup_place(name)
            if place is not None and not (place.kind == "city" and _is_acronym(name)):
                spans.add(Span(span.part, start, end, "place", label=span.label))
            elif _piece_is_name(text, name, span.start, start):
                spans.add(Span(span.part, start, end, span.type, label=span.label))


def _piece_is_name(text: str, name: str, span_start: int, start: int) -> bool:
    """Title case (particles allowed), not shouted, and not a lone first word of a
    sentence after a dash (`GERMANY - Bunds extended`)."""
    words = name.split()
    if _shouting(name) or not all(w[:1].isupper() or w in _NAME_PARTICLES for w in words):
        return False
    return len(words) > 1 or not _DASH_BEFORE.search(text, span_start, start)


_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*\(\s*|\s*\)\s*")
_DASH_BEFORE = re.compile(r"\s[-–—]\s+$")
_NAME_PARTICLES = frozenset({"of", "de", "la", "van", "von", "der", "den", "du", "da", "al", "&"})


def from_model(part: int, text: str, ents: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Model entities (start, end, OntoNotes label) as trimmed, typed spans.

    Broken spans are repaired here, before any layer sees them: a trailing conjunction is cut
    (`Lil Jon and`), so is a number after a person's name (`John Adams' 11`); an amount the
    model called a name (`331bn`, `$5m`) is a number; and a sentence's opening participle
    before a function word (`Dubbed the ...`, `Speaking to ...`) is a verb, not a name.
    """
    spans: list[Span] = []
    for start, end, label in ents:
        kind = LABEL_TYPES.get(label)
        if kind is None:
            continue
        if kind in NAME_TYPES:
            start, end = _trim(text, start, end)
            name = text[start:end]
            if label in _PERSONISH and (m := _TRAILING_NUMBER.search(name)):
                start, end = _trim(text, start, start + m.start())
            if _AMOUNT.match(name):
                kind = "number"
            elif _OPENING_VERB.match(text, start) and _sentence_start(text, start):
                continue
        if end > start:
            spans.append(Span(part, start, end, kind, label=label))
    return spans


_PERSONISH = frozenset({"PERSON", "NORP"})
_TRAILING_NUMBER = re.compile(r"(?:\s+[+(]?\d[\d\-./,)]*)+$")
_AMOUNT = re.compile(
    r"^[£$€¥]?\s?\d[\d.,]*\s?(?:bn|m|mn|k|tn|pc|%|billion|million|trillion|thousand)?$",
    re.IGNORECASE,
)
_OPENING_VERB = re.compile(
    r"[A-Z][a-z]{2,}(?:ed|ing)\s+(?:the|a|an|by|as|in|to|on|at|for|with|from|into|after)\b"
)


def _sentence_start(text: str, start: int) -> bool:
    """At the start of the text or after a sentence's end (and quotes or brackets)."""
    before = text[:start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:;\n"


def _name_span(part: int, text: str, match: re.Match[str], kind: str, rule: str) -> Span | None:
    """The span of group 1, without leading title words and a trailing possessive."""
    start, end = match.start(1), match.end(1)
    words = text[start:end].split()
    while len(words) > 1 and words[0].rstrip(".") in _TITLE_WORDS:
        start = text.index(words[1], start + len(words[0]))
        words = words[1:]
    name = text[start:end]
    if len(name) > 2:
        name = _POSSESSIVE.sub("", name)
    end = start + len(name)
    if not name or name.split()[0] in _NOT_SURNAMES:
        return None
    return Span(part, start, end, kind, rule)


def _is_acronym(text: str) -> bool:
    return text.replace(".", "").replace("&", "").isupper()


# -- the layers -----------------------------------------------------------------------------------


def credits_and_agencies(parts: Mapping[int, str], spans: Spans) -> None:
    """Credit lines (`Photo: Reuters / AFP`) and wire-service names are organisations."""
    agencies = gazetteer.agency_keys()
    for part, text in parts.items():
        credit = _CREDIT.match(text)
        if credit is not None:
            offset = credit.start(1)
            for piece in _CREDIT_SPLIT.split(credit.group(1)):
                piece_start = text.find(piece, offset)
                offset = piece_start + len(piece)
                if piece and gazetteer.fold(piece) in agencies:
                    spans.put(Span(part, piece_start, piece_start + len(piece), "org", "agency"))
        if _AGENCY_WORDS.search(text):
            for match in _AGENCY_WORDS.finditer(text):
                spans.put(Span(part, match.start(), match.end(), "org", "agency"))
    for span in spans:
        if not span.sure and span.type in NAME_TYPES:
            text = parts[span.part][span.start : span.end]
            if gazetteer.fold(text) in agencies and (len(text) > 3 or text.isupper()):
                span.type, span.rule = "org", "agency"


#: Agency names safe to find in running text even where the model saw nothing: long enough
#: and capitalised so that they are no common word (`AP`, `PA` are left to the model).
_AGENCY_WORDS = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(name)
        for name in sorted(gazetteer.NEWS_AGENCIES, key=len, reverse=True)
        if len(name) >= 5 and name[:1].isupper()
    )
    + r")(?![\w-])"
)


def titles(parts: Mapping[int, str], spans: Spans) -> None:
    """A capitalised name after a personal title (`Governor Alexei Smirnov`) is a person,
    and a known place just before the title is a place (`Kursk Governor`, `Texas Senator`)."""
    for part, text in parts.items():
        for match in _TITLE_NAME.finditer(text):
            span = _name_span(part, text, match, "person", "title")
            if span is None or gazetteer.lookup_place(text[span.start : span.end]):
                continue
            spans.put(span)
            # Only before a formal title (`Kursk Governor`): before a job (`Surrey captain`,
            # `Newcastle striker`) the place names a club, which the teams layer decides.
            if not text[match.start()].isupper():
                continue
            before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
            if before is None or _is_acronym(before.group(1)):
                continue
            if gazetteer.lookup_place(before.group(1)) is not None:
                place = Span(part, before.start(1), before.end(1), "place", "title")
                if all(not s.sure for s in spans.overlapping(place)):
                    spans.put(place)


_WORD_BEFORE = re.compile(rf"(?<![\w.-])({_WORD})\s+$")


def initials(parts: Mapping[int, str], spans: Spans) -> None:
    """`C. Tolley`, `J. Ratcliffe`: an initial and a capitalised surname is a person.

    Not after a capitalised word (`Plan B. Then`), and not where the model or a rule found
    something longer; the model misses these in lists and scorecards, with no sentence around.
    """
    for part, text in parts.items():
        if not _INITIAL.search(text):  # what every match starts with: cheap to rule out
            continue
        for match in _INITIAL_NAME.finditer(text):
            name = match.group(1)
            if name.split()[-1].strip(".") in _NOT_SURNAMES or name.split()[-1] in _TITLE_WORDS:
                continue
            new = Span(part, match.start(1), match.end(1), "person", "initials")
            rivals = spans.overlapping(new)
            if any(s.sure or (s.end - s.start) > (new.end - new.start) for s in rivals):
                continue
            spans.put(new)


_INITIAL = re.compile(r"[A-Z]\.")
_INITIAL_NAME = re.compile(
    r"(?:^|(?<=[,;:(]\s)|(?<=\b[a-z]{2}\s)|(?<=\d\s))"
    r"((?:[A-Z]\.\s?){1,2}[A-Z][a-z]+(?:['’\-][A-Z]?[a-z]+)*)(?![\w.])"
)


def self_naming(parts: Mapping[int, str], spans: Spans) -> None:
    """`identified himself as Ruzhyk`, `introduced herself as Anna`: a person's name.

    Only cues that refer to a person (a reflexive pronoun, `his/her name`): `called X` and
    `named X` also name ships, companies and operations.
    """
    for part, text in parts.items():
        if not _SELF_CUE.search(text):
            continue
        for match in _SELF_NAME.finditer(text):
            span = _name_span(part, text, match, "person", "self-naming")
            if span is not None and not gazetteer.lookup_place(text[span.start : span.end]):
                spans.put(span)


_SELF_CUE = re.compile(r"\b(?:himself|herself|his name|her name)\b")
_SELF_NAME = re.compile(
    r"\b(?:(?:identified|introduced|described|calls|called|named|gave)\s+(?:himself|herself)"
    r"|(?:gave|giving|gives)\s+(?:his|her)\s+(?:first\s+|last\s+)?name)"
    rf"\s+(?:only\s+)?(?:as\s+)?({_NAME})"
)


def shouting(parts: Mapping[int, str], spans: Spans, shouted: Iterable[int]) -> None:
    """Drop the model's spans in the given parts written in capitals, unless the gazetteer
    knows the name (a place or an agency); rules and body names mark them again later."""
    agencies = gazetteer.agency_keys()
    for part in shouted:
        text = parts.get(part)
        if text is None or not _shouting(text):
            continue
        for span in list(spans.by_part.get(part, ())):
            if span.sure or span.type not in NAME_TYPES:
                continue
            name = text[span.start : span.end]
            if gazetteer.lookup_place(name) is None and gazetteer.fold(name) not in agencies:
                spans.by_part[part].remove(span)


def festivals(parts: Mapping[int, str], spans: Spans) -> None:
    """`Eid al-Fitr`, `Diwali`, `Lunar New Year`: festivals are events, where nothing else
    was found (a date the model read, `Christmas Day`, stays a date)."""
    for part, text in parts.items():
        for match in _FESTIVAL.finditer(text):
            new = Span(part, match.start(), match.end(), "event", "festival")
            if spans.free(new):
                spans.add(new)


_FESTIVAL = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(name) for name in sorted(gazetteer.FESTIVALS, key=len, reverse=True))
    + r")(?![\w-])"
)


def descriptors(parts: Mapping[int, str], spans: Spans) -> None:
    """A capitalised name after `company`, `airline`, `bank` ... is an organisation.

    Only where the model saw a person, a work or nothing: descriptors also precede people
    (`group leader`) and places (`club Barcelona`), which the model usually gets right.
    """
    for part, text in parts.items():
        for match in _DESCRIPTOR_NAME.finditer(text):
            if _PERSON_PRODUCER.search(text, max(0, match.start() - 20), match.start() + 9):
                continue  # `executive producer Amanda Ross` is a person's job
            span = _name_span(part, text, match, "org", "descriptor")
            if span is None:
                continue
            if all(not s.sure and s.type in {"person", "work"} for s in spans.overlapping(span)):
                spans.put(span)


#: `producer` is a company (`oil producer Yukos`) unless a person's job (`executive producer`).
_PERSON_PRODUCER = re.compile(
    r"\b(?:executive|film|record|music|TV|television|theatre|theater|line|associate|series|"
    r"show|movie|co-|joint)\s*producer\s"
)


def place_words(parts: Mapping[int, str], spans: Spans) -> None:
    """A capitalised run ending in `Base`, `Airport`, `Heights` ... is a place."""
    for part, text in parts.items():
        if not _PLACE_WORD.search(text):
            continue
        for match in _PLACE_NAME.finditer(text):
            span = _name_span(part, text, match, "place", "place-word")
            if span is None or span.end - span.start < 4:
                continue
            # An organisation named after a place (`Heathrow Airport Holdings`) stays one.
            if any(s.type == "org" and s.end > span.end for s in spans.overlapping(span)):
                continue
            spans.put(span)


_PLACE_WORD = re.compile(rf"\b(?:{_PLACE_WORDS})\b")


def org_words(parts: Mapping[int, str], spans: Spans) -> None:
    """A capitalised run ending in `Inc`, `Corp`, `Ltd`, `Bank`, `Party`, `Association` ...
    is an organisation (`Jones Medical Industries Inc`, `Conservative Party`).

    Not where a rule or a longer span of the model already covers it (`Bank of England`).
    """
    for part, text in parts.items():
        if not _ORG_WORD.search(text):
            continue
        for match in _ORG_NAME.finditer(text):
            span = _name_span(part, text, match, "org", "org-word")
            if span is None:
                continue
            if gazetteer.lookup_place(text[span.start : span.end]) is not None:
                continue  # `West Bank`, `Russian Federation`
            # Where the model found an organisation or a group (`German` in `German Foreign
            # Ministry`) its boundaries are trusted; people and places in the run are not.
            # A place reading stands against a weak word (`West Bank`, `Russian Federation`),
            # not against a company suffix (`Homegate Hospitality Inc`).
            weak = _COMPANY_END.search(text, span.start, span.end) is None
            rivals = spans.overlapping(span)
            if any(
                s.sure
                or s.type in {"org", "group"}
                or (weak and s.type == "place")
                or (s.end - s.start) > (span.end - span.start)
                for s in rivals
            ):
                continue
            spans.put(span)


_ORG_WORDS = (
    "Inc|Corp|Corporation|Ltd|Limited|Co|Plc|PLC|AG|GmbH|LLC|Holdings|Group|Bank|Newsroom|"
    "Bureau|Association|Board|Federation|Exchange|Committee|Council|Party|Agency|Institute|"
    "University|Ministry|Commission|Fund|Airlines|Airways|Industries|Pharmaceuticals|Motors"
)
_ORG_WORD = re.compile(rf"\b(?:{_ORG_WORDS})\b")
_COMPANY_END = re.compile(
    r"\b(?:Inc|Corp|Corporation|Ltd|Limited|Co|Plc|PLC|AG|GmbH|LLC|Holdings|Newsroom|"
    r"Airlines|Airways|Industries|Pharmaceuticals|Motors)\.?$"
)
_ORG_NAME = re.compile(rf"(?<![\w-])((?:{_WORD}\s+(?:&\s+)?){{1,4}}(?:{_ORG_WORDS})\.?)(?![\w-])")


def acronyms(parts: Mapping[int, str], spans: Spans) -> None:
    """`Kurdistan Democratic Party (KDP)`: the acronym in brackets is the same kind of name."""
    for span in list(spans):
        if span.type not in {"org", "place", "event", "work", "group"}:
            continue
        text = parts[span.part]
        match = _ACRONYM_AFTER.match(text, span.end)
        if match is None or " " not in text[span.start : span.end].strip():
            continue
        new = Span(span.part, match.start(1), match.end(1), span.type, "acronym")
        spans.put(new)


_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Z0-9&.\-]{1,9})\s*\)")


def results_tables(parts: Mapping[int, str], spans: Spans) -> None:
    """In sports results and standings lines, the names are teams: organisations.

    `Chicago 4 Houston 3`, `Fulham 4 3 0 1 5 3 9`, `MINNESOTA AT MILWAUKEE`: the model
    reads the city in a team's name as a place. A person keeps their label (golf and tennis
    results list players), and the label spreads to the rest of the article through the
    consistency layer, so `Surrey, who thrashed Warwickshire` is right too.
    """
    for part, text in parts.items():
        found: list[tuple[int, int]] = []
        match = _RESULT_LINE.match(text) or _FIXTURE_LINE.match(text)
        if match is not None:
            found += [(match.start(g), match.end(g)) for g in (1, 2) if match.group(g)]
        if _DIGIT.search(text):
            scores = [(m.start(1), m.end(1)) for m in _SCORE.finditer(text)]
            if len(scores) >= 2:  # `Warwickshire 195 , Surrey 429-7 ( ... )`
                found += scores
        for start, end in found:
            new = Span(part, start, end, "org", "results")
            # A person keeps their label, unless a lone word in a scoreline (the model reads
            # `Derbyshire 24 points` as a person; players are listed with a first name).
            people = [s for s in spans.overlapping(new) if s.type == "person"]
            if _is_country(text[start:end]) or any(
                " " in text[s.start : s.end] or (s.start, s.end) != (start, end) for s in people
            ):
                continue
            spans.put(new)


_TEAM = r"[A-Z][\w'’&.\-]*(?:\s+[A-Z][\w'’&.\-]*){0,3}"
_RESULT_LINE = re.compile(
    rf"^\s*({_TEAM})\s+\d+(?:\s+({_TEAM})\s+\d+\s*(?:\(.*\))?\s*$|(?:\s+[\d.\-/]+){{2,}}\s*$)"
)
_DIGIT = re.compile(r"\d")
# A team and its score, at the start of a line or after a comma, colon or semicolon.
_SCORE = re.compile(
    rf"(?:^|[,:;]\s*)({_TEAM})\s+\d+(?:-\d+)?(?=\s+(?:and|points|pts)\b|\s*[,.(;]|\s*$)"
)
_FIXTURE_LINE = re.compile(rf"^\s*({_TEAM})\s+(?:AT|at|v|vs|vs\.|-)\s+({_TEAM})\s*$")


def is_sports(parts: Mapping[int, str]) -> bool:
    """A sports story: at least three distinct sports terms (`innings`, `halftime`,
    `striker` ...) in it, or one and a sport named in its head (kicker, title, first
    paragraph). A sport named in passing (`the president played golf`) is not enough."""
    last = getattr(_last_sports, "answer", None)
    if last is not None and last[0] is parts:
        return bool(last[1])
    found = _is_sports(parts)
    _last_sports.answer = (parts, found)
    return found


#: The article `is_sports` last answered for in this thread (two layers ask in a row).
_last_sports = threading.local()


def _is_sports(parts: Mapping[int, str]) -> bool:
    head = " ".join(parts.get(p, "") for p in (-2, -1, 0))
    needed = 1 if _SPORT_NAME.search(head) else 3
    terms: set[str] = set()
    for text in parts.values():
        # Any number of scorelines (`2-1`) count as one term. Searched in `folded` text, the
        # term taken from the text itself (as `lower()` spells it, `İnnings` included).
        terms.update(
            "2-1" if text[m.start()].isdigit() else text[m.start() : m.end()].lower()
            for m in _SPORT_TERM_FOLDED.finditer(folded(text))
        )
        if len(terms) >= needed:
            return True
    return False


_SPORT_NAME = re.compile(
    r"\b(?:soccer|football|cricket|baseball|basketball|rugby|tennis|golf|ice hockey|hockey|"
    r"boxing|athletics|cycling|motor racing|formula one|squash|volleyball|handball|"
    r"Premier League|Champions League|NFL|NBA|NHL|MLB)\b",
    re.IGNORECASE,
)
_SPORT_TERM = re.compile(
    r"\b(?:innings|wickets?|halftime|half-time|goalkeeper|striker|midfielder|quarterback|"
    r"pitcher|touchdowns?|home runs?|relegation|relegated|standings|semi-finals?|"
    r"quarter-finals?|league|championship|scored|equaliser|equalizer|penalty|batsman|"
    r"bowler|stumps|playoffs?)\b|(?<![\w.-])\d{1,3}-\d{1,3}(?![\w.-])",
    re.IGNORECASE,
)
#: `_SPORT_TERM` (all lower case) for `folded` text: the same matches, without IGNORECASE.
_SPORT_TERM_FOLDED = re.compile(_SPORT_TERM.pattern)


def teams(parts: Mapping[int, str], spans: Spans) -> None:
    """In a sports story, a place named as a side (`Leicestershire beat Somerset`, `played
    for Nice`, `Rotor fans`, `Karlsruhe of Germany`) is a team: an organisation.

    Only in a sports story (`is_sports`), only spans the model read as a place (or a single
    word it read as a person, as it does with `Derbyshire`), never a country: national
    sides are named as their country, and CoNLL and readers alike call them places. The
    label then spreads to the rest of the story through the consistency layer.
    """
    if not is_sports(parts):
        return
    found: list[Span] = []
    for span in list(spans):
        if span.sure or span.type not in {"place", "person"}:
            continue
        text = parts[span.part]
        name = text[span.start : span.end]
        if span.type == "person" and " " in name:
            continue
        if _is_country(name):
            continue
        if not (
            _TEAM_BEFORE.search(text, max(0, span.start - 30), span.start)
            or _TEAM_AFTER.match(text, span.end)
        ):
            continue
        new = Span(span.part, span.start, span.end, "org", "teams")
        spans.put(new)
        found.append(new)
    # A known town or county the model missed, named as a side: added.
    for part, text in parts.items():
        for match in _CAPITALISED_RUN.finditer(text):
            name = match.group()
            place = gazetteer.lookup_place(name)
            if place is None or place.kind in {"country", "continent"} or _is_country(name):
                continue
            if not (
                _TEAM_BEFORE.search(text, max(0, match.start() - 30), match.start())
                or _TEAM_AFTER.match(text, match.end())
            ):
                continue
            new = Span(part, match.start(), match.end(), "org", "teams")
            if spans.free(new):
                spans.add(new)
                found.append(new)
    # `title rivals Essex, Derbyshire and Surrey`: names listed with a team are teams.
    while found:
        team = found.pop()
        text = parts[team.part]
        for span in list(spans.by_part.get(team.part, ())):
            if span.sure or span.type not in {"place", "person"}:
                continue
            gap = text[span.end : team.start] if span.end <= team.start else ""
            if span.start >= team.end:
                gap = text[team.end : span.start]
            name = text[span.start : span.end]
            if not _LIST_GAP.match(gap) or _is_country(name):
                continue
            if span.type == "person" and " " in name:
                continue
            new = Span(span.part, span.start, span.end, "org", "teams")
            spans.put(new)
            found.append(new)


_LIST_GAP = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or)\s*$")


_TEAM_BEFORE = re.compile(
    r"(?:\b(?:beat|beating|defeated|against|v|vs|drew with|draw with|lost to|defeat to|"
    r"defeat by|joined|played for|plays for|signed for|signed from|dismiss|dismissed|"
    r"bowling|bowled|reducing|rivals|side|club|team|champions|leaders|victory over|"
    r"win over|behind)\.?)\s+(?:the\s+)?$"
)
_TEAM_AFTER = re.compile(
    r"\s*(?:['’]s?\s+)?(?:(?:beat|beats|drew|draw|lost|won|wins|led|lead|trailed|reached|"
    r"reduced|defeated|edged|thrashed|routed|rallied|clinched|have beaten|had reached|"
    r"home defeat|away defeat|home win|away win|team mate|team-mate|captain|coach|"
    r"manager|striker|skipper|fans|players|supporters|side|defender|goalkeeper|"
    r"midfielder|owner|franchise)\b|\(\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*\)|"
    r"\d+\s+points\b)"
)


def _is_place(name: str) -> bool:
    """A place the gazetteer knows, or a home nation."""
    return gazetteer.lookup_place(name) is not None or gazetteer.fold(name) in _HOME_NATIONS


def _is_country(name: str) -> bool:
    """A country, home nation or continent: national sides carry its name, stay places."""
    if gazetteer.fold(name) in _HOME_NATIONS:
        return True
    place = gazetteer.lookup_place(name)
    return place is not None and place.kind in {"country", "continent"}


_HOME_NATIONS = gazetteer.HOME_NATIONS


def datelines(parts: Mapping[int, str], spans: Spans) -> None:
    """A dateline (`MOSCOW 1996-08-30`, `KYIV, Aug 13 (Reuters) -`) starts with a place.

    Only a known place in capitals at the very start of a part, followed by a date, a comma
    or a bracketed agency; anything else in capitals is left to the other layers.
    """
    for part, text in parts.items():
        match = _DATELINE.match(text) or _DATELINE_TITLE_CASE.match(text)
        if match is None:
            continue
        name = match.group(1)
        place = gazetteer.lookup_place(name)
        if place is None or (place.kind == "city" and len(name) < 4):
            continue
        new = Span(part, match.start(1), match.end(1), "place", "dateline")
        if not any(s.sure for s in spans.overlapping(new)):
            spans.put(new)


_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,2})"
    r"(?=\s*(?:,|\(|\d{4}-\d\d-\d\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)))"
)


# `Kyiv, Aug 13 (Reuters) -`: in title case only with a date or an agency right after it.
_DATELINE_TITLE_CASE = re.compile(
    rf"^\s*({_WORD}(?:\s+{_WORD}){{0,2}})(?=\s*,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.?\s+\d|\s*\((?:Reuters|AFP|AP|Bloomberg|Xinhua|TASS|Interfax|dpa|EFE)\))"
)


def relabel_places(parts: Mapping[int, str], spans: Spans) -> None:
    """A span the model found whose text is a known place becomes a place (`gazetteer` has
    the lists and thresholds).

    Guards, each from an evaluation error: an acronym is never a city (`U.N.` is not the
    Indian town of Un); a span the model read as a person becomes a place only for a
    country, a US state, a continent or a city of a million (`Washington`, `Clinton` and
    `Dole` are towns too); a sure (rule) span is left alone. A place the model found written
    as an abbreviation that no gazetteer list knows (`NRA`) is an organisation.
    """
    for span in spans:
        if span.sure or span.type not in NAME_TYPES:
            continue
        text = parts[span.part][span.start : span.end]
        if span.type == "place":
            # `NRA-backed`: an abbreviation no gazetteer knows is an organisation.
            if _is_acronym(text) and len(text) > 1 and gazetteer.place_name(text) is None:
                span.type, span.rule = "org", "gazetteer"
            continue
        if not text[:1].isupper():
            continue
        place = gazetteer.lookup_place(text)
        if place is None:
            continue
        if place.kind == "city" and _is_acronym(text):
            continue
        if span.type == "person" and place.kind == "city" and place.population < 1_000_000:
            continue
        span.type, span.rule = "place", "gazetteer"


def add_places(parts: Mapping[int, str], spans: Spans) -> None:
    """A country, US state, continent or multi-word city the model missed is added, and so is
    a known place next to an administrative word (`Kharkiv region`, `the city of Sumy`)."""
    for part, text in parts.items():
        for match in _CAPITALISED_RUN.finditer(text):
            place = gazetteer.addable_place(match.group())
            if place is None:
                continue
            span = Span(part, match.start(), match.end(), "place", "gazetteer")
            if spans.free(span):
                spans.add(span)
        if _ADMIN_WORD.search(text):
            for match in _ADMIN_PLACE.finditer(text):
                group = 1 if match.group(1) else 2
                name = match.group(group)
                if gazetteer.lookup_place(name) is None or _is_acronym(name):
                    continue
                span = Span(part, match.start(group), match.end(group), "place", "gazetteer")
                rivals = spans.overlapping(span)
                if all(not s.sure and s.end - s.start <= span.end - span.start for s in rivals):
                    spans.put(span)


_CAPITALISED_RUN = re.compile(rf"(?<![\w.-]){_WORD}(?:\s+{_WORD}){{0,2}}(?![\w-])")
# A known place name next to an administrative word is that place, even a single word the
# model missed (`Ukraine's Kharkiv region`, `the city of Sumy`).
_ADMIN = "region|province|oblast|district|county|governorate|prefecture|state|city|town|village"
_ADMIN_WORD = re.compile(rf"\b(?:{_ADMIN})\b")
_ADMIN_PLACE = re.compile(rf"(?<![\w.-])({_WORD})\s+(?:{_ADMIN})\b|\b(?:{_ADMIN})\s+of\s+({_NAME})")


_CAPITAL_WORD = re.compile(r"(?<![\w.-])[A-Z]")


def _occurrences(
    parts: Mapping[int, str], names: Iterable[str]
) -> Iterator[tuple[int, int, int, str]]:
    """Every whole-word occurrence of the (capitalised) names: (part, start, end, name).

    Longest name first at each position. A dictionary from first letter pair to names,
    checked at each capital letter, is much cheaper than compiling a regular expression of
    the names for every article; the capitals of a part, by letter pair, are found once per
    text (`_capitals`; two layers ask), so only the capitals a name could start at are tried.
    """
    index: dict[str, list[str]] = defaultdict(list)
    shouted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in sorted(names, key=len, reverse=True):
        index[name[:2]].append(name)
        upper = name.upper()
        if len(upper) == len(name) and len(name) >= 4:
            shouted[upper[:2]].append((upper, name))
    if not index:
        return
    for part, text in parts.items():
        capitals = _capitals(text)
        if _shouting(text):
            # A headline or kicker in capitals: `LEICESTERSHIRE` is the `Leicestershire`
            # named in the body (names of four letters or more, so no `US`/`us` confusion).
            for start in _starts(capitals, shouted):
                for upper, name in shouted[text[start : start + 2]]:
                    end = start + len(upper)
                    if text.startswith(upper, start) and _word_ends(text, end):
                        yield part, start, end, name
                        break
            continue
        for start in _starts(capitals, index):
            for name in index[text[start : start + 2]]:
                end = start + len(name)
                if text.startswith(name, start) and _word_ends(text, end):
                    yield part, start, end, name
                    break


@lru_cache(maxsize=4096)
def _capitals(text: str) -> dict[str, tuple[int, ...]]:
    """Where the capitalised words of `text` start, by their first two characters."""
    found: dict[str, list[int]] = defaultdict(list)
    for capital in _CAPITAL_WORD.finditer(text):
        start = capital.start()
        found[text[start : start + 2]].append(start)
    return {pair: tuple(starts) for pair, starts in found.items()}


def _starts(capitals: Mapping[str, tuple[int, ...]], names: Mapping[str, object]) -> list[int]:
    """The capitals (in text order) whose letter pair begins one of `names`."""
    if len(names) < len(capitals):
        pairs = [pair for pair in names if pair in capitals]
    else:
        pairs = [pair for pair in capitals if pair in names]
    if len(pairs) == 1:
        return list(capitals[pairs[0]])
    return sorted(start for pair in pairs for start in capitals[pair])


def _word_ends(text: str, end: int) -> bool:
    return end == len(text) or not (text[end].isalnum() or text[end] in "_-")


@lru_cache(maxsize=4096)
def _shouting(text: str) -> bool:
    """Mostly capitals: a headline, kicker or table line written in upper case."""
    letters = sum(map(str.isalpha, text))
    return letters >= 4 and sum(map(str.isupper, text)) >= 0.8 * letters


def person_chains(parts: Mapping[int, str], spans: Spans) -> dict[str, str]:
    """A surname (or, for surname-first names, the first name) after a full name is that
    person; return short form → full name.

    Only forms that belong to exactly one full name in the article are linked (two Smiths
    stay ambiguous), and every capitalised occurrence of such a form becomes a person mention,
    also where the model missed it or called it something else (`Wang` after `Wang Donghai`).
    """
    claims: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        if span.type != "person":
            continue
        words = parts[span.part][span.start : span.end].split()
        if len(words) < 2:
            continue
        full = " ".join(words)
        for position, word in ((-1, words[-1]), (0, words[0])):
            if word in _NOT_SURNAMES or len(word) < 3 or not word[1:].islower():
                continue
            if position == 0 and (word in _TITLE_WORDS or gazetteer.lookup_place(word)):
                continue
            claims[word].add(full)
    short = {word: next(iter(names)) for word, names in claims.items() if len(names) == 1}
    if not short:
        return {}
    for part, start, end, _ in _occurrences(parts, short):
        new = Span(part, start, end, "person", "chain")
        covering = spans.overlapping(new)
        if any(s.type == "person" and s.start <= new.start and s.end >= new.end for s in covering):
            continue
        # A longer name that merely contains the word (`Smirnov Institute`) stays.
        if any((s.end - s.start) > (new.end - new.start) for s in covering):
            continue
        spans.put(new)
    return short


def consistency(parts: Mapping[int, str], spans: Spans) -> None:
    """One label per surface in an article, and every further occurrence of a name marked.

    Votes: a rule label outweighs any number of model labels; among model labels the
    majority wins, ties going to the more specific type (person > place > org > ...).
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for span in spans:
        if span.type in NAME_TYPES:
            surface = parts[span.part][span.start : span.end]
            votes[surface][span.type] += 1000 if span.sure else 1
    winner = {
        surface: max(counter, key=lambda kind: (counter[kind], _PRIORITY[kind]))
        for surface, counter in votes.items()
    }
    for span in spans:
        if span.type in NAME_TYPES:
            span.type = winner[parts[span.part][span.start : span.end]]
    names = [
        surface
        for surface, kind in winner.items()
        if kind in {"person", "org", "place"}
        and len(surface) >= 3
        and surface[:1].isupper()
        and surface not in _NOT_SURNAMES
    ]
    if not names:
        return
    for part, start, end, name in _occurrences(parts, names):
        new = Span(part, start, end, winner[name], "consistency")
        if spans.free(new):
            spans.add(new)


#: Parts whose capitals mean a section label, not names: the kicker (`Mention.part` -2).
SHOUTED_PARTS = (-2,)
#: The title's part number (`models.TITLE_PART`).
TITLE_PART = -1


@dataclass(slots=True)
class Context:
    """One article as the layers see it: its parts, its spans so far, which parts are
    section labels (`shouted`), and the short form → full name links found so far."""

    parts: Mapping[int, str]
    spans: Spans
    shouted: tuple[int, ...] = SHOUTED_PARTS
    surnames: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Layer:
    """A named rule layer. `function` holds its documentation (its docstring, the one place
    the layer is described); `run` applies it to an article."""

    name: str
    function: Callable[..., object]
    run: Callable[[Context], None]

    @property
    def doc(self) -> str:
        """The first paragraph of the layer's docstring, on one line."""
        text = (self.function.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(text.split())


def _on_spans(function: Callable[[Mapping[int, str], Spans], object]) -> Callable[[Context], None]:
    def run(context: Context) -> None:
        function(context.parts, context.spans)

    return run


def _run_shouting(context: Context) -> None:
    shouting(context.parts, context.spans, context.shouted)


def _run_chains(context: Context) -> None:
    context.surnames = person_chains(context.parts, context.spans)


# -- kinds the model confuses: context cues ------------------------------------------------------

# A capitalised name of up to four words, `The` allowed first (`The Aviator`).
_CUED = rf"(?:The\s+)?({_WORD}(?:\s+(?:of|the|and|&|de)?\s*{_WORD}){{0,3}})"


def _cue(
    parts: Mapping[int, str],
    spans: Spans,
    pattern: re.Pattern[str],
    kind: str,
    rule: str,
    over: frozenset[str],
    gate: re.Pattern[str],
    *,
    need: re.Pattern[str] | None = None,
    need_folded: bool = False,
    skip_initial_common: bool = False,
    windowed: bool = False,
) -> None:
    """Mark group 1 of every match as `kind`, over model spans of the types in `over` (and
    where the model found nothing); a rule's span or a model span of another type stays.
    Only texts where `gate` (the cue words alone, cheap to find) matches are searched. A stop
    word is never marked, nor with `skip_initial_common` a common word opening a sentence.

    `need` is the cue itself exactly as `pattern` writes it (its words, case and boundary):
    every match of `pattern` contains a match of `need`, so a part without one has no match
    and is skipped before `pattern`, whose name runs backtrack at every capital, is tried
    (`tests/test_entities_cues.py` checks that on generated text). With `need_folded` the
    need is written in lower case and searched in `folded` text, like the gate. With
    `windowed` (a pattern that `WINDOWED` lists) only the stretches holding a need are
    searched (`cue_matches`)."""
    for part, text in parts.items():
        subject = folded(text) if need_folded else text
        if need is not None and not need.search(subject):
            continue
        if not gate.search(folded(text)):
            continue
        found = (
            cue_matches(pattern, need, text, subject)
            if windowed and need is not None
            else pattern.finditer(text)
        )
        for match in found:
            span = _name_span(part, text, match, kind, rule)
            if span is None:
                continue
            name = text[span.start : span.end]
            if " " not in name and (
                name.lower() in english.stop_words()
                or (
                    skip_initial_common
                    and english.common(name)
                    and _sentence_start(text, span.start)
                )
            ):
                continue  # `Other winners included ...`, `Previous winners ...`
            rivals = spans.overlapping(span)
            if any(s.sure or (s.type not in over and s.type in NAME_TYPES) for s in rivals):
                continue
            if kind != "place" and _is_place(text[span.start : span.end]):
                continue  # `UK sales`, `the Tokyo conference`, `Scotland MPs`: the place stays
            spans.put(span)


_ANY = frozenset({"person", "org", "place", "work", "event"})

#: A character no match of a name-before-cue pattern (`WINDOWED`) can hold: anything but
#: word characters, spaces, apostrophes, the quotes that close a title, the dots of
#: initials, hyphens and `&`.
_BARRIER = re.compile(r"[^\w\s'’\"”.&-]")


def cue_matches(
    pattern: re.Pattern[str], need: re.Pattern[str], text: str, subject: str
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, searching only the stretches between `_BARRIER` characters
    that hold a match of `need` (found in `subject`, the text or its `folded` copy).

    The same matches: none can cross a barrier, each holds the start of a need match, and the
    search of a stretch sees the text around it (look-behinds and `\b` read the characters
    before `pos`; the barrier at `endpos` is no word character, so `\b` there answers as in
    the whole text). A name before a common cue (`X star`, `X's profits`) is otherwise tried
    at every capital of the part (`tests/test_entities_cues.py` compares both on generated
    text)."""
    barriers = [m.start() for m in _BARRIER.finditer(text)]
    done = -1
    for hit in need.finditer(subject):
        if hit.start() < done:
            continue  # in the stretch just searched
        index = bisect_right(barriers, hit.start())
        start = barriers[index - 1] + 1 if index else 0
        done = barriers[index] if index < len(barriers) else len(text)
        yield from pattern.finditer(text, start, done)


def _gate(words: str) -> re.Pattern[str]:
    """`\b(?:words)` in any case, to search in `folded` text (the same answer as searching
    the text with `re.IGNORECASE`, which is several times slower: no fast scan for a first
    letter in any case)."""
    return re.compile(rf"\b(?:{words.lower()})")


_WORK_WORDS = (
    "film|movie|documentary|biopic|comedy|thriller|drama|musical|sitcom|series|show|"
    "programme|album|single|song|novel|book|play|opera|ballet|soap|cartoon"
)
_AWARD_WORDS = "Award|Prize|Globe|Medal|Trophy"
_AWARD_AFTER_WORDS = "nomin|winning|winner|statuette|ceremony|hopeful|snub|voters"
_PARTY_WORDS = "party|MPs?|MEPs?|manifesto|frontbencher|backbencher|peers?|leadership|candidate"
_COMPANY_WORDS = (
    "shares|stock|share|shareholders|profit|revenue|turnover|subscribers|chief|boss|chairman|"
    "CEO|stake|holding"
)
_BAND_WORDS = (
    "band|duo|trio|quartet|frontman|frontwoman|lead singer|guitarist|drummer|bassist|bandmate"
)
_MISREAD = frozenset({"person", "place", "work"})

_WORK_CUE = re.compile(
    r"\b(?:film|movie|documentary|biopic|comedy|thriller|drama|musical|sitcom|series|show|"
    r"programme|album|single|song|novel|book|play|opera|ballet|soap|cartoon)\s+['\"‘“]?" + _CUED
)
# The cue words of each context pattern below, written once: the pattern and its `_NEED`
# (the fast scan for what the pattern cannot match without) are both built from them.
_AWARD_NOUNS = r"Awards?|Prizes?|Globes?|Medal|Trophy"
_AWARD_AFTER_CUES = (
    r"nominated|nomination|nominations|nominee|nominees|winning|winner|winners|statuette|"
    r"statuettes|ceremony|hopefuls?|snub|voters"
)
_WON_CUES = (
    r"best (?:film|picture|actor|actress|director|song|album|documentary|newcomer)|"
    r"won (?:an?|his|her|their|two|three|four|five|six|seven)|wins? an?"
)
_PARTY_CUES = (
    r"party|MP|MPs|MEP|MEPs|manifesto|frontbencher|frontbenchers|backbencher|backbenchers|"
    r"peer|peers|leadership contest|candidate"
)
_COMPANY_BEFORE_CUES = r"(?:[Ss]hares|[Ss]takes?|[Hh]olding)\s+(?:in|of)"
_COMPANY_AFTER_CUES = (
    r"shares|stock|share price|shareholders|profits?|revenues?|turnover|subscribers|"
    r"chief executive|chief financial officer|boss|chairman|CEO"
)
_BAND_BEFORE_CUES = r"band|duo|trio|quartet"
_BAND_AFTER_CUES = r"frontman|frontwoman|lead singer|guitarist|drummer|bassist|bandmates?"
_WORK_STRONG_CUES = (
    r"sequel|sequels|screenplay|box office|trailer|soundtrack|franchise|spin-off|sketch|"
    r"sketches|skit|skits|spoof|spoofs|parody|episode|season finale|cast members"
)
_WORK_WEAK_CUES = r"star|stars|actor|actress|producers|films|movies|books|novels"

_AWARD_NAME = re.compile(rf"(?<![\w-])((?:{_WORD}\s+){{0,3}}{_WORD}\s+(?:{_AWARD_NOUNS}))\b")
_AWARD_AFTER = re.compile(rf"(?<![\w-])({_WORD})(?:-|\s+)(?:{_AWARD_AFTER_CUES})\b")
_AWARD_BEFORE = re.compile(rf"\b(?:{_WON_CUES})\s+({_WORD})(?=\s+[a-z]|[,.;:!?]|$)")
_PARTY_AFTER = re.compile(rf"(?<![\w-])({_WORD}(?:\s+{_WORD})?)\s+(?:{_PARTY_CUES})\b")
_COMPANY_BEFORE = re.compile(rf"\b{_COMPANY_BEFORE_CUES}\s+{_CUED}")
_COMPANY_AFTER = re.compile(
    rf"(?<![\w-])({_WORD}(?:\s+{_WORD}){{0,2}})(?:['’]s)?\s+(?:{_COMPANY_AFTER_CUES})\b"
)
_BAND = re.compile(
    rf"\b(?:{_BAND_BEFORE_CUES})\s+{_CUED}|(?<![\w-])({_WORD}(?:\s+{_WORD}){{0,2}})"
    rf"(?:['’]s)?\s+(?:{_BAND_AFTER_CUES})\b"
)


_WORK_AFTER_STRONG = re.compile(
    rf"(?<![\w-])((?:{_WORD}|[A-Z]{{2,6}})(?:\s+(?:of|the|and|&)?\s*{_WORD}){{0,3}})"
    rf"(?:['’]s|['’\"”])?\s+(?i:{_WORK_STRONG_CUES})\b"
)
_WORK_AFTER_WEAK = re.compile(
    rf"(?<![\w-])({_WORD}(?:\s+(?:of|the|and|&)?\s*{_WORD}){{0,3}})(?:['’]s)?\s+"
    rf"(?:{_WORK_WEAK_CUES})\b"
)
_WORK_AFTER_WORDS = (
    "sequel|screenplay|box office|trailer|soundtrack|franchise|spin-off|sketch|skit|spoof|"
    "parody|episode|season finale|cast members|star|actor|actress|producers|films|movies|books|"
    "novels"
)


# The gates, compiled once (not per article and cue).
_WORK_GATE = _gate(_WORK_WORDS)
_WORK_AFTER_GATE = _gate(_WORK_AFTER_WORDS)
_AWARD_GATE = _gate(_AWARD_WORDS)
_AWARD_AFTER_GATE = _gate(_AWARD_AFTER_WORDS)
_WON_GATE = _gate("best|won|win")
_PARTY_GATE = _gate(_PARTY_WORDS)
_COMPANY_GATE = _gate(_COMPANY_WORDS)
_BAND_GATE = _gate(_BAND_WORDS)

# What each cue pattern cannot match without (`_cue`'s `need`): its cue words as the pattern
# writes them, same case and boundaries, literal first so that the scan is a fast one.
_WORK_CUE_NEED = re.compile(
    r"\b(?:film|movie|documentary|biopic|comedy|thriller|drama|musical|sitcom|series|show|"
    r"programme|album|single|song|novel|book|play|opera|ballet|soap|cartoon)\s"
)
_STRONG_NEED = re.compile(rf"(?:{_WORK_STRONG_CUES})\b")  # in folded text: `(?i:...)`
_WEAK_NEED = re.compile(rf"(?:{_WORK_WEAK_CUES})\b")
_AWARD_NEED = re.compile(rf"(?:{_AWARD_NOUNS})\b")
_AWARD_AFTER_NEED = re.compile(rf"(?:{_AWARD_AFTER_CUES})\b")
_WON_NEED = re.compile(rf"\b(?:{_WON_CUES})\s")
_PARTY_NEED = re.compile(rf"(?:{_PARTY_CUES})\b")
_COMPANY_BEFORE_NEED = re.compile(rf"\b{_COMPANY_BEFORE_CUES}\s")
_COMPANY_AFTER_NEED = re.compile(rf"(?:{_COMPANY_AFTER_CUES})\b")
_BAND_NEED = re.compile(rf"\b(?:{_BAND_BEFORE_CUES})\s|(?:{_BAND_AFTER_CUES})\b")
#: (pattern, need, need searched in folded text), for the test that each need is necessary.
CUE_NEEDS: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...] = (
    (_WORK_CUE, _WORK_CUE_NEED, False),
    (_WORK_AFTER_STRONG, _STRONG_NEED, True),
    (_WORK_AFTER_WEAK, _WEAK_NEED, False),
    (_AWARD_NAME, _AWARD_NEED, False),
    (_AWARD_AFTER, _AWARD_AFTER_NEED, False),
    (_AWARD_BEFORE, _WON_NEED, False),
    (_PARTY_AFTER, _PARTY_NEED, False),
    (_COMPANY_BEFORE, _COMPANY_BEFORE_NEED, False),
    (_COMPANY_AFTER, _COMPANY_AFTER_NEED, False),
    (_BAND, _BAND_NEED, False),
)
#: The cue patterns `_cue` searches `windowed` (`cue_matches`), for the test of that.
WINDOWED: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...] = (
    (_WORK_AFTER_STRONG, _STRONG_NEED, True),
    (_WORK_AFTER_WEAK, _WEAK_NEED, False),
    (_COMPANY_AFTER, _COMPANY_AFTER_NEED, False),
)
#: (pattern, need) pairs of other layers, for the same test.
NEEDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ((_INITIAL_NAME, _INITIAL),)
#: (words, gate) pairs, for the test that a gate in folded text is the case-blind search.
GATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (_WORK_WORDS, _WORK_GATE),
    (_WORK_AFTER_WORDS, _WORK_AFTER_GATE),
    (_AWARD_WORDS, _AWARD_GATE),
    (_AWARD_AFTER_WORDS, _AWARD_AFTER_GATE),
    ("best|won|win", _WON_GATE),
    (_PARTY_WORDS, _PARTY_GATE),
    (_COMPANY_WORDS, _COMPANY_GATE),
    (_BAND_WORDS, _BAND_GATE),
)


def works(parts: Mapping[int, str], spans: Spans) -> None:
    """A name after `film`, `comedy`, `album`, `novel`, `show` ... is a work (`comedy
    Sideways`, `the movie The Aviator`), whatever the model read it as; so is a name before
    `sequel`, `screenplay`, `trailer`, `sketch`, `episode` ... where the model read a person
    or an organisation (`SNL sketch`), and before `star`, `producers`, `films` ... where it
    read a person (`Harry Potter star`; `Disney films` stay the company's)."""
    _cue(parts, spans, _WORK_CUE, "work", "works", _ANY, _WORK_GATE, need=_WORK_CUE_NEED)
    if is_sports(parts):
        return  # `Chelsea star`
    gate = _WORK_AFTER_GATE
    strong, weak = frozenset({"person", "org"}), frozenset({"person"})
    need = _STRONG_NEED
    _cue(
        parts,
        spans,
        _WORK_AFTER_STRONG,
        "work",
        "works",
        strong,
        gate,
        need=need,
        need_folded=True,
        windowed=True,
    )
    _cue(
        parts, spans, _WORK_AFTER_WEAK, "work", "works", weak, gate, need=_WEAK_NEED, windowed=True
    )


def awards(parts: Mapping[int, str], spans: Spans) -> None:
    """Awards are events: a run ending in `Awards`, `Prize`, `Globes`, `Medal` ...; a name
    before `-nominated`, `nomination`, `winner`, `ceremony`, `hopefuls` ...; a name after
    `won an`, `best film` (`won an Oscar for`, `the best film Oscar`), and then its plural
    (`the Oscars`). Not in sports stories, where `winner` and `won the` speak of matches."""
    _cue(parts, spans, _AWARD_NAME, "event", "awards", _ANY, _AWARD_GATE, need=_AWARD_NEED)
    if is_sports(parts):
        return
    _cue(
        parts,
        spans,
        _AWARD_AFTER,
        "event",
        "awards",
        _ANY,
        _AWARD_AFTER_GATE,
        need=_AWARD_AFTER_NEED,
        skip_initial_common=True,
    )
    _cue(parts, spans, _AWARD_BEFORE, "event", "awards", _ANY, _WON_GATE, need=_WON_NEED)
    _plural_events(parts, spans)


def _plural_events(parts: Mapping[int, str], spans: Spans) -> None:
    """`the Oscars` after `an Oscar nomination`: the plural of an event is that event (the
    awards, run in full before this, decide what is an event)."""
    events = {
        parts[s.part][s.start : s.end] for s in spans if s.type == "event" and s.rule == "awards"
    }
    if not events:
        return
    for span in spans:
        text = parts[span.part][span.start : span.end]
        if not span.sure and span.type in NAME_TYPES and text[-1:] == "s" and text[:-1] in events:
            span.type, span.rule = "event", "awards"


def parties(parts: Mapping[int, str], spans: Spans) -> None:
    """A name before `party`, `MP`, `MEP`, `manifesto`, `candidate` ... is a party, an
    organisation (`the Labour party`, `Lib Dem MPs`); a group word the model found
    (`Conservative`) becomes the party too."""
    over = _MISREAD | {"group"}
    _cue(parts, spans, _PARTY_AFTER, "org", "parties", over, _PARTY_GATE, need=_PARTY_NEED)


def companies(parts: Mapping[int, str], spans: Spans) -> None:
    """`shares in X`, `X's profits`, `X shares`, `X chief executive`: X is a company (an
    organisation), where the model read a place or a work, and after `shares in` also a
    person (nobody holds shares in a person); a person before `shares` stays (`Murdoch's
    shares`), so does a known place (`UK sales`)."""
    over = frozenset({"place", "work"})
    gate = _COMPANY_GATE
    before, after = _COMPANY_BEFORE_NEED, _COMPANY_AFTER_NEED
    _cue(parts, spans, _COMPANY_BEFORE, "org", "companies", over | {"person"}, gate, need=before)
    _cue(parts, spans, _COMPANY_AFTER, "org", "companies", over, gate, need=after, windowed=True)


def bands(parts: Mapping[int, str], spans: Spans) -> None:
    """`rock band Franz Ferdinand`, `Coldplay singer`: a band is an organisation, where the
    model read a person, a place or a work."""
    gate = _BAND_GATE
    for part, text in parts.items():
        if not _BAND_NEED.search(text) or not gate.search(folded(text)):
            continue
        for match in _BAND.finditer(text):
            group = 1 if match.group(1) else 2
            span = Span(part, match.start(group), match.end(group), "org", "bands")
            rivals = spans.overlapping(span)
            if all(not s.sure and s.type in _MISREAD for s in rivals):
                spans.put(span)


@cache
def _time_zones() -> frozenset[str]:
    """Time-zone abbreviations (`GMT`, `BST`, `EST`, `CET` ...) from the system's tz database."""
    import zoneinfo
    from datetime import datetime

    found: set[str] = set()
    for name in zoneinfo.available_timezones():
        zone = zoneinfo.ZoneInfo(name)
        for month in (1, 7):
            abbreviation = datetime(2024, month, 1, tzinfo=zone).tzname() or ""
            if abbreviation.isalpha() and abbreviation.isupper() and len(abbreviation) >= 3:
                found.add(abbreviation)
    return frozenset(found)


def time_zones(parts: Mapping[int, str], spans: Spans) -> None:
    """A time zone after a clock time (`1200 GMT`, `3pm EST`) is part of a time, not an
    organisation (`zoneinfo` gives the abbreviations)."""
    zones = _time_zones()
    for part, text in parts.items():
        for match in _CLOCK_ZONE.finditer(text):
            if match.group(1) not in zones:
                continue
            new = Span(part, match.start(1), match.end(1), "date", "time-zone")
            for rival in spans.overlapping(new):
                if not rival.sure and rival.type in NAME_TYPES:
                    spans.by_part[part].remove(rival)
            if spans.free(new):
                spans.add(new)


_CLOCK_ZONE = re.compile(r"\b\d{1,2}(?:[:.]?\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?\s+([A-Z]{3,5})\b")


def common_words(parts: Mapping[int, str], spans: Spans) -> None:
    """A single word the model took for a name that is a common English word the article
    also writes in lower case (`State`, `Home`, `Budget`, `Digital`) is no name: a heading's
    or a sentence's capital (`words.common`)."""
    lower: set[str] | None = None
    for span in list(spans):
        if span.sure or span.type not in NAME_TYPES:
            continue
        word = parts[span.part][span.start : span.end]
        if not word.isalpha() or word.isupper() or not english.common(word):
            continue
        if lower is None:
            lower = {w for text in parts.values() for w in _LOWER_WORD.findall(text)}
        if word.lower() in lower:
            spans.by_part[span.part].remove(span)


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


_NEXT_WORD = re.compile(r" ([A-Z][a-z][\w'’\-]*)")


def title_case(parts: Mapping[int, str], spans: Spans) -> None:
    """In a Title-Case headline (read by the model in sentence case, `headlines`), a span of
    several words that takes in a lowered word or one capitalised for its position only
    (`Will Smith Joins`) is dropped, unless the body names it whole; names the body found
    are marked in the title again by the consistency layer. A person the model found in the
    title is extended over a lowered name word right after it (`Donald` in `Donald trump
    says`, as the model read it, becomes `Donald Trump`)."""
    title = parts.get(TITLE_PART)
    if title is None or not headlines.is_title_case(title):
        return
    cased = headlines.sentence_case(title, headlines.body_capitals(parts))  # once per article
    for span in list(spans.by_part.get(TITLE_PART, ())):
        unsure = not span.sure and span.type in NAME_TYPES
        if unsure and headlines.unsupported(parts, span.start, span.end, cased):
            spans.by_part[TITLE_PART].remove(span)
    # `Donald trump says ...`: the model found the first name, the surname was lowered.
    for span in spans.by_part.get(TITLE_PART, ()):
        following = _NEXT_WORD.match(title, span.end)
        if span.sure or span.type != "person" or following is None:
            continue
        word = following.group(1)
        if cased.reason.get(following.start(1)) != "lowered" or english.inflected(word):
            continue
        if word.lower() not in english.stop_words():
            extended = Span(TITLE_PART, span.start, following.end(1), "person", label=span.label)
            if all(s is span for s in spans.overlapping(extended)):
                span.end = extended.end


def drop_products(parts: Mapping[int, str], spans: Spans) -> None:
    """A PRODUCT span no layer gave another type is dropped: on CoNLL-2003 only 7 of the
    model's 51 PRODUCT spans were an entity of that kind (`Kursk` is one of its PRODUCTs), so
    showing them would mislead."""
    del parts
    for span in list(spans):
        if span.label == "PRODUCT" and span.type == "work":
            spans.by_part[span.part].remove(span)


def _simple(name: str, function: Callable[[Mapping[int, str], Spans], object]) -> Layer:
    return Layer(name, function, _on_spans(function))


#: Every rule layer, in the order they run. The order matters where a layer reads what an
#: earlier one decided: span repairs first, then rules that set sure spans, then the gazetteer,
#: then the layers that spread a decision through the article (chains, consistency).
LAYERS: tuple[Layer, ...] = (
    Layer("shouting", shouting, _run_shouting),
    _simple("title_case", title_case),
    _simple("headline_words", headline_words.headline_words),
    _simple("compounds", compounds.compounds),
    _simple("determiners", determiners.determiners),
    _simple("lower_case", lower_case.lower_case),
    _simple("lower_tails", lower_tails.lower_tails),
    _simple("leading_dates", leading_dates.leading_dates),
    _simple("scores", scores),
    _simple("separators", separators),
    _simple("name_particles", name_particles.name_particles),
    _simple("job_prefix", people.job_prefix),
    _simple("agencies", credits_and_agencies),
    _simple("titles", titles),
    _simple("employers", people.employers),
    _simple("descriptors", descriptors),
    _simple("person_appositives", person_appositives.person_appositives),
    _simple("press", press.press),
    _simple("initials", initials),
    _simple("institutions", institutions.institutions),
    _simple("self_naming", self_naming),
    _simple("festivals", festivals),
    _simple("place_words", place_words),
    _simple("org_words", org_words),
    _simple("headline_runs", headline_words.headline_runs),
    _simple("ranked_rows", ranked_rows.ranked_rows),
    _simple("scorecards", scorecards.scorecards),
    _simple("row_teams", sports_lines.row_teams),
    _simple("fixtures", sports_lines.fixtures),
    _simple("results_tables", results_tables),
    _simple("datelines", datelines),
    _simple("dateline_towns", dateline_towns.dateline_towns),
    _simple("teams", teams),
    _simple("team_names", sports_lines.team_names),
    _simple("club_players", club_players.club_players),
    _simple("sides", sides.sides),
    _simple("works", works),
    _simple("roles", roles.roles),
    _simple("awards", awards),
    _simple("competitions", competitions.competitions),
    _simple("parties", parties),
    _simple("companies", companies),
    _simple("company_units", company_units.company_units),
    _simple("bands", bands),
    _simple("genres", genres.genres),
    _simple("platforms", platforms.platforms),
    _simple("kin", people.kin),
    _simple("pronouns", pronouns.pronouns),
    _simple("job_names", job_names.job_names),
    _simple("list_mates", list_mates.list_mates),
    _simple("list_gaps", list_gaps.list_gaps),
    _simple("time_zones", time_zones),
    _simple("common_words", common_words),
    _simple("gazetteer", relabel_places),
    _simple("place_codes", place_codes.place_codes),
    _simple("place_people", place_people.place_people),
    _simple("gazetteer_add", add_places),
    _simple("place_nouns", place_nouns.place_nouns),
    _simple("acronyms", acronyms),
    _simple("acronym_first", acronym_first.acronym_first),
    _simple("cut_short", cut_short.cut_short),
    _simple("short_orgs", short_orgs.short_orgs),
    _simple("opening_conjunctions", opening_conjunctions.opening_conjunctions),
    Layer("chains", person_chains, _run_chains),
    _simple("name_pieces", name_pieces.name_pieces),
    _simple("consistency", consistency),
    _simple("regnal_names", regnal_names.regnal_names),
    _simple("venues", sports_lines.venues),
    _simple("game_towns", game_towns.game_towns),
    _simple("demonyms", demonyms.demonyms),
    _simple("drop_products", drop_products),
)
LAYER_NAMES: tuple[str, ...] = tuple(layer.name for layer in LAYERS)


@dataclass(frozen=True, slots=True)
class Options:
    """Which layers run: all but those named in `off` (the evaluation switches them off one
    by one to measure each)."""

    off: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.off - set(LAYER_NAMES)
        if unknown:
            raise ValueError(f"unknown layers: {', '.join(sorted(unknown))}")

    @classmethod
    def without(cls, *names: str) -> Options:
        return cls(frozenset(names))

    def runs(self, name: str) -> bool:
        return name not in self.off


ALL_LAYERS = Options()


def apply(
    parts: Mapping[int, str],
    found: Iterable[Span],
    options: Options = ALL_LAYERS,
    shouted: Iterable[int] = SHOUTED_PARTS,
) -> tuple[list[Span], dict[str, str]]:
    """Run every layer of `LAYERS` that `options` leaves on over one article's spans; return
    them in reading order and the short form → full name links found (for canonical names)."""
    context = Context(parts, Spans(found), tuple(shouted))
    for layer in LAYERS:
        if options.runs(layer.name):
            layer.run(context)
    return context.spans.ordered(), context.surnames


def _part_order(part: int) -> int:
    """Reading order: kicker, title, paragraphs, then photo credits."""
    if part >= 0:
        return part
    return {-2: -3, -1: -2}.get(part, 1_000_000 - part)


def words(texts: Sequence[str]) -> int:
    """Whitespace-separated words, the unit of the throughput numbers."""
    return sum(len(t.split()) for t in texts)
