"""`layers._occurrences`, which `person_chains` and `consistency` run over every article,
proven exact against the scan it replaced (every capital of every part tried in turn).

The fast form looks a part's capitals up by their first two characters (found once per
text) and tries only those a name could start at. Generated articles mix the names with
near misses (a name inside a longer word, after a hyphen or a dot, in capitals, cut at the
text's end, one-letter names) so that a wrong start, order or word boundary would show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.core.entities import layers

_CAPITAL_WORD = re.compile(r"(?<![\w.-])[A-Z]")


def _occurrences_scan(
    parts: Mapping[int, str], names: Iterable[str]
) -> Iterator[tuple[int, int, int, str]]:
    """The reference: `layers._occurrences` as it was before the capitals were indexed."""
    index: dict[str, list[str]] = defaultdict(list)
    shouted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in sorted(names, key=len, reverse=True):
        index[name[:2]].append(name)
        upper = name.upper()
        if len(upper) == len(name) and len(name) >= 4:
            shouted[upper[:2]].append((upper, name))
    if not index:
        return
    for part, text in parts.items():
        if layers._shouting(text):
            for capital in _CAPITAL_WORD.finditer(text):
                start = capital.start()
                for upper, name in shouted.get(text[start : start + 2], ()):
                    end = start + len(upper)
                    if text.startswith(upper, start) and layers._word_ends(text, end):
                        yield part, start, end, name
                        break
            continue
        for capital in _CAPITAL_WORD.finditer(text):
            start = capital.start()
            for name in index.get(text[start : start + 2], ()):
                end = start + len(name)
                if text.startswith(name, start) and layers._word_ends(text, end):
                    yield part, start, end, name
                    break


_NAMES = (
    "Smith",
    "Smithson",
    "Sm",
    "S",
    "Wang",
    "Wang Donghai",
    "Leicestershire",
    "Leicester",
    "Le",
    "Ford",
    "Fo",
    "McDonald",
    "Mc",
    "O'Brien",
    "Straße",
    "İstanbul",
    "New York",
    "New",
)
_GLUE = (" ", " ", " ", ", ", ". ", "-", ".", "_", "'s ", "\n", "", "(", ") ")
_FILLER = ("the", "and", "said", "A", "I", "NEW", "THE", "mr", "Mr", "x", "3", "ß", "é")

_piece = st.one_of(
    st.sampled_from(_NAMES),
    st.sampled_from(_NAMES),
    st.sampled_from(_NAMES),
    st.sampled_from(_NAMES).map(str.upper),
    st.sampled_from(_NAMES).map(str.lower),
    st.sampled_from(_FILLER),
    st.text(alphabet="AaSsmWLeFoNéß-.' ", max_size=6),
)
_text = st.lists(st.tuples(_piece, st.sampled_from(_GLUE)), max_size=24).map(
    lambda pieces: "".join(word + glue for word, glue in pieces)
)
_parts = st.lists(st.one_of(_text, _text, _text.map(str.upper)), min_size=1, max_size=6).map(
    lambda texts: dict(zip((-2, -1, 0, 1, 2, 3), texts, strict=False))
)
_names = st.lists(
    st.one_of(
        st.sampled_from(_NAMES),
        st.sampled_from(_NAMES),
        st.sampled_from(_NAMES),
        st.text(alphabet="ASWLeFomnr' ", min_size=1, max_size=7),
    ),
    max_size=8,
)


@settings(max_examples=1500, deadline=None)
@given(_parts, _names)
def test_occurrences_equal_the_scan_of_every_capital(
    parts: dict[int, str], names: list[str]
) -> None:
    assert list(layers._occurrences(parts, names)) == list(_occurrences_scan(parts, names))


def test_the_generator_reaches_matches_in_plain_and_shouted_parts() -> None:
    """The cases the property covers do occur: found names in prose and in capitals."""
    parts = {
        -1: "SMITH AND WANG DONGHAI IN LEICESTERSHIRE",
        0: "Smith met Wang Donghai and Smithson in Leicester-shire; ex-Smith, Mr.Smith, Smith",
    }
    names = ["Smith", "Wang Donghai", "Wang", "Leicestershire", "Leicester"]
    found = list(layers._occurrences(parts, names))
    assert found == list(_occurrences_scan(parts, names))
    assert (-1, 0, 5, "Smith") in found
    assert (-1, 10, 22, "Wang Donghai") in found
    assert [f for f in found if f[0] == 0 and f[3] == "Smith"] == [
        (0, 0, 5, "Smith"),
        (0, 76, 81, "Smith"),
    ]
