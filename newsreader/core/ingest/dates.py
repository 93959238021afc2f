"""Publication dates from the many shapes datasets and front matter use.

Standard library only: ISO 8601 (`datetime.fromisoformat`, which in 3.11 takes "Z" and
offsets), RFC 822 as in RSS (`email.utils`), Unix timestamps, and a few spelled-out formats.
An unparseable date is not an error: the article is kept without one.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, date, datetime

_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d.%m.%Y",
)


def _from_timestamp(value: float) -> datetime | None:
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_date(value: object) -> datetime | None:
    """A datetime from a dataset or front-matter value, or None when it cannot be read."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit() and len(text) >= 9:
        return _from_timestamp(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
