"""The `newsreader` command line: parse, call the `Library` facade, print, map errors to exit codes.

With no command it opens the window. Everything it does goes through `newsreader.core.library`,
so the window and the command line share one behaviour.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sqlite3
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
from newsreader.core import photos
from newsreader.core.entities import ModelMissingError
from newsreader.core.feeds.fulltext import FullTextError
from newsreader.core.feeds.refresh import RefreshReport
from newsreader.core.feeds.subscribe import FeedChoice, FeedError
from newsreader.core.ingest.naming import one_line, quote_name
from newsreader.core.integrity import DamagedLibraryError, MissingDatabaseError
from newsreader.core.library import SEARCH_SORTS, Library
from newsreader.core.models import ENTITY_TYPES, HIDDEN_ENTITY_TYPES, ImportReport, Skipped
from newsreader.core.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from newsreader.core.saved_searches import SavedSearchError
from newsreader.core.sources import Source, SourceError
from newsreader.core.storage import ArticleFilter, StorageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
#: The library database is damaged, or missing beside what is left of a library.
EXIT_DAMAGED = 4
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
    if isinstance(value, frozenset | set):
        return sorted(_jsonable(v) for v in value)
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
    for skip in report.skipped:  # quoted, so a newline in a file name cannot forge a line
        out.write(f"  skipped {quote_name(skip.origin)}: {one_line(skip.reason)}\n")
    for note in report.notes:  # imported, but changed (an article stored in parts)
        out.write(f"  note {quote_name(note.origin)}: {one_line(note.message)}\n")


# -- commands --------------------------------------------------------------------------------


def cmd_import(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Store at SQLite speed, then make it searchable, then recognise entities (each step
    with its own progress line); an interrupted step resumes at the next open."""
    token = CancelToken()
    with _graceful_interrupt(token, err), _progress_bar(not args.quiet) as progress:
        paths, report = _import_lists(lib, args.paths, out)  # OPML: subscribe (issue 9)
        if paths or not args.paths:
            found = lib.import_paths(paths, progress=progress, cancel=token, index=False)
            found.new += report.new
            found.duplicates += report.duplicates
            found.skipped[:0] = report.skipped
            found.new_ids[:0] = report.new_ids
            report = found
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


def _import_lists(
    lib: Library, given: Sequence[str], out: TextIO
) -> tuple[list[str], ImportReport]:
    """OPML files given to `import` are subscription lists: subscribe (issue 9)."""
    rest: list[str] = []
    report = ImportReport()
    for item in given:
        if Path(item).suffix.lower() != ".opml":
            rest.append(item)
            continue
        try:
            lists = lib.import_opml(item)
        except FeedError as exc:
            report.skipped.append(Skipped(item, str(exc)))
            continue
        out.write(f"OPML {item}: {lists.summary()}\n")
        report.skipped += lists.skipped
        if lists.refresh is not None:
            report.new += lists.refresh.new
            report.new_ids += lists.refresh.new_ids
    return rest, report


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
    placed = photos.article_photos(article)

    def write_photos(after: int) -> None:
        for photo in placed.get(after, []):
            text = f"[{photos.photo_text(photo)}]"
            out.write(textwrap.fill(text, width, initial_indent="  ", subsequent_indent="   "))
            out.write("\n\n")

    write_photos(photos.BEFORE_FIRST)
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


def _search_query(lib: Library, args: argparse.Namespace) -> str:
    """The query to run: the one given, or the saved search `--saved NAME` names."""
    if args.saved:
        if args.query:
            raise CliError("give a query or --saved NAME, not both", EXIT_USAGE)
        saved = lib.saved_search(args.saved)
        if saved is None:
            raise CliError(
                f"no saved search named {args.saved!r} (see: newsreader searches list)",
                EXIT_NOT_FOUND,
            )
        return saved.query
    if not args.query:
        raise CliError("give a query, or --saved NAME", EXIT_USAGE)
    return str(args.query)


