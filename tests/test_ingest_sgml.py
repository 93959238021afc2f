"""SGML news collections (Reuters-21578 layout), and the data files shipped beside them."""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest import prose
from newsreader.core.library import Library
from newsreader.core.models import Article, Skipped


def story(newid: int, date: str, text: str, *, kind: str = "") -> str:
    """One `<REUTERS>` element as the collection writes it (metadata lists, wire noise)."""
    type_attr = f' TYPE="{kind}"' if kind else ""
    return (
        f'<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" NEWID="{newid}">\n'
        f"<DATE>{date}</DATE>\n"
        "<TOPICS><D>cocoa</D></TOPICS>\n<PLACES><D>brazil</D></PLACES>\n<PEOPLE></PEOPLE>\n"
        "<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute\nu f BC-COCOA</UNKNOWN>\n"
        f"<TEXT{type_attr}>&#2;\n{text}</TEXT>\n</REUTERS>\n"
    )


COCOA = story(
    1,
    "26-FEB-1987 15:01:01.79",
    "<TITLE>BAHIA COCOA REVIEW</TITLE>\n"
    "<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in\n"
    "the Bahia cocoa zone, alleviating the drought since early\n"
    "January, Comissaria Smith said in its weekly review.\n"
    "    The dry period means the temporao will be late this year.\n"
    "    &lt;Cocoa Producers Alliance> members met in London.\n"
    " Reuter\n&#3;</BODY>",
)
BRIEF = story(
    2,
    "26-FEB-1987 15:02:20.00",
    "******<TITLE>STANDARD OIL &lt;SRD> TO FORM FINANCIAL UNIT\n</TITLE>\nBlah blah blah.\n&#3;\n",
    kind="BRIEF",
)
UNPROC = story(
    3,
    " 2-MAR-1987 09:16:33.22",
    "Grain shipments from the port rose sharply last week, traders said.\n"
    "    Loadings were expected to stay high.\n Reuter\n&#3;",
    kind="UNPROC",
)
OIL = story(
    4,
    "26-FEB-1987 15:03:27.51",
    "<TITLE>TEXACO CANADA CUTS CRUDE PRICES</TITLE>\n<AUTHOR>    by Jane Doe, Reuters</AUTHOR>\n"
    "<DATELINE>    TORONTO, Feb 26 - </DATELINE><BODY>Texaco Canada said it lowered the\n"
    "contract price it will pay for crude oil 64 Canadian cts a barrel, effective today.\n"
    " REUTER\n&#3;</BODY>",
)
COLLECTION = '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + COCOA + BRIEF + UNPROC + OIL


def read_all(path: Path) -> tuple[list[Article], list[Skipped]]:
    items = list(ingest.read_file(path, source="reuters"))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, Skipped)],
    )


def test_each_reuters_element_is_one_article(tmp_path: Path) -> None:
    path = tmp_path / "reut2-000.sgm"
    path.write_text(COLLECTION, encoding="ascii")
    articles, skipped = read_all(path)
    assert [a.title for a in articles] == [
        "BAHIA COCOA REVIEW",
        "Grain shipments from the port rose sharply last week, traders said",
        "TEXACO CANADA CUTS CRUDE PRICES",
    ]
    cocoa = articles[0]
    assert cocoa.paragraphs == (
        "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone, "
        "alleviating the drought since early January, Comissaria Smith said in its weekly review.",
        "The dry period means the temporao will be late this year.",
        "<Cocoa Producers Alliance> members met in London.",
    )
    assert cocoa.published == datetime(1987, 2, 26, 15, 1, 1)
    assert cocoa.source_kind == "sgml"
    assert cocoa.origin == f"{path}:2"
    assert articles[1].paragraphs[-1] == "Loadings were expected to stay high."
    assert articles[1].published == datetime(1987, 3, 2, 9, 16, 33)
    assert articles[2].paragraphs[-1].endswith("effective today.")  # "REUTER" sign-off dropped
    assert articles[2].byline == "Jane Doe, Reuters"
    # The BRIEF story is a headline with placeholder text outside its body: never stored empty.
    assert [(Path(s.origin).name, s.reason) for s in skipped] == [
        ("reut2-000.sgm:21", "a headline without text in this SGML story")
    ]


