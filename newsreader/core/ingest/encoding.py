"""Bytes to clean text: detect the encoding instead of assuming one, refuse what is not text.

Order of evidence, strongest first:

1. A byte-order mark (UTF-8, UTF-16, UTF-32) settles it.
2. NUL bytes without a BOM: text only if the file decodes as BOM-less UTF-16/32 (ASCII-heavy
   text has a NUL in every other byte); otherwise it is a binary file.
3. Valid UTF-8 is UTF-8 (the overwhelmingly common case, and unambiguous in practice).
4. UTF-8 with a few stray bytes (a Latin-1 "£" pasted into a UTF-8 file, as in the BBC corpus)
   stays UTF-8, the strays read as cp1252, so one bad byte does not garble every other accent.
   "A few" means no more stray bytes than well-formed UTF-8 sequences.
5. Otherwise charset-normalizer decides. Among equally plausible single-byte code pages it
   picks cp1252 when that is one of them: short Western text is ambiguous between cp1250,
   cp1252 and friends, and cp1252 is what Western tools write. When its best guess is an East
   Asian code page but at most 5% of the bytes are non-ASCII, the text is cp1252 after all:
   a stray "£" in English text also fits Shift-JIS, while real CJK text is mostly non-ASCII.

The result is normalised: NFC, line endings unified to "\\n", trailing whitespace stripped.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from newsreader.core.ingest.prose import words

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)

#: A valid UTF-8 multi-byte sequence: evidence that a file that fails strict UTF-8 is still
#: meant as UTF-8.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Control characters that never occur in text (tab, newline, CR, form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRAILING_WS = re.compile(r"[ \t\u00a0\u200b]+$", re.MULTILINE)
_FALLBACK = "newsreader-cp1252-fallback"


class NotText(ValueError):
    """The bytes are not readable text; `str(exc)` is the reason a user sees."""


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as cp1252 (Latin-1 where cp1252 leaves a hole)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = bytes(error.object[error.start : error.end])
    try:
        return bad.decode("cp1252"), error.end
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return bad.decode("latin-1"), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def _looks_like_utf16_or_32(data: bytes) -> str | None:
    """The codec for BOM-less UTF-16/32 text, judged by where the NUL bytes fall."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    for codec, width, offsets in (
        ("utf-32-le", 4, (1, 2, 3)),
        ("utf-32-be", 4, (0, 1, 2)),
        ("utf-16-le", 2, (1,)),
        ("utf-16-be", 2, (0,)),
    ):
        units = len(sample) // width
        if not units or len(data) % width:
            continue
        zero = sum(1 for i in range(units) if all(sample[i * width + o] == 0 for o in offsets))
        if zero / units >= 0.6:
            return codec
    return None


#: Code pages of Chinese, Japanese and Korean text (Python codec names, as `codecs` spells them).
_EAST_ASIAN = words(
    """cp932 shift_jis shift_jis_2004 shift_jisx0213 euc_jp euc_jis_2004 euc_jisx0213
    iso2022_jp iso2022_jp_1 iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 iso2022_jp_ext
    cp949 euc_kr iso2022_kr johab gb2312 gbk gb18030 hz big5 big5hkscs cp950"""
)
#: At most this share of non-ASCII bytes makes text "almost all ASCII".
MOSTLY_ASCII = 0.05


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 apart from a few bytes: at least as many well-formed multi-byte sequences
    as bytes that are not UTF-8. (Double-byte CJK text holds a few well-formed sequences by
    chance, among many more bytes that are not UTF-8.)"""
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if not valid:
        return False
    stray = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for char in stray if "\udc80" <= char <= "\udcff")
    return invalid <= valid


def _is_east_asian(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return False
    return name in _EAST_ASIAN or encoding.replace("-", "_").lower() in _EAST_ASIAN


def _mostly_ascii(data: bytes) -> bool:
    high = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    return high <= MOSTLY_ASCII * len(data)


def _decode_raw(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig":  # stray bytes read as cp1252, as without a BOM
                return data.decode(codec, errors=_FALLBACK)
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise NotText(f"binary file (broken {codec.upper()} text)") from exc
    if b"\x00" in data:
        wide = _looks_like_utf16_or_32(data)
        if wide is None:
            raise NotText("binary file")
        try:
            return data.decode(wide)
        except UnicodeDecodeError as exc:
            raise NotText("binary file") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors=_FALLBACK)
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise NotText("binary file (no text encoding fits)")
    if _is_east_asian(best.encoding):
        if _mostly_ascii(data):
            # A few stray bytes in English text fit a double-byte code page as well as
            # cp1252 ("a ｣15.8m signing"); real Japanese, Chinese or Korean text is mostly
            # non-ASCII, and keeps its code page (cp1252 "fits" any bytes, so it is no rival).
            return data.decode("cp1252", errors=_FALLBACK)
        return str(best)
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252", errors=_FALLBACK)
    return str(best)


def normalise(text: str, *, line_separators: bool = True) -> str:
    """NFC, "\\n" line endings, no trailing whitespace on any line, no BOM.

    `line_separators=False` keeps U+2028 as it is: JSON allows it raw inside a string, so in
    JSON Lines it is never a line break.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if line_separators:
        text = text.replace("\u2028", "\n")
    text = text.lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_WS.sub("", text)


