"""The model in a thread beside the rule layers (`recognizer.entities_beside`, used by
`pipeline.run` with one process) gives exactly what the model gives in the calling thread:
the same entities in the same order, for generated texts and chunkings and for real news, and
the same library after a run; failures reach the caller and a cancel stops the thread.

These tests need spaCy and the pinned model; without them they skip.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.core.entities import pipeline, recognizer
from newsreader.core.library import Library
from newsreader.core.models import Article
from tests.test_entities import _corpus, _mention_rows

Item = tuple[str, int]


@pytest.fixture(autouse=True)
def _model() -> None:
    try:
        recognizer.load()
    except recognizer.ModelMissingError as exc:
        pytest.skip(str(exc))


def _texts(rng: random.Random, count: int) -> list[Item]:
    names = ["Angela Merkel", "Paris", "the BBC", "Tesco", "Monday", "£3bn", "Nokia", "Lagos"]
    words = [
        "the",
        "a",
        "said",
        "on",
        "in",
        "of",
        "shares",
        "rose",
        "talks",
        "with",
        "and",
        "to",
        "police",
        "new",
    ]
    texts = []
    for n in range(count):
        length = rng.choice([0, 1, 3, 12, 40, 120])
        text = " ".join(
            rng.choice(names) if rng.random() < 0.2 else rng.choice(words) for _ in range(length)
        )
        texts.append((text, n))
    return texts


def _chunked(rng: random.Random, texts: list[Item]) -> Iterator[list[Item]]:
    at = 0
    while at < len(texts):
        size = rng.choice([0, 1, 5, 40, 300])
        yield texts[at : at + size]
        at += size


def _alive() -> bool:
    return any(t.name == "recogniser" for t in threading.enumerate())


@pytest.mark.parametrize("ahead", [1, 7, 1024])
def test_generated_texts_come_back_as_the_model_gives_them(
    ahead: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recognizer, "AHEAD_TEXTS", ahead)
    for seed in range(3):
        rng = random.Random(seed)
        texts = _texts(rng, 300)
        batch_size = rng.choice([1, 16, 256])
        alone = list(recognizer.entities(texts, batch_size=batch_size))
        beside = list(recognizer.entities_beside(_chunked(rng, texts), batch_size=batch_size))
        assert beside == alone
        assert sum(map(len, (ents for ents, _ in alone))) > 50
    assert not _alive()


def test_real_news_comes_back_as_the_model_gives_it(shared: Path) -> None:
    path = shared / "corpus" / "huffpost-sample.jsonl"
    if not path.is_file():
        pytest.skip(f"HuffPost sample not found at {path}")
    texts: list[Item] = []
    with path.open(encoding="utf-8") as lines:
        for n, line in zip(range(600), lines, strict=False):
            row = json.loads(line)
            texts += [(row["headline"], 2 * n), (row["short_description"], 2 * n + 1)]
    alone = list(recognizer.entities(texts))
    assert list(recognizer.entities_beside(_chunked(random.Random(1), texts))) == alone


def test_a_run_gives_the_same_library_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _corpus(40)
    rows = []
    for overlap in (False, True):
        monkeypatch.setattr(pipeline, "OVERLAP", overlap)
        library = Library.open(tmp_path / str(overlap))
        try:
            library.import_items(articles)
            assert library.extract_entities(n_process=1) == len(articles)
            rows.append(_mention_rows(library))
        finally:
            library.close()
    assert rows[0] == rows[1] and rows[0]


def test_failures_reach_the_caller_and_a_cancel_stops_the_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _texts(random.Random(3), 600)

    def feed() -> Iterator[list[Item]]:
        yield texts[:300]
        raise OSError("the database went away")

    with pytest.raises(OSError, match="went away"):
        list(recognizer.entities_beside(feed()))
    assert not _alive()

    stream = recognizer.entities_beside(iter([texts]), batch_size=8)
    first = next(stream)
    assert first == next(recognizer.entities(texts))
    stream.close()  # a cancel: the thread stops after its batch, nothing hangs
    assert not _alive()

    real = recognizer.entities

    def failing(items: list[Item], **kw: int) -> Iterator[object]:
        stream = real(items, **kw)
        for _ in range(5):
            yield next(stream)
        raise MemoryError("the model ran out of memory")

    monkeypatch.setattr(recognizer, "entities", failing)
    with pytest.raises(MemoryError):
        list(recognizer.entities_beside(iter([texts])))
    assert not _alive()


def test_articles_with_nothing_to_read_still_finish(tmp_path: Path) -> None:
    """A run whose article holds only empty parts (no text for the model) ends."""
    library = Library.open(tmp_path / "lib")
    try:
        library.import_items([Article(title="Talks in Paris", paragraphs=("",))])
        assert library.extract_entities(n_process=1) == 1
    finally:
        library.close()
