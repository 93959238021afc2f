"""Full-text search over the library: the Whoosh index, derived from SQLite.

`SearchIndex` is the whole interface the rest of the core uses; the modules beside it hold
the schema (`schema`), query reading with its fallback and "did you mean" (`querying`) and
snippet highlighting (`snippets`, whose `match_spans` lets a reading pane mark the same
words the search matched).
"""

from newsreader.core.search.index import (
    SORTS,
    IndexBusyError,
    SearchCancelled,
    SearchIndex,
    WriterSettings,
)
from newsreader.core.search.querying import QUERY_SYNTAX
from newsreader.core.search.schema import SCHEMA_VERSION
from newsreader.core.search.snippets import match_spans

__all__ = [
    "QUERY_SYNTAX",
    "SCHEMA_VERSION",
    "SORTS",
    "IndexBusyError",
    "SearchCancelled",
    "SearchIndex",
    "WriterSettings",
    "match_spans",
]
