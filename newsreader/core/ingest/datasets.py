"""News datasets: JSON Lines, JSON arrays and CSV with the field names datasets commonly use.

Each record is mapped by name (case and separators folded: "Published At" = "published_at").
One bad record is skipped with its line (or record number, for a JSON array) and the rest
continue; a record with neither a title nor any text is skipped with that reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping

from newsreader.core.ingest import prose
from newsreader.core.ingest.dates import parse_date
from newsreader.core.ingest.encoding import BINARY_LINE
from newsreader.core.ingest.limits import MAX_RECORD_BYTES, megabytes
from newsreader.core.models import Article, Skipped

TITLE_FIELDS = ("title", "headline", "heading", "name")
#: Full text before summaries: a record with both keeps the full text.
BODY_FIELDS = (
    "body",
    "text",
    "content",
    "article",
    "full_text",
    "story",
    "short_description",
    "description",
    "summary",
    "abstract",
    "lead",
)
URL_FIELDS = ("link", "url", "href", "permalink", "canonical_url")
DATE_FIELDS = (
    "date",
    "published",
    "pubdate",
    "published_at",
    "publish_date",
    "publication_date",
    "pub_date",
    "datetime",
    "created_at",
    "timestamp",
)
AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "by")
KICKER_FIELDS = ("kicker", "category", "section", "topic")

_TOO_DEEP = "JSON nested too deeply to read (hundreds of levels; news records have a few)"

_KEY = re.compile(r"[\s\-]+")
_BLANK_LINES = re.compile(r"\n\s*\n")
#: Large enough for any article body; the csv default (128 KiB) rejects long-form pieces.
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def _fold(record: Mapping[str, object]) -> dict[str, object]:
    return {_KEY.sub("_", str(key).strip().lower()): value for key, value in record.items()}


def _text(record: Mapping[str, object], names: Iterable[str]) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, list | tuple):
            value = ", ".join(str(item).strip() for item in value if str(item).strip())
        if isinstance(value, dict) or value is None:
            continue
        text = str(value).strip()
        if text:
            return text
    return ""


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs from a text field: blank lines separate them when present, else newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    return [" ".join(part.split()) for part in parts if part.strip()]


def record_to_article(
    record: Mapping[str, object], *, source: str, origin: str, kind: str
) -> Article | Skipped:
    """Map one dataset record to an article, or say why it cannot be one."""
    fields = _fold(record)
    title = " ".join(_text(fields, TITLE_FIELDS).split())
    paragraphs = split_paragraphs(_text(fields, BODY_FIELDS))
    if not title and not paragraphs:
        return Skipped(origin, "record has no title and no text")
    if not paragraphs:  # a headline alone is not an article to read or search
        return Skipped(origin, "record has a title but no text")
    date_value = next((fields[name] for name in DATE_FIELDS if fields.get(name)), None)
    return Article(
        title=title or prose.title_from_text(paragraphs[0]),
        paragraphs=tuple(paragraphs),
        kicker=" ".join(_text(fields, KICKER_FIELDS).split()),
        byline=" ".join(_text(fields, AUTHOR_FIELDS).split()),
        source=source,
        source_kind=kind,
        origin=origin,
        url=_text(fields, URL_FIELDS),
        published=parse_date(date_value),
    )


def _from_value(value: object, *, source: str, origin: str, kind: str) -> Article | Skipped:
    if not isinstance(value, dict):
        return Skipped(origin, f"record is a JSON {type(value).__name__}, not an object")
    return record_to_article(value, source=source, origin=origin, kind=kind)


def read_jsonl(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """One record per line; blank lines are ignored, malformed lines skipped with a reason."""
    return read_jsonl_lines(text.split("\n"), source=source, origin=origin)


def read_jsonl_lines(
    lines: Iterable[str], *, source: str, origin: str
) -> Iterator[Article | Skipped]:
    """`read_jsonl` over lines from anywhere: a decoded file, or a file streamed line by line.

    Every line stands alone: one that cannot be read (malformed, nested too deeply for the
    parser, binary data) is skipped with its line number, and the next line is read as usual.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        if line == BINARY_LINE:
            yield Skipped(where, "binary data (NUL bytes) on this line, not a JSON record")
            continue
        if len(line) > MAX_RECORD_BYTES:
            yield Skipped(
                where,
                f"record line is {megabytes(len(line))}, over the "
                f"{megabytes(MAX_RECORD_BYTES)} limit for one record: not read",
            )
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"malformed JSON: {exc.msg}")
            continue
        except RecursionError:
            yield Skipped(where, _TOO_DEEP)
            continue
        yield _from_value(value, source=source, origin=where, kind="jsonl")


def is_json_feed(value: Mapping[str, object]) -> bool:
    """A JSON Feed document (https://jsonfeed.org), told by its required `version` URL."""
    version = value.get("version")
    return isinstance(version, str) and "jsonfeed.org/version/" in version.lower()


def read_json(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """A JSON array of records, or an object holding one under a usual key ("articles", …);
    a JSON Feed document is read as the feed it is."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(origin, f"malformed JSON: {exc.msg} (line {exc.lineno})")
        return
    except RecursionError:
        yield Skipped(origin, _TOO_DEEP)
        return
    if isinstance(value, dict) and is_json_feed(value):
        # A feed's items, not dataset records: read by the subscriptions code's one mapping
        # (`content_html`/`content_text`, `date_published`, `url`, `authors`), as a refresh
        # of the same feed would store them. Imported on first use, like every feed module.
        from newsreader.core.feeds.jsonfeed import articles_from_jsonfeed

        yield from articles_from_jsonfeed(value, source=source, origin=origin)
        return
    if isinstance(value, dict):
        inner = next(
            (value[k] for k in ("articles", "items", "records", "data", "results") if k in value),
            None,
        )
        value = inner if isinstance(inner, list) else [value]
    if not isinstance(value, list):
        yield Skipped(origin, "JSON file holds no list of records")
        return
    for number, item in enumerate(value, start=1):
        yield _from_value(item, source=source, origin=f"{origin}:{number}", kind="jsonl")


def _delimiter(header: str) -> str:
    """The separator the header row uses most: headers are short names, rarely quoted, so
    counting is more predictable than `csv.Sniffer` guessing from quoted article text."""
    return max(",;\t|", key=header.count)


def read_csv(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
    """CSV (or TSV, or ;-separated) with a header row naming the fields."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(header))
    if not reader.fieldnames:
        yield Skipped(origin, "CSV file has no header row")
        return
    known = {_KEY.sub("_", name.strip().lower()) for name in reader.fieldnames if name}
    if not known & set(TITLE_FIELDS + BODY_FIELDS):
        yield Skipped(origin, "CSV header names no title or text column")
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Skipped(f"{origin}:{start}", f"malformed CSV row: {exc}")
            return
        record = {key: value for key, value in row.items() if isinstance(key, str)}
        yield record_to_article(record, source=source, origin=f"{origin}:{start}", kind="csv")
