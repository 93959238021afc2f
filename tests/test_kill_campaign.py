"""A few runs of the kill -9 campaign (bench/kill_campaign.py runs 30+ with recognition too):
an import or a delete/undo killed at a random point leaves a library that reopens consistent."""

from __future__ import annotations

from pathlib import Path

from bench import kill_campaign


def test_killed_imports_reopen_consistent(tmp_path: Path) -> None:
    # `campaign` raises SystemExit with the differences on the first inconsistent reopen.
    # Kills 1-2 s after the start: past start-up, before a 3,000-article import and its
    # indexing can finish (about 4 s on an idle machine).
    killed = kill_campaign.campaign(
        tmp_path / "kill",
        runs=2,
        seed=3,
        entities=False,
        say=False,
        delays=(1.0, 2.0),
        kinds=["import"],
        articles=3000,
    )
    assert killed == 2, "every run was killed mid-work"


def test_killed_delete_and_undo_reopen_consistent(tmp_path: Path) -> None:
    kill_campaign.campaign(
        tmp_path / "kill",
        runs=2,
        seed=4,
        entities=False,
        say=False,
        delays=(0.6, 1.6),
        kinds=["undo"],
    )
