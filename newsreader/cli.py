"""The `newsreader` command line: parse, call the `Library` facade, print, map errors to exit codes.

With no command it opens the window. Everything it does goes through `newsreader.core.library`,
so the window and the command line share one behaviour.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from newsreader import __version__
from newsreader.core.entities import ModelMissingError
from newsreader.core.library import Library
from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, ImportReport, Photo
from newsreader.core.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from newsreader.core.storage import ArticleFilter, StorageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure to report as one line on stderr with an exit code."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


# -- output helpers --------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _print_json(value: Any, out: TextIO) -> None:
    json.dump(_jsonable(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _snippet(text: str, out: TextIO) -> str:
    """Search snippets mark hits with « »; show them bold on a terminal, as-is otherwise."""
    if out.isatty():
        return text.replace("«", "\033[1m").replace("»", "\033[0m")
    return text


def _say_wait(event: ProgressEvent) -> None:
    """Progress that only says when the work waits for another process (never silent)."""
    if event.stage == "wait":
        sys.stderr.write(f"note: {event.message}\n")
        sys.stderr.flush()


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr for long work; silent when stderr is not a terminal,
    except for waiting on another process ("another import is running; waiting…")."""
    if not enabled:
        yield no_progress
        return
    if not sys.stderr.isatty():
        yield _say_wait
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}", style="dim"),
        transient=True,
        console=None,
    ) as bar:
        tasks: dict[str, Any] = {}
        names = {"stored": "listed", "index": "searchable", "entities": "entities"}

        def update(event: ProgressEvent) -> None:
            if event.stage == "wait":  # another process has the lane: say so, once
                bar.console.print(f"[dim]{event.message}[/dim]")
                return
            if event.stage not in tasks:
                tasks[event.stage] = bar.add_task(
                    names.get(event.stage, event.stage), total=event.total, detail=""
                )
            bar.update(
                tasks[event.stage], completed=event.done, total=event.total, detail=event.message
            )

        yield update


@contextmanager
def _graceful_interrupt(token: CancelToken, err: TextIO) -> Iterator[None]:
    """First Ctrl-C asks the work to stop after its current batch; a second one aborts."""
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        if token.cancelled:
            raise KeyboardInterrupt
        token.cancel()
        err.write("\nStopping after the current batch (Ctrl-C again to stop at once)…\n")

    try:
        signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (embedded use): no handler, plain Ctrl-C
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _report_import(report: ImportReport, out: TextIO) -> None:
    out.write(f"Imported: {report.summary()}\n")
    for skip in report.skipped:
        out.write(f"  skipped {skip.origin}: {skip.reason}\n")


# -- commands --------------------------------------------------------------------------------


