"""Markdown export: what a user opening the exported file would notice.

The `markdown` package is the judge: every export is rendered with it and the text of the
rendered title and paragraphs must equal the article's text, character for character. The
hostile cases are also rendered as CommonMark, plain and with GFM tables and strikethrough
(markdown-it-py), which is what note-taking apps read, so an export shows the same text there.
"""

from __future__ import annotations

import html.parser
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import frontmatter
import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsreader.core import export
from newsreader.core.filenames import MAX_STEM_CHARS, safe_filename
from newsreader.core.models import Article, Mention, Photo

# -- helpers ---------------------------------------------------------------------------------------


class _Blocks(html.parser.HTMLParser):
    """Top-level HTML blocks as (tag, text, inner tags); character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, list[str]]] = []
        self._depth = 0
        self._stray = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth == 0:
            self.blocks.append((tag, "", []))
        else:
            self.blocks[-1][2].append(tag)
        if tag not in {"br", "hr", "img"}:
            self._depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth == 0:
            self.blocks.append((tag, "", []))
        else:
            self.blocks[-1][2].append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth == 0:
            self._stray += data
            return
        tag, text, inner = self.blocks[-1]
        self.blocks[-1] = (tag, text + data, inner)


def split_front_matter(document: str) -> tuple[dict[str, object], str]:
    """The YAML front matter (parsed with yaml.safe_load) and the Markdown body."""
    assert document.startswith("---\n")
    end = document.index("\n---\n", 3)
    meta = yaml.safe_load(document[4 : end + 1])
    assert isinstance(meta, dict)
    return meta, document[end + len("\n---\n") :]


_COMMONMARK = MarkdownIt("commonmark")
_GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
RENDERERS: dict[str, Callable[[str], str]] = {
    "python-markdown": markdown.markdown,
    "commonmark": _COMMONMARK.render,
    "gfm": _GFM.render,
}


def render(document: str, renderer: str = "python-markdown") -> list[tuple[str, str, list[str]]]:
    """Render an export's body (markdown package by default); return its top-level blocks."""
    _, body = split_front_matter(document)
    parser = _Blocks()
    parser.feed(RENDERERS[renderer](body))
    parser.close()
    assert parser._stray.strip() == "", f"text outside any block: {parser._stray!r}"
    return parser.blocks


def one_line(text: str) -> str:
    return " ".join(text.split())


def text_blocks(
    article: Article, renderer: str = "python-markdown"
) -> list[tuple[str, str, list[str]]]:
    return render(export.article_to_markdown(article), renderer)


HOSTILE = [
    "*",
    "_",
    "**bold**",
    "__bold__",
    "*em* and _em_ and snake_case_name",
    "# not a heading",
    "## closed heading ##",
    "C#",
    "#hashtag",
    "[x](y)",
    "![img](z)",
    "[ref]: http://example.com/",
    "[[Wiki Link]]",
    "<script>alert(1)</script>",
    "<div>block</div>",
    "<!-- comment -->",
    "&amp; literal",
    "&copy; and &#169; and &#xA9;",
    "x & y < z > w",
    "`code`",
    "``double `tick``",
    "1. first",
    "2) second",
    "10. tenth",
    "- item",
    "+ item",
    "* item",
    "> quote",
    ">> nested",
    "---",
    "===",
    "***",
    "___",
    "- - -",
    "-1 degrees",
    "=equals",
    "trailing backslash \\",
    "\\",
    "a\\*b and \\\\",
    "trailing double space  ",
    "<http://x>",
    "<me@example.com>",
    "http://example.com/a_b_c",
    "\tcode after a tab",
    "    four-space code",
    "  two leading spaces",
    "mid\ttab",
    "| a | b |",
    "| a | b |\n| --- | --- |\n| c | d |",
    "~single~ tilde",
    "{: .class}",
    "~~strike~~",
    "^sup^ ==mark==",
    "\u00a0non-breaking lead",
    "Ünïcödé Straße — 東京 «quoted»",
]

