"""Rules v18 (issue 12, quality that generalises): one reading of a results row, cricket
scorecards, the sides of a result, the town a game was played in, and names in pieces.

As in `test_entities_v17.py`, the layers get hand-written model output (the kind of
misreading the small model makes) on texts written for these tests; each test also shows
the error with its layer switched off.
"""

from __future__ import annotations

from newsreader.core.entities import layers
from tests.layer_cases import found_types, run_layers


def _names(typed: set[tuple[str, str]]) -> set[str]:
    return {name for name, _ in typed}


_HEATS = {
    0: "CYCLING - SPRINT RESULTS FROM THE TRACK MEETING .",
    1: "Pierre Lacombe ( France ) beat Janis Ozols ( Latvia ) 2-0",
    2: "10. Rui da Costa ( Portugal ) , Team Azul , 54.774",
    3: "Romania - Ion Popescu ( 12th ) , Dan Marin ( 80th )",
}


def test_one_reading_of_a_results_row_takes_every_misreading() -> None:
    model = {
        # A competitor at the row's start (no rank) read as a place, then an organisation.
        1: [("Pierre Lacombe", "GPE"), ("France", "GPE"), ("Janis Ozols", "ORG")],
        # A particle inside the name.
        2: [("Rui da Costa", "ORG"), ("Portugal", "GPE")],
        # A scorer beside the minute, read as a place (v15's `ranked_people` took only
        # organisations there, v17's `ranked_rows` no minutes).
        3: [("Romania", "GPE"), ("Ion Popescu", "GPE"), ("Dan Marin", "ORG")],
    }
    typed = found_types(run_layers(_HEATS, model))
    assert {("Pierre Lacombe", "person"), ("Janis Ozols", "person")} <= typed
    assert ("Rui da Costa", "person") in typed
    assert {("Ion Popescu", "person"), ("Dan Marin", "person")} <= typed
    off = found_types(run_layers(_HEATS, model, layers.Options.without("ranked_rows")))
    assert ("Pierre Lacombe", "person") not in off and ("Janis Ozols", "org") in off
    assert ("Rui da Costa", "org") in off and ("Ion Popescu", "place") in off


_SCORECARD = {
    0: "CRICKET - SECOND TEST SCOREBOARD .",
    1: "Scoreboard on the first day of the second test between the two sides :",
    2: "K. Perera c Hollings b Dasanayake 41",
    3: "T. Brandt st Weerasinghe b Kulatunga 7",
    4: "A.de Mel not out 55",
    5: "Bowling : Dasanayake 9-1-30-2 , de Mel 5-0-21-0 , Kulatunga",
    6: "Did not bat : Kulatunga , Herath .",
    7: "The bowler Dasanayake took two wickets before lunch .",
}


def test_the_players_in_a_cricket_scorecard_are_people() -> None:
    model = {
        2: [("K. Perera", "PERSON"), ("Hollings", "PERSON"), ("Dasanayake", "ORG")],
        3: [("T. Brandt st Weerasinghe", "PERSON"), ("Kulatunga", "GPE")],
        4: [("Mel", "PERSON")],
        5: [("Dasanayake", "ORG"), ("Kulatunga", "ORG")],
        6: [("Kulatunga", "ORG")],
        7: [("Dasanayake", "PERSON")],
    }
    typed = found_types(run_layers(_SCORECARD, model))
    assert {("Dasanayake", "person"), ("Kulatunga", "person"), ("Herath", "person")} <= typed
    assert {("T. Brandt", "person"), ("Weerasinghe", "person"), ("A.de Mel", "person")} <= typed
    assert ("de Mel", "person") in typed
    assert "T. Brandt st Weerasinghe" not in _names(typed)
    assert not {("Dasanayake", "org"), ("Kulatunga", "place"), ("Kulatunga", "org")} & typed
    off = found_types(run_layers(_SCORECARD, model, layers.Options.without("scorecards")))
    assert ("T. Brandt st Weerasinghe", "person") in off and "A.de Mel" not in _names(off)
    assert "Herath" not in _names(off)


_RESULT = {
    0: "SOCCER - WALES BEAT SAN MARINO IN WORLD CUP QUALIFIER .",
    1: "Wales beat San Marino 6-0 ( halftime 4-0 ) in a World Cup qualifier on Saturday .",
    2: "The striker scored twice before halftime .",
}
_BASEBALL = {
    0: "BASEBALL - KEVIN BROWN PITCHES AS MARLINS BEAT REDS .",
    1: "Kevin Brown threw a four-hitter as the Florida Marlins beat the Cincinnati Reds 5-2 .",
    2: "Brown won for the third time this season against the Reds in the league .",
    3: "BOXING - JONES BEAT WILLIAMS ON POINTS AFTER 12 ROUNDS .",
}


