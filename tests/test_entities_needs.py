"""The kin and platform layers' case-blind needs, searched in folded text, proven exact.

`people.kin` and `platforms.platforms` skip a part without their cue words. Those words are
found in any case; searching `layers.folded` text with a lower-case pattern gives the same
answer as `(?i:...)` on the text, several times faster. Checked here against the case-blind
search on many generated texts, with the letters case folding treats specially.
"""

from __future__ import annotations

import random
import re

from newsreader.core.entities import layers, people, platforms

_ODD = ("ı", "ſ", "İ", "K", "ß", "Σ", "ﬀ", "ǅ", "É", "é")


def _texts(words: list[str], seed: int, count: int = 4000) -> list[str]:
    rng = random.Random(seed)
    choices = [*words, *(w.upper() for w in words), *(w.title() for w in words), *_ODD, "x"]
    texts = []
    for _ in range(count):
        text = "".join(
            rng.choice(choices) + rng.choice(("", " ", "  ", "-", "'s ", "\n", "é", "_"))
            for _ in range(rng.randint(1, 6))
        )
        text = "".join(c.swapcase() if rng.random() < 0.15 else c for c in text)
        for i in range(0, len(text), 3):  # odd letters inside the words too
            if rng.random() < 0.08:
                text = text[:i] + rng.choice(_ODD) + text[i + 1 :]
        texts.append(text)
    return texts


def _same(slow: re.Pattern[str], fast: re.Pattern[str], texts: list[str]) -> int:
    """How many texts the slow search finds a match in; fails where the two answers differ."""
    hits = 0
    for text in texts:
        found = slow.search(text) is not None
        assert (fast.search(layers.folded(text)) is not None) == found, (slow.pattern, text)
        hits += found
    return hits


def test_kin_words_in_folded_text_are_the_case_blind_search() -> None:
    slow = re.compile(rf"(?i:{people._KIN})\b")
    texts = _texts([*people._KIN.split("|"), "moms", "sons", "fiancés"], seed=3)
    assert 0 < _same(slow, people._KIN_NEED, texts) < len(texts)


def test_platform_words_in_folded_text_are_the_case_blind_search() -> None:
    has = "users?|accounts?|feed|handle|subscribers?|livestream|algorithm"
    slow = re.compile(rf"\s(?i:{has})\b")
    words = ["users", "user", "account", "feeds", "handles", "subscriber", "livestream"]
    assert _same(slow, platforms._NEED_FOLDED, _texts([*words, "algorithm"], seed=4)) > 0


def test_company_acts_in_folded_text_are_the_case_blind_search() -> None:
    slow = re.compile(rf"\s(?i:{platforms._ACTS_WORDS})\b")
    words = ["announced", "acquires", "renews", "cancels", "orders", "paid", "signs", "debuts"]
    texts = _texts([*words, "bought", "deal", "originals", "subscribers", "adds"], seed=5)
    assert 0 < _same(slow, platforms._ACTS_NEED, texts) < len(texts)


def test_a_platform_part_without_a_need_has_no_match() -> None:
    """`platforms` searches `_ON`, `_HAS` and `_ACTS` only where their needs are found: each
    skipped search would have found nothing."""
    rng = random.Random(6)
    pieces = [
        *[
            "Twitter",
            "Fox",
            "News",
            "YouTube",
            "Netflix",
            "Disney",
            "Britain",
            "Apple's",
            "BBC",
            "iPlayer",
            "The",
        ],
        *[
            "posted",
            "wrote",
            "streaming",
            "accounts",
            "followers",
            "on",
            "On",
            "ON",
            "users",
            "Account",
            "feed",
        ],
        *[
            "subscribers",
            "announced",
            "Acquires",
            "has",
            "will",
            "deal",
            "additional",
            "design",
            "order",
        ],
        *_ODD,
        "x",
    ]
    glue = ("", " ", " ", "  ", "\n", "-", "'s ", "’s ", ".", ",")
    checked = {platforms._ON: 0, platforms._HAS: 0, platforms._ACTS: 0}
    for _ in range(6000):
        text = "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(rng.randint(1, 10)))
        lower = layers.folded(text)
        needs = {
            platforms._ON: platforms._NEED.search(text),
            platforms._HAS: platforms._NEED_FOLDED.search(lower),
            platforms._ACTS: platforms._ACTS_NEED.search(lower),
        }
        for pattern, need in needs.items():
            if pattern.search(text) is not None:
                assert need is not None, (pattern.pattern[:40], text)
                checked[pattern] += 1
    assert all(checked.values()), checked  # every pattern matched somewhere
