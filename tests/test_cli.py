"""The command line as a user drives it: first run, import, list, show, search, export, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.cli import EXIT_ERROR, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_first_use_imports_the_sample_so_search_answers(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, out, err = run(capsys, "search", "kursk")
    assert code == EXIT_OK
    assert "imported the bundled sample (5 articles)" in err
    assert "rebuilt" not in err, "a new library has nothing to repair"
    assert "match 'kursk'" in out
    assert "Ukraine" in out
    # The library went where NEWSREADER_HOME points, not into a real home folder.
    assert (isolated_home / "newsreader" / "library.sqlite3").is_file()
    # The sample is imported once only.
    code, _, err = run(capsys, "list")
    assert "sample" not in err


def test_list_show_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert code == EXIT_OK and len(rows) == 5
    first = rows[0]["id"]
    code, out, _ = run(capsys, "show", str(first))
    assert code == EXIT_OK
    assert rows[0]["title"] in out
    _, out, _ = run(capsys, "list", "--unread", "--json")
    assert first not in [r["id"] for r in json.loads(out)], "show marks the article read"
    assert run(capsys, "star", str(first))[0] == EXIT_OK
    _, out, _ = run(capsys, "list", "--starred", "--json")
    assert [r["id"] for r in json.loads(out)] == [first]


def test_show_json_has_the_article_and_its_paragraphs(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "search", "Kenyan", "--json")
    hit = json.loads(out)["hits"][0]
    code, out, _ = run(capsys, "show", str(hit["article_id"]), "--json")
    article = json.loads(out)["article"]
    assert code == EXIT_OK
    assert article["kicker"] == "DITCH TACTICS"
    assert article["truncated"] is True
    assert article["paragraphs"]


def test_show_keeps_photo_credits_and_captions_apart_from_paragraphs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "search", "Belgorod Syrsky", "--json")
    first = json.loads(out)["hits"][0]["article_id"]
    _, out, _ = run(capsys, "show", str(first))
    assert "  [Photo: Reuters]" in out and "  [Photo: AFP]" in out
    _, out, _ = run(capsys, "search", "Kenyan", "--json")
    kenya = json.loads(out)["hits"][0]["article_id"]
    _, out, _ = run(capsys, "show", str(kenya))
    lines = out.splitlines()
    assert lines[0] == "DITCH TACTICS"
    caption = next(i for i, line in enumerate(lines) if line.startswith("  [Kenyan officers"))
    lead = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("A Kenyan policeman") and not line.endswith("…")  # not the title
    )
    assert caption < lead, "the caption comes before the lead paragraph, set apart"


def test_unknown_article_is_one_line_and_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "99999")
    assert code == EXIT_NOT_FOUND
    assert err.strip().splitlines()[-1] == "newsreader: no article with id 99999"


def test_import_reports_new_duplicates_and_skips(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A headline\n\nFirst paragraph here.\n\nSecond one.\n")
    (folder / "copy.txt").write_text("A headline\n\nFirst paragraph here.\n\nSecond one.\n")
    (folder / "blob.bin").write_bytes(b"\x00\x01\x02")
    code, out, _ = run(capsys, "import", str(folder))
    assert code == EXIT_OK
    assert "1 new, 1 duplicate, 1 skipped" in out
    assert "blob.bin" in out
    code, out, _ = run(capsys, "import", str(folder))
    assert "0 new, 2 duplicates" in out


def test_import_report_quotes_names_so_a_newline_cannot_forge_a_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A headline\n\nFirst paragraph here.\n")
    forged = "evil\n  skipped passwd.txt: binary file\n  skipped x.txt"
    (folder / forged).write_bytes(b"\x00\x01")
    (folder / os.fsdecode(b"latin-\xe9.bin")).write_bytes(b"\x00")  # a name that is not UTF-8
    code, out, _ = run(capsys, "import", str(folder))
    assert code == EXIT_OK
    skipped = [line for line in out.splitlines() if line.startswith("  skipped ")]
    assert len(skipped) == 2  # one line per skipped file, whatever its name holds
    assert skipped[0] == (
        f'  skipped "{folder}/evil\\n  skipped passwd.txt: binary file\\n  skipped x.txt": '
        "binary file"
    )
    assert '/latin-\\xe9.bin"' in skipped[1]
    out.encode("utf-8")  # printable on any terminal: no lone surrogates left


def test_import_of_nothing_usable_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "import", str(tmp_path / "missing"))
    assert code == EXIT_ERROR
    assert "no such file or folder" in out


def test_export_one_file_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out, _ = run(capsys, "list", "--json")
    first = str(json.loads(out)[0]["id"])
    target = tmp_path / "one.md"
    assert run(capsys, "export", first, "-o", str(target))[0] == EXIT_OK
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    code, _, err = run(capsys, "export", first, "-o", str(target))
    assert code == EXIT_ERROR and "--force" in err
    assert target.read_text(encoding="utf-8") == text
    assert run(capsys, "export", first, "-o", str(target), "--force")[0] == EXIT_OK


def test_export_search_to_a_folder_and_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "export", "--search", "Ukraine OR Japan", "-o", str(tmp_path / "d"))
    assert code == EXIT_OK
    files = sorted((tmp_path / "d").glob("*.md"))
    assert len(files) == len(out.strip().splitlines()) >= 2
    _, out, _ = run(capsys, "list", "--json")
    first = str(json.loads(out)[0]["id"])
    code, out, _ = run(capsys, "export", first, "-o", "-")
    assert code == EXIT_OK and out.startswith("---\n") and "\n# " in out
    assert run(capsys, "export")[0] == EXIT_USAGE


def test_malformed_query_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", '"unbalanced AND (kursk')
    assert code == EXIT_OK
    assert "note:" in err
    assert "match" in out


def test_stats_and_reindex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", "--json")
    stats = json.loads(out)
    assert code == EXIT_OK and stats["articles"] == 5 and stats["indexed"] == 5
    code, out, _ = run(capsys, "reindex")
    assert code == EXIT_OK and "5 articles" in out


def test_library_option_overrides_the_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_home: Path
) -> None:
    run(capsys, "--library", str(tmp_path / "elsewhere"), "stats")
    assert (tmp_path / "elsewhere" / "library.sqlite3").is_file()
    assert not (isolated_home / "newsreader").exists()


def test_console_script_module_entry(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "--library", str(tmp_path / "l"), "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 5


def _model_or_skip() -> None:
    from newsreader.core.entities import ModelMissingError
    from newsreader.core.entities.recognizer import model_id

    try:
        model_id()
    except ModelMissingError as exc:
        pytest.skip(str(exc))


def test_first_use_recognises_the_samples_entities(capsys: pytest.CaptureFixture[str]) -> None:
    _model_or_skip()
    code, out, _ = run(capsys, "search", 'person:"Vladimir Putin" AND place:kursk', "--json")
    results = json.loads(out)
    assert code == EXIT_OK and results["total"] == 1
    assert results["hits"][0]["title"].startswith("Ukraine yesterday pressed its offensive")
    code, out, _ = run(capsys, "entities", "--type", "person", "--json")
    people = {e["name"] for e in json.loads(out)}
    assert {"Vladimir Putin", "Volodymyr Zelenskiy", "Alexei Smirnov", "Joe Biden"} <= people
    _, out, _ = run(capsys, "show", str(results["hits"][0]["article_id"]))
    entities = out.split("\nEntities:\n", 1)[1]
    assert "  person  Volodymyr Zelenskiy" in entities
    assert "  place   Kursk" in entities
    assert "date" not in entities, "dates and numbers stay hidden"


def test_export_marks_entities_as_wikilinks(capsys: pytest.CaptureFixture[str]) -> None:
    _model_or_skip()
    _, out, _ = run(capsys, "search", "Zelenskiy", "--json")
    article = str(json.loads(out)["hits"][0]["article_id"])
    code, out, _ = run(capsys, "export", article, "-o", "-", "--entities", "wikilinks")
    assert code == EXIT_OK
    front, body = out.split("\n---\n", 1)
    assert "Volodymyr Zelenskiy" in front
    assert "[[Volodymyr Zelenskiy]]" in body
    _, plain, _ = run(capsys, "export", article, "-o", "-")
    assert "[[" not in plain


def test_import_recognises_entities_unless_asked_not_to(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _model_or_skip()
    run(capsys, "list")  # the sample, with its entities
    story = tmp_path / "story.txt"
    story.write_text(
        "Merkel meets Macron in Paris\n\nAngela Merkel met Emmanuel Macron in Paris on Monday.\n",
        encoding="utf-8",
    )
    later = tmp_path / "later.txt"
    later.write_text(
        "Sunak visits Madrid\n\nRishi Sunak visited Madrid on Friday to meet Pedro Sanchez.\n",
        encoding="utf-8",
    )
    run(capsys, "import", str(story))
    run(capsys, "import", "--no-entities", str(later))
    _, out, _ = run(capsys, "search", "person:macron", "--json")
    assert json.loads(out)["total"] == 1
    _, out, _ = run(capsys, "search", "place:madrid", "--json")
    assert json.loads(out)["total"] == 0, "not recognised yet"
    code, out, _ = run(capsys, "entities", "--type", "place", "--prefix", "Mad")
    assert code == EXIT_OK and "Madrid" in out, "listing entities catches up first"
    _, out, _ = run(capsys, "search", "place:madrid", "--json")
    assert json.loads(out)["total"] == 1


def test_screenshot_without_a_command_renders_the_window(tmp_path: Path) -> None:
    """`newsreader --screenshot FILE` (what a bundle's smoke test runs) writes a PNG."""
    shot = tmp_path / "window.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--library",
            str(tmp_path / "lib"),
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_search_sorts_by_relevance_or_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    feed = tmp_path / "dated.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps({"title": title, "text": text, "published": when})
            for title, text, when in [
                ("Old harbour", "Harbour harbour harbour cranes.", "2020-01-01"),
                ("New harbour", "A harbour.", "2024-06-01"),
                ("Mid harbour", "The harbour, the harbour.", "2022-03-01"),
            ]
        ),
        encoding="utf-8",
    )
    assert run(capsys, "import", str(feed))[0] == EXIT_OK
    code, out, _ = run(capsys, "search", "harbour AND cranes OR harbour", "--json")
    assert code == EXIT_OK
    by_rank = [hit["title"] for hit in json.loads(out)["hits"] if "harbour" in hit["title"]]
    code, out, _ = run(
        capsys, "search", "harbour AND cranes OR harbour", "--sort", "date", "--json"
    )
    results = json.loads(out)
    by_date = [hit["title"] for hit in results["hits"] if "harbour" in hit["title"]]
    assert by_date == ["New harbour", "Mid harbour", "Old harbour"]
    assert by_rank[0] == "Old harbour" and sorted(by_rank) == sorted(by_date)
    assert results["sort"] == "date"
