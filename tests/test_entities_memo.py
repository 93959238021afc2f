"""Answers the rule layers and the store remember per text must be the ones computed
afresh: `gazetteer.lookup_place` (the layers ask about the same names many times per
article) and `canonical.key`, whatever was asked before, for places, stop words, case and
spelling variants."""

from __future__ import annotations

import random

from newsreader.core.entities import canonical, gazetteer

_SEEDS = (
    "London",
    "Paris",
    "New York",
    "Kharkiv",
    "Reading",
    "Nice",
    "Us",
    "US",
    "us",
    "The",
    "the",
    "White House",
    "Casablanca",
    "São Paulo",
    "Sao Paulo",
    "St. Louis",
    "St Louis",
    "Côte d’Ivoire",
    "Côte d'Ivoire",
    "U.K.",
    "UK",
    "Ukraine",
    "Wolverhampton",
    "Smith",
    "",
)


def _variants(rng: random.Random) -> list[str]:
    names = list(_SEEDS)
    for seed in _SEEDS:
        names += [seed.upper(), seed.lower(), seed.title(), seed.swapcase(), f" {seed}"]
        names.append(seed[: rng.randint(0, len(seed))])
    rng.shuffle(names)
    return names


def test_a_remembered_answer_is_the_lookups_own() -> None:
    lookup = gazetteer.lookup_place.__wrapped__  # the lookup without the memory
    rng = random.Random(12)
    found = 0
    for _ in range(3):  # asked again in another order: answers from memory this time
        for name in _variants(rng):
            want = lookup(name)
            assert gazetteer.lookup_place(name) == want, name
            found += want is not None
    assert found > 30  # places are found, not only misses
    assert gazetteer.lookup_place("the") is None and gazetteer.lookup_place("US") is not None


def test_a_remembered_key_is_the_keys_own() -> None:
    """`canonical.key` remembers its answers too (names and types of generated spans)."""
    rng = random.Random(7)
    kinds = ("", "person", "org", "place", "group", "work")
    pieces = ("the ", "The ", "U.S.", "Ukrainians", "O’Brien's ", "-", "  ", "Smith", "ns", "é")
    for _ in range(3000):
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        kind = rng.choice(kinds)
        want = canonical.key.__wrapped__(name, kind)
        assert canonical.key(name, kind) == want == canonical.key(name, kind), (name, kind)
