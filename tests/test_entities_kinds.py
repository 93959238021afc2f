"""Rules v13 (issue 12, real news): platforms, kin, jobs before names, names cut short.

Like `test_entities_layers.py`, the layers get hand-written model output (the small model's
real misreadings on the `../shared` news: `wrote on Twitter` a person, `Coming To Netflix` a
place, `Beyoncé` an organisation, a headline's `Stormy` for Stormy Daniels), on texts written
for these tests.
"""

from __future__ import annotations

from newsreader.core.entities import canonical, layers, store
from newsreader.core.library import Library
from newsreader.core.models import TITLE_PART, Article
from tests.layer_cases import found_types, run_layers


def test_what_is_posted_on_or_has_users_is_an_organisation() -> None:
    parts = {
        0: "The rapper wrote on Twitter that the song was good, and Twitter users agreed.",
        1: "Many of the films are streaming on Hulu. Paris announced a deal with Trump.",
        2: "Netflix announced a deal with the Obamas. Lufthansa accounts for most flights.",
    }
    model = {
        0: [("Twitter", "PERSON"), ("Twitter", "PERSON")],
        1: [("Hulu", "GPE"), ("Paris", "GPE"), ("Trump", "PERSON")],
        2: [("Netflix", "GPE"), ("Obamas", "PERSON"), ("Lufthansa", "GPE")],
    }
    typed = found_types(run_layers(parts, model))
    assert {("Twitter", "org"), ("Hulu", "org"), ("Netflix", "org")} <= typed
    assert ("Twitter", "person") not in typed
    # A known place acts too, a person is no platform, and `accounts for` is a verb.
    assert {("Paris", "place"), ("Trump", "person"), ("Lufthansa", "place")} <= typed
    off = found_types(run_layers(parts, model, layers.Options.without("platforms")))
    assert ("Twitter", "person") in off and ("Netflix", "place") in off


def test_only_a_person_has_a_mother_or_a_husband() -> None:
    parts = {
        -1: "Beyoncé's Mom Was Afraid People Wouldn't Get It",
        0: "Beyoncé sang. Britain's sons went to war. NBC's parents sold it.",
    }
    model = {
        -1: [("Beyoncé", "ORG")],
        0: [("Beyoncé", "ORG"), ("Britain", "GPE"), ("NBC", "ORG")],
    }
    typed = found_types(run_layers(parts, model))
    assert ("Beyoncé", "person") in typed and ("Beyoncé", "org") not in typed
    assert {("Britain", "place"), ("NBC", "org")} <= typed
    off = found_types(run_layers(parts, model, layers.Options.without("kin")))
    assert ("Beyoncé", "org") in off


def test_a_job_opening_a_sentence_is_no_part_of_the_name() -> None:
    parts = {0: "Rapper Eminem slammed the show. Director Mike Leigh agreed."}
    model = {0: [("Rapper Eminem", "PERSON"), ("Director Mike Leigh", "PERSON")]}
    named = run_layers(parts, model)
    assert {(n.text, n.name) for n in named} == {("Eminem", "Eminem"), ("Mike Leigh", "Mike Leigh")}


def test_a_name_cut_short_becomes_the_name_the_article_gives() -> None:
    parts = {
        TITLE_PART: "Lawyer Paid Money To Stormy Daniels, Says New York Times",
        0: "The payment to porn star Stormy Daniels was reported by the New York Times.",
    }
    model = {
        TITLE_PART: [("Stormy", "ORG"), ("New York", "GPE")],
        0: [("Stormy Daniels", "PERSON"), ("the New York Times", "ORG")],
    }
    named = run_layers(parts, model)
    title = {(n.text, n.type) for n in named if n.span.part == TITLE_PART}
    assert {("Stormy Daniels", "person"), ("New York Times", "org")} <= title
    assert ("Stormy", "org") not in title
    off = run_layers(parts, model, layers.Options.without("cut_short"))
    assert ("Stormy Daniels", "person") not in {
        (n.text, n.type) for n in off if n.span.part == TITLE_PART
    }


def _articles(library: Library, per_article: list[tuple[str, list[canonical.Named]]]) -> None:
    """Import one article per (title, mentions) and save its mentions; then consolidate."""
    library.import_items(
        [Article(title=title, paragraphs=(f"p{i}",)) for i, (title, _) in enumerate(per_article)]
    )
    ids = sorted(library.ids())[-len(per_article) :]
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        for article_id, (_, named) in zip(ids, per_article, strict=True):
            store.save_article(db, resolver, article_id, named, "m")
        store.consolidate(db)


