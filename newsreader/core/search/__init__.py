"""Full-text search over the library: the Whoosh index, derived from SQLite.

`SearchIndex` is the whole interface the rest of the core uses; the modules beside it hold
the schema (`schema`), query reading with its fallback and "did you mean" (`querying`) and
snippet highlighting (`snippets`).
"""

from newsreader.core.search.index import SearchIndex, WriterSettings
from newsreader.core.search.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "SearchIndex", "WriterSettings"]
