"""Named-entity quality: the raw spaCy model against ours (model + rule layers) on CoNLL-2003.

    python -m bench.ner_eval                   # print the tables
    python -m bench.ner_eval --write-readme    # also record them in bench/README.md
    python -m bench.ner_eval --halves          # also the design and held-out halves

The halves (`--halves`): issue 12's rules scored 0.828 on dev and 0.760 on a held-out set, so
dev gains are suspect. The documents are split by position in the file, fixed before anyone
looked at errors for rules v15: those at even 0-based positions (0, 2, 4 ...) are the *design*
half, the only one whose errors are read when designing a rule (`--errors --half design`);
those at odd positions are the *held-out* half, scored and never inspected. Interleaving keeps
both halves the same mix of sports tables, business and politics.

Entity-level exact match (a prediction counts only when its span and type both match a gold
entity), precision / recall / F1 per CoNLL type and micro-averaged over PER+ORG+LOC, which is
what a reader marks. OntoNotes labels map as PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC,
NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE→MISC; dates and numbers are not scored.

Fair tokenisation: CoNLL text comes tokenised (`U.S. officials said ...`), so each sentence is
given to spaCy as a `Doc` built from the gold tokens, and its text is those tokens joined by
spaces; spans compare as character offsets into it. Each CoNLL document is one article (each
sentence a paragraph), so the per-article layers see the context they see in the app.

Also printed: each layer switched off alone (what it pays), and words/s of the model and of
the layers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsreader.core.entities import canonical, gazetteer, layers, recognizer
from newsreader.core.entities import words as english

ROOT = Path(__file__).resolve().parents[1]
CONLL = ROOT.parent / "shared" / "ner" / "conll2003-dev.txt"
README = ROOT / "bench" / "README.md"

CONLL_OF_LABEL = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
CONLL_OF_TYPE = {
    "person": "PER",
    "org": "ORG",
    "place": "LOC",
    "group": "MISC",
    "event": "MISC",
    "work": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")
TARGET = ("PER", "ORG", "LOC")

Gold = set[tuple[int, int, int, int, str]]  # (doc, sentence, start, end, type)


@dataclass(slots=True)
class Document:
    sentences: list[list[str]]
    gold: list[list[tuple[int, int, str]]]


def read_conll(path: Path) -> list[Document]:
    """CoNLL-2003 (IOB1): documents of sentences of tokens, gold spans as char offsets."""
    docs: list[Document] = []
    tokens: list[str] = []
    tags: list[str] = []

    def end_sentence() -> None:
        if tokens:
            if not docs:
                docs.append(Document([], []))
            docs[-1].sentences.append(list(tokens))
            docs[-1].gold.append(_spans(tokens, tags))
            tokens.clear()
            tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            end_sentence()
            docs.append(Document([], []))
        elif not line.strip():
            end_sentence()
        else:
            cols = line.split()
            tokens.append(cols[0])
            tags.append(cols[-1])
    end_sentence()
    return [d for d in docs if d.sentences]


def _spans(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """IOB1 tags → (start char, end char, type) in `" ".join(tokens)`."""
    spans: list[list[int]] = []  # [start, end] per entity
    kinds: list[str] = []
    offset = 0
    previous = "O"
    for token, tag in zip(tokens, tags, strict=True):
        start, end = offset, offset + len(token)
        offset = end + 1
        if tag == "O":
            previous = "O"
            continue
        prefix, kind = tag.split("-", 1)
        if previous == kind and prefix == "I":
            spans[-1][1] = end
            continue
        spans.append([start, end])
        kinds.append(kind)
        previous = kind
    return [(s[0], s[1], k) for s, k in zip(spans, kinds, strict=True)]


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Gold, predicted: Gold) -> dict[str, Score]:
    result = {t: Score() for t in (*TYPES, "PER+ORG+LOC", "all")}
    for item in predicted:
        hit = item in gold
        for bucket in _buckets(item[4]):
            if hit:
                result[bucket].tp += 1
            else:
                result[bucket].fp += 1
    for item in gold - predicted:
        for bucket in _buckets(item[4]):
            result[bucket].fn += 1
    return result


def _buckets(kind: str) -> Iterable[str]:
    yield kind
    if kind in TARGET:
        yield "PER+ORG+LOC"
    yield "all"


def run_model(docs: Sequence[Document]) -> tuple[list[list[list[tuple[int, int, str]]]], float]:
    """Raw model output per document and sentence, and the seconds it took."""
    from spacy.tokens import Doc

    nlp = recognizer.load()
    inputs = [
        Doc(nlp.vocab, words=sentence, spaces=[True] * (len(sentence) - 1) + [False])
        for doc in docs
        for sentence in doc.sentences
    ]
    started = time.perf_counter()
    outputs = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(inputs)]
    seconds = time.perf_counter() - started
    per_doc: list[list[list[tuple[int, int, str]]]] = []
    position = 0
    for doc in docs:
        per_doc.append(outputs[position : position + len(doc.sentences)])
        position += len(doc.sentences)
    return per_doc, seconds


def ours(
    docs: Sequence[Document],
    model: Sequence[Sequence[Sequence[tuple[int, int, str]]]],
    options: layers.Options = layers.ALL_LAYERS,
) -> Gold:
    predicted: Gold = set()
    for d, (doc, found) in enumerate(zip(docs, model, strict=True)):
        parts = {i: " ".join(sentence) for i, sentence in enumerate(doc.sentences)}
        spans: list[layers.Span] = []
        for i, ents in enumerate(found):
            spans.extend(layers.from_model(i, parts[i], ents))
        spans, surnames = layers.apply(parts, spans, options)
        for named in canonical.canonicalise(parts, spans, surnames):
            kind = CONLL_OF_TYPE.get(named.type)
            if kind:
                s = named.span
                predicted.add((d, s.part, s.start, s.end, kind))
    return predicted


def raw(model: Sequence[Sequence[Sequence[tuple[int, int, str]]]]) -> Gold:
    return {
        (d, i, start, end, CONLL_OF_LABEL[label])
        for d, doc in enumerate(model)
        for i, ents in enumerate(doc)
        for start, end, label in ents
        if label in CONLL_OF_LABEL
    }


def gold_set(docs: Sequence[Document]) -> Gold:
    return {
        (d, i, start, end, kind)
        for d, doc in enumerate(docs)
        for i, spans in enumerate(doc.gold)
        for start, end, kind in spans
    }


def table(raw_scores: dict[str, Score], our_scores: dict[str, Score]) -> str:
    lines = [
        "| type | raw P | raw R | raw F1 | ours P | ours R | ours F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*TYPES, "PER+ORG+LOC", "all"):
        r, o = raw_scores[kind], our_scores[kind]
        name = f"**{kind}**" if kind == "PER+ORG+LOC" else kind
        lines.append(
            f"| {name} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} "
            f"| {o.precision:.3f} | {o.recall:.3f} | {o.f1:.3f} |"
        )
    return "\n".join(lines)


def ablation(
    docs: Sequence[Document], model: Sequence[Sequence[Sequence[tuple[int, int, str]]]], gold: Gold
) -> str:
    full = score(gold, ours(docs, model))["PER+ORG+LOC"].f1
    lines = [
        "| layer switched off | PER+ORG+LOC F1 | change |",
        "| --- | ---: | ---: |",
        f"| (none: all layers) | {full:.3f} | |",
    ]
    for name in layers.LAYER_NAMES:
        f1 = score(gold, ours(docs, model, layers.Options.without(name)))["PER+ORG+LOC"].f1
        lines.append(f"| {name} | {f1:.3f} | {f1 - full:+.3f} |")
    return "\n".join(lines)


def errors(gold: Gold, predicted: Gold, top: int = 25) -> str:
    """The most frequent confusions, to see what a further layer could pay."""
    by_span = {(g[0], g[1], g[2], g[3]): g[4] for g in gold}
    counts: Counter[str] = Counter()
    for p in predicted - gold:
        truth = by_span.get((p[0], p[1], p[2], p[3]))
        counts[f"{p[4]} predicted, gold {truth or 'none/other span'}"] += 1
    for g in gold - predicted:
        counts[f"{g[4]} missed"] += 1
    return "\n".join(f"{n:6d}  {what}" for what, n in counts.most_common(top))


HALVES = ("design", "held-out")


def half_of(doc_index: int) -> str:
    """The half a document belongs to: even positions are `design`, odd `held-out`."""
    return HALVES[doc_index % 2]


def only_half(items: Gold, half: str) -> Gold:
    return {item for item in items if half_of(item[0]) == half}


def halves_report(
    docs: Sequence[Document], model: Sequence[Sequence[Sequence[tuple[int, int, str]]]], gold: Gold
) -> str:
    """Per type F1 on each half, and what each layer pays on each half (all others on)."""
    predicted = ours(docs, model)
    lines = [
        "| half | documents | gold entities | PER | ORG | LOC | PER+ORG+LOC |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for half in HALVES:
        g = only_half(gold, half)
        s = score(g, only_half(predicted, half))
        n = sum(1 for d in range(len(docs)) if half_of(d) == half)
        lines.append(
            f"| {half} | {n} | {len(g)} | {s['PER'].f1:.3f} | {s['ORG'].f1:.3f} "
            f"| {s['LOC'].f1:.3f} | {s['PER+ORG+LOC'].f1:.3f} |"
        )
    full = {h: score(only_half(gold, h), only_half(predicted, h))["PER+ORG+LOC"].f1 for h in HALVES}
    lines += [
        "",
        "| layer switched off | design F1 | change | held-out F1 | change |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in layers.LAYER_NAMES:
        without = ours(docs, model, layers.Options.without(name))
        cells = []
        for half in HALVES:
            f1 = score(only_half(gold, half), only_half(without, half))["PER+ORG+LOC"].f1
            cells.append(f"{f1:.3f} | {f1 - full[half]:+.3f}")
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conll", type=Path, default=CONLL)
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print frequent confusions")
    parser.add_argument("--halves", action="store_true", help="score the two halves apart")
    parser.add_argument(
        "--half", choices=HALVES, help="--errors of this half only (design: the one to read)"
    )
    args = parser.parse_args(argv)
    if not args.conll.is_file():
        print(f"CoNLL file not found: {args.conll}", file=sys.stderr)
        return 2
    docs = read_conll(args.conll)
    words = sum(len(s) for d in docs for s in d.sentences)
    gold = gold_set(docs)
    recognizer.load()
    # Loaded once per process; not part of the per-word cost.
    gazetteer.places()
    gazetteer.alternates()
    english.common("warm")
    model, model_seconds = run_model(docs)
    started = time.perf_counter()
    predicted = ours(docs, model)
    layer_seconds = time.perf_counter() - started
    raw_scores, our_scores = score(gold, raw(model)), score(gold, predicted)
    report = (
        f"CoNLL-2003 dev: {len(docs)} documents, {sum(len(d.sentences) for d in docs)} "
        f"sentences, {words} tokens, {len(gold)} gold entities; model "
        f"{recognizer.model_id()}.\n\n"
        + table(raw_scores, our_scores)
        + "\n\nWhat each layer pays (all others on):\n\n"
        + ablation(docs, model, gold)
        + f"\n\nSpeed (1 process): model {words / model_seconds:,.0f} words/s, "
        f"rule layers {words / layer_seconds:,.0f} words/s "
        f"(model + layers {words / (model_seconds + layer_seconds):,.0f} words/s).\n"
    )
    print(report)
    if args.errors:
        if args.half:
            print(errors(only_half(gold, args.half), only_half(predicted, args.half)))
        else:
            print(errors(gold, predicted))
    halves = ""
    if args.halves:
        halves = halves_report(docs, model, gold)
        print(halves)
    if args.write_readme:
        write_section(README, "ner_eval", report)
        if halves:
            write_section(README, "ner_eval halves", halves)
    return 0


def write_section(path: Path, block: str, body: str) -> None:
    """Replace the generated `block` (between its HTML comment markers) inside the
    `## Named entities` section of bench/README.md; the prose around it is written by people
    and stays. A missing section or block is appended."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    top = "## Named entities"
    if top not in text:
        text = text.rstrip("\n") + f"\n\n{top}\n"
    begin, end = f"<!-- {block}: begin -->", f"<!-- {block}: end -->"
    generated = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + generated + text[text.index(end) + len(end) :]
    else:
        start = text.index(top)
        section_end = text.find("\n## ", start + len(top))
        section_end = len(text) if section_end < 0 else section_end + 1
        head, tail = text[:section_end].rstrip("\n"), text[section_end:]
        text = head + "\n\n" + generated + "\n" + ("\n" + tail if tail else "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
