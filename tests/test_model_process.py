"""The model in a child process (`model_process.entities_apart`, used by `pipeline.run` with
one process) gives exactly what the model gives in the calling thread: the same entities in
the same order for generated texts, whether the child answers from the first batch, takes
over after the calling thread has done some, dies part-way, or cannot start at all; the same
library after a run; and a cancel leaves no process behind.

These tests need spaCy and the pinned model; without them they skip.
"""

from __future__ import annotations

import os
import random
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsreader.core.entities import model_process, pipeline, recognizer
from newsreader.core.library import Library
from tests.test_entities import _corpus, _mention_rows
from tests.test_entities_beside import Item, _texts


@pytest.fixture(autouse=True)
def _model() -> None:
    try:
        recognizer.load()
    except recognizer.ModelMissingError as exc:
        pytest.skip(str(exc))


class _Watch:
    """Records the children started and how many batches each answered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, here_first: int = 0) -> None:
        self.children: list[Any] = []
        self.answered = 0
        self.here = 0
        watch = self
        real_init = model_process._Child.__init__
        real_ready = model_process._Child.poll_ready
        real_receive = model_process._Child.receive
        real_here = model_process._here

        def init(child: Any) -> None:
            real_init(child)
            watch.children.append(child)
            child.here_before = watch.here

        def ready(child: Any) -> bool | None:
            # The calling thread does `here_first` batches, then waits for the child, so
            # which side answers what does not depend on how fast the child starts.
            if watch.here - child.here_before < here_first:
                return False
            child.conn.poll(120)
            return real_ready(child)

        def receive(child: Any) -> Any:
            found = real_receive(child)
            watch.answered += found is not None
            return found

        def here(batch: list[Item]) -> Any:
            watch.here += 1
            return real_here(batch)

        monkeypatch.setattr(model_process._Child, "__init__", init)
        monkeypatch.setattr(model_process._Child, "poll_ready", ready)
        monkeypatch.setattr(model_process._Child, "receive", receive)
        monkeypatch.setattr(model_process, "_here", here)

    def ended(self) -> bool:
        return all(child.process.exitcode is not None for child in self.children)


@pytest.mark.parametrize("here_first", [0, 3])
def test_generated_texts_come_back_as_the_model_gives_them(
    here_first: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _Watch(monkeypatch, here_first=here_first)
    for seed in range(2):
        rng = random.Random(seed)
        texts = _texts(rng, 400)
        batch_size = rng.choice([1, 16, 64])
        alone = list(recognizer.entities(texts, batch_size=batch_size))
        apart = list(model_process.entities_apart(iter(texts), batch_size=batch_size))
        assert apart == alone
        assert sum(map(len, (ents for ents, _ in alone))) > 50
    assert len(watch.children) == 2 and watch.ended()
    assert watch.answered >= 2 * 4  # the child did most of it
    assert watch.here == 2 * here_first


def test_a_child_that_dies_part_way_costs_nothing_but_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watch = _Watch(monkeypatch)
    real_receive = model_process._Child.receive

    def receive(child: Any) -> Any:
        if watch.answered == 3:
            os.kill(child.process.pid, signal.SIGKILL)  # the out-of-memory killer, say
        return real_receive(child)

    monkeypatch.setattr(model_process._Child, "receive", receive)
    texts = _texts(random.Random(5), 500)
    alone = list(recognizer.entities(texts, batch_size=32))
    assert list(model_process.entities_apart(iter(texts), batch_size=32)) == alone
    assert watch.answered == 3 and watch.here >= 1 and watch.ended()


@pytest.mark.parametrize("where", ["pipe", "start"])
def test_without_a_child_the_calling_thread_does_it_all(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError("no fork server here")

    if where == "pipe":
        monkeypatch.setattr(model_process._Child, "__init__", fail)
    else:
        monkeypatch.setattr("multiprocessing.process.BaseProcess.start", fail)
    texts = _texts(random.Random(6), 200)
    alone = list(recognizer.entities(texts, batch_size=16))
    assert list(model_process.entities_apart(iter(texts), batch_size=16)) == alone


def test_a_cancel_ends_the_child_and_failures_reach_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watch = _Watch(monkeypatch)
    texts = _texts(random.Random(7), 600)
    stream = model_process.entities_apart(iter(texts), batch_size=16)
    assert next(stream) == next(recognizer.entities(texts))
    stream.close()  # a cancel: the child is killed, nothing hangs
    assert len(watch.children) == 1 and watch.ended()

    def feed() -> Iterator[Item]:
        yield from texts[:100]
        raise OSError("the database went away")

    with pytest.raises(OSError, match="went away"):
        list(model_process.entities_apart(feed(), batch_size=16))
    assert len(watch.children) == 2 and watch.ended()


def test_a_run_gives_the_same_library_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _Watch(monkeypatch)
    monkeypatch.setattr(pipeline, "APART_MIN_ARTICLES", 1)
    articles = _corpus(40)
    rows = []
    for apart in (False, True):
        monkeypatch.setattr(pipeline, "APART", apart)
        library = Library.open(tmp_path / str(apart))
        try:
            library.import_items(articles)
            assert library.extract_entities(n_process=1) == len(articles)
            rows.append(_mention_rows(library))
        finally:
            library.close()
    assert rows[0] == rows[1] and rows[0]
    assert len(watch.children) == 1 and watch.answered and watch.ended()
