"""Full garbage collections wait for the reader's still moments (ui/idle_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from newsreader.ui import idle_gc
from newsreader.ui.idle_gc import IdleCollector
from newsreader.ui.reader_activity import ReaderActivity


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The generation of every collection CPython runs meanwhile."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(int(info["generation"]))

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _make_due(collector: IdleCollector) -> None:
    """As a program that keeps objects alive would: enough younger collections that CPython
    would run a full one (each generation-1 collection counts one towards it)."""
    for _ in range(collector.full_threshold + 1):
        gc.collect(1)


def test_a_full_collection_waits_for_the_reader_to_be_still(
    qtbot: QtBot, full_collections: list[int]
) -> None:
    clock = Clock()
    activity = ReaderActivity(quiet_s=0.5, clock=clock)
    before = gc.get_threshold()
    collector = IdleCollector(activity, clock=clock)
    try:
        assert gc.get_threshold()[2] > 1_000_000, "CPython starts no full collection itself"
        _make_due(collector)
        activity.note()  # the reader opens an article just now
        assert not collector.check(), "never in the middle of the reader's work"
        assert 2 not in full_collections
        clock.now += 1.0  # still for a second
        assert collector.check()
        assert full_collections.count(2) == 1 and collector.collections == 1
        assert gc.get_count()[2] == 0
    finally:
        collector.stop()
    assert gc.get_threshold() == before


def test_a_reader_who_never_pauses_still_gets_a_collection_in_time(
    qtbot: QtBot, full_collections: list[int]
) -> None:
    clock = Clock()
    activity = ReaderActivity(quiet_s=0.5, clock=clock)
    collector = IdleCollector(activity, clock=clock)
    try:
        _make_due(collector)
        for _ in range(int(idle_gc.MAX_DEFER_S)):
            activity.note()
            assert not collector.check()
            clock.now += 1.0
        activity.note()
        assert collector.check() and collector.forced == 1
        assert full_collections.count(2) == 1
    finally:
        collector.stop()