MULTILINE = [
    "line one\n---",
    "line one\n===",
    "line one\n# heading",
    "line one\n> quote",
    "line one\n    code",
    "line one\n1. item",
    "line one\n- item",
    "hard  \nbreak",
    "line\n   \nwith a blank-looking line",
]


# -- hostile round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_title_renders_as_itself(text: str, renderer: str) -> None:
    blocks = text_blocks(Article(title=text, paragraphs=("Body.",)), renderer)
    assert blocks[0] == ("h1", one_line(text), [])
    assert blocks[1:] == [("p", "Body.", [])]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("text", HOSTILE + MULTILINE)
def test_hostile_paragraph_renders_as_itself(text: str, renderer: str) -> None:
    article = Article(title="Title", paragraphs=("Before.", text, "After."))
    assert text_blocks(article, renderer) == [
        ("h1", "Title", []),
        ("p", "Before.", []),
        ("p", text, []),
        ("p", "After.", []),
    ]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("text", ["DITCH TACTICS:", "*starred*", "# 1. <b>x</b> [y](z) \\"])
def test_kicker_is_a_bold_line_of_its_own(text: str, renderer: str) -> None:
    blocks = text_blocks(
        Article(title="T", paragraphs=("First paragraph.",), kicker=text), renderer
    )
    assert blocks == [("h1", "T", []), ("p", text, ["strong"]), ("p", "First paragraph.", [])]


def test_control_characters_are_dropped_not_rendered() -> None:
    article = Article(title="a\x00b\x1b[31mc", paragraphs=("x\x02y\x03z\x07",))
    assert text_blocks(article) == [("h1", "ab[31mc", []), ("p", "xyz", [])]


def test_empty_lines_inside_a_paragraph_do_not_split_it() -> None:
    blocks = text_blocks(Article(title="T", paragraphs=("one\n\n\ntwo", "", "three")))
    assert blocks == [("h1", "T", []), ("p", "one\ntwo", []), ("p", "three", [])]


# A Markdown-hostile alphabet: every ASCII punctuation mark, whitespace, digits, a few
# letters and some non-ASCII text.
_ALPHABET = (
    "ab XY 0129 \t\u00a0é東"
    + "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
    + "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
)
_PROPERTY = settings(max_examples=300, deadline=None, database=None)


@_PROPERTY
@given(
    title=st.text(_ALPHABET, max_size=40),
    paragraphs=st.lists(st.text(_ALPHABET + "\n\n", min_size=1, max_size=60), max_size=4),
    kicker=st.text(_ALPHABET, max_size=15),
)
def test_any_text_renders_as_itself(title: str, paragraphs: list[str], kicker: str) -> None:
    article = Article(title=title, paragraphs=tuple(paragraphs), kicker=kicker)
    expected: list[tuple[str, str, list[str]]] = []
    if one_line(title):
        expected.append(("h1", one_line(title), []))
    if one_line(kicker):
        expected.append(("p", one_line(kicker), ["strong"]))
    for paragraph in paragraphs:
        lines = [line for line in paragraph.split("\n") if line]
        if lines:
            expected.append(("p", "\n".join(lines), []))
    for renderer in RENDERERS:
        assert text_blocks(article, renderer) == expected, renderer


@_PROPERTY
@given(
    title=st.text(_ALPHABET + "\n\r\u2028\x85\x0c\x1e", max_size=40),
    byline=st.text(_ALPHABET, max_size=20),
)
def test_any_title_survives_the_front_matter(title: str, byline: str) -> None:
    meta, _ = split_front_matter(
        export.article_to_markdown(Article(title=title, byline=byline, paragraphs=("x",)))
    )
    expected = {"title": one_line(title), "byline": one_line(byline)}
    assert meta == {key: value for key, value in expected.items() if value}


# -- front matter ---------------------------------------------------------------------------------

KYIV = timezone(timedelta(hours=3))


