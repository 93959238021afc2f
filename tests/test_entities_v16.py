"""Rules v16 (issue 12, quality that generalises): names with particles, places named by a
noun.

As in `test_entities_v15.py`, the layers get hand-written model output (the kind of
misreading the small model makes) on texts written for these tests; each test also shows
the error with its layer switched off.
"""

from __future__ import annotations

from newsreader.core.entities import layers
from tests.layer_cases import found_types, run_layers

_PARTICLES = {
    0: "The commission's president Ursula von der Leyen met Ahmed al-Rashid in Brussels .",
    1: "Striker Robin van Persie scored twice , and Van der Sar kept a clean sheet .",
    2: "The Gazzetta dello Sport said the club had agreed a fee .",
}


def test_a_name_runs_on_over_its_particles() -> None:
    model = {
        0: [("Ursula", "PERSON"), ("Leyen", "PERSON"), ("Ahmed", "PERSON"), ("Brussels", "GPE")],
        1: [("Robin", "PERSON"), ("Van der Sar", "ORG")],
        2: [("Sport", "ORG")],
    }
    typed = found_types(run_layers(_PARTICLES, model))
    assert {
        ("Ursula von der Leyen", "person"),
        ("Ahmed al-Rashid", "person"),
        ("Robin van Persie", "person"),
        ("Van der Sar", "person"),
    } <= typed
    assert "Ursula" not in {name for name, _ in typed}
    # No person in the run: a newspaper's name with a particle is not made a person.
    assert not any(kind == "person" and "Gazzetta" in name for name, kind in typed)
    off = found_types(run_layers(_PARTICLES, model, layers.Options.without("name_particles")))
    assert ("Ursula", "person") in off and ("Van der Sar", "org") in off
    assert "Ahmed al-Rashid" not in {name for name, _ in off}


def test_a_title_before_a_name_with_particles_stays_out_of_it() -> None:
    parts = {0: "Talks were hosted by President Zine al-Abidine Ben Ali in Tunis ."}
    model = {0: [("Zine", "PERSON"), ("Ben Ali", "PERSON"), ("Tunis", "GPE")]}
    typed = found_types(run_layers(parts, model))
    assert ("Zine al-Abidine Ben Ali", "person") in typed
    assert not any(name.startswith("President") for name, _ in typed)


_PLACES = {
    0: "Rebels overran the city of Qaladiza on Sunday , officials in Penjwen district said .",
    1: "A ferry ran aground off the Arctic island of Vestvika , in the Kurdish region .",
    2: "Farmers in the eastern Tazhong province protested , and Qaladiza was quiet by night .",
    3: "Shares in the city of London Stock Exchange rose .",
}


def test_a_name_the_article_calls_a_town_or_a_province_is_a_place() -> None:
    model = {
        0: [("Qaladiza", "ORG"), ("Penjwen", "PERSON")],
        1: [("Vestvika", "ORG"), ("Kurdish", "NORP")],
        2: [("Tazhong province", "GPE"), ("Qaladiza", "ORG")],
        3: [("London Stock Exchange", "ORG")],
    }
    named = run_layers(_PLACES, model)
    typed = found_types(named)
    assert {("Qaladiza", "place"), ("Penjwen", "place"), ("Vestvika", "place")} <= typed
    # The noun is cut from the place; the other mention follows the article's reading.
    assert ("Tazhong", "place") in typed and "Tazhong province" not in {n for n, _ in typed}
    assert {(n.span.part, n.text, n.type) for n in named} >= {(2, "Qaladiza", "place")}
    # A group stays a group; an organisation's name after `city of` stays the organisation.
    assert ("Kurdish", "group") in typed and ("London Stock Exchange", "org") in typed
    off = found_types(run_layers(_PLACES, model, layers.Options.without("place_nouns")))
    assert ("Qaladiza", "org") in off and ("Vestvika", "org") in off
    # `lower_tails` (rules v17) cuts any lower-case noun off a model span: both off here.
    both = layers.Options.without("place_nouns", "lower_tails")
    assert ("Tazhong province", "place") in found_types(run_layers(_PLACES, model, both))


def test_a_name_the_article_says_is_a_town_or_neighbours_one_is_a_place() -> None:
    parts = {
        0: "Skarvik is a fishing town in mourning after the storm .",
        1: "Rescuers came from neighbouring Tollenby , and many in Skarvik wept .",
        2: "Nordfisk is a company of some size , its owner said .",
    }
    model = {
        0: [("Skarvik", "PERSON")],
        1: [("Tollenby", "ORG"), ("Skarvik", "PERSON")],
        2: [("Nordfisk", "ORG")],
    }
    named = run_layers(parts, model)
    assert {(n.span.part, n.text, n.type) for n in named} >= {
        (0, "Skarvik", "place"),
        (1, "Skarvik", "place"),
        (1, "Tollenby", "place"),
    }
    assert ("Nordfisk", "org") in found_types(named)  # a company is no place noun
    off = found_types(run_layers(parts, model, layers.Options.without("place_nouns")))
    assert ("Skarvik", "person") in off and ("Tollenby", "org") in off
