"""Rules v17 (issue 12, quality that generalises): regnal numbers, competitors in results
rows, a club's player, institutions, and a person's job in an appositive.

As in `test_entities_v16.py`, the layers get hand-written model output (the kind of
misreading the small model makes) on texts written for these tests; each test also shows
the error with its layer switched off.
"""

from __future__ import annotations

from newsreader.core.entities import layers
from tests.layer_cases import found_types, run_layers


def _names(typed: set[tuple[str, str]]) -> set[str]:
    return {name for name, _ in typed}


_REGNAL = {
    0: "1533 - Queen Elizabeth I born .",
    1: "Daughter of Henry VIII and his second wife Anne Boleyn , she was queen .",
    2: "I told John I would come , and he asked Pope Paul III for more .",
}


def test_a_regnal_number_belongs_to_the_name() -> None:
    model = {
        0: [("Elizabeth", "PERSON")],
        1: [("Henry", "PERSON"), ("Anne Boleyn", "PERSON")],
        2: [("John", "PERSON"), ("Paul", "PERSON")],
    }
    typed = found_types(run_layers(_REGNAL, model))
    assert {("Elizabeth I", "person"), ("Henry VIII", "person"), ("Paul III", "person")} <= typed
    # The pronoun after a name is not a numeral.
    assert ("John", "person") in typed and "John I" not in _names(typed)
    off = found_types(run_layers(_REGNAL, model, layers.Options.without("regnal_names")))
    assert ("Elizabeth", "person") in off and ("Henry", "person") in off
    assert "Henry VIII" not in _names(off)


_ROWS = {
    0: "1. Kofi Mensah ( Ghana ) 19.97 seconds",
    1: "8. Inger Miller ( U.S. ) 11.37",
    2: "11. Wendy Everson ( Britain ) 37.624",
    3: "2. Buenos Aires ( Argentina ) 10.2",
}


def test_a_competitor_in_a_results_row_is_a_person_whatever_the_model_read() -> None:
    model = {
        0: [("Kofi Mensah", "GPE"), ("Ghana", "GPE")],
        1: [("Miller", "PERSON"), ("U.S.", "GPE")],
        2: [("11. Wendy Everson", "ORG"), ("Britain", "GPE")],
        3: [("Buenos Aires", "GPE"), ("Argentina", "GPE")],
    }
    typed = found_types(run_layers(_ROWS, model))
    assert {("Kofi Mensah", "person"), ("Inger Miller", "person")} <= typed
    assert ("Wendy Everson", "person") in typed and "11. Wendy Everson" not in _names(typed)
    # A place the gazetteer knows stays a place, even in a row.
    assert ("Buenos Aires", "place") in typed
    off = found_types(run_layers(_ROWS, model, layers.Options.without("ranked_rows")))
    assert ("Kofi Mensah", "place") in off and "Inger Miller" not in _names(off)
    assert "Wendy Everson" not in _names(off)


_GAME = {
    0: "Baltimore 's Eddie Murray hit his 20th homer of the season in the ninth inning .",
    1: "Atlanta's Tom Glavine pitched eight innings and the Braves won 5-3 .",
    2: "Ireland 's Roy Keane was booked at halftime .",
}


def test_a_towns_possessive_before_a_player_names_his_club() -> None:
    model = {
        0: [("Baltimore", "GPE"), ("Eddie Murray", "PERSON")],
        1: [("Atlanta", "GPE"), ("Tom Glavine", "PERSON"), ("Braves", "ORG")],
        2: [("Ireland", "GPE"), ("Roy Keane", "PERSON")],
    }
    typed = found_types(run_layers(_GAME, model))
    assert {("Baltimore", "org"), ("Atlanta", "org"), ("Eddie Murray", "person")} <= typed
    # A country is the national side, named as its country: a place.
    assert ("Ireland", "place") in typed
    off = found_types(run_layers(_GAME, model, layers.Options.without("club_players")))
    assert ("Baltimore", "place") in off and ("Atlanta", "place") in off


def test_a_towns_possessive_outside_a_sports_story_stays_a_place() -> None:
    parts = {0: "Atlanta's Andrew Young said the city would bid for the conference ."}
    model = {0: [("Atlanta", "GPE"), ("Andrew Young", "PERSON")]}
    assert ("Atlanta", "place") in found_types(run_layers(parts, model))


_MARKETS = {
    0: "Prices of U.S. Treasury securities fell , and Treasury said it would sell more .",
    1: "Parliament voted on Tuesday , Treasury Secretary Robert Rubin said .",
}


def test_an_institution_is_no_person() -> None:
    model = {
        0: [("U.S. Treasury", "ORG"), ("Treasury", "PERSON")],
        1: [("Parliament", "PERSON"), ("Treasury", "ORG"), ("Robert Rubin", "PERSON")],
    }
    typed = found_types(run_layers(_MARKETS, model))
    assert {("U.S. Treasury", "org"), ("Treasury", "org"), ("Parliament", "org")} <= typed
    assert ("Robert Rubin", "person") in typed
    off = found_types(run_layers(_MARKETS, model, layers.Options.without("institutions")))
    # `initials` reads `U.S.` as an initial; the model reads the bare nouns as people.
    assert ("U.S. Treasury", "person") in off and ("Parliament", "person") in off


_APPOSITIVES = {
    0: "Hen Vipheak , former editor of the New Liberty newspaper , was freed on Friday .",
    1: "The judge lifted the ban on Hen Vipheak 's paper .",
    2: "Julianna Margulies, the star of the series, won the award .",
    3: "Toyota Motor , the carmaker , said sales rose , and Buenos Aires , the capital , voted .",
    4: "The award went to Adrian Dunbar, the actor.",
}