def cmd_search(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    results = lib.search(_search_query(lib, args), limit=args.limit, sort=args.sort)
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


def cmd_searches(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`searches list|add|remove`: the saved searches the window's sidebar shows too."""
    if args.action == "add":
        if not args.query:
            raise CliError("searches add NAME QUERY: give the query to save", EXIT_USAGE)
        try:
            saved = lib.save_search(args.name, " ".join(args.query))
        except SavedSearchError as exc:
            raise CliError(str(exc), EXIT_USAGE) from exc
        out.write(f"Saved search {saved.name!r}: {saved.query}\n")
        return EXIT_OK
    if args.action == "remove":
        if not args.name:
            raise CliError("searches remove NAME: give the name to remove", EXIT_USAGE)
        if not lib.remove_saved_search(args.name):
            raise CliError(f"no saved search named {args.name!r}", EXIT_NOT_FOUND)
        out.write(f"Removed saved search {args.name!r}.\n")
        return EXIT_OK
    found = lib.saved_searches()
    if args.json:
        _print_json(found, out)
        return EXIT_OK
    width = max((len(s.name) for s in found), default=0)
    for saved in found:
        out.write(f"{saved.name:<{width}}  {saved.query}\n")
    if not found:
        out.write("No saved searches (save one: newsreader searches add NAME QUERY).\n")
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


# -- damaged libraries: backup, restore, repair -----------------------------------------------
# `restore` and `repair` work on a library that cannot be opened, so they run without one.


def cmd_backup(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    made = lib.backup()
    out.write(f"Backed up the library to {made.path}\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.list:
        found = Library.backups(args.library)
        for item in found:
            out.write(f"{item.label:<36} {item.path}\n")
        if not found:
            out.write("No backups yet.\n")
        return EXIT_OK
    report = Library.restore_backup(args.library, args.backup)
    out.write(report.summary() + "\n")
    return EXIT_OK


def cmd_repair(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    report = Library.repair(args.library)
    out.write(report.summary() + "\n")
    return EXIT_OK


def _add_recovery_commands(
    sub: Any, command: Callable[[str, str, Callable[..., int]], argparse.ArgumentParser]
) -> None:
    command("backup", "back up the library database now (into its backups/ folder)", cmd_backup)
    p = sub.add_parser(
        "restore",
        help="put a backup in place of the library database (the newest sound one)",
        description="Put a backup in place of the library database. The database it replaces "
        "is kept beside it; articles added since the backup are rebuilt from the search index. "
        "Close the window first.",
    )
    p.set_defaults(offline=cmd_restore)
    p.add_argument("backup", nargs="?", metavar="FILE", help="this backup file, not the newest")
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p = sub.add_parser(
        "repair",
        help="salvage what is readable of a damaged library database into a new one",
        description="Salvage every readable row of a damaged (or missing) library database into "
        "a new one, rebuild lost articles from the search index, and report what was lost. "
        "The damaged file is kept beside it. Close the window first.",
    )
    p.set_defaults(offline=cmd_repair)


# -- feeds, OPML and sources (issue 9) ---------------------------------------------------------


def _source_or_fail(lib: Library, ref: str, kind: str | None = None) -> Source:
    try:
        return lib.find_source(ref, kind)
    except SourceError as exc:
        raise CliError(str(exc), EXIT_NOT_FOUND) from exc


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "never"


def _report_refresh(report: RefreshReport, out: TextIO, err: TextIO) -> None:
    out.write(f"Refreshed: {report.summary()}\n")
    for feed in report.feeds:
        if feed.error:
            out.write(f"  failed {feed.name}: {feed.error}\n")
        elif feed.postponed:
            out.write(f"  not tried {feed.name}: {feed.postponed}\n")
        elif feed.warning:
            err.write(f"note: {feed.name}: {feed.warning}\n")


def cmd_feeds_add(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        added = lib.add_feed(
            args.url, folder=args.folder or "", name=args.name, fetch=not args.no_fetch
        )
    except FeedChoice as exc:
        out.write(f"{exc}:\n")
        for url, title in exc.links:
            out.write(f"  {url}" + (f"  ({title})" if title else "") + "\n")
        raise CliError("several feeds found; run feeds add again with the one you want") from exc
    except (FeedError, SourceError) as exc:
        raise CliError(str(exc)) from exc
    source = added.source
    out.write(f"Subscribed to {source.name} ({source.location})")
    out.write(f" in {source.folder}" if source.folder else "")
    if added.first_fetch is not None:
        out.write(
            f": {added.first_fetch.new} new article{'s' if added.first_fetch.new != 1 else ''}"
        )
    out.write("\n")
    if added.first_fetch is not None and added.first_fetch.new and not args.no_entities:
        with _progress_bar(not args.quiet) as progress:
            _recognise_entities(lib, args, err, progress)
    return EXIT_OK


def cmd_feeds_list(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    feeds = lib.feeds()
    if args.json:
        _print_json([dataclasses.replace(f, etag=None, last_modified=None) for f in feeds], out)
        return EXIT_OK
    if not feeds:
        out.write("No feeds yet; add one with: newsreader feeds add URL\n")
    for feed in feeds:
        state = "stopped" if not feed.active else ("failing" if feed.failing else "ok")
        place = f"{feed.folder}/" if feed.folder else ""
        out.write(
            f"{feed.id:>5}  {place}{feed.name}  [{feed.unread}/{feed.articles} unread]"
            f"  {state}, last success {_when(feed.last_success)}\n"
        )
        out.write(f"       {feed.location}\n")
        if feed.last_error:
            out.write(f"       last error: {feed.last_error}\n")
    return EXIT_OK


def cmd_feeds_refresh(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    token = CancelToken()
    for ref in args.feeds:
        _source_or_fail(lib, ref, "feed")
    with _graceful_interrupt(token, err), _progress_bar(not args.quiet) as progress:
        report = lib.refresh_feeds(args.feeds or None, progress=progress, cancel=token)
        _report_refresh(report, out, err)
        if report.cancelled:
            return EXIT_INTERRUPTED
        if (report.new_ids or report.updated_ids) and not args.no_entities:
            _recognise_entities(lib, args, err, progress, token)
    tried = [f for f in report.feeds if not f.postponed]
    return EXIT_ERROR if tried and all(f.error for f in tried) else EXIT_OK


def cmd_feeds_set(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    feed = _source_or_fail(lib, args.source, "feed")
    if args.full_text is None and args.interval is None and not args.resume:
        raise CliError(
            "nothing to set: give --full-text on|off, --interval MIN or --resume", EXIT_USAGE
        )
    lib.set_feed_options(
        feed.id,
        full_text=None if args.full_text is None else args.full_text == "on",
        interval_minutes=args.interval,
        active=True if args.resume else None,
    )
    now = lib.find_source(str(feed.id))
    out.write(
        f"{now.name}: full text {'on' if now.full_text else 'off'}, refresh every "
        f"{now.interval_minutes or 'default'} minutes, {'active' if now.active else 'stopped'}\n"
    )
    return EXIT_OK


def cmd_feeds_full_text(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = 0
    for article_id in args.ids:
        try:
            article = lib.fetch_full_text(article_id)
        except KeyError:
            raise CliError(f"no article with id {article_id}", EXIT_NOT_FOUND) from None
        except FullTextError as exc:
            err.write(f"newsreader: article {article_id}: {exc}\n")
            failed += 1
            continue
        out.write(f"{article_id}: {article.title} ({len(article.paragraphs)} paragraphs)\n")
    if len(args.ids) > failed and not args.no_entities:
        with _progress_bar(not args.quiet) as progress:
            _recognise_entities(lib, args, err, progress)
    return EXIT_ERROR if failed else EXIT_OK


def cmd_source_rename(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = _source_or_fail(lib, args.source, args.kind)
    try:
        renamed = lib.rename_source(source.id, args.name)
    except SourceError as exc:
        raise CliError(str(exc)) from exc
    out.write(f"Renamed {source.name!r} to {renamed.name!r}.\n")
    return EXIT_OK


def cmd_source_move(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = _source_or_fail(lib, args.source, args.kind)
    lib.move_source(source.id, args.folder)
    folder = lib.find_source(str(source.id)).folder
    out.write(
        f"Moved {source.name!r} to " + (f"folder {folder!r}.\n" if folder else "the top level.\n")
    )
    return EXIT_OK


def cmd_source_remove(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = _source_or_fail(lib, args.source, args.kind)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(
                f"removing {source.name!r} deletes its {source.articles} articles; add --yes",
                EXIT_USAGE,
            )
        answer = input(f"Remove {source.name!r} and its {source.articles} articles? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            out.write("Nothing removed.\n")
            return EXIT_OK
    removed = lib.remove_source(source.id)
    out.write(f"Removed {source.name!r} and {len(removed.articles)} articles.\n")
    return EXIT_OK


def cmd_sources_list(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    sources = lib.source_list()
    if args.json:
        _print_json([dataclasses.replace(s, etag=None, last_modified=None) for s in sources], out)
        return EXIT_OK
    for source in sources:
        place = f"{source.folder}/" if source.folder else ""
        out.write(
            f"{source.id:>5}  {source.kind:<7} {place}{source.name}  ({source.articles} articles)"
            + (f"  {source.location}" if source.location else "")
            + "\n"
        )
    return EXIT_OK


def cmd_opml_import(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    token = CancelToken()
    with _graceful_interrupt(token, err), _progress_bar(not args.quiet) as progress:
        try:
            report = lib.import_opml(
                args.file, fetch=not args.no_fetch, progress=progress, cancel=token
            )
        except FeedError as exc:
            raise CliError(str(exc)) from exc
        out.write(f"OPML: {report.summary()}\n")
        for skip in report.skipped:
            out.write(f"  skipped {skip.origin}: {skip.reason}\n")
        if report.refresh is not None:
            for feed in report.refresh.failed:
                out.write(f"  failed {feed.name}: {feed.error}\n")
            if report.refresh.new_ids and not args.no_entities:
                _recognise_entities(lib, args, err, progress, token)
    return EXIT_OK if report.added or report.already or not report.skipped else EXIT_ERROR


def cmd_opml_export(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = Path(args.file)
    if path.exists() and not args.force:
        raise CliError(f"{path} exists (use --force to overwrite)")
    count = lib.export_opml(path)
    out.write(f"Wrote {count} feed{'s' if count != 1 else ''} to {path}.\n")
    return EXIT_OK


def _add_feed_commands(sub: Any) -> None:
    """`feeds …`, `opml …` and `sources …`: each a group of subcommands."""

    def group(name: str, help_text: str) -> Any:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=lambda lib, args, out, err: _group_usage(p, out))
        return p.add_subparsers(dest=f"{name}_command", metavar="ACTION")

    def action(
        parent: Any, name: str, help_text: str, func: Callable[..., int], **defaults: Any
    ) -> Any:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func, **defaults)
        return p

    feeds = group("feeds", "subscriptions: add, list, refresh, rename, move, remove")
    p = action(feeds, "add", "subscribe to a feed (or a web page that names one)", cmd_feeds_add)
    p.add_argument("url", metavar="URL")
    p.add_argument("--folder", metavar="F", help="sidebar folder (a/b nests)")
    p.add_argument("--name", metavar="N", help="name it N (default: the feed's title)")
    p.add_argument("--no-fetch", action="store_true", help="subscribe without fetching now")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p = action(feeds, "list", "list feeds with their status", cmd_feeds_list)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = action(feeds, "set", "a feed's options: full text, interval, resume", cmd_feeds_set)
    p.add_argument("source", metavar="FEED", help="id, name or URL")
    p.add_argument(
        "--full-text", choices=("on", "off"), help="fetch each new entry's page for its full text"
    )
    p.add_argument("--interval", type=int, metavar="MIN", help="refresh interval (0: default)")
    p.add_argument("--resume", action="store_true", help="refresh a stopped feed again")
    p = action(
        feeds, "full-text", "replace articles' summaries with the text of their links",
        cmd_feeds_full_text,
    )  # fmt: skip
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p = action(feeds, "refresh", "fetch new entries (all feeds, or those named)", cmd_feeds_refresh)
    p.add_argument("feeds", nargs="*", metavar="FEED", help="id, name or URL (default: all due)")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    for name, text, func in (
        ("rename", "rename a feed", cmd_source_rename),
        ("move", "move a feed into a folder ('' for the top level)", cmd_source_move),
        ("remove", "unsubscribe and delete the feed's articles", cmd_source_remove),
    ):
        p = action(feeds, name, text, func, kind="feed")
        p.add_argument("source", metavar="FEED", help="id, name or URL")
        if name == "rename":
            p.add_argument("name", metavar="NAME")
        elif name == "move":
            p.add_argument("folder", metavar="FOLDER")
        else:
            p.add_argument("-y", "--yes", action="store_true", help="do not ask")

    opml = group("opml", "import or export subscriptions as OPML")
    p = action(opml, "import", "subscribe to every feed an OPML file lists", cmd_opml_import)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--no-fetch", action="store_true", help="subscribe only; refresh later")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p = action(opml, "export", "write every feed to an OPML file", cmd_opml_export)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-f", "--force", action="store_true", help="overwrite an existing file")

    sources = group("sources", "every source: feeds, folders, files, datasets, the sample")
    p = action(sources, "list", "list sources with their article counts", cmd_sources_list)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = action(sources, "rename", "rename a source", cmd_source_rename, kind=None)
    p.add_argument("source", metavar="SOURCE", help="id or name")
    p.add_argument("name", metavar="NAME")
    p = action(sources, "move", "move a source into a folder", cmd_source_move, kind=None)
    p.add_argument("source", metavar="SOURCE", help="id or name")
    p.add_argument("folder", metavar="FOLDER")
    p = action(sources, "remove", "delete a source and its articles", cmd_source_remove, kind=None)
    p.add_argument("source", metavar="SOURCE", help="id or name")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask")


def _group_usage(parser: argparse.ArgumentParser, out: TextIO) -> int:
    out.write(parser.format_help())
    return EXIT_USAGE


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

    p = command(
        "import",
        "import files and folders (text, .md, .html, .jsonl, .csv, .sgm; feeds .rss/.atom;"
        " .opml lists)",
        cmd_import,
    )
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
    p.add_argument("query", nargs="?", help='words, "phrases", AND/OR/NOT, -word, title:x, ukrain*')
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    p.add_argument(
        "--sort",
        choices=SEARCH_SORTS,
        default="relevance",
        help="best matches first (relevance, the default) or newest first (date)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--saved", metavar="NAME", help="run the saved search NAME")

    p = command("searches", "saved searches: list, add NAME QUERY, remove NAME", cmd_searches)
    p.add_argument("action", choices=("list", "add", "remove"), nargs="?", default="list")
    p.add_argument("name", nargs="?", default="", help="the saved search's name")
    p.add_argument("query", nargs="*", help="the query to save (add)")
    p.add_argument("--json", action="store_true", help="machine-readable output (list)")

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
    _add_recovery_commands(sub, command)
    _add_feed_commands(sub)
    return parser


#: Commands that read the search index: the index catches up before they run.
_READS_INDEX = {cmd_search, cmd_export}


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
        offline = getattr(args, "offline", None)
        if offline is not None:
            done: int = offline(args, out, err)
            return done
        with Library.open(args.library, update_index=False) as lib:
            first = lib.first_run(progress=no_progress if args.quiet else _say_wait)
            seeded = first.sample
            if first.welcome and not args.quiet:
                err.write(f"note: {first.welcome}\n")
            if first.recognise_entities:
                _recognise_entities(lib, args, err, no_progress)
            if args.func in _READS_INDEX or seeded is not None:
                # Bring the index in line first, unless another process is at it (then the
                # results say they may be incomplete): a search never waits on a write.
                with _progress_bar(not args.quiet) as progress:
                    lib.update_index(progress=progress, wait=False, processes=True)
            for notice in lib.notices:
                err.write(f"note: {notice}\n")
            code: int = args.func(lib, args, out, err)
            if lib.index_pending():
                # Whatever the command wrote (a delete, a feed removed, a refresh), the index
                # follows before it returns, unless another process is indexing: that one
                # picks it up from the shared outbox.
                lib.update_index(wait=False)
            return code
    except CliError as exc:
        err.write(f"newsreader: {exc}\n")
        return exc.code
    except (DamagedLibraryError, MissingDatabaseError) as exc:
        err.write(f"newsreader: {exc}\n")
        return EXIT_DAMAGED
    except StorageError as exc:
        err.write(f"newsreader: {exc}\n")
        return EXIT_ERROR
    except sqlite3.DatabaseError as exc:
        damage = Library.damage_message(args.library, exc)
        err.write(f"newsreader: {damage or f'database error: {exc}'}\n")
        return EXIT_DAMAGED if damage else EXIT_ERROR
    except KeyboardInterrupt:
        err.write("\nnewsreader: interrupted; the library is consistent (finished batches kept)\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        err.write(f"newsreader: {exc.strerror or exc}: {exc.filename or ''}\n".rstrip() + "\n")
        return EXIT_ERROR
