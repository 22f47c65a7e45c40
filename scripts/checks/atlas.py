"""Rules for the MLLM Atlas data (data/*.yaml): required fields, vocabularies, dates, values within
each benchmark's scale, known models, benchmarks and bib keys, and no duplicate records. Every
problem names the data file and line and says how to fix it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from scripts.sources.atlas import Atlas, AtlasSyntaxError, Record, load
from scripts.sources.project import DATA, Problem, rel

MODALITIES = {"text", "image", "video", "audio", "action", "embedding"}  # embedding: an encoder's output
CONNECTORS = {"linear", "mlp", "q-former", "perceiver-resampler", "cross-attention", "early-fusion", "other", "none"}
METRICS = {"accuracy", "vqa-accuracy", "relaxed-accuracy", "anls", "cider", "recall@1", "recall@5", "score", "elo", "f1"}
SETTING = re.compile(r"^(zero-shot|few-shot-[1-9][0-9]*|fine-tuned|chain-of-thought|thinking|unspecified)$")
ID = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")
FIRST_MONTH = "2021-01"

MODEL_FIELDS = (
    "id name organization released paper inputs outputs vision_encoder connector language_model parameters open_weights license"
).split()
NULLABLE = {"vision_encoder", "language_model", "parameters", "license", "variant", "note"}
BENCHMARK_FIELDS = "id name paper measures metric scale splits".split()
RESULT_FIELDS = "model variant benchmark split setting value source locator self_reported".split()


class _Report:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, record: Record, field: str | None, message: str) -> None:
        line = record.line_of(field) if field else record.line
        self.problems.append(Problem(rel(record.file), line, message))


def _required(report: _Report, record: Record, fields: Iterable[str], what: str) -> bool:
    ok = True
    for name in fields:
        if name not in record.fields:
            report.add(record, None, f"{what} has no '{name}': add it (null only where the format allows it)")
            ok = False
        elif record.fields[name] in (None, "", []) and name not in NULLABLE:
            report.add(record, name, f"{what}: '{name}' is empty: give its value as the source states it")
            ok = False
    for name in record.fields:
        if name not in fields and name != "note":
            report.add(record, name, f"{what}: unknown field '{name}': the fields are {', '.join(fields)} and note")
    return ok


def _unique(report: _Report, records: list[Record], key, what: str) -> None:
    seen: dict = {}
    for r in records:
        k = key(r)
        if k in seen:
            report.add(r, None, f"duplicate {what} {k!r} (first at line {seen[k].line}): merge the two records or remove one")
        else:
            seen[k] = r


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_models(report: _Report, atlas: Atlas, bib: set[str] | None, today: dt.date) -> None:
    last = f"{today:%Y-%m}"
    for m in atlas.models:
        mid = m.get("id")
        what = f"model '{mid}'"
        if not _required(report, m, MODEL_FIELDS, what):
            continue
        if not isinstance(mid, str) or not ID.match(mid):
            report.add(m, "id", f"{what}: id must be lower case letters, digits, '.', '-' or '+' (like 'qwen2.5-vl')")
        released = str(m.get("released"))
        if not MONTH.match(released) or not FIRST_MONTH <= released <= last:
            report.add(m, "released", f"{what}: released '{released}' must be a month YYYY-MM between {FIRST_MONTH} and {last}")
        for name in ("inputs", "outputs"):
            value = m.get(name)
            if not isinstance(value, list) or not value or not set(value) <= MODALITIES:
                report.add(m, name, f"{what}: {name} must be a non-empty list from {sorted(MODALITIES)}")
        if m.get("connector") not in CONNECTORS:
            report.add(m, "connector", f"{what}: connector '{m.get('connector')}' must be one of {sorted(CONNECTORS)}")
        params = m.get("parameters")
        sizes = params if isinstance(params, list) else [params]
        if params is not None and (not sizes or not all(_is_number(s) and 0 < s < 10000 for s in sizes)):
            report.add(
                m, "parameters", f"{what}: parameters must be billions (a number or a list of numbers), or null when undisclosed"
            )
        if not isinstance(m.get("open_weights"), bool):
            report.add(m, "open_weights", f"{what}: open_weights must be true or false")
        for name in ("name", "organization", "license"):
            if not isinstance(m.get(name), str) and not (name == "license" and m.get(name) is None):
                report.add(m, name, f"{what}: {name} must be text")
        _known_key(report, m, "paper", bib, what)
    _unique(report, atlas.models, lambda r: r.get("id"), "model id")


def _known_key(report: _Report, record: Record, name: str, bib: set[str] | None, what: str) -> None:
    key = record.get(name)
    if bib is not None and key not in bib:
        report.add(record, name, f"{what}: {name} '{key}' is not a key in references.bib: add a verified entry or fix the key")


def check_benchmarks(report: _Report, atlas: Atlas, bib: set[str] | None) -> None:
    for b in atlas.benchmarks:
        what = f"benchmark '{b.get('id')}'"
        if not _required(report, b, BENCHMARK_FIELDS, what):
            continue
        if not isinstance(b.get("id"), str) or not ID.match(b.get("id")):
            report.add(b, "id", f"{what}: id must be lower case letters, digits, '.', '-' or '+'")
        if b.get("metric") not in METRICS:
            report.add(b, "metric", f"{what}: metric '{b.get('metric')}' must be one of {sorted(METRICS)}")
        scale = b.get("scale")
        if not (isinstance(scale, list) and len(scale) == 2 and all(map(_is_number, scale)) and scale[0] < scale[1]):
            report.add(b, "scale", f"{what}: scale must be [lowest, highest] valid value, like [0, 100]")
        splits = b.get("splits")
        if not (isinstance(splits, list) and splits and all(isinstance(s, str) for s in splits)):
            report.add(b, "splits", f"{what}: splits must be a list of names, like [val, test]")
        _known_key(report, b, "paper", bib, what)
    _unique(report, atlas.benchmarks, lambda r: r.get("id"), "benchmark id")


def check_results(report: _Report, atlas: Atlas, bib: set[str] | None) -> None:
    models = {m.get("id"): m for m in atlas.models}
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    for r in atlas.results:
        what = f"result {r.get('model')}/{r.get('benchmark')}"
        if not _required(report, r, RESULT_FIELDS, what):
            continue
        model, bench = models.get(r.get("model")), benchmarks.get(r.get("benchmark"))
        if model is None:
            report.add(r, "model", f"{what}: unknown model '{r.get('model')}': add it to data/models.yaml or fix the id")
        if bench is None:
            report.add(
                r, "benchmark", f"{what}: unknown benchmark '{r.get('benchmark')}': add it to data/benchmarks.yaml or fix the id"
            )
        else:
            splits = bench.get("splits") or []
            if r.get("split") not in splits:
                report.add(r, "split", f"{what}: split '{r.get('split')}' is not one of the benchmark's splits {splits}")
            scale = bench.get("scale") or [None, None]
            value = r.get("value")
            if not _is_number(value):
                report.add(r, "value", f"{what}: value must be a number, exactly as the source prints it")
            elif None not in scale and not scale[0] <= value <= scale[1]:
                report.add(
                    r, "value", f"{what}: value {value} is outside the benchmark's scale {scale}: check the unit and the number"
                )
        if not SETTING.match(str(r.get("setting"))):
            report.add(
                r,
                "setting",
                f"{what}: setting '{r.get('setting')}' must be zero-shot, few-shot-K, fine-tuned, chain-of-thought, thinking or unspecified",
            )
        if not isinstance(r.get("self_reported"), bool):
            report.add(r, "self_reported", f"{what}: self_reported must be true or false")
        elif model is not None and r.get("source") == model.get("paper") and not r.get("self_reported"):
            report.add(r, "self_reported", f"{what}: the source is the model's own paper, so self_reported must be true")
        if r.get("variant") is not None and not isinstance(r.get("variant"), str | int | float):
            report.add(r, "variant", f"{what}: variant must be a short text like '72B', or null")
        _known_key(report, r, "source", bib, what)
    _unique(
        report,
        atlas.results,
        lambda r: (
            r.get("model"),
            str(r.get("variant")),
            r.get("benchmark"),
            r.get("split"),
            r.get("setting"),
            r.get("source"),
            r.get("locator"),
        ),
        "result (model, variant, benchmark, split, setting, source, locator)",
    )


def check(data: Path = DATA, bib_keys: set[str] | None = None, today: dt.date | None = None) -> list[Problem]:
    try:
        atlas = load(data)
    except AtlasSyntaxError as exc:
        return [Problem(rel(exc.file), exc.line, f"{exc.message}; fix the YAML")]
    report = _Report()
    check_models(report, atlas, bib_keys, today or dt.date.today())
    check_benchmarks(report, atlas, bib_keys)
    check_results(report, atlas, bib_keys)
    return report.problems
