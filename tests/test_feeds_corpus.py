"""Every file of feedparser's own test corpus (../shared/feeds/feedparser) goes through the real
path: served from 127.0.0.1 with the HTTP headers its comment names, refreshed into one
library, parsed and stored. No file may crash a refresh; well-formed feeds store their entries;
odd encodings (UTF-16/32, Big5, EUC-KR, KOI8-R, undeclared ones) decode to the right text.

The refresh runs once for the module (one test per file then checks that file's outcome), so
the corpus costs one refresh of ~2,100 feeds rather than one library per file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from newsreader.core.feeds import service
from newsreader.core.feeds.content import paragraphs_from_html
from newsreader.core.feeds.parse import parse_feed
from newsreader.core.feeds.refresh import FeedOutcome
from newsreader.core.ingest import limits
from newsreader.core.library import Library
from tests.conftest import SHARED
from tests.feedserver import FeedServer, Reply

CORPUS = SHARED / "feeds" / "feedparser"
FILES = (
    sorted(
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.suffix in (".xml", ".json")
    )
    if CORPUS.is_dir()
    else []
)

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not FILES, reason=f"feedparser corpus not found at {CORPUS}"),
]


@dataclass(frozen=True)
class Meta:
    """What a corpus file's opening comment says: its HTTP headers and expectations."""

    content_type: str
    expect: str


def meta(data: bytes) -> Meta:
    text = ""
    for codec in ("utf-8", "utf-32", "utf-16", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "Expect:" in text or "Description:" in text:
            break
    content_type = ""
    for header in re.findall(r"^Header:\s*(.+)$", text, re.M):
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-type":
            content_type = value.strip()
    expect = re.search(r"Expect:\s*(.*?)\s*(?:-->|$)", text, re.M)
    return Meta(content_type, expect.group(1) if expect else "")


def _served_type(name: str, data: bytes) -> str:
    """The Content-Type the file's comment asks for, else a plain XML or JSON one."""
    default = "application/json" if name.endswith(".json") else "application/xml"
    return meta(data).content_type or default


@dataclass
class Corpus:
    library: Library
    outcomes: dict[str, FeedOutcome]
    ids: dict[str, int]
    base: str


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    with FeedServer() as server, Library.open(tmp_path_factory.mktemp("corpus")) as library:
        ids: dict[str, int] = {}
        for name in FILES:
            data = (CORPUS / name).read_bytes()
            server.routes[f"/{name}"] = Reply(body=data, content_type=_served_type(name, data))
            feed = library.add_feed(server.url(f"/{name}"), name=name, fetch=False)
            ids[name] = feed.source.id
        report = service.refresh_feeds(library, force=True, workers=8)
        outcomes = {f.name: f for f in report.feeds}
        assert len(outcomes) == len(FILES)
        yield Corpus(library, outcomes, ids, server.base)


def _literal(expect: str, pattern: str) -> str | None:
    found = re.search(pattern + r"""\s*==\s*(u?(['"]).*?(?<!\\)\2)""", expect)
    if not found:
        return None
    value = ast.literal_eval(found.group(1).lstrip("u"))
    return value if isinstance(value, str) else None


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_file_goes_through_refresh_and_store(corpus: Corpus, name: str) -> None:
    outcome = corpus.outcomes[name]
    assert "unexpected failure" not in outcome.error, outcome.error
    data = (CORPUS / name).read_bytes()
    info = meta(data)
    parsed = parse_feed(data, url=f"{corpus.base}/{name}", content_type=_served_type(name, data))
    well_formed = info.expect.startswith("not bozo") or name.startswith("wellformed/")
    entries = [e for e in parsed.entries if e.title or e.paragraphs]
    if well_formed and entries:
        assert not outcome.error, outcome.error
        db = corpus.library.storage.db
        known = {
            row[0]
            for row in db.execute(
                "SELECT entry_key FROM feed_entries WHERE source_id = ?", (corpus.ids[name],)
            )
        }
        assert {e.key for e in entries} <= known
        for entry in entries:
            article = entry.to_article(name, "")
            stored = db.execute(
                "SELECT count(*) FROM articles WHERE content_hash = ?", (article.content_hash,)
            ).fetchone()[0]
            assert stored == 1, f"entry {entry.key} is not in the library"
    if well_formed and name.startswith("encoding/"):
        text = " ".join([parsed.title, *(p for e in parsed.entries for p in e.paragraphs)])
        assert "\ufffd" not in text
    for field, pattern in (
        ("description", r"entries\[0\]\[?['.]?description['\]]*"),
        ("title", r"entries\[0\]\[?['.]?title['\]]*"),
        ("feed title", r"feed\[?['.]?title['\]]*"),
    ):
        # The encoding files' expectations name the exact text; elsewhere they are about
        # feedparser's own HTML output, which the library does not keep.
        if not name.startswith("encoding/") or "not bozo" not in info.expect:
            continue
        expected = _literal(info.expect, pattern)
        if expected is None or "<" in expected or "&" in expected:
            continue  # markup expectations are about feedparser's HTML, not our paragraphs
        if field == "feed title":
            assert parsed.title == " ".join(expected.split())
        elif parsed.entries:
            got = (
                parsed.entries[0].paragraphs
                if field == "description"
                else (parsed.entries[0].title,)
            )
            assert " ".join(got) == " ".join(paragraphs_from_html(expected))


CHARDET = [n for n in FILES if n.startswith("illformed/chardet/")]


@pytest.mark.parametrize("name", CHARDET)
def test_undeclared_encodings_are_detected(name: str) -> None:
    """These files name no encoding anywhere: the text must still come out right, checked by
    encoding it back into the encoding the corpus names and finding it in the raw bytes."""
    data = (CORPUS / name).read_bytes()
    codec = re.search(r"encoding == '([^']+)'", meta(data).expect)
    assert codec is not None
    parsed = parse_feed(data)
    texts = [parsed.title] + [p for e in parsed.entries for p in (e.title, *e.paragraphs)]
    sample = next((t for t in texts if t and not t.isascii()), "")
    if not sample:
        pytest.skip("no non-ASCII text in this file")
    words = [w for w in sample.split() if not w.isascii()][:3]
    for word in words:
        assert word.strip("….").encode(codec.group(1)) in data, f"{word!r} is not the file's text"


def test_the_corpus_imported_as_a_folder_stores_every_entry_with_text(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The same files saved to disk and imported as a folder: no file is unsupported or
    crashes the import, every entry with text is stored, each within the article limits."""
    with Library.open(tmp_path_factory.mktemp("imported")) as library:
        report = library.import_paths([CORPUS])
        reasons = [s.reason for s in report.skipped]
        assert not [r for r in reasons if r.startswith(("unsupported", "could not be read ("))]
        db = library.storage.db
        for name in FILES:
            parsed = parse_feed((CORPUS / name).read_bytes())  # as the import reads it
            for number, entry in enumerate(parsed.entries, start=1):
                if not entry.paragraphs:
                    continue
                article = entry.to_article(name, f"{name}#{number}")
                stored = db.execute(
                    "SELECT count(*) FROM articles WHERE content_hash = ?",
                    (article.content_hash,),
                ).fetchone()[0]
                assert stored == 1, f"{name}#{number} is not in the library"
        assert report.new > 50
        for article in library.get_many(library.ids()):
            assert any(p.strip() for p in article.paragraphs), article.origin
            assert sum(map(len, article.paragraphs)) <= limits.MAX_ARTICLE_CHARS
