"""The context-cue layers skip a part without their cue words (`layers._cue`'s `need`).

That shortcut is exact only if every match of a cue pattern contains a match of its need:
checked here on many generated texts built from the cue words, names and punctuation, so a
pattern edited without its need fails here instead of silently losing matches.
"""

from __future__ import annotations

import random

from newsreader.core.entities import layers

_WORDS = (
    "Sideways The Aviator Franz Ferdinand Labour Lib Dem Petronas BBC SNL J.D. Salinger O'Brien "
    "McDonald Harry Potter Oscar Oscars Golden Globe Awards Prize Medal Trophy of the and & de "
    "film movie comedy album novel show series band duo trio quartet frontman lead singer "
    "guitarist drummer sequel screenplay SEQUEL Sequel box office trailer sketch episode "
    "season finale cast members star stars actor producers films books party MP MPs MEP "
    "manifesto peer candidate leadership contest shares Shares stake Stakes holding in of "
    "stock share price profits revenue chief executive boss chairman CEO nominated "
    "-nominated nomination winner winners ceremony hopefuls snub voters best film won an "
    "won two wins a 's ’s ' \" “ ” ‘ , . ; : ! ? - ( ) 1200 the a was said"
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
    for pattern, need in layers.CUE_NEEDS:
        matched = 0
        for text in _texts(6000, seed=len(pattern.pattern)):
            if pattern.search(text) is not None:
                matched += 1
                assert need.search(text) is not None, (pattern.pattern[:60], text)
        assert matched >= 20, pattern.pattern[:60]  # the generator does reach each pattern


def test_a_need_failing_means_no_match_on_real_shaped_sentences() -> None:
    sentences = [
        "The Harry Potter star was seen at the Golden Globe Awards on Sunday.",
        "Shares in Petronas rose 3% after the Labour MPs voted.",
        "Franz Ferdinand frontman Alex Kapranos said the band Franz Ferdinand would tour.",
        "She won an Oscar for the comedy Sideways, the Oscar-nominated film.",
        "Nothing here names a cue at all, said Mr Smith in London.",
    ]
    for pattern, need in layers.CUE_NEEDS:
        for text in sentences:
            if need.search(text) is None:
                assert pattern.search(text) is None, (pattern.pattern[:60], text)