def full_article() -> Article:
    return Article(
        id=7,
        title="Ukraine's offensive: 'Kursk' #1 --- yes",
        kicker="DITCH TACTICS:",
        byline="By Jane Doe & John Roe",
        paragraphs=("First paragraph.", "Second paragraph.", "Third, cut off mid"),
        photos=(
            Photo(credit="Reuters", after_paragraph=0),
            Photo(credit="Photo: AFP", caption="Smoke over Sudzha.", after_paragraph=1),
        ),
        source="seed-news.txt",
        url="https://example.com/a?b=1&c=2",
        published=datetime(2024, 8, 6, 10, 30, tzinfo=KYIV),
        truncated=True,
    )


def test_front_matter_parses_back_to_the_article_fields() -> None:
    article = full_article()
    meta, _ = split_front_matter(export.article_to_markdown(article))
    assert meta == {
        "title": article.title,
        "source": "seed-news.txt",
        "url": "https://example.com/a?b=1&c=2",
        "published": article.published,
        "kicker": "DITCH TACTICS:",
        "byline": "By Jane Doe & John Roe",
        "truncated": True,
    }
    assert list(meta) == ["title", "source", "url", "published", "kicker", "byline", "truncated"]


def test_published_is_written_as_iso_date_time() -> None:
    document = export.article_to_markdown(full_article())
    assert "\npublished: 2024-08-06T10:30:00+03:00\n" in document
    naive = Article(title="T", paragraphs=("x",), published=datetime(2024, 1, 2, 3, 4, 5))
    meta, _ = split_front_matter(export.article_to_markdown(naive))
    assert meta["published"] == datetime(2024, 1, 2, 3, 4, 5)


def test_python_frontmatter_reads_the_export_as_a_notes_app_would() -> None:
    post = frontmatter.loads(export.article_to_markdown(full_article()))
    assert post["title"] == full_article().title
    assert post["published"] == datetime(2024, 8, 6, 10, 30, tzinfo=KYIV).astimezone(UTC)
    assert post.content.startswith("# Ukraine's offensive")


@pytest.mark.parametrize(
    "title", ["yes", "null", "123", "- a: b", "#comment", "'quoted'", '"double"', "a: b", "---"]
)
def test_yaml_significant_titles_stay_strings(title: str) -> None:
    meta, _ = split_front_matter(export.article_to_markdown(Article(title=title, paragraphs=())))
    assert meta == {"title": title}


def test_empty_fields_are_left_out() -> None:
    meta, _ = split_front_matter(export.article_to_markdown(Article(title="Only", paragraphs=())))
    assert meta == {"title": "Only"}


def test_entity_names_go_to_the_front_matter_by_type() -> None:
    document = export.article_to_markdown(
        Article(title="T", paragraphs=("x",)),
        entity_names={
            "person": ["Volodymyr Zelenskiy", "Vladimir Putin"],
            "org": [],
            "place": ["Kursk"],
        },
    )
    meta, _ = split_front_matter(document)
    assert meta["entities"] == {
        "person": ["Volodymyr Zelenskiy", "Vladimir Putin"],
        "place": ["Kursk"],
    }


# -- body layout ----------------------------------------------------------------------------------


