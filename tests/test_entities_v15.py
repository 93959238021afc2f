"""Rules v15 (issue 12, quality that generalises): sports lines, and the kinds left wrong.

As in `test_entities_kinds.py`, the layers get hand-written model output (the small model's
real misreadings) on texts written for these tests; each test also shows the error with
its layer switched off.
"""

from __future__ import annotations

from newsreader.core.entities import canonical, layers, pipeline


def _run(
    parts: dict[int, str],
    model: dict[int, list[tuple[str, str]]],
    options: layers.Options = layers.ALL_LAYERS,
) -> list[canonical.Named]:
    """Layers over model output given as (surface, OntoNotes label) per part."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    for part, ents in model.items():
        text, offset, spans = parts[part], 0, []
        for surface, label in ents:
            start = text.index(surface, offset)
            spans.append((start, start + len(surface), label))
            offset = start + len(surface)
        found[part] = spans
    return pipeline.analyse(parts, found, options)


def _typed(named: list[canonical.Named]) -> set[tuple[str, str]]:
    return {(n.text, n.type) for n in named}


_ATHLETICS = {
    0: "ATHLETICS - RESULTS FROM THE GRAND PRIX MEETING IN OSLO .",
    1: "Results of the women 's 100 metres hurdles in the athletics championship :",
    2: "1. Gail Devers ( U.S. ) 12.61",
    3: "2. Aliuska Lopez ( Cuba ) 12.92",
    4: "3. Brigita Bukovec ( Slovenia ) 12.98",
    5: "Sponsors : Merrill Lynch ( Europe ) and others .",
}


def test_a_ranked_competitor_beside_her_country_is_a_person() -> None:
    model = {
        2: [("Gail Devers", "PERSON"), ("U.S.", "GPE")],
        3: [("Aliuska Lopez", "ORG"), ("Cuba", "GPE")],
        4: [("Brigita Bukovec", "ORG"), ("Slovenia", "GPE")],
        5: [("Merrill Lynch", "ORG"), ("Europe", "LOC")],
    }
    typed = _typed(_run(_ATHLETICS, model))
    assert {("Aliuska Lopez", "person"), ("Brigita Bukovec", "person")} <= typed
    # A continent in brackets is no nationality; an organisation read so stays.
    assert ("Merrill Lynch", "org") in typed
    off = _typed(_run(_ATHLETICS, model, layers.Options.without("ranked_people")))
    assert ("Aliuska Lopez", "org") in off


_FOOTBALL = {
    0: "SOCCER - ENGLISH LEAGUE RESULTS .",
    1: "Results of English league soccer matches on Saturday ( the striker scored twice ) :",
    2: "Norwich 1 Wolverhampton 0",
    3: "Postponed : Birmingham v Barnsley",
}


def test_two_sides_and_a_score_read_as_one_name_are_two_teams() -> None:
    model = {2: [("Norwich 1 Wolverhampton", "PERSON")], 3: [("Birmingham v Barnsley", "PERSON")]}
    typed = _typed(_run(_FOOTBALL, model))
    assert {("Norwich", "org"), ("Wolverhampton", "org"), ("Barnsley", "org")} <= typed
    assert not any(" v " in name or " 1 " in name for name, _ in typed)
    off = _typed(_run(_FOOTBALL, model, layers.Options.without("fixtures")))
    assert ("Norwich 1 Wolverhampton", "person") in off


_BASEBALL = {
    0: "BASEBALL - MAJOR LEAGUE STANDINGS AND SCHEDULE .",
    1: "Standings of the baseball league after the games of Thursday ( the pitcher won ) :",
    2: "DETROIT 50 85 .370 33",
    3: "KANSAS CITY AT DETROIT",
    4: "Kevin Brown pitched as the Florida Marlins beat Cincinnati in the playoffs 3-1 .",
}


def test_the_second_town_of_a_fixture_is_the_venue_not_a_team() -> None:
    model = {
        2: [("DETROIT", "GPE")],
        3: [("KANSAS CITY", "GPE"), ("DETROIT", "ORG")],
        4: [("Kevin Brown", "PERSON"), ("Florida", "GPE"), ("Marlins", "PERSON")],
    }
    named = _run(_BASEBALL, model)
    by_part = {(n.span.part, n.text): n.type for n in named}
    assert by_part[(3, "DETROIT")] == "place" and by_part[(3, "KANSAS CITY")] == "org"
    assert by_part[(2, "DETROIT")] == "org"  # the standings name the team
    off = _run(_BASEBALL, model, layers.Options.without("venues"))
    assert {(n.span.part, n.text): n.type for n in off}[(3, "DETROIT")] == "org"


def test_a_town_and_a_plural_name_is_one_team() -> None:
    model = {4: [("Kevin Brown", "PERSON"), ("Florida", "GPE"), ("Marlins", "PERSON")]}
    typed = _typed(_run(_BASEBALL, model))
    assert ("Florida Marlins", "org") in typed and ("Marlins", "person") not in typed
    off = _typed(_run(_BASEBALL, model, layers.Options.without("team_names")))
    assert ("Florida Marlins", "org") not in off