def decode(data: bytes, *, line_separators: bool = True) -> str:
    """Decode and normalise file contents; raise `NotText` with the reason to skip them.

    Raises for empty or whitespace-only content ("empty file") and for binary content.
    """
    if not data.strip():
        raise NotText("empty file")
    text = _decode_raw(data)
    if len(_CONTROL.findall(text[:10000])) > 8:
        raise NotText("binary file")
    text = normalise(_CONTROL.sub("", text), line_separators=line_separators)
    if not text.strip():
        raise NotText("empty file")
    return text


#: What a JSON Lines line holding NUL bytes becomes: a marker its reader reports by line.
BINARY_LINE = "\x00"


def decode_line(raw: bytes) -> str:
    """One JSON Lines line of a file read as a stream: UTF-8, any byte that is not UTF-8 read
    as cp1252 (as `decode` does for a whole UTF-8 file with stray bytes), then normalised.
    A line with NUL bytes is binary data: it becomes `BINARY_LINE`."""
    if b"\x00" in raw:
        return BINARY_LINE
    text = raw.decode("utf-8", errors=_FALLBACK)
    return normalise(_CONTROL.sub("", text), line_separators=False)


def decode_lines(data: bytes) -> list[str]:
    """A whole JSON Lines file as its lines, one per record, numbered as in the file.

    Unlike `decode`, a line holding NUL bytes does not make the whole file binary: it becomes
    `BINARY_LINE` and the other lines are decoded together (so their encoding is still judged
    from all of them). UTF-16/32 files, where NULs are part of every character, decode whole.
    Raises `NotText` when the file as a whole is not text: binary lines outnumber the rest.
    """
    binary: list[int] = []
    if b"\x00" in data and not data.startswith(_WIDE_BOMS) and not _looks_like_utf16_or_32(data):
        raw_lines = data.split(b"\n")
        if mostly_binary(data):
            raise NotText("binary file")
        binary = [number for number, raw in enumerate(raw_lines) if b"\x00" in raw]
        for number in binary:
            raw_lines[number] = b""
        data = b"\n".join(raw_lines)
    lines = decode(data, line_separators=False).split("\n")
    for number in binary:
        lines[number] = BINARY_LINE
    return lines


def streamable(head: bytes) -> bool:
    """Whether a file starting with `head` can be decoded line by line: not UTF-16/32 (whose
    line ends are not single bytes). NUL bytes on some lines are fine: those lines are binary
    data, reported one by one (`decode_line`)."""
    return (
        bool(head.strip())
        and not head.startswith(_WIDE_BOMS)
        and (b"\x00" not in head or _looks_like_utf16_or_32(head) is None)
    )


def mostly_binary(head: bytes) -> bool:
    """More lines with NUL bytes than without in `head`: a binary file, not text."""
    lines = head.split(b"\n")
    binary = sum(1 for line in lines if b"\x00" in line)
    return binary * 2 > sum(1 for line in lines if line.strip())
