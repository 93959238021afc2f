"""Names and reasons as an import report prints them: one line each, never ambiguous.

A file name may hold anything but "/" and NUL: a newline (which would forge another "skipped"
line in a report), a quote, terminal escape codes, right-to-left overrides, bytes that are not
UTF-8. The CLI and the window both show names through `quote_name`, so what a user reads is
always exactly one name, and the same name in both.
"""

from __future__ import annotations

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _plain(char: str) -> bool:
    return char == " " or (char.isprintable() and char not in _ESCAPES)


def one_line(text: str) -> str:
    """`text` with every character that is not plainly visible (line breaks, control and
    format characters) written as an escape, so it can never span or fake another line."""
    return "".join(char if _plain(char) or char in '"\\' else _escape(char) for char in text)


def quote_name(name: str) -> str:
    """`name` as a report shows it: as it is when it reads unambiguously, otherwise in double
    quotes with backslash escapes (`"two\\nlines.txt"`).

    Quoted are names with invisible or line-breaking characters, quotes or backslashes,
    leading or trailing spaces, and ": " (which a report line uses between name and reason).
    """
    if name and all(_plain(char) for char in name) and name == name.strip() and ": " not in name:
        return name
    return '"' + "".join(char if _plain(char) else _escape(char) for char in name) + '"'
