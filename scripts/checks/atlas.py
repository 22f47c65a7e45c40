"""Rules for the MLLM Atlas data (data/*.yaml): required fields, vocabularies, dates, values within
each benchmark's scale, known models, benchmarks and bib keys, unique aliases, no duplicate records,
a model's optional `deploy` block (the chooser's table), chooser markers in the pages that name
known models with that block, numbers markers that between them list every model's numbers once,
and a check for transcription slips (one model with the same value on three or more benchmarks of
one source; a value far from every other source's value for the same number). Every problem names
the data or page file and line and says how to fix it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from scripts.sources.atlas import (
    Atlas,
    AtlasSyntaxError,
    Record,
    chooser_errors,
    chooser_markers,
    deploy_sources,
    load,
    numbers_errors,
    numbers_pages,
)
from scripts.sources.markdown import doc_pages
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
# Optional fields, besides `note` on every record: a model's other spellings, a benchmark's slip
# margin, and a result's record that a slip flag was checked against the source.
OPTIONAL = {"models": {"note", "aliases", "deploy"}, "benchmarks": {"note", "margin"}, "results": {"note", "checked"}}
# A model's `deploy` block: what a practitioner choosing a model to run needs, from its card or docs.
DEPLOY_FIELDS = ("source", "verified")
# A card that does not state one of the two says so in the table; a block needs at least one.
DEPLOY_STATED = ("context_length", "image_tokens")
DEPLOY_OPTIONAL = (*DEPLOY_STATED, "active_parameters", "note")
# The slip check: a value this many benchmarks share in one source for one model is suspect, and a
# value further than the benchmark's margin (default: this share of its scale) from every other
# source's value for the same number is suspect.
REPEATS = 3
MARGIN_SHARE = 0.05


class _Report:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, record: Record, field: str | None, message: str) -> None:
        line = record.line_of(field) if field else record.line
        self.problems.append(Problem(rel(record.file), line, message))


def _required(
    report: _Report, record: Record, fields: Iterable[str], what: str, optional: set[str] = frozenset({"note"})
) -> bool:
    ok = True
    for name in fields:
        if name not in record.fields:
            report.add(record, None, f"{what} has no '{name}': add it (null only where the format allows it)")
            ok = False
        elif record.fields[name] in (None, "", []) and name not in NULLABLE:
            report.add(record, name, f"{what}: '{name}' is empty: give its value as the source states it")
            ok = False
    for name in record.fields:
        if name not in fields and name not in optional:
            report.add(
                record,
                name,
                f"{what}: unknown field '{name}': the fields are {', '.join(fields)} and {', '.join(sorted(optional))}",
            )
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
        if not _required(report, m, MODEL_FIELDS, what, OPTIONAL["models"]):
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
        if "deploy" in m.fields:
            check_deploy(report, m, bib, today)
    _unique(report, atlas.models, lambda r: r.get("id"), "model id")
    check_aliases(report, atlas)


def check_deploy(report: _Report, m: Record, bib: set[str] | None, today: dt.date) -> None:
    """`deploy`: active parameters aligned with `parameters` (null for a dense size), the context
    length in tokens, the image-token rule or resolution control as text, the bib key(s) of the
    card or docs the cells come from, and the date they were read."""
    what = f"model '{m.get('id')}': deploy"
    deploy = m.get("deploy")
    if not isinstance(deploy, dict):
        report.add(
            m, "deploy", f"{what} must be a mapping of {', '.join(DEPLOY_FIELDS)} (and optional {', '.join(DEPLOY_OPTIONAL)})"
        )
        return
    for name in DEPLOY_FIELDS:
        if deploy.get(name) in (None, "", []):
            report.add(m, "deploy", f"{what} has no '{name}': add it as the card or docs state it")
    if all(deploy.get(name) in (None, "") for name in DEPLOY_STATED):
        report.add(m, "deploy", f"{what} states neither context_length nor image_tokens: add what the card or docs state")
    for name in deploy:
        if name not in DEPLOY_FIELDS and name not in DEPLOY_OPTIONAL:
            report.add(
                m, "deploy", f"{what}: unknown field '{name}': the fields are {', '.join(DEPLOY_FIELDS + DEPLOY_OPTIONAL)}"
            )
    context = deploy.get("context_length")
    if context is not None and not (isinstance(context, int) and not isinstance(context, bool) and context > 0):
        report.add(m, "deploy", f"{what}: context_length must be a whole number of tokens, like 262144")
    rule = deploy.get("image_tokens")
    if rule is not None and not (isinstance(rule, str) and rule.strip()):
        report.add(m, "deploy", f"{what}: image_tokens must be text: the token rule or resolution control, as documented")
    if "active_parameters" in deploy:
        params, active = m.get("parameters"), deploy.get("active_parameters")
        totals = params if isinstance(params, list) else [params]
        actives = active if isinstance(active, list) else [active]
        if params is None:
            report.add(m, "deploy", f"{what}: active_parameters needs parameters: remove it while the sizes are undisclosed")
        elif len(actives) != len(totals) or isinstance(active, list) != isinstance(params, list):
            report.add(
                m,
                "deploy",
                f"{what}: active_parameters must align with parameters {params}: one value per size (null for a dense size)",
            )
        elif not all(a is None or (_is_number(a) and 0 < a <= t) for a, t in zip(actives, totals, strict=True)):
            report.add(
                m,
                "deploy",
                f"{what}: active_parameters must be billions no larger than the matching size, or null for a dense size",
            )
    sources = deploy_sources(m)
    if not all(isinstance(k, str) for k in sources):
        report.add(m, "deploy", f"{what}: source must be a bib key or a list of bib keys")
    elif bib is not None:
        for key in sources:
            if key not in bib:
                report.add(
                    m, "deploy", f"{what}: source '{key}' is not a key in references.bib: add a verified entry or fix the key"
                )
    verified = deploy.get("verified")
    if verified is not None:
        if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
            report.add(m, "deploy", f"{what}: verified '{verified}' must be the date the source was read, YYYY-MM-DD")
        elif verified > today:
            report.add(m, "deploy", f"{what}: verified {verified} is in the future: give the date the source was read")


def check_choosers(docs: Path, atlas: Atlas, root: Path | None = None) -> list[Problem]:
    """Every `<!-- chooser: ... -->` marker in the pages lists known models, each with a deploy block."""
    problems = []
    for path in doc_pages(docs):
        text = path.read_text(encoding="utf-8")
        if "chooser:" not in text:
            continue
        name = rel(path, root) if root is not None else rel(path)
        for marker in chooser_markers(text):
            problems += [Problem(name, marker.line, error) for error in chooser_errors(marker.ids, atlas)]
    return problems


def check_numbers_pages(docs: Path, atlas: Atlas, root: Path | None = None) -> list[Problem]:
    """The `<!-- atlas:numbers since=... before=... -->` markers read, list no year twice, and
    between them list every model that has numbers."""
    return [
        Problem(rel(path, root) if root is not None else rel(path), line, message)
        for path, line, message in numbers_errors(numbers_pages(docs), atlas)
    ]


def check_aliases(report: _Report, atlas: Atlas) -> None:
    """`aliases`: the other spellings prose and papers use for a model (like "LLaVA-1.6" for
    LLaVA-NeXT). Each is text, names one model only, and is not another model's name or id (case
    and spacing ignored), so a spelling found in prose leads to exactly one model."""

    def fold(text) -> str:
        return " ".join(str(text).split()).casefold()

    names = {}
    for m in atlas.models:
        for name in (m.get("id"), m.get("name")):
            if name is not None:
                names.setdefault(fold(name), m.get("id"))
    seen: dict[str, Record] = {}
    for m in atlas.models:
        aliases = m.get("aliases")
        if aliases is None:
            continue
        what = f"model '{m.get('id')}'"
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            report.add(m, "aliases", f"{what}: aliases must be a list of spellings (text), like [LLaVA-1.6]")
            continue
        for alias in aliases:
            key = fold(alias)
            owner = names.get(key)
            if owner is not None and owner != m.get("id"):
                report.add(
                    m, "aliases", f"{what}: alias '{alias}' is the name or id of model '{owner}': remove it from one of them"
                )
            elif key in seen and seen[key] is not m:
                report.add(
                    m,
                    "aliases",
                    f"{what}: alias '{alias}' also names model '{seen[key].get('id')}' (line {seen[key].line}): keep it on one",
                )
            elif key in seen:
                report.add(m, "aliases", f"{what}: alias '{alias}' is listed twice: remove one")
            seen[key] = m


def _known_key(report: _Report, record: Record, name: str, bib: set[str] | None, what: str) -> None:
    key = record.get(name)
    if bib is not None and key not in bib:
        report.add(record, name, f"{what}: {name} '{key}' is not a key in references.bib: add a verified entry or fix the key")


def check_benchmarks(report: _Report, atlas: Atlas, bib: set[str] | None) -> None:
    for b in atlas.benchmarks:
        what = f"benchmark '{b.get('id')}'"
        if not _required(report, b, BENCHMARK_FIELDS, what, OPTIONAL["benchmarks"]):
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
        margin = b.get("margin")
        if margin is not None and not (_is_number(margin) and margin > 0):
            report.add(
                b, "margin", f"{what}: margin must be a positive number in the benchmark's unit (the slip check's tolerance)"
            )
    _unique(report, atlas.benchmarks, lambda r: r.get("id"), "benchmark id")


def check_results(report: _Report, atlas: Atlas, bib: set[str] | None) -> None:
    models = {m.get("id"): m for m in atlas.models}
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    for r in atlas.results:
        what = f"result {r.get('model')}/{r.get('benchmark')}"
        if not _required(report, r, RESULT_FIELDS, what, OPTIONAL["results"]):
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
        if "checked" in r.fields and not (isinstance(r.get("checked"), str) and r.get("checked").strip()):
            report.add(r, "checked", f"{what}: checked must say what was re-read and why the value stands")
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


def margin_of(bench: Record | None) -> float:
    """How far two sources may print one number apart before the slip check asks for a look."""
    if bench is not None and _is_number(bench.get("margin")):
        return float(bench.get("margin"))
    scale = bench.get("scale") if bench is not None else None
    if isinstance(scale, list) and len(scale) == 2 and all(map(_is_number, scale)):
        return MARGIN_SHARE * (scale[1] - scale[0])
    return MARGIN_SHARE * 100


def slips(atlas: Atlas) -> list[tuple[Record, str]]:
    """Possible transcription slips, each with why: (1) one source gives one model (and variant)
    the same value on REPEATS or more benchmarks; (2) a value differs from every other source's
    value for the same (model, variant, benchmark, split, setting) by more than the benchmark's
    margin. A flagged record is settled by `checked: <what was re-read, and why the value
    stands>` (the value is then as printed, or the disagreement is real); otherwise fix the value."""
    found: list[tuple[Record, str]] = []
    numbers = [r for r in atlas.results if _is_number(r.get("value"))]
    groups: dict[tuple, list[Record]] = {}
    for r in numbers:
        groups.setdefault((r.get("source"), r.get("model"), str(r.get("variant")), r.get("setting")), []).append(r)
    for (source, model, variant, _), records in groups.items():
        by_value: dict[float, list[Record]] = {}
        for r in records:
            by_value.setdefault(float(r.get("value")), []).append(r)
        for value, same in by_value.items():
            benches = {(r.get("benchmark"), r.get("split")) for r in same}
            if len(benches) >= REPEATS:
                listed = ", ".join(sorted(f"{b}/{s}" for b, s in benches))
                for r in same:
                    found.append(
                        (
                            r,
                            f"{source} gives {model} ({variant}) the same value {value:g} on {len(benches)} benchmarks ({listed})",
                        )
                    )
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    numbers_of: dict[tuple, list[Record]] = {}
    for r in numbers:
        key = (r.get("model"), str(r.get("variant")), r.get("benchmark"), r.get("split"), r.get("setting"))
        numbers_of.setdefault(key, []).append(r)
    for key, records in numbers_of.items():
        if len({r.get("source") for r in records}) < 2:
            continue
        margin = margin_of(benchmarks.get(key[2]))
        for r in records:
            others = [o for o in records if o.get("source") != r.get("source")]
            if all(abs(float(o.get("value")) - float(r.get("value"))) > margin + 1e-9 for o in others):
                printed = ", ".join(sorted({f"{o.get('value')} ({o.get('source')})" for o in others}))
                found.append((r, f"value {r.get('value')} differs by more than {margin:g} from every other source ({printed})"))
    return found


def check_slips(report: _Report, atlas: Atlas) -> None:
    for r, why in slips(atlas):
        if not r.get("checked"):
            report.add(
                r,
                "value",
                f"result {r.get('model')}/{r.get('benchmark')}: possible transcription slip: {why}: re-read {r.get('locator')} of "
                f"{r.get('source')} and fix the value, or add `checked:` saying what the table prints and why the value stands",
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
    check_slips(report, atlas)
    return report.problems
