"""Fast paths of the rule layers, proven exact against the slow forms they replace.

The context-cue layers skip a part without their cue words (`layers._cue`'s `need`). That
is exact only if every match of a cue pattern contains a match of its need: checked here on
many generated texts built from the cue words, names and punctuation, so a pattern edited
without its need fails here instead of silently losing matches. `headlines.clause_start`
replaces a regular-expression search of everything before each word.
"""

from __future__ import annotations

import random
import re

from newsreader.core.entities import headlines, layers

_WORDS = (
    "Sideways The Aviator Franz Ferdinand Labour Lib Dem Petronas BBC SNL J.D. Salinger O'Brien "
    "McDonald Harry Potter Oscar Oscars Golden Globe Awards Prize Medal Trophy of the and & de "
    "film movie comedy album novel show series band duo trio quartet frontman lead singer "
    "guitarist drummer sequel screenplay SEQUEL Sequel box office trailer sketch episode "
    "season finale cast members star stars actor producers films books party MP MPs MEP "
    "manifesto peer candidate leadership contest shares Shares stake Stakes holding in of "
    "stock share price profits revenue chief executive boss chairman CEO nominated "
    "-nominated nomination winner winners ceremony hopefuls snub voters best film won an "
    "won two wins a SHOW ſequel sKetch Skıt İnfo BEST WİN "
    "'s ’s ' \" “ ” ‘ , . ; : ! ? - ( ) 1200 the a was said"
)
_PHRASES = ("best film", "best actress", "won an", "won two", "wins a", "shares in", "stake of")
_PIECES = (*_WORDS.split(), *_PHRASES)
_GLUE = ("", " ", " ", " ", "  ", "\n", "-", "'s ")


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_PIECES) + rng.choice(_GLUE) for _ in range(rng.randint(1, 14)))
        for _ in range(count)
    ]


def test_every_cue_match_contains_its_need() -> None:
    for pattern, need, need_folded in layers.CUE_NEEDS:
        matched = 0
        for text in _texts(6000, seed=len(pattern.pattern)):
            if pattern.search(text) is not None:
                matched += 1
                subject = layers.folded(text) if need_folded else text
                assert need.search(subject) is not None, (pattern.pattern[:60], text)
        assert matched >= 20, pattern.pattern[:60]  # the generator does reach each pattern


def test_a_need_failing_means_no_match_on_real_shaped_sentences() -> None:
    sentences = [
        "The Harry Potter star was seen at the Golden Globe Awards on Sunday.",
        "Shares in Petronas rose 3% after the Labour MPs voted.",
        "Franz Ferdinand frontman Alex Kapranos said the band Franz Ferdinand would tour.",
        "She won an Oscar for the comedy Sideways, the Oscar-nominated film.",
        "Nothing here names a cue at all, said Mr Smith in London.",
    ]
    for pattern, need, need_folded in layers.CUE_NEEDS:
        for text in sentences:
            if need.search(layers.folded(text) if need_folded else text) is None:
                assert pattern.search(text) is None, (pattern.pattern[:60], text)


def test_a_windowed_cue_search_finds_what_the_whole_search_finds() -> None:
    """`layers.cue_matches` searches only the stretches between barrier characters that hold
    a need: the same matches, groups and order as `finditer` over the whole text."""
    for pattern, need, need_folded in layers.WINDOWED:
        matched = 0
        for text in _texts(6000, seed=len(pattern.pattern) + 1):
            text = "“" + text if len(text) % 5 == 0 else text  # an opening quote: a barrier
            subject = layers.folded(text) if need_folded else text
            slow = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            fast = [
                (m.span(), m.groups()) for m in layers.cue_matches(pattern, need, text, subject)
            ]
            assert fast == slow, (pattern.pattern[:60], text)
            matched += bool(slow)
        assert matched >= 100, pattern.pattern[:60]  # the generator does reach each pattern


def test_clause_start_is_the_clause_end_search_it_replaces() -> None:
    rng = random.Random(7)
    alphabet = "aB .:?!;,\"“‘'’\n\t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000-"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        for start in range(len(text) + 1):
            slow = headlines._CLAUSE_END.search(text[:start]) is not None
            assert headlines.clause_start(text, start) == slow, (text, start)


def test_a_gate_in_folded_text_is_the_case_blind_search() -> None:
    rng = random.Random(11)
    odd = ("ı", "ſ", "İ", "K", "ß", "Σ", "ﬀ", "ǅ")  # what case folding treats specially
    for words, gate in layers.GATES:
        slow = re.compile(rf"\b(?:{words})", re.IGNORECASE)
        choices = [*words.split("|"), *(w.upper() for w in words.split("|")), *odd, "x", "_"]
        for _ in range(3000):
            text = "".join(rng.choice(choices) + rng.choice(("", " ", "-", "é")) for _ in range(5))
            text = "".join(c.upper() if rng.random() < 0.2 else c for c in text)
            for i in range(0, len(text), 3):  # and odd letters inside the words
                if rng.random() < 0.1:
                    text = text[:i] + rng.choice(odd) + text[i + 1 :]
            fast = gate.search(layers.folded(text)) is not None
            assert fast == (slow.search(text) is not None), (words[:30], text)


def test_sport_terms_in_folded_text_are_the_case_blind_matches() -> None:
    rng = random.Random(5)
    terms = ["innings", "Wickets", "HALF-TIME", "home runs", "Semi-Final", "playoff", "2-1"]
    pieces = [*terms, "12-100", "1.2-3", "x", "ı", "ſ", "İ", "K", " ", " ", "-", "."]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        text = "".join(c.swapcase() if rng.random() < 0.2 else c for c in text)
        slow = [(m.start(), m.end()) for m in layers._SPORT_TERM.finditer(text)]
        found = layers._SPORT_TERM_FOLDED.finditer(layers.folded(text))
        assert [(m.start(), m.end()) for m in found] == slow, text


def test_an_initial_and_a_surname_need_a_capital_and_a_dot() -> None:
    rng = random.Random(3)
    pieces = ["C.", "J.D.", " ", ", ", "( ", "Tolley", "Ratcliffe", "O'Neil", "of", "12 ", "c."]
    for pattern, need in layers.NEEDS:
        matched = 0
        for _ in range(5000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            if pattern.search(text) is not None:
                matched += 1
                assert need.search(text) is not None, text
        assert matched >= 20