def test_photo_credits_are_italic_lines_after_their_paragraph_not_paragraphs() -> None:
    blocks = text_blocks(full_article())
    assert blocks == [
        ("h1", full_article().title, []),
        ("p", "DITCH TACTICS:", ["strong"]),
        ("p", "First paragraph.", []),
        ("p", "Photo: Reuters", ["em"]),
        ("p", "Second paragraph.", []),
        ("p", "Smoke over Sudzha. Photo: AFP", ["em"]),
        ("p", "Third, cut off mid", []),
        ("p", export.TRUNCATED_NOTE, ["em"]),
    ]
    assert "\n*Photo: Reuters*\n" in export.article_to_markdown(full_article())


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize(
    ("credit", "caption", "shown"),
    [
        ("Reuters", "", "Photo: Reuters"),
        ("AFP Photo", "", "AFP Photo"),
        ("Getty Images", "", "Getty Images"),
        ("*AP*", "Smoke _rises_", "Smoke _rises_ — Photo: *AP*"),
        ("", "1. <b>Caption</b> [x](y)", "1. <b>Caption</b> [x](y)"),
        ("EPA", "Smoke over Sudzha.", "Smoke over Sudzha. Photo: EPA"),
    ],
)
def test_hostile_photo_lines_render_as_italic_text(
    credit: str, caption: str, shown: str, renderer: str
) -> None:
    article = Article(title="T", paragraphs=("p",), photos=(Photo(credit, caption, 0),))
    assert text_blocks(article, renderer)[2] == ("p", shown, ["em"])


def test_photo_before_the_first_paragraph_and_past_the_end() -> None:
    article = Article(
        title="T",
        paragraphs=("one",),
        photos=(Photo(credit="AP", after_paragraph=-1), Photo(credit="EPA", after_paragraph=9)),
    )
    assert text_blocks(article)[1:] == [
        ("p", "Photo: AP", ["em"]),
        ("p", "one", []),
        ("p", "Photo: EPA", ["em"]),
    ]


def test_no_truncation_note_for_a_complete_article() -> None:
    document = export.article_to_markdown(Article(title="T", paragraphs=("Complete.",)))
    assert export.TRUNCATED_NOTE not in document
    assert "truncated" not in document


def test_the_export_is_readable_markdown_not_escape_soup() -> None:
    document = export.article_to_markdown(
        Article(
            title="Vance visits Greenland",
            paragraphs=('U.S. Vice President J.D. Vance (R) said: "We\'re here." 1,000 troops!',),
        )
    )
    assert document.endswith(
        "\n# Vance visits Greenland\n\nU.S. Vice President J.D. Vance (R) said: "
        '"We\'re here." 1,000 troops!\n'
    )


# -- file names -----------------------------------------------------------------------------------

_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "..\\..\\Windows\\System32\\drivers",
        "/absolute/path",
        "C:\\boot.ini",
        ".bashrc",
        "..",
        ".",
        "...",
        "CON",
        "con",
        "Nul",
        "COM1",
        "lpt9",
        "aux.md",
        "a\x00b\x1fc\x7fd",
        "line\nbreak\rand\ttab",
        "x" * 500,
        "word " * 100,
        "\U00020000" * 120,
        "Ünïcödé Straße — 東京",
        'quotes "and" <angle> |pipe| ?star* :colon',
        "",
        "   ",
        "!!!",
        "🎉🎉",
        "trailing dot.",
        "trailing space ",
    ],
)
def test_file_names_are_safe_on_every_platform(title: str, tmp_path: Path) -> None:
    name = safe_filename(title, set(), article_id=42)
    stem = name.removesuffix(".md")
    assert name.endswith(".md")
    assert stem and not stem.startswith(".") and not stem.endswith((".", " "))
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert not re.search(r'[<>:"|?*]', name)
    assert not _RESERVED.match(name) and not _RESERVED.match(stem)
    assert len(stem) <= MAX_STEM_CHARS
    assert len(name.encode("utf-8")) <= 255
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_file_names_read_like_the_title() -> None:
    assert (
        safe_filename("Ukraine's offensive into Kursk", set()) == "ukraines-offensive-into-kursk.md"
    )
    assert safe_filename("Ünïcödé Straße — 東京", set()) == "ünïcödé-straße-東京.md"
    assert safe_filename("CON", set()) == "con-article.md"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    name = safe_filename("abcdefghijk " * 30, set())  # 12 characters a word: 80 is mid-word
    assert name == "-".join(["abcdefghijk"] * 6) + ".md"


