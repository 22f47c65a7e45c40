"""Prose against the Atlas data (data/*.yaml).

- Every inline reference (`{{result ...}}`, `{{model ...}}`, scripts/sources/facts.py) names
  exactly one record.
- A release date written for an Atlas model ("Qwen2-VL (September 2024)", "LLaVA-1.5 (2024)",
  "Qwen2.5-VL, released in February 2025") agrees with `released` in data/models.yaml.
- A benchmark score in a sentence (or table row) that names an Atlas model and an Atlas benchmark
  matches a record of data/results.yaml for that model and benchmark, at the precision written
  (56 matches 55.7 or 56.2, not 56.8). Not scores: differences ("by 8.7%", "+222.8", "28
  points"), counts and sizes ("183 subfields", "72B", "54x"), version digits ("Claude Opus 4.1"),
  years, and integers without a percent sign.

Each failure names the file and line, the value written and the record(s) it disagrees with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scripts.sources import facts as inline
from scripts.sources import names as names_src
from scripts.sources.atlas import Atlas
from scripts.sources.markdown import doc_pages
from scripts.sources.project import Problem, line_of, rel
from scripts.sources.prose import prose, sentences

MONTH = "|".join(inline.MONTHS)
# What may follow a model's name before its date: a variant ("-13B", " Pro", "-72B-Instruct").
_VARIANT = r"(?:-[\w.]+|\s(?:Pro|Flash|Ultra|mini|Instruct|Thinking|Vision|\d+(?:\.\d+)?B(?:-A\d+(?:\.\d+)?B)?))*"
RELEASE = re.compile(
    _VARIANT
    + r"\**(?:\s*\((?:released\s+(?:in\s+|on\s+)?)?(?:(?P<d1>\d{1,2})\s+)?(?:(?P<m1>"
    + MONTH
    + r")\s+)?(?P<y1>(?:19|20)\d\d)\)|,?\s+(?:was\s+|were\s+|first\s+)?released\s+(?:in\s+|on\s+)?(?:(?P<d2>\d{1,2})\s+)?(?:(?P<m2>"
    + MONTH
    + r")\s+)?(?:of\s+)?(?P<y2>(?:19|20)\d\d)\b)"
)
NUMBER = re.compile(r"(?<![\w.,+±−\-/$])(?P<n>\d{1,3}(?:\.\d+)?)(?!,\d|\.\d|\d)(?P<pct>\s?%)?")
# After a number: a unit or a count noun, so not a score.
_NOT_SCORE_AFTER = re.compile(
    r"(?:\s*\([^)]*\))?(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[\d.]+%?(?:\s*\([^)]*\))?)*\s?(?:points?|pp|percentage)\b|[A-Za-z]|[-–]\w|\s?(?:[×x]\b|×|times|points?\b|pp\b|percentage)|\s(?:billion|million|thousand|tokens?|GPUs?|hours?|images?|"
    r"questions?|subjects?|subfields?|tasks?|datasets?|benchmarks?|languages?|layers?|pixels?|frames?|seconds?|days?|"
    r"steps?|samples?|pairs?|models?|experts?|heads?|categories|classes|disciplines|domains|percent\s+of)\b"
)
# After a percentage: a difference, a share or a change ("8.7% margin", "35% to perception",
# "86.7% of the time", "5% higher").
_NOT_SCORE_AFTER_PCT = re.compile(
    r"\s*(?:margin|gain|improvement|increase|decrease|drop|lead|gap|reduction|fewer|more|less|higher|lower|better|"
    r"worse|faster|slower|smaller|larger|relative|absolute|of\b|to\b|on\s+average|points?\b)"
)
# Before a number: a difference or a version ("by 8.7%", "+3.1", "Opus 4.1", "Table 2").
_NOT_SCORE_BEFORE = re.compile(
    r"(?:\b(?:by|another|gained|improved|raised|lifted|cut|reduced|rose|fell|more\s+than|less\s+than|gains?\s+of|gap\s+of|drop\s+of|improvement\s+of|top-|up\s+to|over|under|above|below|about\s+\d+\s+and|from\s+\d+\s+to)\s+|"
    r"\bfrom\s+[\d.]+\s?%?\s+to\s+|\b[A-Z][\w.-]*\s|[+±−]\s?)$"
)
# A model named as a document ("the Qwen3-VL report"), or as the object of a comparison ("67% for
# DALL-E 3", "ahead of GPT-4o") is not the subject of the scores that follow it.
_DOCUMENT_AFTER = re.compile(r"(?:-[\w.]+)*(?:'s)?\s+(?:technical\s+)?(?:reports?|papers?|cards?|system\s+cards?|authors|team)\b")
# A score measured with the image withheld (blind answering) is not a benchmark result of the
# model: the Atlas records results with the images the benchmark provides.
_BLIND = re.compile(
    r"\b(?:without\s+(?:any\s+)?(?:the\s+)?(?:visual\s+input|images?|the\s+picture)|with\s+the\s+images?\s+(?:withheld|removed)|"
    r"no\s+visual\s+input|images?\s+(?:withheld|removed))\b",
    re.I,
)
_OBJECT_BEFORE = re.compile(r"\b(?:for|than|against|over|to|ahead\s+of|behind)\s+(?:the\s+)?$")
MAX_GAP = 160  # characters between a model's name and its score, at most
_FOR_MODEL = re.compile(r"^\s*(?:%\s*)?(?:for|by|from|of)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Score:
    offset: int
    text: str
    value: float
    decimals: int


def scores(sentence: str, blanked: str) -> list[Score]:
    """The numbers in a sentence that read as benchmark scores. `blanked` is the sentence with
    model and benchmark names (and their variants) blanked, so version digits in names are gone."""
    out = []
    for m in NUMBER.finditer(blanked):
        after = blanked[m.end() :]
        before = sentence[: m.start()]
        if not m.group("pct") and "." not in m.group("n"):
            continue  # an integer without a percent sign is a count, a rank or a size
        if m.group("pct"):
            if _NOT_SCORE_AFTER_PCT.match(after):
                continue
            after = ""
        if _NOT_SCORE_AFTER.match(after) or _NOT_SCORE_BEFORE.search(before[-40:]):
            continue
        n = m.group("n")
        out.append(Score(m.start(), n, float(n), len(n.partition(".")[2])))
    return out


def agrees(value: float, decimals: int, record_value) -> bool:
    try:
        v = float(record_value)
    except (TypeError, ValueError):
        return False
    return abs(round(v, decimals) - value) < 1e-9 or abs(v - value) < 1e-9


def _times(value, factor: int):
    try:
        return round(float(value) * factor, 6)
    except (TypeError, ValueError):
        return value


def _blank_spans(text: str, spans) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


_VARIANT_AFTER = re.compile(_VARIANT)


class Checker:
    def __init__(self, atlas: Atlas, names: names_src.Names):
        self.atlas = atlas
        self.models = names_src.model_matcher(names)
        self.benchmarks = names_src.benchmark_matcher(names)
        self.records: dict[tuple[str, str], list] = {}
        self.typed: list[Problem] = []  # numbers that agree with a record: typed where a reference would do
        for r in atlas.results:
            self.records.setdefault((r.get("model"), r.get("benchmark")), []).append(r)

    def names_of(self, model_id: str) -> str:
        m = self.atlas.model(model_id)
        return str(m.get("name")) if m else model_id

    # -- release months -------------------------------------------------------------------------
    def release_dates(self, clean: str, name: str) -> list[Problem]:
        problems = []
        for mention in self.models.find(clean):
            m = RELEASE.match(clean, mention.end)
            if not m:
                continue
            model = self.atlas.model(mention.id)
            released = str(model.get("released") or "")
            year, month = m.group("y1") or m.group("y2"), m.group("m1") or m.group("m2")
            written = f"{month} {year}" if month else year
            want_year, _, want_month = released.partition("-")
            wrong = year != want_year or (month and want_month.isdigit() and inline.MONTHS.index(month) + 1 != int(want_month))
            if wrong:
                problems.append(
                    Problem(
                        name,
                        line_of(clean, mention.start),
                        f"release date '{written}' for {mention.surface} disagrees with data/models.yaml:{model.line} "
                        f"({mention.id} released {released}): correct it, write {{{{model {mention.id} released}}}}, or say "
                        'which document the date belongs to ("its report of ...")',
                    )
                )
        return problems

    # -- benchmark numbers ----------------------------------------------------------------------
    def _pair_problem(self, name, line, model_mention, bench_id, score: Score) -> Problem | None:
        model_id = model_mention.id
        found = self.records.get((model_id, bench_id), [])
        bench = self.atlas.benchmark(bench_id)
        scale = (bench.get("scale") if bench else None) or [0, 100]
        factor = 100 if isinstance(scale, list) and len(scale) == 2 and scale[1] == 1 else 1
        same = [r for r in found if agrees(score.value, score.decimals, _times(r.get("value"), factor))]
        if same:
            self.typed.append(
                Problem(
                    name,
                    line,
                    f"{model_mention.surface} {score.text} on {bench.get('name') if bench else bench_id} is typed by hand; "
                    f"data/results.yaml:{same[0].line} holds it: write {{{{result {model_id} {bench_id} ...}}}}",
                )
            )
            return None
        have = "; ".join(inline.describe(r) for r in found[:5]) + (" ..." if len(found) > 5 else "") if found else "none"
        return Problem(
            name,
            line,
            f"{model_mention.surface} {score.text} on {bench.get('name') if bench else bench_id} matches no record of "
            f"data/results.yaml for {model_id}/{bench_id} (records: {have}): correct the number, write it as "
            f"{{{{result {model_id} {bench_id} ...}}}}, or add the record with its source and locator",
        )

    def _name_spans(self, text: str, models, benches) -> list[tuple[int, int]]:
        spans = []
        for mention in models:
            v = _VARIANT_AFTER.match(text, mention.end)
            spans.append((mention.start, v.end() if v else mention.end))
        spans += [(b.start, b.end) for b in benches]
        return spans

    def sentence_numbers(self, sentence: str, base: int, clean: str, name: str) -> list[Problem]:
        models = self.models.find(sentence)
        benches = self.benchmarks.find(sentence)
        if not models or not benches or _BLIND.search(sentence):
            return []
        blanked = _blank_spans(sentence, self._name_spans(sentence, models, benches))
        found = scores(sentence, blanked)
        problems = []
        for group in _lists(found, blanked):
            pairs = self._attach(group, sentence, models, benches)
            for score, model, bench in pairs:
                p = self._pair_problem(name, line_of(clean, base + score.offset), model, bench.id, score)
                if p:
                    problems.append(p)
        return problems

    def _attach(self, group: list[Score], sentence: str, models, benches):
        """(score, model, benchmark) for a score or a list of scores ("56% and 59%"). A model
        counts only in the same clause (up to a semicolon); a list pairs in order with a list of as
        many models, or of as many benchmarks, and is skipped otherwise."""
        first, last = group[0], group[-1]
        clause_start = sentence.rfind(";", 0, first.offset) + 1
        models = [m for m in models if not _DOCUMENT_AFTER.match(sentence, m.end)]  # "the Qwen3-VL report"
        before = [
            m
            for m in models
            if clause_start <= m.start and m.end <= first.offset and not _OBJECT_BEFORE.search(sentence[: m.start])
        ]
        end = last.offset + len(last.text)
        after = [m for m in models if m.start >= end]
        if after and _FOR_MODEL.match(sentence[end : after[0].start]):
            model_list = [after[0]]
        elif re.match(r"\s?%?\s*(?:for|by)\s", sentence[end:]):
            return []  # "63% for Transfusion": the score belongs to a name outside the Atlas
        elif before and first.offset - before[-1].end <= MAX_GAP:
            model_list = _tail_list(before, sentence)
        else:
            return []
        on = re.match(r"\s?%?\s+on\s+(?:the\s+)?", sentence[end:])
        clause_end = sentence.find(";", end)
        clause_end = len(sentence) if clause_end < 0 else clause_end
        named_after = [b for b in benches if on and b.start == end + on.end()]
        preceding = [b for b in benches if clause_start <= b.start and b.end <= first.offset and first.offset - b.end <= MAX_GAP]
        following = [b for b in benches if end <= b.start < clause_end and b.start - end <= MAX_GAP]
        if len(group) == 1:
            bench = named_after[0] if named_after else preceding[-1] if preceding else following[0] if following else None
            return [(first, model_list[-1], bench)] if bench else []
        if len(model_list) == len(group):
            bench = named_after[0] if named_after else preceding[-1] if preceding else following[0] if following else None
            return [(s, m, bench) for s, m in zip(group, model_list, strict=True)] if bench else []
        bench_list = _tail_list(benches, sentence, among=benches)
        if len(bench_list) == len(group) and len({b.id for b in bench_list}) == len(group):
            return [(s, model_list[-1], b) for s, b in zip(group, bench_list, strict=True)]
        return []

    def table_numbers(self, clean: str, name: str) -> list[Problem]:
        """Tables: a row's model (or benchmark) in its first cell, the column's benchmark (or model)
        in the header."""
        problems = []
        lines = clean.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        i = 0
        while i < len(lines):
            if not (lines[i].lstrip().startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|?[\s:|-]+\|", lines[i + 1])):
                i += 1
                continue
            header = _cells(lines[i])
            head_b = [self._one(self.benchmarks, c) for c in header]
            head_m = [self._one(self.models, c) for c in header]
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                cells = _cells(lines[j])
                row_m = self._one(self.models, cells[0]) if cells else None
                row_b = self._one(self.benchmarks, cells[0]) if cells else None
                for k, cell in enumerate(cells[1:], start=1):
                    if k >= len(header):
                        break
                    pair = (row_m, head_b[k]) if row_m and head_b[k] else (head_m[k], row_b) if head_m[k] and row_b else None
                    if pair is None:
                        continue
                    for score in _cell_scores(cell):
                        p = self._pair_problem(name, j + 1, pair[0], pair[1].id, score)
                        if p:
                            problems.append(p)
                j += 1
            i = j
        return problems

    @staticmethod
    def _one(matcher, cell: str):
        found = matcher.find(cell)
        return found[0] if len({f.id for f in found}) == 1 else None


_LIST_JOIN = re.compile(r"^\s?%?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def _lists(found: list[Score], blanked: str) -> list[list[Score]]:
    """Scores grouped into lists: consecutive scores joined only by commas, 'and' or 'or'."""
    groups: list[list[Score]] = []
    for score in found:
        if groups:
            prev = groups[-1][-1]
            if _LIST_JOIN.match(blanked[prev.offset + len(prev.text) : score.offset]):
                groups[-1].append(score)
                continue
        groups.append([score])
    return groups


def _tail_list(mentions, sentence: str, among=None) -> list:
    """The last mentions that form a list ('GPT-4V, Gemini and Claude 3'): joined only by commas,
    'and' and a variant."""
    out = [mentions[-1]]
    for prev in reversed(mentions[:-1]):
        gap = sentence[prev.end : out[0].start]
        if re.fullmatch(r"(?:-[\w.]+|\s[\w.]+B)?\s*(?:,\s*(?:and\s+)?|\s+and\s+)", gap):
            out.insert(0, prev)
        else:
            break
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _cell_scores(cell: str) -> list[Score]:
    """A table cell holds a score when it is a number alone (with an optional % or marker)."""
    m = re.fullmatch(r"\s*\**(\d{1,3}(?:\.\d+)?)\s?%?\**\s*(?:[*†‡]|\(.*\))?\s*", cell)
    if not m:
        return []
    n = m.group(1)
    return [Score(0, n, float(n), len(n.partition(".")[2]))]


def check_text(text: str, name: str, atlas: Atlas, names: names_src.Names, checker: Checker | None = None) -> list[Problem]:
    return page_findings(text, name, atlas, names, checker)[0]


def page_findings(
    text: str, name: str, atlas: Atlas, names: names_src.Names, checker: Checker | None = None
) -> tuple[list[Problem], list[Problem]]:
    """A page's problems, and its numbers that agree with a record but are typed by hand."""
    checker = checker or Checker(atlas, names)
    checker.typed = []
    problems = [
        Problem(name, r.reference.line, f"Atlas reference {r.error}")
        for r in (inline.resolve(ref, atlas) for ref in inline.references(text))
        if r.record is None
    ]
    clean = prose(text)
    problems += checker.release_dates(clean, name)
    for s in sentences(clean):
        if not s.in_table:
            problems += checker.sentence_numbers(clean[s.start : s.end], s.start, clean, name)
    problems += checker.table_numbers(clean, name)
    return problems, checker.typed


def findings(docs: Path, atlas: Atlas, root: Path, memo=None) -> tuple[list[Problem], list[Problem]]:
    """Every page's problems, and the Atlas numbers its prose types by hand (a report)."""
    names = names_src.load(atlas, root)
    checker = None
    problems: list[Problem] = []
    typed: list[Problem] = []
    for path in doc_pages(docs):
        if path.name.startswith("atlas"):
            continue  # the generated Atlas pages hold markers, not prose
        name, text = rel(path, root), path.read_text(encoding="utf-8")

        def compute(text=text, name=name):
            nonlocal checker
            checker = checker or Checker(atlas, names)
            return page_findings(text, name, atlas, names, checker)

        found, hand = memo.get(name + "\0" + text, compute) if memo else compute()
        problems += found
        typed += hand
    return problems, typed


def check(docs: Path, atlas: Atlas, root: Path, memo=None) -> list[Problem]:
    return findings(docs, atlas, root, memo)[0]
