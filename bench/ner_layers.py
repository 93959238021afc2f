"""The rule layers alone: exact against an earlier `layers.py`, and timed beside it.

    python -m bench.ner_layers record [--articles 1000]     # model output, once
    python -m bench.ner_layers compare --baseline REV [--repeat 3] [--profile]

`record` runs the model once over three kinds of input and keeps its raw output in
`bench/data/ner_layers_inputs.pkl` (git-ignored): the scaled BBC corpus of `bench.corpus`,
`../shared`'s real news (BBC business and entertainment, HuffPost, as `bench.ner_realnews`
imports them) and CoNLL-2003 dev (sentences as parts, as `bench.ner_eval` reads it).

`compare` loads `layers.py`, `headlines.py` and `canonical.py` (`newsreader/core/entities`)
as they were at git revision REV beside the working tree's, runs both over every recorded
article (model spans → layers → canonical names, what `pipeline.analyse` does) and fails
unless every article's result is identical: the proof that a change to the layers' speed left
their output alone. Runs alternate (baseline, current, ...) and each time is the best of
`--repeat`, so load from elsewhere on the shared machine falls on both alike. `--profile`
prints the time per layer and the current layers' hot spots.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pickle
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import corpus, ner_eval, ner_realnews
from newsreader.core.entities import canonical, headlines, layers, pipeline, recognizer
from newsreader.core.library import Library

ROOT = Path(__file__).resolve().parents[1]
INPUTS = corpus.DATA_DIR / "ner_layers_inputs.pkl"
PACKAGE = "newsreader/core/entities"

Ents = dict[int, list[tuple[int, int, str]]]
#: (set name, parts by number, model entities by part)
Item = tuple[str, dict[int, str], Ents]
Result = list[tuple[int, int, int, str, str, str, str]]


def _model(articles: Sequence[Mapping[int, str]], tokenised: bool = False) -> list[Ents]:
    """Model entities per article, fed as the pipeline feeds them (headlines sentence-cased)."""
    feed = (
        (text, (i, part))
        for i, parts in enumerate(articles)
        for part, text in (parts if tokenised else headlines.model_texts(parts)).items()
    )
    found: list[Ents] = [{} for _ in articles]
    for ents, (i, part) in recognizer.entities(feed):
        found[i][part] = ents
    return found


def record(count: int) -> list[Item]:
    items: list[Item] = []
    scaled = [pipeline.article_parts(a) for a in corpus.load_articles(corpus.ensure_jsonl(count))]
    items += [("scaled", p, e) for p, e in zip(scaled, _model(scaled), strict=True)]
    if all(p.exists() for p in ner_realnews.SOURCES):
        with tempfile.TemporaryDirectory() as folder:
            library = Library.open(Path(folder))
            try:
                library.import_paths(list(ner_realnews.SOURCES))
                real = [pipeline.article_parts(a) for a in library.get_many(library.ids())]
            finally:
                library.close()
        items += [("real", p, e) for p, e in zip(real, _model(real), strict=True)]
    if ner_eval.CONLL.exists():
        docs = ner_eval.read_conll(ner_eval.CONLL)
        model, _ = ner_eval.run_model(docs)
        for doc, found in zip(docs, model, strict=True):
            parts = {i: " ".join(sentence) for i, sentence in enumerate(doc.sentences)}
            items.append(("conll", parts, {i: list(e) for i, e in enumerate(found)}))
    return items


def load_baseline(revision: str) -> dict[str, ModuleType]:
    """`layers.py`, `headlines.py` and `canonical.py` at `revision`, as their own modules
    (the rest of the package is shared), by name."""
    folder = Path(tempfile.mkdtemp(prefix="layers-baseline-"))
    loaded: dict[str, ModuleType] = {}
    for name in ("headlines", "layers", "canonical"):
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{revision}:{PACKAGE}/{name}.py"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        path = folder / f"{name}_baseline.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"{name}_baseline", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        if name == "layers":
            module.headlines = loaded["headlines"]  # type: ignore[attr-defined]
        loaded[name] = module
    return loaded


def analyse(module: Any, names: Any, parts: Mapping[int, str], ents: Ents) -> Result:
    """`pipeline.analyse` with the given layers and canonical modules, as plain tuples."""
    spans: list[Any] = []
    for part, found in ents.items():
        spans.extend(module.from_model(part, parts[part], found))
    spans, surnames = module.apply(parts, spans)
    return [
        (n.span.part, n.span.start, n.span.end, n.span.type, n.span.rule, n.name, n.type)
        for n in names.canonicalise(parts, spans, surnames)
    ]


def run_all(modules: tuple[Any, Any], items: Sequence[Item]) -> tuple[list[Result], float]:
    started = time.perf_counter()
    results = [analyse(*modules, parts, ents) for _, parts, ents in items]
    return results, time.perf_counter() - started


def per_layer(items: Sequence[Item]) -> dict[str, float]:
    """Seconds per layer of the current `layers.LAYERS` over all items (what `apply` runs)."""
    seconds: dict[str, float] = dict.fromkeys(layers.LAYER_NAMES, 0.0)
    for _, parts, ents in items:
        spans: list[layers.Span] = []
        for part, found in ents.items():
            spans.extend(layers.from_model(part, parts[part], found))
        context = layers.Context(parts, layers.Spans(spans))
        for layer in layers.LAYERS:
            started = time.perf_counter()
            layer.run(context)
            seconds[layer.name] += time.perf_counter() - started
    return seconds


def compare(items: Sequence[Item], revision: str, repeat: int, profile: bool) -> int:
    loaded = load_baseline(revision)
    baseline = (loaded["layers"], loaded["canonical"])
    sets = sorted({name for name, _, _ in items})
    best: dict[tuple[str, str], float] = {}
    outputs: dict[str, list[Result]] = {}
    modules: list[tuple[str, tuple[Any, Any]]] = [
        ("baseline", baseline),
        ("current", (layers, canonical)),
    ]
    for _, module in modules:  # warm the shared caches (gazetteer, wordfreq, time zones)
        run_all(module, items[:: max(1, len(items) // 300)])
    for _ in range(repeat):
        for label, module in modules:
            for name in sets:
                chosen = [item for item in items if item[0] == name]
                results, seconds = run_all(module, chosen)
                key = (label, name)
                best[key] = min(best.get(key, seconds), seconds)
                outputs.setdefault(f"{label}/{name}", results)
    differing = 0
    for name in sets:
        chosen = [item for item in items if item[0] == name]
        before, after = outputs[f"baseline/{name}"], outputs[f"current/{name}"]
        for (_, parts, _), old, new in zip(chosen, before, after, strict=True):
            if old != new:
                differing += 1
                if differing <= 5:
                    print(f"DIFFERENT ({name}): {parts.get(-1, parts.get(0, ''))[:80]!r}")
                    print(f"  before: {sorted(set(old) - set(new))[:6]}")
                    print(f"  after:  {sorted(set(new) - set(old))[:6]}")
    print(f"baseline: the layers at {revision}; best of {repeat}; layers + canonical names.\n")
    print("| input | articles | mentions | baseline s | current s | speed-up | identical |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name in sets:
        chosen = [item for item in items if item[0] == name]
        same = outputs[f"baseline/{name}"] == outputs[f"current/{name}"]
        mentions = sum(len(r) for r in outputs[f"current/{name}"])
        slow, fast = best[("baseline", name)], best[("current", name)]
        print(
            f"| {name} | {len(chosen):,} | {mentions:,} | {slow:.2f} | {fast:.2f} "
            f"| {slow / fast:.2f} | {'yes' if same else 'NO'} |"
        )
    if profile:
        by_layer = per_layer(items)
        print(f"\nlayers: {sum(by_layer.values()):.2f} s; the slowest:")
        for name, took in sorted(by_layer.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {name:15} {took:.2f} s")
        profiler = cProfile.Profile()
        profiler.enable()
        run_all((layers, canonical), items)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 1 if differing else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record")
    rec.add_argument("--articles", type=int, default=1000)
    cmp = commands.add_parser("compare")
    cmp.add_argument("--baseline", default="HEAD")
    cmp.add_argument("--repeat", type=int, default=3)
    cmp.add_argument("--profile", action="store_true")
    cmp.add_argument("--only", help="one input set: scaled, real or conll")
    args = parser.parse_args(argv)
    if args.command == "record":
        items = record(args.articles)
        INPUTS.parent.mkdir(parents=True, exist_ok=True)
        INPUTS.write_bytes(pickle.dumps(items))
        counts: dict[str, int] = {}
        for name, _, _ in items:
            counts[name] = counts.get(name, 0) + 1
        print(f"recorded {counts} → {INPUTS}")
        return 0
    items = pickle.loads(INPUTS.read_bytes())
    if args.only:
        items = [item for item in items if item[0] == args.only]
    return compare(items, args.baseline, args.repeat, args.profile)


if __name__ == "__main__":
    raise SystemExit(main())
