"""The gazetteer's tables read from the cache file are the tables built from GeoNames, and a
missing, stale, truncated or damaged cache, or one that cannot be written, falls back to
building them (`gazetteer_cache`): recognition must find the same places either way."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsreader.core import paths
from newsreader.core.entities import gazetteer, gazetteer_cache
from newsreader.core.entities.gazetteer import Place

Tables = tuple[dict[str, Place], dict[str, list[tuple[str, Place]]]]


@pytest.fixture(scope="module")
def built() -> Tables:
    """The tables as built from GeoNames, without any cache."""
    main = gazetteer._build_places()
    return main, gazetteer._build_alternates(main)


def _rebuilt(built: Tables, monkeypatch: pytest.MonkeyPatch) -> Tables:
    """`gazetteer._tables` as a new process runs it, with the (slow) building from GeoNames
    replaced by `built`, counted: it must be asked for exactly once."""
    calls: list[str] = []

    def places() -> dict[str, Place]:
        calls.append("places")
        return built[0]

    def alternates(main: dict[str, Place]) -> dict[str, list[tuple[str, Place]]]:
        calls.append("alternates")
        return built[1]

    monkeypatch.setattr(gazetteer, "_build_places", places)
    monkeypatch.setattr(gazetteer, "_build_alternates", alternates)
    tables = gazetteer._tables.__wrapped__()
    assert calls == ["places", "alternates"]
    return tables


def _same(got: Tables | None, want: Tables) -> None:
    assert got is not None
    assert list(got[0].items()) == list(want[0].items())  # order too
    assert list(got[1].items()) == list(want[1].items())


def test_the_cached_tables_are_the_built_ones(built: Tables) -> None:
    assert gazetteer_cache.load() is None  # nothing cached yet in this home
    gazetteer_cache.save(built)
    assert gazetteer_cache.path().is_file()
    _same(gazetteer_cache.load(), built)
    # What a new process does: the tables through `_tables`, from the cache file.
    _same(gazetteer._tables.__wrapped__(), built)
    assert gazetteer.places() == built[0] and gazetteer.alternates() == built[1]


def test_tables_round_trip_on_generated_places() -> None:
    rng = random.Random(6)
    letters = "abcXYZ éøßİı’'-. 中"
    for _ in range(200):
        pool = [
            Place(
                "".join(rng.choice(letters) for _ in range(rng.randint(0, 8))),
                rng.choice(["city", "country", "state", "continent"]),
                rng.randint(0, 10**9),
            )
            for _ in range(rng.randint(1, 10))
        ]
        main = {f"k{i}{rng.choice(letters)}": rng.choice(pool) for i in range(rng.randint(0, 30))}
        alternates = {
            f"a{i}": [(rng.choice(letters), rng.choice(pool)) for _ in range(rng.randint(0, 3))]
            for i in range(rng.randint(0, 30))
        }
        gazetteer_cache.save((main, alternates))
        _same(gazetteer_cache.load(), (main, alternates))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "other key"])
def test_a_damaged_or_stale_cache_is_rebuilt(
    built: Tables, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gazetteer_cache.save(built)
    target = gazetteer_cache.path()
    blob = target.read_bytes()
    if damage == "truncated":
        target.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped":
        middle = len(blob) // 2
        target.write_bytes(blob[:middle] + bytes([blob[middle] ^ 0x40]) + blob[middle + 1 :])
    elif damage == "garbage":
        target.write_bytes(random.Random(1).randbytes(5000))
    elif damage == "empty":
        target.write_bytes(b"")
    else:  # a gazetteer.py, a package or a Python other than the one that wrote it
        monkeypatch.setattr(gazetteer_cache, "key", lambda: "0" * 40)
    assert gazetteer_cache.load() is None
    _same(_rebuilt(built, monkeypatch), built)  # built again, and cached again
    _same(gazetteer_cache.load(), built)


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    built: Tables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setattr(paths, "cache_dir", lambda: blocked / "cache")
    gazetteer_cache.save(built)  # no error
    assert gazetteer_cache.load() is None
    _same(_rebuilt(built, monkeypatch), built)