def test_a_name_followed_by_a_persons_job_is_a_person() -> None:
    model = {
        0: [("New Liberty", "ORG"), ("Friday", "DATE")],
        1: [("Hen Vipheak", "ORG")],
        2: [("Julianna Margulies", "ORG")],
        3: [("Toyota Motor", "ORG"), ("Buenos Aires", "GPE")],
        4: [("Adrian Dunbar", "ORG")],
    }
    named = run_layers(_APPOSITIVES, model)
    typed = found_types(named)
    assert {("Hen Vipheak", "person"), ("Julianna Margulies", "person")} <= typed
    assert ("Adrian Dunbar", "person") in typed
    assert {(n.span.part, n.text, n.type) for n in named} >= {(1, "Hen Vipheak", "person")}
    # A company's or a place's appositive has no person's job.
    assert ("Toyota Motor", "org") in typed and ("Buenos Aires", "place") in typed
    off = found_types(run_layers(_APPOSITIVES, model, layers.Options.without("person_appositives")))
    assert ("Hen Vipheak", "org") in off and ("Julianna Margulies", "org") in off


_SQUAD = {
    0: "Squad : Romesh Kaluwitharana , Asanka Gurusinha , Aravinda de Silva , Upul Chandana .",
    1: "Team : Given , Breen , Staunton , Irwin , McAteer , Harte , Houghton , Quinn .",
    2: "Shares in Merrill Lynch , Morgan Stanley , Goldman Sachs and Lazard rose .",
}


def test_every_name_in_a_list_of_people_is_a_person() -> None:
    model = {
        0: [("Asanka Gurusinha", "PERSON"), ("Aravinda de Silva", "PERSON"), ("Chandana", "GPE")],
        1: [
            *[(name, "PERSON") for name in ("Breen", "Staunton", "Irwin", "McAteer", "Harte")],
            ("Houghton", "GPE"),
            ("Quinn", "PERSON"),
        ],
        2: [("Merrill Lynch", "ORG"), ("Morgan Stanley", "ORG"), ("Goldman Sachs", "ORG")],
    }
    typed = found_types(run_layers(_SQUAD, model))
    # The name the model skipped, the surname it read as a town; a common word is no name.
    assert {("Romesh Kaluwitharana", "person"), ("Houghton", "person")} <= typed
    assert "Given" not in _names(typed)
    # A list of companies is not a list of people: the name it skipped stays unnamed.
    assert "Lazard" not in _names(typed) and ("Morgan Stanley", "org") in typed
    off = found_types(run_layers(_SQUAD, model, layers.Options.without("list_gaps")))
    assert "Romesh Kaluwitharana" not in _names(off) and ("Houghton", "place") in off


_LOWER = {0: "Police said the men blended alcohol with methanol in the run-up to the holiday ."}


def test_a_span_with_no_capital_is_no_name() -> None:
    model = {0: [("Police", "ORG"), ("methanol", "ORG"), ("the run-up", "ORG")]}
    typed = found_types(run_layers(_LOWER, model))
    assert "methanol" not in _names(typed) and "run-up" not in _names(typed)
    off = found_types(run_layers(_LOWER, model, layers.Options.without("lower_case")))
    assert ("methanol", "org") in off


_OPENERS = {
    0: "But Le Matin newspaper , quoting witnesses , said the bomb killed seven people .",
    1: "And Warsaw said it would reply , Meanwhile Harold Pinter wrote .",
}


def test_a_sentences_opening_conjunction_is_not_part_of_the_name() -> None:
    model = {
        0: [("Le Matin", "ORG")],
        1: [("And Warsaw", "GPE"), ("Meanwhile Harold Pinter", "PERSON")],
    }
    typed = found_types(run_layers(_OPENERS, model))
    assert {("Le Matin", "org"), ("Warsaw", "place"), ("Harold Pinter", "person")} <= typed
    off = found_types(run_layers(_OPENERS, model, layers.Options.without("opening_conjunctions")))
    # `press` reads the capitalised run before `newspaper`, the opening `But` with it.
    assert ("But Le Matin", "org") in off and ("Meanwhile Harold Pinter", "person") in off


_PEOPLES = {
    0: "Garibaldi seized Naples in the Italian war , and Kuwaiti pledges paid for it .",
    1: "Brian and Christian said German-Israeli relations were good .",
}


def test_a_word_for_a_countrys_people_is_a_group() -> None:
    model = {
        0: [("Garibaldi", "PERSON"), ("Naples", "GPE"), ("Italian", "PERSON"), ("Kuwaiti", "GPE")],
        1: [("Brian", "PERSON"), ("Christian", "PERSON"), ("German-Israeli", "PERSON")],
    }
    typed = found_types(run_layers(_PEOPLES, model))
    assert {("Italian", "group"), ("Kuwaiti", "group"), ("German-Israeli", "group")} <= typed
    # Given names that end like a people's word stay people.
    assert {("Brian", "person"), ("Christian", "person"), ("Garibaldi", "person")} <= typed
    off = found_types(run_layers(_PEOPLES, model, layers.Options.without("demonyms")))
    assert ("Italian", "person") in off and ("Kuwaiti", "place") in off


_TAILS = {0: "The plane landed at Stansted airport , and Lil Jon and the band flew on to Oslo ."}


def test_a_lower_case_word_after_a_name_is_not_part_of_it() -> None:
    model = {0: [("Stansted airport", "FAC"), ("Lil Jon and", "PERSON"), ("Oslo", "GPE")]}
    typed = found_types(run_layers(_TAILS, model))
    assert {("Stansted", "place"), ("Lil Jon", "person"), ("Oslo", "place")} <= typed
    off = found_types(run_layers(_TAILS, model, layers.Options.without("lower_tails")))
    assert ("Stansted airport", "place") in off and "Stansted" not in _names(off)