def test_sgml_without_stories_is_skipped_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.sgm"
    path.write_text("<!DOCTYPE lewis>\n<OTHER>text</OTHER>\n", encoding="ascii")
    assert read_all(path) == ([], [Skipped(str(path), "no <REUTERS> stories in this SGML file")])


PLACES_LIST = "\n".join(["afghanistan", "albania", "algeria", "american-samoa", "andorra"] * 20)
CATEGORIES = "".join(
    f"  {code}\t{name}\n"
    for code, name in [("acq", "Mergers/Acquisitions"), ("alum", "Aluminium"), ("bop", "Balance")]
    * 10
)
CODE = (
    "#include <stdio.h>\n\nint main(int argc, char **argv) {\n"
    '    for (int i = 0; i < argc; i++) { printf("%s\\n", argv[i]); }\n'
    "    return 0;\n}\n"
) * 4
TABLE = "".join(
    f"{year} {n * 3.5:8.1f} {n * 1.25:8.2f} {n:6d}\n" for n, year in enumerate(range(1950, 1990))
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (PLACES_LIST, "a list of short entries"),
        (CATEGORIES, "a list of short entries"),
        (CODE, "looks like code"),
        (TABLE, "mostly numbers"),
    ],
    ids=["word-list", "category-list", "code", "table"],
)
def test_text_that_is_not_prose_is_not_an_article(text: str, reason: str) -> None:
    got = prose.not_prose(text)
    assert got is not None and got.startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        "Markets closed higher on Friday.",
        "Rain on the way\n\nRain is expected.\n\nWinds too.\n\nCold.\n\nSnow later this week.\n",
        "Film awards\n\nThe winners were announced on Sunday night in London.\n\n"
        "Best film: The Aviator\nBest actor: Jamie Foxx\nBest actress: Imelda Staunton\n"
        "Best director: Mike Leigh\n",
    ],
)
def test_short_notes_and_articles_are_prose(text: str) -> None:
    assert prose.not_prose(text) is None


def test_reuters_folder_imports_the_stories_and_lists_every_data_file(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "reuters21578"
    folder.mkdir()
    (folder / "reut2-000.sgm").write_text(COLLECTION, encoding="ascii")
    (folder / "reut2-001.sgm").write_text(OIL.replace('NEWID="4"', 'NEWID="1001"'))
    (folder / "all-places-strings.lc.txt").write_text(PLACES_LIST)
    (folder / "cat-descriptions_120396.txt").write_text(CATEGORIES)
    (folder / "lewis.dtd").write_text("<!ELEMENT REUTERS - - (DATE, TEXT)>\n")
    (folder / "tally.c.txt").write_text(CODE)
    (folder / "README.txt").write_text("Reuters-21578 text categorization collection.\n")
    report = library.import_paths([folder])
    assert (report.new, report.duplicates) == (3, 1)
    assert library.count() == 3
    reasons = {Path(s.origin).name: s.reason for s in report.skipped}
    assert set(reasons) == {
        "reut2-000.sgm:21",
        "all-places-strings.lc.txt",
        "cat-descriptions_120396.txt",
        "lewis.dtd",
        "tally.c.txt",
        "README.txt",
    }
    assert reasons["all-places-strings.lc.txt"].startswith("a list of short entries")
    assert reasons["tally.c.txt"].startswith("looks like code")
    assert reasons["lewis.dtd"] == "unsupported file type .dtd"


def _symbol_counts_reference(text: str) -> tuple[int, int, int]:
    """The slow, obvious count `prose.symbol_counts` must equal."""
    visible = sum(1 for char in text if not char.isspace())
    code = sum(1 for char in text if char in "{}[]()<>=;|\\#$%^*+~@_`")
    digits = sum(1 for char in text if re.fullmatch(r"\d", char))
    return visible, code, digits


def test_symbol_counts_equal_a_per_character_count_on_generated_text() -> None:
    rng = random.Random(7)
    alphabet = "ab Zé\t\n\u00a0\u2028{}[]()<>=;|\\#$%^*+~@_`.,'\"0123456789٣\u3000ſ"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        assert prose.symbol_counts(text) == _symbol_counts_reference(text), repr(text)