def cmd_import(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Store at SQLite speed, then make it searchable, then recognise entities (each step
    with its own progress line); an interrupted step resumes at the next open."""
    token = CancelToken()
    with _graceful_interrupt(token, err), _progress_bar(not args.quiet) as progress:
        report = lib.import_paths(args.paths, progress=progress, cancel=token, index=False)
        if not report.cancelled:
            lib.update_index(progress=progress, cancel=token, processes=True)
        _report_import(report, out)
        if report.cancelled or token.cancelled:
            out.write(
                "Import stopped early; everything listed above is stored. What is not yet"
                " searchable is indexed the next time the library is opened.\n"
            )
            return EXIT_INTERRUPTED
        if report.new and args.no_entities:
            if not args.quiet:
                err.write(
                    "note: entities not recognised (--no-entities); run: newsreader entities\n"
                )
        elif report.new:
            _recognise_entities(lib, args, err, progress, token)
            lib.update_index(progress=progress, cancel=token, processes=True)
    return EXIT_OK if report.new or report.duplicates or not report.skipped else EXIT_ERROR


def _recognise_entities(
    lib: Library,
    args: argparse.Namespace,
    err: TextIO,
    progress: ProgressCallback,
    token: CancelToken | None = None,
    *,
    rebuild: bool = False,
) -> None:
    """Run NER over what awaits it; without the model, say how to get it and carry on."""
    try:
        lib.extract_entities(progress=progress, cancel=token, rebuild=rebuild, index=False)
    except ModelMissingError as exc:
        if not args.quiet:
            err.write(f"note: entities not recognised: {exc}\n")


def cmd_list(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    where = ArticleFilter(unread=args.unread, starred=args.starred, source=args.source)
    ids = lib.ids(where, limit=args.limit)
    rows = lib.rows(ids)
    if args.json:
        _print_json(rows, out)
        return EXIT_OK
    for row in rows:
        flags = ("★" if row.starred else " ") + (" " if row.read else "•")
        out.write(f"{row.id:>6} {flags} {_date(row.published)}  {row.title}\n")
    total = lib.count(where)
    if total > len(rows):
        out.write(f"({len(rows)} of {total} shown; use --limit to see more)\n")
    return EXIT_OK


def cmd_show(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    article = lib.get(args.id)
    if article is None:
        raise CliError(f"no article with id {args.id}", EXIT_NOT_FOUND)
    mentions = lib.mentions(args.id)
    if not args.keep_unread:
        lib.set_read([args.id], True)
    if args.json:
        _print_json({"article": article, "entities": mentions}, out)
        return EXIT_OK
    width = 88
    if article.kicker:
        out.write(article.kicker.upper() + "\n")
    out.write(article.title + "\n")
    meta = [m for m in (article.byline, article.source, _date(article.published)) if m]
    out.write(" · ".join(meta) + "\n")
    if article.url:
        out.write(article.url + "\n")
    out.write("\n")
    photos: dict[int, list[Photo]] = {}
    for photo in article.photos:
        photos.setdefault(photo.after_paragraph, []).append(photo)

    def write_photos(after: int) -> None:
        for photo in photos.get(after, []):
            credit = f"Photo: {photo.credit}" if photo.credit else ""
            text = "[" + " — ".join(x for x in (photo.caption, credit) if x) + "]"
            out.write(textwrap.fill(text, width, initial_indent="  ", subsequent_indent="   "))
            out.write("\n\n")

    write_photos(-1)
    for index, paragraph in enumerate(article.paragraphs):
        out.write(textwrap.fill(paragraph, width) + "\n\n")
        write_photos(index)
    if article.truncated:
        out.write("[The text of this article is cut off in the source.]\n")
    shown = [m for m in mentions if m.type not in HIDDEN_ENTITY_TYPES]
    if shown:
        counts = Counter((m.type, m.name) for m in shown)
        out.write("\nEntities:\n")
        order = {kind: n for n, kind in enumerate(ENTITY_TYPES)}
        for (kind, name), n in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], -kv[1])):
            out.write(f"  {kind:<7} {name}" + (f" ×{n}" if n > 1 else "") + "\n")
    return EXIT_OK


def cmd_search(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    results = lib.search(args.query, limit=args.limit)
    if args.json:
        _print_json(results, out)
        return EXIT_OK
    if results.notice:
        err.write(f"note: {results.notice}\n")
    noun = "article" if results.total == 1 else "articles"
    out.write(f"{results.total} {noun} match {results.query!r}\n")
    for hit in results.hits:
        out.write(f"{hit.article_id:>6}  {_date(hit.published)}  {hit.title}\n")
        if hit.snippet:
            out.write(textwrap.indent(textwrap.fill(_snippet(hit.snippet, out), 80), "        "))
            out.write("\n")
    if results.suggestion:
        out.write(f"Did you mean: {results.suggestion}\n")
    return EXIT_OK


def cmd_export(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ids: list[int] = list(args.ids)
    if args.search:
        ids += [hit.article_id for hit in lib.search(args.search, limit=None).hits]
    if not ids:
        raise CliError("nothing to export: give article ids or --search QUERY", EXIT_USAGE)
    if args.output == "-":
        for n, article_id in enumerate(ids):
            if n:
                out.write("\n")
            out.write(lib.to_markdown(article_id, entities=args.entities))
        return EXIT_OK
    destination = Path(args.output) if args.output else Path.cwd()
    if args.search and destination.suffix.lower() == ".md" and len(ids) > 1:
        raise CliError("a search exports to a folder: give -o DIR", EXIT_USAGE)
    try:
        written = lib.export_markdown(
            ids, destination, overwrite=args.force, entities=args.entities
        )
    except KeyError as exc:
        raise CliError(f"no article with id {exc.args[0]}", EXIT_NOT_FOUND) from exc
    except FileExistsError as exc:
        raise CliError(f"{exc} (use --force to overwrite)") from exc
    for path in written:
        out.write(f"{path}\n")
    return EXIT_OK


def cmd_entities(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    token = CancelToken()  # catch up first, so the listing is complete
    with _graceful_interrupt(token, err), _progress_bar(not args.quiet) as progress:
        _recognise_entities(lib, args, err, progress, token, rebuild=args.rebuild)
        lib.update_index(progress=progress, cancel=token, processes=True)
    found = lib.entities(args.type, top=args.top, prefix=args.prefix or "")
    if args.json:
        _print_json(found, out)
        return EXIT_OK
    for entity in found:
        also = f"  (also: {', '.join(entity.aliases)})" if entity.aliases else ""
        out.write(f"{entity.article_count:>6}  {entity.type:<7} {entity.name}{also}\n")
    if not found:
        out.write("No entities" + (f" of type {args.type}" if args.type else "") + ".\n")
    return EXIT_OK


def cmd_reindex(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _progress_bar(not args.quiet) as progress:
        count = lib.reindex(progress=progress)
    out.write(f"Search index rebuilt: {count} articles.\n")
    return EXIT_OK


def cmd_stats(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    stats = lib.stats()
    if args.json:
        _print_json(stats, out)
        return EXIT_OK
    for field in dataclasses.fields(stats):
        label = field.name.replace("_", " ")
        out.write(f"{label:<12} {getattr(stats, field.name)}\n")
    out.write(
        f"{'progress':<12} indexed {stats.indexed:,} of {stats.articles:,},"
        f" recognised {stats.recognised:,}\n"
    )
    return EXIT_OK


def cmd_delete(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    removed = lib.delete(args.ids)
    missing = sorted(set(args.ids) - {a.id for a in removed})
    out.write(f"Deleted {len(removed)} article{'s' if len(removed) != 1 else ''}.\n")
    if missing:
        raise CliError(f"no article with id {', '.join(map(str, missing))}", EXIT_NOT_FOUND)
    return EXIT_OK


def _flag_command(flag: str, value: bool) -> Callable[..., int]:
    def run(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        found = {row.id for row in lib.rows(args.ids)}
        missing = sorted(set(args.ids) - found)
        if missing:
            raise CliError(f"no article with id {', '.join(map(str, missing))}", EXIT_NOT_FOUND)
        if flag == "read":
            lib.set_read(args.ids, value)
        else:
            lib.set_starred(args.ids, value)
        return EXIT_OK

    return run


# -- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A news reader that keeps a searchable local library of articles. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="library folder (default: $NEWSREADER_HOME or the platform's data folder)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars or notes")
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="render the window to a PNG and exit (same as: gui --screenshot FILE)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, func: Callable[..., int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = sub.add_parser("gui", help="open the window (the default)")
    p.add_argument("--screenshot", metavar="FILE", help="render the window to a PNG and exit")

    p = command("import", "import files and folders (text, .md, .html, .jsonl, .csv)", cmd_import)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--no-entities", action="store_true", help="do not recognise entities now (later: entities)"
    )

    p = command("list", "list articles, newest first", cmd_list)
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--source", metavar="S", help="only articles from this source")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("show", "show one article in full (and mark it read)", cmd_show)
    p.add_argument("id", type=int)
    p.add_argument("--keep-unread", action="store_true", help="do not mark it read")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("search", "full-text search (try: newsreader search --help)", cmd_search)
    p.add_argument("query", help='words, "phrases", AND/OR/NOT, -word, title:x, ukrain*')
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("export", "export articles to Markdown", cmd_export)
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--search", metavar="QUERY", help="export every article matching QUERY")
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="a .md file (one article), a folder, or - for stdout (default: this folder)",
    )
    p.add_argument("-f", "--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--entities",
        choices=("none", "bold", "wikilinks"),
        default="none",
        help="mark entities in the text: **bold** or [[wikilinks]] (default: none)",
    )

    p = command("entities", "people, organisations, places … by number of articles", cmd_entities)
    p.add_argument("--type", choices=ENTITY_TYPES, help="only this type")
    p.add_argument("--top", type=int, metavar="N", help="only the N most mentioned")
    p.add_argument("--prefix", metavar="TEXT", help="only names starting with TEXT")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--rebuild", action="store_true", help="recognise entities in every article again"
    )

    command("reindex", "rebuild the search index from the library database", cmd_reindex)

    p = command("stats", "library statistics", cmd_stats)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("delete", "delete articles from the library", cmd_delete)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    for name, flag, value, text in (
        ("star", "starred", True, "star articles"),
        ("unstar", "starred", False, "remove the star from articles"),
        ("read", "read", True, "mark articles read"),
        ("unread", "read", False, "mark articles unread"),
    ):
        p = command(name, text, _flag_command(flag, value))
        p.add_argument("ids", nargs="+", type=int, metavar="ID")
    return parser


#: Commands that read the search index: the index catches up before they run.
_READS_INDEX = {cmd_search, cmd_export}
#: Commands whose small writes the index should follow before the command returns (unless
#: another process is indexing: it picks them up from the shared outbox).
_WRITES_SMALL: set[Callable[..., int]] = {cmd_delete}


def _run_gui(args: argparse.Namespace) -> int:
    from newsreader.ui.app import main as gui_main

    argv: list[str] = []
    if args.library:
        argv += ["--library", args.library]
    if getattr(args, "screenshot", None):
        argv += ["--screenshot", args.screenshot]
    return gui_main(argv)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the `newsreader` console script; returns the exit code."""
    out = out or sys.stdout
    err = sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        return _run_gui(args)
    try:
        with Library.open(args.library, update_index=False) as lib:
            seeded = lib.ensure_sample(progress=no_progress if args.quiet else _say_wait)
            if seeded is not None and seeded.new:
                if not args.quiet:
                    err.write(
                        f"note: new library at {lib.directory}; "
                        f"imported the bundled sample ({seeded.new} articles)\n"
                    )
                _recognise_entities(lib, args, err, no_progress)
            if args.func in _READS_INDEX or seeded is not None:
                # Bring the index in line first, unless another process is at it (then the
                # results say they may be incomplete): a search never waits on a write.
                with _progress_bar(not args.quiet) as progress:
                    lib.update_index(progress=progress, wait=False, processes=True)
            for notice in lib.notices:
                err.write(f"note: {notice}\n")
            code: int = args.func(lib, args, out, err)
            if args.func in _WRITES_SMALL:
                lib.update_index(wait=False)
            return code
    except CliError as exc:
        err.write(f"newsreader: {exc}\n")
        return exc.code
    except StorageError as exc:
        err.write(f"newsreader: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("\nnewsreader: interrupted; the library is consistent (finished batches kept)\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        err.write(f"newsreader: {exc.strerror or exc}: {exc.filename or ''}\n".rstrip() + "\n")
        return EXIT_ERROR
