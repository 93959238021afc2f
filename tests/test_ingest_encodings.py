"""Encodings are detected, not assumed; binary and empty files are skipped with a reason."""

from __future__ import annotations

import codecs
import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest.encoding import NotText, decode
from newsreader.core.library import Library
from newsreader.core.models import Article, Skipped

TITLE = "Café owners “cautiously optimistic”"
BODY = "Prices at the café in Zürich rose – again – said José Müller’s naïve résumé."
ARTICLE_TEXT = f"{TITLE}\n\n{BODY}\n"


def only_article(path: Path) -> Article:
    (item,) = list(ingest.read_file(path, source="s"))
    assert isinstance(item, Article), item
    return item


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", ARTICLE_TEXT.encode("utf-8")),
        ("utf8-bom.txt", codecs.BOM_UTF8 + ARTICLE_TEXT.encode("utf-8")),
        ("utf16.txt", ARTICLE_TEXT.encode("utf-16")),
        ("utf16-be-bom.txt", codecs.BOM_UTF16_BE + ARTICLE_TEXT.encode("utf-16-be")),
        ("utf16-le-no-bom.txt", ARTICLE_TEXT.encode("utf-16-le")),
        ("utf32.txt", ARTICLE_TEXT.encode("utf-32")),
        ("cp1252.txt", ARTICLE_TEXT.encode("cp1252")),
        ("crlf.txt", ARTICLE_TEXT.replace("\n", "\r\n").encode("utf-8")),
        ("nfd.txt", unicodedata.normalize("NFD", ARTICLE_TEXT).encode("utf-8")),
    ],
)
def test_encodings_read_to_the_same_text(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    article = only_article(path)
    assert article.title == TITLE
    assert article.paragraphs == (BODY,)


def test_latin1_german_text() -> None:
    text = "Der Bürgermeister äußerte sich über die Straße."
    assert decode(text.encode("latin-1")) == text


def test_stray_latin1_byte_in_utf8_keeps_the_other_accents() -> None:
    data = "Zürich – £5".encode() + b" and \xa310 more"
    assert decode(data) == "Zürich – £5 and £10 more"


def test_trailing_whitespace_and_line_endings_are_normalised() -> None:
    assert decode(b"One  \r\nTwo\t\rThree\n") == "One\nTwo\nThree\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n", "empty file"),
        (codecs.BOM_UTF8 + b"  \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        (bytes(range(256)) * 8, "binary file"),
        # No NUL byte to give it away: judged by its control characters / lack of an encoding.
        (random.Random(0).randbytes(4000).replace(b"\0", b"\1"), "binary file"),
    ],
)
def test_not_text(data: bytes, reason: str) -> None:
    with pytest.raises(NotText) as raised:
        decode(data)
    assert str(raised.value).startswith(reason)


def test_bad_files_are_skipped_while_good_ones_in_the_folder_import(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-utf8-bom.txt").write_bytes(
        codecs.BOM_UTF8 + b"Rates held\n\nThe bank held rates.\n"
    )
    (folder / "b-utf16.txt").write_bytes("Ports reopen\n\nAll ports reopened.\n".encode("utf-16"))
    (folder / "c-cp1252.txt").write_bytes(ARTICLE_TEXT.encode("cp1252"))
    (folder / "d-binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00garbage\x00" * 40)
    (folder / "e-empty.txt").write_bytes(b"")
    (folder / "f-blank.md").write_bytes(b"\n \n")

    report = library.import_paths([folder])
    assert (report.new, report.duplicates) == (3, 0)
    assert report.skipped == [
        Skipped(str(folder / "d-binary.txt"), "binary file"),
        Skipped(str(folder / "e-empty.txt"), "empty file"),
        Skipped(str(folder / "f-blank.md"), "empty file"),
    ]
    titles = {row.title for row in library.rows(library.ids())}
    assert titles == {"Rates held", "Ports reopen", TITLE}

    again = library.import_paths([folder])
    assert (again.new, again.duplicates, len(again.skipped)) == (0, 3, 3)
    assert library.count() == 3


def test_same_article_in_two_encodings_is_one_article(library: Library, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_bytes(ARTICLE_TEXT.encode("cp1252"))
    (tmp_path / "two.txt").write_bytes(ARTICLE_TEXT.replace("\n", "\r\n").encode("utf-16"))
    report = library.import_paths([tmp_path / "one.txt", tmp_path / "two.txt"])
    assert (report.new, report.duplicates) == (1, 1)


def test_central_european_code_page_is_not_forced_to_cp1252() -> None:
    text = "Zażółć gęślą jaźń. Rząd ogłosił we wtorek nową reformę emerytalną."
    assert decode(text.encode("cp1250")) == text


def test_reader_failure_becomes_a_skip_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(text: str, *, source: str, origin: str) -> Iterator[Article | Skipped]:
        if text:
            raise RuntimeError("unforeseen")
        yield Skipped(origin, "not reached")

    monkeypatch.setitem(ingest._READERS, ".csv", explode)
    assert list(ingest.read_bytes(b"a,b\n", name="x.csv", source="s")) == [
        Skipped("x.csv", "could not be read (RuntimeError: unforeseen)")
    ]


#: English filler that stays ASCII: the stray byte must be read the same in a short file and
#: in a long one (charset-normalizer once read a lone "\xa3" in 2 KB of English as Shift-JIS).
_FILLER = "The deal was agreed after talks that lasted most of the week, officials said.\n"


@pytest.mark.parametrize(
    ("stray", "char"),
    [(b"\xa3", "£"), (b"\xe9", "é"), (b"\x92", "’"), (b"\x93", "“")],
    ids=["pound", "e-acute", "right-quote", "left-quote"],
)
@pytest.mark.parametrize("filler_lines", [0, 3, 30, 300])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_one_stray_byte_in_an_ascii_file_is_cp1252(
    tmp_path: Path, stray: bytes, char: str, filler_lines: int, where: str
) -> None:
    line = b"Chelsea completed a %s15.8m signing on Monday.\n" % stray
    filler = _FILLER.encode("ascii") * filler_lines
    body = {"start": line + filler, "middle": filler + line + filler, "end": filler + line}[where]
    path = tmp_path / "stray.txt"
    path.write_bytes(b"Chelsea sign striker\n\n" + body)
    article = only_article(path)
    assert f"Chelsea completed a {char}15.8m signing on Monday." in article.paragraphs
    assert all(ord(c) < 128 for c in article.body.replace(char, ""))


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("東京都は月曜日、新しい防災計画を発表した。計画は来年から実施される。" * 3, "shift_jis"),
        ("東京都は月曜日、新しい防災計画を発表した。" * 3, "euc_jp"),
        ("昨日、市政府发布了新的城市计划。" * 5, "gb18030"),
        ("서울시는 월요일 새로운 계획을 발표했다. " * 4, "euc_kr"),
    ],
)
def test_east_asian_text_keeps_its_code_page(text: str, codec: str) -> None:
    # The cp1252 rule is for almost-all-ASCII text only; real CJK text, whose byte pairs
    # now and then look like UTF-8, is still read in its own code page.
    assert decode(text.encode(codec)) == text.rstrip()
