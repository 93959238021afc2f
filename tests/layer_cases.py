"""Helpers for the entity tests: hand-written model output through the rule layers.

The layer tests give `pipeline.analyse` what the small model really printed (surfaces and
OntoNotes labels per part) instead of running spaCy, so each test states the misreading it
guards against and runs in microseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsreader.core.entities import canonical, layers, pipeline, store
from newsreader.core.library import Library
from newsreader.core.models import Article


def run_layers(
    parts: dict[int, str],
    model: dict[int, list[tuple[str, str]]],
    options: layers.Options = layers.ALL_LAYERS,
) -> list[canonical.Named]:
    """The layers over model output given as (surface, OntoNotes label) per part, in order."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    for part, ents in model.items():
        text, offset, spans = parts[part], 0, []
        for surface, label in ents:
            start = text.index(surface, offset)
            spans.append((start, start + len(surface), label))
            offset = start + len(surface)
        found[part] = spans
    return pipeline.analyse(parts, found, options)


def found_types(named: Iterable[canonical.Named]) -> set[tuple[str, str]]:
    """(surface, type) of each name found."""
    return {(n.text, n.type) for n in named}


def store_names(library: Library, names: Iterable[tuple[str, str]]) -> None:
    """One article per (name, type), with that name recognised as that type."""
    names = list(names)
    library.import_items([Article(title=n, paragraphs=(n,)) for n, _ in names])
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        for article_id, (name, kind) in zip(sorted(library.ids()), names, strict=True):
            span = layers.Span(0, 0, len(name), kind)
            store.save_article(
                db, resolver, article_id, [canonical.Named(span, name, name, kind)], "m"
            )


def save_named(library: Library, per_article: list[list[canonical.Named]]) -> list[int]:
    """Import one article per list of mentions, save them, then consolidate the library, as
    a recognition run does; returns the new articles' ids."""
    library.import_items(
        [Article(title=f"t{i}", paragraphs=(f"p{i}",)) for i in range(len(per_article))]
    )
    ids = sorted(library.ids())[-len(per_article) :]
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        for article_id, named in zip(ids, per_article, strict=True):
            store.save_article(db, resolver, article_id, named, "m")
        store.consolidate(db)
    return ids
