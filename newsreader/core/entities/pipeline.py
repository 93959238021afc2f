"""Recognition over the library: incremental, resumable, in batches, with progress.

Every part of an article (title, kicker, each paragraph, each photo credit) goes through
`nlp.pipe` as its own text, so a mention's offsets are offsets into that part's stored text
and a highlight lands exactly. The texts of all pending articles stream through one
`nlp.pipe` call (worker processes start once, not per batch); results are grouped back per
article, corrected by the rule layers, given canonical names and written `BATCH_ARTICLES` at a
time, each batch in one transaction together with its status rows. So an interrupted run
(cancel, Ctrl-C, a crash) leaves every article either done or untouched, and the next run
continues with the articles still pending. Each status row also queues its article for the
search index in the same transaction (the index outbox, migration 3), so the index learns the
entity names without this module touching it; `index_update` is only for callers that keep
an index of their own. The run ends by keeping one outbox row per article
(`store.coalesce_index_rows`), so an article is re-indexed once for all a run changed in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from newsreader.core.entities import (
    canonical,
    headlines,
    layers,
    model_process,
    recognizer,
    store,
)
from newsreader.core.models import KICKER_PART, PHOTO_CREDIT_PART, TITLE_PART, Article
from newsreader.core.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from newsreader.core.storage import Storage

#: Articles written per transaction (and per progress step).
BATCH_ARTICLES = 64
#: Articles read from the database at a time while feeding the recogniser.
_READ_CHUNK = 256
#: Articles re-indexed per search-index commit (each commit writes a segment).
INDEX_EVERY = 1024
#: Worker processes when the caller does not say. Measured on the 2-core machine
#: (bench/README.md, *Throughput*): two model processes (`recognizer._in_workers`, offsets
#: only) make recognition with the index update 1.12x faster than one, for twice the CPU
#: and memory, since this process (reading, rule layers, writing, indexing) stays busy; the
#: window must not fork at all. So one process, unless a caller asks for more.
DEFAULT_PROCESSES = 1

#: With one process, the model runs in a thread beside the rule layers and the writing of
#: earlier articles (`recognizer.entities_beside`): the same results in the same order,
#: sooner where a second core is free, for the same CPU (bench/README.md, *Throughput*).
OVERLAP = True

#: With `APART`, one process and at least `APART_MIN_ARTICLES` to do, the model runs in a
#: child process instead (`model_process.entities_apart`), the caller's work on its results
#: beside it on another core: the same results in the same order, for a second process's CPU
#: and memory while it runs. Off: on this loaded 2-core machine it was slower and cost more
#: CPU than the thread (its start alone, a fork server and spaCy's import, took seconds;
#: bench/README.md, *Throughput*); `bench.ner_throughput` measures it beside the thread.
APART = False
APART_MIN_ARTICLES = 200

#: Called after each committed batch with the articles and their entity names by type,
#: so the search index can be brought in line.
IndexUpdate = Callable[[Sequence[Article], Mapping[int, Mapping[str, Sequence[str]]]], None]


def article_parts(article: Article) -> dict[int, str]:
    """Every text of an article that can carry mentions, by `Mention.part` number."""
    parts: dict[int, str] = {TITLE_PART: article.title}
    if article.kicker:
        parts[KICKER_PART] = article.kicker
    for index, paragraph in enumerate(article.paragraphs):
        parts[index] = paragraph
    for index, photo in enumerate(article.photos):
        if photo.credit:
            parts[PHOTO_CREDIT_PART - index] = photo.credit
    return parts


def analyse(
    parts: Mapping[int, str],
    model_entities: Mapping[int, Sequence[tuple[int, int, str]]],
    options: layers.Options = layers.ALL_LAYERS,
) -> list[canonical.Named]:
    """Model output for one article → corrected, canonically named mentions."""
    spans: list[layers.Span] = []
    for part, ents in model_entities.items():
        spans.extend(layers.from_model(part, parts[part], ents))
    spans, surnames = layers.apply(parts, spans, options)
    return canonical.canonicalise(parts, spans, surnames)


def recognise_texts(
    articles: Sequence[Mapping[int, str]], *, n_process: int = 1
) -> list[list[canonical.Named]]:
    """Recognise a few in-memory articles (parts by number); for tests and tools."""
    feed = (
        (text, (i, part))
        for i, parts in enumerate(articles)
        for part, text in headlines.model_texts(parts).items()
    )
    found: list[dict[int, list[tuple[int, int, str]]]] = [{} for _ in articles]
    for ents, (i, part) in recognizer.entities(feed, n_process=n_process):
        found[i][part] = ents
    return [analyse(parts, found[i]) for i, parts in enumerate(articles)]


@dataclass(slots=True)
class _Pending:
    article: Article
    parts: dict[int, str]
    remaining: int
    ents: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)


def run(
    storage: Storage,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    rebuild: bool = False,
    n_process: int | None = None,
    index_update: IndexUpdate | None = None,
) -> int:
    """Process pending articles (every article with `rebuild`); return how many were done.

    Raises `recognizer.ModelMissingError` before touching anything when the model is absent.
    `n_process=None` means `DEFAULT_PROCESSES` (see there for the measurement).
    """
    model = recognizer.model_id()
    if rebuild:
        recognizer.load()  # fail before forgetting anything
        with storage.transaction() as db:
            store.forget_status(db)
    ids = store.pending_ids(storage.db, model)
    total = len(ids)
    progress(ProgressEvent("entities", 0, total, ""))
    if not ids:
        return 0  # nothing to do: callers need no pending check, and spaCy stays unloaded
    recognizer.load()
    if n_process is None:
        n_process = DEFAULT_PROCESSES
    n_process = max(1, min(n_process, os.cpu_count() or 1, total))

    pending: dict[int, _Pending] = {}

    def chunks() -> Iterator[list[tuple[str, tuple[int, int]]]]:
        for start in range(0, len(ids), _READ_CHUNK):
            chunk: list[tuple[str, tuple[int, int]]] = []
            for article in storage.get_many(ids[start : start + _READ_CHUNK]):
                assert article.id is not None
                parts = article_parts(article)
                pending[article.id] = _Pending(article, parts, len(parts))
                for part, text in headlines.model_texts(parts).items():
                    chunk.append((text, (article.id, part)))
            yield chunk

    done = 0
    batch: list[tuple[Article, list[canonical.Named]]] = []
    known: dict[tuple[str, str], int] = {}  # entity rows by (type, key), for every batch
    to_index: list[Article] = []

    def flush_index() -> None:
        if index_update is not None and to_index:
            names = store.search_names(storage.db, [a.id for a in to_index if a.id is not None])
            index_update(to_index, names)
        to_index.clear()

    def flush() -> None:
        nonlocal done
        with storage.transaction() as db:
            resolver = store.EntityResolver(db, known)
            for article, named in batch:
                assert article.id is not None
                store.save_article(db, resolver, article.id, named, model)
        to_index.extend(article for article, _ in batch)
        if len(to_index) >= INDEX_EVERY:
            flush_index()
        done += len(batch)
        batch.clear()
        progress(ProgressEvent("entities", done, total, ""))

    if n_process == 1 and APART and total >= APART_MIN_ARTICLES:
        stream = model_process.entities_apart(text for chunk in chunks() for text in chunk)
    elif n_process == 1 and OVERLAP:
        stream = recognizer.entities_beside(chunks())
    else:
        texts = (text for chunk in chunks() for text in chunk)
        stream = recognizer.entities(texts, n_process=n_process)
    try:
        for ents, (article_id, part) in stream:
            item = pending[article_id]
            item.ents[part] = ents
            item.remaining -= 1
            if item.remaining:
                continue
            del pending[article_id]
            batch.append((item.article, analyse(item.parts, item.ents)))
            if len(batch) >= BATCH_ARTICLES:
                flush()
                if cancel is not None and cancel.cancelled:
                    break
        else:
            if batch:
                flush()
    finally:
        stream.close()
        # Also on Ctrl-C: what the database committed, the index gets.
        flush_index()
    with storage.transaction() as db:
        store.consolidate(db)
        store.prune(db)
        store.coalesce_index_rows(db)  # each article re-indexed once, not once per change
    return done