def _mention(
    title: str, surface: str, kind: str, part: int = TITLE_PART, rule: str = ""
) -> canonical.Named:
    start = title.index(surface) if part == TITLE_PART else 0
    span = layers.Span(part, start, start + len(surface), kind, rule)
    return canonical.Named(span, surface, surface, kind)


def test_a_headline_name_cut_short_is_completed_from_the_library(library: Library) -> None:
    cut = "Money Went To Stormy Daniels"
    place = "Ariana Grande Fans Cheer"
    _articles(
        library,
        [
            ("Body one", [_mention("", "Stormy Daniels", "person", part=0)]),
            ("Body two", [_mention("", "Ariana Grande", "org", part=0)]),
            ("Body three", [_mention("", "supreme court", "org", part=0)]),
            (cut, [_mention(cut, "Stormy", "org")]),
            (place, [_mention(place, "Ariana", "place")]),
            ("Supreme Court Rules", [_mention("Supreme Court Rules", "Supreme", "org")]),
        ],
    )
    people = {(e.name, e.article_count) for e in library.entities("person")}
    assert ("Stormy Daniels", 2) in people
    orgs = {e.name for e in library.entities("org")}
    assert "Stormy" not in orgs
    (mention,) = [m for m in library.mentions(sorted(library.ids())[3]) if m.part == TITLE_PART]
    assert mention.text == "Stormy Daniels" and cut[mention.start : mention.end] == mention.text
    # A place reading is no organisation's first word; a lower-case name is no target.
    assert "Ariana" in {e.name for e in library.entities("place")}
    assert "Supreme" in orgs


def test_one_platform_cue_types_the_name_across_the_library(library: Library) -> None:
    _articles(
        library,
        [
            ("a", [_mention("", "Twitter", "person", part=0)]),
            ("b", [_mention("", "Twitter", "person", part=0)]),
            ("c", [_mention("", "Twitter", "org", part=0, rule="platforms")]),
            ("d", [_mention("", "Beyoncé", "org", part=0)]),
            ("e", [_mention("", "Beyoncé", "person", part=0, rule="kin")]),
        ],
    )
    assert [(e.name, e.article_count) for e in library.entities("org")] == [("Twitter", 3)]
    assert [(e.name, e.article_count) for e in library.entities("person")] == [("Beyoncé", 2)]


def test_a_job_in_apposition_names_the_employer_not_a_person() -> None:
    parts = {
        0: "Planes sell, said Dinesh Keskar, senior vice president Boeing. Boeing agreed.",
        1: "The talks were led by Joe Biden, and president Obama.",
    }
    model = {
        0: [("Dinesh Keskar", "PERSON"), ("Boeing", "ORG"), ("Boeing", "ORG")],
        1: [("Joe Biden", "PERSON"), ("Obama", "PERSON")],
    }
    typed = found_types(run_layers(parts, model))
    assert {("Boeing", "org"), ("Dinesh Keskar", "person"), ("Obama", "person")} <= typed
    assert ("Boeing", "person") not in typed
    off = found_types(run_layers(parts, model, layers.Options.without("employers")))
    assert ("Boeing", "person") in off


def test_a_headline_fragment_is_no_full_name_for_a_bare_name(library: Library) -> None:
    verb = "Little Boys Perform Beyoncé"
    _articles(
        library,
        [(f"Body {i}", [_mention("", "Beyoncé", "org", part=0)]) for i in range(6)]
        + [
            (verb, [_mention(verb, "Perform Beyoncé", "person")]),
            ("Her Mom", [_mention("", "Beyoncé", "person", part=0, rule="kin")]),
            ("Mike Pence Speaks", [_mention("Mike Pence Speaks", "Mike Pence", "person")]),
            ("Body 5", [_mention("", "Pence", "person", part=0)]),
        ],
    )
    people = {(e.name, e.article_count) for e in library.entities("person")}
    assert ("Beyoncé", 8) in people and not library.entities("org")
    assert not any(name == "Perform Beyoncé" for name, _ in people)
    (mention,) = [m for m in library.mentions(sorted(library.ids())[6]) if m.part == TITLE_PART]
    assert (mention.text, verb[mention.start : mention.end]) == ("Beyoncé", "Beyoncé")
    # A real full name seen in a title only stays, with its surname (a person) beside it.
    assert ("Mike Pence", 2) in people


def test_a_list_of_people_with_their_jobs_stays_people() -> None:
    parts = {0: "The judges, Sir Trevor McDonald, actor Hugh Grant and writer Joanne Harris, met."}
    model = {
        0: [("Trevor McDonald", "PERSON"), ("Hugh Grant", "PERSON"), ("Joanne Harris", "PERSON")]
    }
    typed = found_types(run_layers(parts, model))
    assert {("Hugh Grant", "person"), ("Joanne Harris", "person")} <= typed
