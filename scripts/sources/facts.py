"""Atlas facts written inline in prose, and the record each one names.

A writer puts a number or a model fact from data/*.yaml in a sentence by reference, so it lives
once, in the data:

    GPT-4V scored {{result gpt-4v mmmu split=val source=yue2024mmmu}} on MMMU.
    Qwen2.5-VL was released in {{model qwen2.5-vl released}}.

`{{result MODEL BENCHMARK [variant=...] [split=...] [setting=...] [source=...] [locator=...]}}` names one record of
data/results.yaml: the model and benchmark ids, then any fields needed to make the choice unique
(quote a value with spaces: `variant="72B"`). `{{model MODEL FACT}}` names one fact of a
data/models.yaml record: `released`, `parameters`, `license` or `open_weights`.

This module reads the references and finds their records; it holds no rule. The build
(scripts/hooks/facts.py) renders them; scripts/checks/facts.py fails on one that names no record or
more than one.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from scripts.sources.atlas import Atlas, Record
from scripts.sources.markdown import code_spans
from scripts.sources.project import line_of

REFERENCE = re.compile(r"\{\{\s*(?P<kind>result|model)\b(?P<args>[^{}\n]*?)\s*\}\}")
ANY_REFERENCE = re.compile(r"\{\{[^{}\n]*\}\}")
RESULT_FIELDS = ("variant", "split", "setting", "source", "locator")
MODEL_FACTS = ("released", "parameters", "license", "open_weights")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Reference:
    """One inline reference as written: where it is and what it asks for."""

    start: int
    end: int
    line: int
    text: str
    kind: str  # "result" or "model"
    model: str | None = None
    benchmark: str | None = None  # results only
    fact: str | None = None  # model facts only
    fields: dict = field(default_factory=dict)  # variant, split, setting, source, locator (results only)
    bare: bool = False  # results only: the value without its split, where the sentence names the split
    error: str | None = None  # the syntax problem, if any


@dataclass(frozen=True)
class Resolved:
    """What a reference names: the record, or why there is none (no match, or several)."""

    reference: Reference
    record: Record | None
    error: str | None = None


def _parse(m: re.Match, text: str, start: int) -> Reference:
    where = dict(start=start, end=start + len(m.group(0)), line=line_of(text, start), text=m.group(0), kind=m.group("kind"))
    try:
        words = shlex.split(m.group("args"))
    except ValueError as exc:
        return Reference(**where, error=f"cannot read {m.group(0)!r}: {exc}")
    positional = [w for w in words if "=" not in w]
    named = dict(w.split("=", 1) for w in words if "=" in w)
    if where["kind"] == "model":
        if len(positional) != 2 or named:
            return Reference(**where, error=f"write {{{{model ID FACT}}}} with FACT one of {', '.join(MODEL_FACTS)}")
        return Reference(**where, model=positional[0], fact=positional[1])
    unknown = sorted(set(named) - set(RESULT_FIELDS))
    bare = positional[2:] == ["bare"]
    if bare:
        positional = positional[:2]
    if len(positional) != 2 or unknown:
        return Reference(
            **where,
            error="write {{result MODEL BENCHMARK [bare] key=value ...}} with keys among "
            + ", ".join(RESULT_FIELDS)
            + (f" (not {', '.join(unknown)})" if unknown else ""),
        )
    return Reference(**where, model=positional[0], benchmark=positional[1], fields=named, bare=bare)


def references(text: str) -> list[Reference]:
    """Every inline reference outside code and HTML comments, in order. A `{{...}}` that is not a
    well-formed reference is returned with its error (so a typo cannot reach the page as text)."""
    spans = code_spans(text)

    def in_code(offset: int) -> bool:
        return any(a <= offset < b for a, b in spans)

    out = []
    for m in ANY_REFERENCE.finditer(text):
        if in_code(m.start()):
            continue
        good = REFERENCE.fullmatch(m.group(0))
        if good is None:
            out.append(
                Reference(
                    m.start(),
                    m.end(),
                    line_of(text, m.start()),
                    m.group(0),
                    "?",
                    error="not an Atlas reference: write {{result ...}} or {{model ...}}",
                )
            )
        else:
            out.append(_parse(good, text, m.start()))
    return out


def _same(value, wanted: str) -> bool:
    return str(value if value is not None else "null").strip().lower() == wanted.strip().lower()


def resolve(ref: Reference, atlas: Atlas) -> Resolved:
    """The one record a reference names, or an error that says what is missing or ambiguous."""
    if ref.error:
        return Resolved(ref, None, ref.error)
    model = atlas.model(ref.model)
    if model is None:
        return Resolved(ref, None, f"{ref.text}: no model '{ref.model}' in data/models.yaml")
    if ref.kind == "model":
        if ref.fact not in MODEL_FACTS:
            return Resolved(ref, None, f"{ref.text}: unknown fact '{ref.fact}' (one of {', '.join(MODEL_FACTS)})")
        if model.get(ref.fact) is None:
            return Resolved(ref, None, f"{ref.text}: data/models.yaml states no {ref.fact} for '{ref.model}'")
        return Resolved(ref, model)
    if atlas.benchmark(ref.benchmark) is None:
        return Resolved(ref, None, f"{ref.text}: no benchmark '{ref.benchmark}' in data/benchmarks.yaml")
    found = [
        r
        for r in atlas.results
        if r.get("model") == ref.model
        and r.get("benchmark") == ref.benchmark
        and all(_same(r.get(k), v) for k, v in ref.fields.items())
    ]
    if not found:
        return Resolved(ref, None, f"{ref.text}: no record in data/results.yaml has these fields")
    if len(found) > 1:
        options = "; ".join(describe(r) for r in found[:6]) + (" ..." if len(found) > 6 else "")
        differ = [k for k in RESULT_FIELDS if len({str(r.get(k)) for r in found}) > 1]
        return Resolved(
            ref,
            None,
            f"{ref.text}: {len(found)} records match ({options}); add {' or '.join(f'{k}=' for k in differ) or 'a field'} to choose one",
        )
    return Resolved(ref, found[0])


def describe(record: Record) -> str:
    """A result record in one short phrase, with its file and line."""
    variant = f" {record.get('variant')}" if record.get("variant") not in (None, "") else ""
    return (
        f"{record.get('value')} {record.get('model')}{variant}/{record.get('benchmark')} {record.get('split')}, "
        f"{record.get('setting')}, {record.get('source')} {record.get('locator')} "
        f"(data/results.yaml:{record.line})"
    )


def month_text(released) -> str:
    """'2025-01' as 'January 2025'."""
    year, _, month = str(released).partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else str(released)


def model_fact_text(record: Record, fact: str) -> str:
    """A model fact as prose: 'January 2025', '3B, 7B and 72B', 'Apache-2.0', 'open weights'."""
    value = record.get(fact)
    if fact == "released":
        return month_text(value)
    if fact == "parameters":
        sizes = [f"{v:g}B" for v in (value if isinstance(value, list) else [value])]
        return sizes[0] if len(sizes) == 1 else ", ".join(sizes[:-1]) + " and " + sizes[-1]
    if fact == "open_weights":
        return "open weights" if value else "closed weights"
    return str(value)


def split_text(split) -> str:
    """How a split is named after a value: '(val)'; nothing for an unspecified split."""
    return "" if split in (None, "", "unspecified") else f" ({split})"
