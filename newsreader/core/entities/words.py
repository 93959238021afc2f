"""What the rules know about English words, from kept packages rather than lists kept here.

Stop words come from spaCy (`spacy.lang.en.stop_words`), word frequencies from `wordfreq`'s
small English list (Zipf scale: 6 is `the`-frequent, 3 is once per million words; the small
list holds every word down to 3, which is all the rules ask about, in 125 kB). Both load
lazily: the rules need them only while recognising, when spaCy is loaded anyway.

Why frequencies: a capitalised word that is also a frequent English word (`State`, `Home`,
`Budget`, `Bombs`) is, without other evidence, more likely a headline's capital or a
sentence's first word than a name. wordfreq folds case, so names that are frequent in the
news (`Trump`, `Smith`) count as frequent too: callers use this only where other evidence
(the body, the gazetteer, a neighbouring rare capitalised word) can still keep a name.
"""

from __future__ import annotations

from functools import cache, lru_cache

#: Zipf frequency at and above which a word counts as common English (`dubbed` 3.8, `bombs`
#: 4.2, `state` 5.8; `kanye` 3.8 and `nokia` 3.7 sit near it, `pruitt` 2.9 well below).
COMMON_ZIPF = 3.8


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, lower case (`the`, `us`, `of`, `will` ...)."""
    from spacy.lang.en.stop_words import STOP_WORDS  # lazy: spaCy is heavy to import

    return frozenset(w.lower() for w in STOP_WORDS)


@lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of `word` in English (0.0 when unknown)."""
    from wordfreq import zipf_frequency  # lazy: reads its data file on first use

    return float(zipf_frequency(word, "en", wordlist="small"))


@lru_cache(maxsize=1 << 16)
def common(word: str) -> bool:
    """A frequent English word, or an inflection of one (`Bombs`, `Slammed`, `Joining`).

    A headline verb is usually in an inflected form rarer than its stem (`slams` 3.6,
    `slam` 4.0), so the stem counts too."""
    lower = _bare(word)
    if not lower.isalpha():
        return False
    return lower in stop_words() or zipf(lower) >= COMMON_ZIPF or inflected(lower)


@lru_cache(maxsize=1 << 16)
def inflected(word: str) -> bool:
    """An inflection of a frequent English word (`Gets`, `Joins`, `Roasting`, `Slammed`):
    in a headline, mostly a verb."""
    lower = _bare(word)
    for suffix in ("s", "es", "ed", "d", "ing"):
        stem = lower.removesuffix(suffix)
        if stem != lower and len(stem) >= 3 and zipf(stem) >= COMMON_ZIPF:
            return True
    return False


def _bare(word: str) -> str:
    """Lower case, without quotes and a possessive (`Cup's` → `cup`)."""
    lower = word.lower().strip("'’")
    for possessive in ("'s", "’s"):
        lower = lower.removesuffix(possessive)
    return lower


def all_common(phrase: str) -> bool:
    """Every word of the phrase is common English (`White House`, `New This Week`)."""
    parts = phrase.replace("-", " ").split()
    return bool(parts) and all(common(w) for w in parts)