def test_the_sides_of_a_result_are_a_country_a_club_or_a_team() -> None:
    model = {0: [("BEAT SAN MARINO IN", "ORG")], 1: [("San Marino", "GPE")]}
    typed = found_types(run_layers(_RESULT, model))
    assert {("WALES", "place"), ("SAN MARINO", "place"), ("Wales", "place")} <= typed
    assert "BEAT SAN MARINO IN" not in _names(typed)
    off = found_types(run_layers(_RESULT, model, layers.Options.without("sides")))
    assert ("BEAT SAN MARINO IN", "org") in off and "Wales" not in _names(off)

    model = {
        0: [("KEVIN BROWN", "PERSON"), ("MARLINS BEAT REDS", "PERSON")],
        1: [("Kevin Brown", "PERSON"), ("the Florida Marlins", "ORG"), ("Cincinnati Reds", "ORG")],
        2: [("Brown", "PERSON"), ("Reds", "ORG")],
        3: [("JONES", "PERSON"), ("WILLIAMS", "PERSON")],
    }
    typed = found_types(run_layers(_BASEBALL, model))
    assert {("MARLINS", "org"), ("REDS", "org")} <= typed
    assert "MARLINS BEAT REDS" not in _names(typed)
    # A surname that ends in `s` is no team: the body never names it as one (`the Reds`).
    assert ("JONES", "org") not in typed and ("WILLIAMS", "org") not in typed
    off = found_types(run_layers(_BASEBALL, model, layers.Options.without("sides")))
    assert "MARLINS" not in _names(off)


_ROUNDUP = {
    0: "BASEBALL - MAJOR LEAGUE RESULTS .",
    1: "Montreal lost for the ninth time in 14 games and the striker 's club won 3-2 .",
    2: "In Montreal , Scott Sanders allowed one hit over eight innings against the Expos .",
    3: "Sanders pitched a three-hitter in the league and struck out nine in the playoffs .",
}


def test_the_town_that_opens_a_games_paragraph_is_where_it_was_played() -> None:
    model = {1: [("Montreal", "GPE")], 2: [("Montreal", "GPE"), ("Scott Sanders", "PERSON")]}
    parts = run_layers(_ROUNDUP, model)
    montreal = [(n.span.part, n.type) for n in parts if n.text == "Montreal"]
    # The side that lost is the club; the paragraph's opening `In Montreal ,` is the town.
    assert (1, "org") in montreal and (2, "place") in montreal
    off = run_layers(_ROUNDUP, model, layers.Options.without("game_towns"))
    assert (2, "org") in [(n.span.part, n.type) for n in off if n.text == "Montreal"]


_PIECES = {
    0: "Second test team named",
    1: "The home side fielded Ravi Ambrose , Tomasz Wrobel and Luka Juric on Friday .",
    2: "13 - Kestrel Balogun , 12 - Frank Bunce .",
    3: "Obama White House aides met the Gates Foundation , officials said .",
    4: "Later , Wrobel said the pitch was fine .",
}


def test_a_persons_name_found_in_pieces_is_one_person() -> None:
    model = {
        1: [("Ambrose", "PERSON"), ("Wrobel", "PERSON"), ("Luka", "PERSON")],
        2: [("Kestrel", "PERSON"), ("Balogun", "PERSON"), ("Frank Bunce", "PERSON")],
        3: [("Obama", "PERSON"), ("White House", "ORG"), ("Gates", "PERSON")],
        4: [("Wrobel", "PERSON")],
    }
    typed = found_types(run_layers(_PIECES, model))
    assert {("Ravi Ambrose", "person"), ("Tomasz Wrobel", "person")} <= typed
    assert {("Luka Juric", "person"), ("Kestrel Balogun", "person")} <= typed
    # A frequent English word next to a name is not part of it.
    assert ("Obama", "person") in typed and ("Gates", "person") in typed
    assert not {"Obama White", "Gates Foundation"} & _names(typed)
    off = found_types(run_layers(_PIECES, model, layers.Options.without("name_pieces")))
    assert ("Ambrose", "person") in off and ("Kestrel", "person") in off
    assert "Ravi Ambrose" not in _names(off) and "Kestrel Balogun" not in _names(off)
