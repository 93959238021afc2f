"""Progress reporting and cancellation for long work, without any GUI dependency.

The core calls a plain callable; the CLI turns it into a progress bar and the window into
signals. Cancellation is cooperative: long loops check a `CancelToken` between batches, so
whatever was committed stays consistent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """`done` of `total` units of `stage` ("import", "index", "entities"); total may be None."""

    stage: str
    done: int
    total: int | None = None
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(event: ProgressEvent) -> None:
    """The default callback: report nothing."""


class Cancelled(Exception):
    """Raised inside long work when its `CancelToken` was set."""


class CancelToken:
    """A thread-safe flag a front end sets to ask long work to stop at the next batch."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled
