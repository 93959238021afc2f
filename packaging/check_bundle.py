"""Check that the bundle behaves like the installed app, and that the spec misses no data.

    python packaging/check_bundle.py dist/newsreader/newsreader   # after a build (build-bundle.sh)
    python packaging/check_bundle.py --data                       # cheap, without a build (CI)

Both run one workload on a new library: the first-run sample, an import of a small JSON Lines
file, an RSS file and an HTML page, a feed subscribed to and refreshed from a server on
127.0.0.1, searches, entity listings, an article shown, a Markdown export. The system's
time-zone database is hidden from the app (`PYTHONTZPATH` empty), as on a machine without one.

With a bundle, the workload runs twice, through the bundle (with `env -i`: no virtualenv, no
Python) and through this Python's installed app, and every answer must be the same: a data file
left out of the bundle seldom crashes, it changes the entities (without tzdata `1200 GMT` makes
GMT an organisation). Then the bundle renders the window on the sample library, and, with
strace, that it connected to nothing but 127.0.0.1 and local sockets.

With `--data`, the workload runs once through this Python, under an audit hook that records
every file opened and every connection made. It fails when a dependency of the app ships data
files that `bundle_data.py` does not mention, when a `keep` pattern there matches no installed
file, when the run read a data file the bundle would leave out, or when it connected beyond
127.0.0.1. That is the class of omission a build finds, in seconds instead of minutes.

Prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import http.server
import importlib.metadata as metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_data

CODE_SUFFIXES = (".py", ".pyc", ".so", ".pyi", ".pyx", ".pxd", ".pxi", ".h", ".c", ".cpp", ".hh")
NOT_DATA = ("py.typed", ".pth")

NEWS_JSONL = [
    {
        "headline": "Oil Prices Slump As Opec Meets In Vienna",
        "body": "Oil prices fell on Monday as ministers from Opec met in Vienna. Brent crude was "
        "down 2% at 1200 GMT, traders in London said.\n\nSaudi Arabia's energy minister, "
        "Prince Abdulaziz bin Salman, told reporters the group would act if needed. Shares in "
        "Shell and BP fell in early trading.",
        "date": "2024-11-04",
        "url": "https://example.org/oil",
    },
    {
        "headline": "Zürich Café Owners Protest Against New Rules",
        "body": "Café owners in Zürich protested on Tuesday against new opening hours set by "
        "the city council. Corine Mauch, the mayor, met them at 0900 CET.\n\nThe Swiss "
        "hospitality association GastroSuisse said the rules would cost jobs in Basel and "
        "Geneva too.",
        "date": "2024-10-02",
    },
    {
        "headline": "Actress Wins Oscar For Drama Set In Mumbai",
        "body": "Olivia Colman won an Oscar on Sunday in Los Angeles for her role in the drama, "
        "which was filmed in Mumbai and Paris. Colman thanked the director, Sam Mendes.\n\n"
        "The ceremony began at 5pm EST and ended after midnight in New York.",
        "date": "2024-03-11",
    },
]


def rss(title: str, items: Sequence[tuple[str, str, str]]) -> str:
    """A small RSS 2.0 document with entries (guid, title, HTML paragraphs)."""
    entries = "".join(
        f"<item><title>{head}</title><link>http://127.0.0.1/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>Tue, 05 Nov 2024 09:00:00 GMT</pubDate><description><![CDATA[{body}]]>"
        "</description></item>"
        for guid, head, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://127.0.0.1/</link><description>test</description>"
        f"{entries}</channel></rss>"
    )


FEED_FILE = rss(
    "Saved Wire",
    [
        (
            "a1",
            "Flooding Closes Roads Across Northern Italy",
            "<p>Heavy rain closed roads across Lombardy and Piedmont on Tuesday, the civil "
            "protection agency said. Giorgia Meloni visited Milan and promised aid.</p><p>Rivers "
            "in Turin rose by two metres overnight, and trains to Genoa stopped at 1800 CET.</p>",
        )
    ],
)
FEED_SERVED = rss(
    "Local Wire",
    [
        (
            "b1",
            "Kenya Sends More Police To Haiti",
            "<p>Kenya will send 600 more police officers to Haiti, President William Ruto said "
            "in Nairobi. The United Nations Security Council backed the mission last year.</p>",
        ),
        (
            "b2",
            "Shares In Nokia Rise After Deal With Microsoft",
            "<p>Shares in Nokia rose 5% in Helsinki after the company agreed a deal with "
            "Microsoft. Chief executive Pekka Lundmark said the deal would not need approval "
            "from the State.</p>",
        ),
    ],
)
PAGE_HTML = """<!doctype html><html><head><title>Storm Hits Wales</title></head><body>
<nav>Home | World | Sport</nav><article><h1>Storm Hits Wales</h1>
<p>Storm Bert brought flooding to Pontypridd and Cardiff on Sunday, Natural Resources Wales said.
Hundreds of homes were without power by 1400 GMT.</p>
<p>First Minister Eluned Morgan visited Pontypridd and promised help for the families affected.
The Met Office warned of more rain in Devon and Cornwall.</p></article>
<footer>Copyright</footer></body></html>"""


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Harbour notes",
    "items": [
        {
            "id": "j1",
            "title": "Ferry Strike Ends In Rotterdam",
            "content_html": "<p>Ferry workers in Rotterdam ended a three-day strike on Friday "
            "after the port authority agreed to talks, the FNV union said.</p>",
            "date_published": "2024-11-08T10:00:00Z",
        }
    ],
}


def opml(server: str) -> str:
    """A subscription list in a folder (listparser reads it; fetched later by refresh)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head><title>Subs</title>'
        '</head><body><outline text="Wires"><outline type="rss" text="Wire again" '
        f'xmlUrl="{server}/wire.rss?opml"/></outline></body></opml>'
    )


def write_inputs(folder: Path) -> None:
    """The files the workload imports and the feed the local server serves."""
    folder.mkdir(parents=True)
    lines = (json.dumps(record, ensure_ascii=False) for record in NEWS_JSONL)
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "saved.rss").write_text(FEED_FILE, encoding="utf-8")
    (folder / "storm.html").write_text(PAGE_HTML, encoding="utf-8")
    (folder / "harbour.json").write_text(json.dumps(JSON_FEED), encoding="utf-8")
    (folder / "served").mkdir()
    (folder / "served" / "wire.rss").write_text(FEED_SERVED, encoding="utf-8")


@contextmanager
def feed_server(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs; yields its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def workload(inputs: Path, out: Path, server: str) -> list[tuple[str, list[str]]]:
    """(name, CLI arguments) of every step, in order, on one library."""
    (out / "subscriptions.opml").write_text(opml(server), encoding="utf-8")
    return [
        ("first run", ["stats"]),
        (
            "import",
            [
                "import",
                str(inputs / "news.jsonl"),
                str(inputs / "saved.rss"),
                str(inputs / "storm.html"),
                str(inputs / "harbour.json"),
            ],
        ),
        ("feeds add", ["feeds", "add", f"{server}/wire.rss", "--folder", "News"]),
        ("feeds refresh", ["feeds", "refresh"]),
        ("opml import", ["opml", "import", str(out / "subscriptions.opml"), "--no-fetch"]),
        ("opml export", ["opml", "export", str(out / "exported.opml")]),
        ("feeds list", ["feeds", "list"]),
        ("search", ["search", "oil", "--json"]),
        ("search entity", ["search", 'place:"Pontypridd" OR person:colman', "--json"]),
        ("entities", ["entities", "--json"]),
        ("people", ["entities", "--type", "person", "--top", "20"]),
        ("show", ["show", "6", "--json"]),
        ("export", ["export", "--search", "published:2024", "-o", str(out / "export")]),
        ("stats", ["stats", "--json"]),
    ]


VOLATILE_KEYS = {"entity_id", "imported", "last_success", "last_attempt", "next_attempt"}


def normalise(text: str, replace: dict[str, str]) -> Any:
    """An answer with what differs between two equal runs taken out: the run's folders, the
    entity ids (numbered in the order recognition met them), import times."""
    for old, new in replace.items():
        text = text.replace(old, new)
    try:
        value = json.loads(text)
    except ValueError:
        text = re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?", "<when>", text)
        return re.sub(r"\d+(\.\d+)? ?(s|ms)\b", "<time>", text)

    def clean(node: Any, in_entities: bool = False) -> Any:
        if isinstance(node, dict):
            return {
                key: clean(item, in_entities)
                for key, item in node.items()
                if key not in VOLATILE_KEYS and not (in_entities and key == "id")
            }
        if isinstance(node, list):
            is_entities = bool(node) and all(
                isinstance(i, dict) and "article_count" in i for i in node
            )
            return [clean(item, in_entities or is_entities) for item in node]
        return node

    return clean(value)


Run = tuple[dict[str, Any], dict[str, float], list[str]]


def run_workloads(
    programs: dict[str, Sequence[str]], work: Path, inputs: Path, server: str
) -> dict[str, Run]:
    """Run every step with each program (label: command), each on a library of its own under
    `work/label`, taking turns step by step so that both meet the same machine load. For each
    program: the normalised answers, the seconds each step took, and the problems seen (a
    failed step, a traceback or warning on stderr)."""
    runs: dict[str, Run] = {label: ({}, {}, []) for label in programs}
    steps = {}
    for label in programs:
        home = work / label
        prepare_home(home)
        (home / "out").mkdir(parents=True, exist_ok=True)
        steps[label] = workload(inputs, home / "out", server)
    for index in range(len(steps[next(iter(programs))])):
        for label, command in programs.items():
            answers, seconds, problems = runs[label]
            home = work / label
            name, args = steps[label][index]
            started = time.perf_counter()
            done = subprocess.run(
                [*command, "--library", str(home / "library"), *args],
                env=clean_env(home),
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            seconds[name] = time.perf_counter() - started
            if done.returncode != 0:
                problems.append(f"{name}: exit code {done.returncode}: {done.stderr[-800:]}")
            if re.search(r"Traceback|Warning:|Error:", done.stderr):
                problems.append(f"{name}: stderr says: {done.stderr.strip()[-800:]}")
            replace = {str(home): "<home>", str(inputs): "<inputs>", server: "<server>"}
            answers[name] = normalise(done.stdout, replace)
    for label, (answers, _, _) in runs.items():
        out = work / label / "out"
        replace = {str(work / label): "<home>", str(inputs): "<inputs>", server: "<server>"}
        if (out / "exported.opml").is_file():
            text = (out / "exported.opml").read_text(encoding="utf-8")
            answers["exported.opml"] = normalise(text, replace)
        for path in sorted((out / "export").glob("*.md")):
            answers[f"export/{path.name}"] = path.read_text(encoding="utf-8")
    return runs


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a user's desktop session gives a program, no more: no virtualenv, no PYTHONPATH,
    and no time-zone database (`PYTHONTZPATH` empty), as on some minimal systems."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONTZPATH": "",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    }


def prepare_home(home: Path) -> None:
    for sub in ("config", "data", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)


def traced(strace: str, command: Sequence[str], log: Path) -> list[str]:
    """`command` under strace, appending every connect() it and its children make to `log`."""
    return [
        strace,
        "-f",
        "--seccomp-bpf",
        "-qq",
        "-e",
        "trace=connect",
        "-o",
        str(log),
        "-A",
        *command,
    ]


LOOPBACK = re.compile(r'inet_addr\("127\.|inet_pton\(AF_INET6, "(::1|::ffff:127\.)')


def remote_connections(strace_log: Path) -> list[str]:
    """The connect() calls in an strace log that went beyond this machine."""
    found = []
    for line in strace_log.read_text(errors="replace").splitlines():
        if "connect(" not in line or "AF_UNIX" in line or "AF_NETLINK" in line:
            continue
        if ("AF_INET" in line or "AF_INET6" in line) and not LOOPBACK.search(line):
            found.append(line.strip())
    return found


# -- after a build ---------------------------------------------------------------------------------


def check_bundle(exe: Path) -> list[str]:
    problems: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="newsreader-bundle-check-"))
    try:
        inputs = work / "inputs"
        write_inputs(inputs)
        strace = shutil.which("strace")
        programs: dict[str, Sequence[str]] = {
            "bundle": [str(exe)],
            "installed": [sys.executable, "-m", "newsreader"],
        }
        if strace:  # both, so that the times compare like with like
            programs = {k: traced(strace, v, work / "strace.log") for k, v in programs.items()}
        with feed_server(inputs / "served") as server:
            runs = run_workloads(programs, work, inputs, server)
        for label, (_, _, failures) in runs.items():
            problems += [f"{label}: {p}" for p in failures]
        bundle, installed = runs["bundle"][0], runs["installed"][0]
        for step in sorted(set(bundle) | set(installed)):
            if bundle.get(step) != installed.get(step):
                problems.append(
                    f"{step}: the bundle answers differently from the installed app:\n"
                    f"  bundle:    {json.dumps(bundle.get(step), ensure_ascii=False)[:1500]}\n"
                    f"  installed: {json.dumps(installed.get(step), ensure_ascii=False)[:1500]}"
                )
        people = bundle.get("people", "")
        for name in ("Olivia Colman", "Eluned Morgan", "Pekka Lundmark"):
            if name not in str(people):
                problems.append(f"people: the bundle did not recognise {name}: {people}")
        if not any(step.startswith("export/z") and "caf" in step for step in bundle):
            problems.append(f"export: no Zürich café article among {sorted(bundle)}")

        # The window on a new library: the first run imports the sample and recognises it.
        home = work / "window"
        prepare_home(home)
        shot = work / "window.png"
        command = [str(exe), "--library", str(home / "library"), "gui", "--screenshot", str(shot)]
        if strace:
            command = traced(strace, command, work / "strace.log")
        done = subprocess.run(
            command, env=clean_env(home), capture_output=True, text=True, timeout=600, check=False
        )
        if done.returncode != 0 or not shot.is_file() or shot.stat().st_size < 20_000:
            problems.append(f"window: no screenshot (exit {done.returncode}): {done.stderr}")
        elif os.environ.get("NEWSREADER_CHECK_SCREENSHOT"):
            shutil.copy2(shot, os.environ["NEWSREADER_CHECK_SCREENSHOT"])
        if strace:
            log_text = (work / "strace.log").read_text(errors="replace")
            if not LOOPBACK.search(log_text):
                problems.append("network: strace saw not even the feed server's connections")
            problems += [f"network: {line}" for line in remote_connections(work / "strace.log")]
        else:
            print("check_bundle: strace is missing; connections not checked", file=sys.stderr)

        timing = ", ".join(
            f"{step} {runs['bundle'][1][step] / runs['installed'][1][step]:.2f}x"
            for step in runs["bundle"][1]
        )
        print(f"check_bundle: seconds per step, bundle / installed app: {timing}")
        return problems
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- without a build (CI) ----------------------------------------------------------------------

AUDIT_SHIM = """
import json, runpy, sys
log = open(sys.argv.pop(1), "a", buffering=1, encoding="utf-8")
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        log.write(json.dumps(["open", args[0]]) + "\\n")
    elif event == "socket.connect":
        log.write(json.dumps(["connect", repr(args[1])]) + "\\n")
sys.addaudithook(hook)
sys.argv[0] = "newsreader"
runpy.run_module("newsreader", run_name="__main__", alter_sys=True)
"""


def dependency_closure(roots: Sequence[str]) -> dict[str, metadata.Distribution]:
    """Every installed distribution the app needs to run (no extras), by canonical name."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, metadata.Distribution] = {}
    todo = [(name, frozenset[str]()) for name in roots]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in found:
            continue
        found[key] = dist = metadata.distribution(name)
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
                continue
            todo.append((req.name, frozenset(req.extras)))
    return found


def is_data(path: str) -> bool:
    return not (
        path.endswith(CODE_SUFFIXES + NOT_DATA)
        or ".dist-info/" in path
        or "__pycache__/" in path
        or re.search(r"\.so\.\d", path) is not None
    )


def installed_data() -> dict[str, list[str]]:
    """The data files (inside the package folder) of every import package the app needs."""
    closure = dependency_closure(["newsreader", bundle_data.MODEL_PACKAGE])
    data: dict[str, list[str]] = {}
    closure.pop("newsreader")  # the app's own files: the spec stages and collects them
    for dist in closure.values():
        for file in dist.files or []:
            package, _, inside = str(file).partition("/")
            if inside and not package.startswith("..") and is_data(str(file)):
                data.setdefault(package, []).append(inside)
    return data


def data_problems() -> list[str]:
    problems = []
    data = installed_data()
    for package in sorted(set(data) - set(bundle_data.PACKAGE_DATA)):
        problems.append(
            f"bundle_data.py: {package} ships {len(data[package])} data files (e.g. "
            f"{data[package][0]}) but has no entry saying whether the bundle needs them"
        )
    for package, policy in sorted(bundle_data.PACKAGE_DATA.items()):
        files = data.get(package, [])
        if not files:
            problems.append(f"bundle_data.py: {package} is not a dependency with data any more")
        for glob in policy.keep:
            if not any(fnmatchcase(f, glob) for f in files):
                problems.append(f"bundle_data.py: {package}/{glob} matches no installed file")
    hooks = pyinstaller_hooks()
    for package, policy in sorted(bundle_data.PACKAGE_DATA.items()):
        if hooks and policy.how == bundle_data.HOOK and package not in hooks:
            problems.append(f"bundle_data.py: PyInstaller has no hook for {package} any more")
    return problems


def pyinstaller_hooks() -> set[str]:
    """The packages PyInstaller and its contributed hooks have a hook for (none when PyInstaller
    is not installed, as in CI: then HOOK entries are taken on trust)."""
    found = set()
    for module, folder in (("PyInstaller", "hooks"), ("_pyinstaller_hooks_contrib", "stdhooks")):
        spec = importlib.util.find_spec(module)
        if spec and spec.origin:
            for hook in (Path(spec.origin).parent / folder).glob("hook-*.py"):
                found.add(hook.stem.removeprefix("hook-"))
    return found


def audit_problems() -> list[str]:
    """Run the workload under an audit hook; what it read or reached that a bundle lacks."""
    problems: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="newsreader-data-check-"))
    try:
        inputs = work / "inputs"
        write_inputs(inputs)
        log = work / "audit.jsonl"
        command = [sys.executable, "-c", AUDIT_SHIM, str(log)]
        with feed_server(inputs / "served") as server:
            answers, _, failures = run_workloads({"home": command}, work, inputs, server)["home"]
        problems += failures
        if "Olivia Colman" not in str(answers.get("people")):
            problems.append(f"people: Olivia Colman not recognised: {answers.get('people')}")
        sites = {Path(p).resolve() for p in sysconfig.get_paths().values() if "site-packages" in p}
        seen: set[str] = set()
        missing: dict[tuple[str, str], list[str]] = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            event, detail = json.loads(line)
            if event == "connect":
                if not re.match(r"\('(127\.[\d.]+|::1)'|'/|b'", detail):
                    problems.append(f"network: connected to {detail}")
                continue
            path = Path(detail)
            site = next((s for s in sites if path.is_relative_to(s)), None)
            if site is None or not path.is_file() or not is_data(detail):
                continue
            dest = path.relative_to(site).as_posix()
            if dest in seen:
                continue
            seen.add(dest)
            package = dest.partition("/")[0]
            policy = bundle_data.PACKAGE_DATA.get(package)
            if policy is None or policy.how == bundle_data.UNUSED:
                missing.setdefault((package, "does not collect"), []).append(dest)
            elif not bundle_data.keeps(dest):
                missing.setdefault((package, "filters out"), []).append(dest)
        for (package, why), files in sorted(missing.items()):
            problems.append(
                f"the app read {len(files)} data files of {package} ({', '.join(files[:3])}"
                f"{', ...' if len(files) > 3 else ''}), which bundle_data.py {why}"
            )
        print(f"check_bundle: the workload read {len(seen)} data files of dependencies", flush=True)
        return problems
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    if argv == ["--data"]:
        problems = data_problems() + audit_problems()
    elif len(argv) == 1 and Path(argv[0]).is_file():
        problems = check_bundle(Path(argv[0]).resolve())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("check_bundle: no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
