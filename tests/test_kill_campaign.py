"""A few runs of the kill -9 campaign (bench/kill_campaign.py runs 30+ with recognition too):
an import or a delete/undo killed at a random point leaves a library that reopens consistent."""

from __future__ import annotations

from pathlib import Path

from bench import kill_campaign


def test_killed_imports_and_undos_reopen_consistent(tmp_path: Path) -> None:
    # `campaign` raises SystemExit with the differences on the first inconsistent reopen.
    killed = kill_campaign.campaign(tmp_path / "kill", runs=3, seed=3, entities=False, say=False)
    assert killed >= 1, "at least one run was killed mid-work (else nothing was tested)"