@pytest.mark.parametrize("title", ["", "   ", "!!!", "../", "🎉"])
def test_titles_without_letters_name_the_file_by_id(title: str) -> None:
    assert safe_filename(title, set(), article_id=42) == "article-42.md"


def test_names_are_unique_ignoring_case() -> None:
    used = {"kursk.md", "kursk-2.md"}
    assert safe_filename("KURSK", used) == "kursk-3.md"
    assert safe_filename("Kursk!", {"other.md"}) == "kursk.md"


# -- writing files --------------------------------------------------------------------------------


def article(title: str, body: str = "Body.", article_id: int = 1) -> Article:
    return Article(id=article_id, title=title, paragraphs=(body,))


def listing(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


def test_one_article_to_a_named_file(tmp_path: Path) -> None:
    target = tmp_path / "notes" / "kursk.md"
    written = export.export_articles([article("Kursk")], target)
    assert written == [target]
    assert target.read_text(encoding="utf-8") == export.article_to_markdown(article("Kursk"))
    assert listing(target.parent) == ["kursk.md"]


def test_an_existing_file_is_never_overwritten_silently(tmp_path: Path) -> None:
    target = tmp_path / "kursk.md"
    target.write_text("my own notes", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists"):
        export.export_articles([article("Kursk")], target)
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert listing(tmp_path) == ["kursk.md"]


def test_the_md_suffix_is_recognised_in_any_case(tmp_path: Path) -> None:
    written = export.export_articles([article("Kursk")], tmp_path / "Notes.MD")
    assert written == [tmp_path / "Notes.MD"]
    assert listing(tmp_path) == ["Notes.MD"]


def test_an_existing_folder_named_like_a_file_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "archive.md").mkdir()
    written = export.export_articles([article("Kursk")], tmp_path / "archive.md")
    assert written == [tmp_path / "archive.md" / "kursk.md"]


def test_overwrite_replaces_the_file_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "kursk.md"
    target.write_text("old", encoding="utf-8")
    export.export_articles([article("Kursk")], target, overwrite=True)
    assert target.read_text(encoding="utf-8") == export.article_to_markdown(article("Kursk"))
    assert listing(tmp_path) == ["kursk.md"]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kursk.md"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        export.export_articles([article("Kursk")], target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert listing(tmp_path) == ["kursk.md"]


def test_a_failure_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        export.export_articles([article("A"), article("B")], tmp_path / "out")
    assert listing(tmp_path / "out") == []


def test_without_hard_links_the_export_still_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError("hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "kursk.md"
    export.export_articles([article("Kursk")], target)
    assert target.read_text(encoding="utf-8") == export.article_to_markdown(article("Kursk"))
    with pytest.raises(FileExistsError):
        export.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == export.article_to_markdown(article("Kursk"))
    assert listing(tmp_path) == ["kursk.md"]


def test_a_file_created_during_the_export_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program takes the chosen name between our check and our rename."""
    real_link = os.link

    def racing_link(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name == "kursk.md":
            Path(dst).write_text("someone else's", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(FileExistsError, match=r"kursk\.md already exists"):
        export.export_articles([article("Kursk")], tmp_path / "kursk.md")
    assert listing(tmp_path) == ["kursk.md"]
    (tmp_path / "kursk.md").unlink()

    written = export.export_articles([article("Kursk")], tmp_path)
    assert [p.name for p in written] == ["kursk-2.md"]
    assert (tmp_path / "kursk.md").read_text(encoding="utf-8") == "someone else's"
    assert listing(tmp_path) == ["kursk-2.md", "kursk.md"]


def test_folder_export_of_three_articles(tmp_path: Path) -> None:
    articles = [
        article("Ukraine's offensive into Kursk", article_id=1),
        article("Kenyan officer missing in Haiti", article_id=2),
        article("Vance in Greenland", article_id=3),
    ]
    folder = tmp_path / "exports" / "today"
    written = export.export_articles(articles, folder)
    assert [p.name for p in written] == [
        "ukraines-offensive-into-kursk.md",
        "kenyan-officer-missing-in-haiti.md",
        "vance-in-greenland.md",
    ]
    assert all(p.parent == folder for p in written)
    assert listing(folder) == sorted(p.name for p in written)
    for path, original in zip(written, articles, strict=True):
        assert path.read_text(encoding="utf-8") == export.article_to_markdown(original)


def test_folder_export_keeps_existing_files_and_repeated_titles_apart(tmp_path: Path) -> None:
    (tmp_path / "kursk.md").write_text("mine", encoding="utf-8")
    articles = [article("Kursk", "one", 1), article("KURSK", "two", 2), article("kursk", "3", 3)]
    written = export.export_articles(articles, tmp_path)
    assert [p.name for p in written] == ["kursk-2.md", "kursk-3.md", "kursk-4.md"]
    assert (tmp_path / "kursk.md").read_text(encoding="utf-8") == "mine"
    assert [render(p.read_text("utf-8"))[1][1] for p in written] == ["one", "two", "3"]


def test_folder_export_avoids_names_that_differ_only_in_case(tmp_path: Path) -> None:
    """On macOS and Windows `kursk.md` would replace the user's `KURSK.md`."""
    (tmp_path / "KURSK.md").write_text("mine", encoding="utf-8")
    written = export.export_articles([article("Kursk")], tmp_path)
    assert [p.name for p in written] == ["kursk-2.md"]


def test_folder_export_with_overwrite_replaces_same_names(tmp_path: Path) -> None:
    export.export_articles([article("Kursk", "old")], tmp_path)
    export.export_articles(
        [article("Kursk", "new"), article("Kursk", "newer")], tmp_path, overwrite=True
    )
    assert listing(tmp_path) == ["kursk-2.md", "kursk.md"]
    assert "new\n" in (tmp_path / "kursk.md").read_text(encoding="utf-8")


def test_untitled_articles_are_named_by_id(tmp_path: Path) -> None:
    written = export.export_articles(
        [article("", article_id=5), article("!!", article_id=6)], tmp_path
    )
    assert [p.name for p in written] == ["article-5.md", "article-6.md"]


def test_several_articles_cannot_go_to_one_md_file(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="2 articles need a folder"):
        export.export_articles([article("A"), article("B")], tmp_path / "both.md")
    assert listing(tmp_path) == []


def test_a_file_is_not_a_folder_to_export_into(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="not a folder"):
        export.export_articles([article("A")], tmp_path / "notes")


def test_nothing_to_export_writes_nothing(tmp_path: Path) -> None:
    assert export.export_articles([], tmp_path / "out") == []
    assert listing(tmp_path) == []


# -- standard output ------------------------------------------------------------------------------


def test_several_articles_as_one_text_for_stdout() -> None:
    articles = [article("First *one*", "a"), article("Second", "b"), article("Third", "c")]
    text = export.articles_to_markdown(articles)
    assert text == "\n".join(export.article_to_markdown(a) for a in articles)
    documents = ["---\n" + part for part in text.split("\n\n---\n")]
    documents[0] = documents[0].removeprefix("---\n")
    assert [split_front_matter(d)[0]["title"] for d in documents] == [
        "First *one*",
        "Second",
        "Third",
    ]
    assert [render(d)[1][1] for d in documents] == ["a", "b", "c"]


# -- the whole file in a viewer without front matter support ------------------------------------

# What a renderer may make of an export: structure and emphasis, never markup of the article's
# own, and never a link.
_SAFE_TAGS = {"h1", "h2", "p", "hr", "strong", "em", "ul", "ol", "li", "br", "code", "pre"}


class _Markup(html.parser.HTMLParser):
    """Every tag and attribute in rendered HTML (what a viewer would make live)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def live_markup(document: str, renderer: str) -> list[str]:
    """Tags or attributes (links, scripts, handlers) in the whole file rendered as Markdown."""
    parser = _Markup()
    parser.feed(RENDERERS[renderer](document))
    parser.close()
    found = [f"<{tag}>" for tag in parser.tags if tag not in _SAFE_TAGS]
    found += [f"{name}={value!r}" for name, value in parser.attributes]
    return found


_HOSTILE_VALUES = [
    "<script>alert(1)</script>",
    "<b onmouseover=alert(1)>x</b>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://example.com/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "![i](javascript:alert(1))",
    "R&B <3 [a] \\<b>",
]
_HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//example.com/no-scheme",
    "http://",
    "https://example.com/<script>",
    'https://example.com/" onmouseover="alert(1)',
]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("text", _HOSTILE_VALUES)
def test_the_whole_file_is_inert_without_front_matter_support(text: str, renderer: str) -> None:
    hostile = Article(
        title=text,
        kicker=text,
        byline=text,
        source=text,
        url="javascript:alert(1)",
        paragraphs=(text,),
        photos=(Photo(credit=text, caption=text, after_paragraph=0),),
    )
    names = {"person": [text], "org": [text]}
    for style in ("none", "bold", "wikilinks"):
        document = export.article_to_markdown(hostile, entities=style, entity_names=names)
        assert live_markup(document, renderer) == [], style
        meta, _ = split_front_matter(document)
        assert "url" not in meta
        assert meta["title"] == text and meta["byline"] == text and meta["source"] == text
        assert meta["entities"] == names


@pytest.mark.parametrize("url", _HOSTILE_URLS)
def test_urls_other_than_http_are_left_out(url: str) -> None:
    document = export.article_to_markdown(Article(title="T", url=url, paragraphs=("x",)))
    meta, _ = split_front_matter(document)
    assert "url" not in meta
    assert export.safe_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=1&c=2", "http://example.com/", "HTTPS://EXAMPLE.COM/x#y"]
)
def test_http_urls_survive_the_front_matter_exactly(url: str) -> None:
    meta, _ = split_front_matter(
        export.article_to_markdown(Article(title="T", url=url, paragraphs=("x",)))
    )
    assert meta["url"] == url


def test_front_matter_escapes_are_yaml_escapes_any_reader_decodes() -> None:
    document = export.article_to_markdown(
        Article(title="<b> & [x]", byline="Tom & Jerry", paragraphs=("x",))
    )
    assert '\ntitle: "\\x3Cb\\x3E \\x26 \\x5Bx]"\n' in document
    assert frontmatter.loads(document)["byline"] == "Tom & Jerry"


# -- a lone ampersand --------------------------------------------------------------------------


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("style", ["none", "bold", "wikilinks"])
def test_a_lone_ampersand_round_trips_exactly_in_every_mode(
    style: export.EntityStyle, renderer: str, tmp_path: Path
) -> None:
    body = "R&B from AT&T: Q&A, & more; but &amp; and &#169; are text too"
    ampersand = Article(id=3, title="R&B & soul", kicker="Q&A", paragraphs=(body,))
    mentions = [Mention(1, "AT&T", "org", 0, 9, 13, "AT&T")]
    document = export.article_to_markdown(
        ampersand, entities=style, mentions=mentions, entity_names={"org": ["AT&T"]}
    )
    assert "R&amp;B" not in document and "AT&amp;T" not in document
    assert "\n# R&B & soul\n" in document
    blocks = render(document, renderer)
    assert blocks[0] == ("h1", "R&B & soul", [])
    assert blocks[1] == ("p", "Q&A", ["strong"])
    marked = {"none": [], "bold": ["strong"], "wikilinks": []}[style]
    assert blocks[2][0] == "p" and blocks[2][2] == marked
    if style != "wikilinks":
        assert blocks[2][1] == body
    written = export.export_articles([ampersand], tmp_path / "r.md", entities=style)
    assert "R&B from AT&T" in written[0].read_text(encoding="utf-8")
    assert "R&B from AT&T" in export.articles_to_markdown([ampersand, ampersand])
