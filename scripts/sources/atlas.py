"""Reading the MLLM Atlas data (data/models.yaml, data/benchmarks.yaml, data/results.yaml): each
record with the line it starts on, so every rule about it can name its file and line. No rules
live here (they are in scripts.checks.atlas)."""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.sources.project import DATA, ROOT, cache_dir, line_of

FILES = ("models", "benchmarks", "results")
# `<!-- chooser: ID ID ... -->` on a line of its own: a table of those models' `deploy` facts.
CHOOSER = re.compile(r"^<!--\s*chooser:([^>]*?)-->[ \t]*$", re.M)
# `<!-- atlas:numbers [since=YYYY] [before=YYYY] -->` on a line of its own: every number of the models
# released in those years (a page each, so that no page grows past its weight budget).
NUMBERS = re.compile(r"^<!--\s*atlas:numbers(?![\w-])([^>]*?)-->[ \t]*$", re.M)


@dataclass
class Record:
    file: Path
    line: int
    fields: dict
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.fields.get(name, default)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


class AtlasSyntaxError(Exception):
    def __init__(self, file: Path, line: int, message: str):
        super().__init__(message)
        self.file, self.line, self.message = file, line, message


# libyaml's parser when PyYAML was built with it (several times faster on the results file).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: Path) -> list[Record]:
    """The records of one data file (a YAML list of mappings), with line numbers. Parsing the
    results file takes about a second, so the records are also kept in the build's cache folder,
    keyed by a hash of the file's bytes."""
    data = path.read_bytes()
    cached = cache_dir(ROOT) / f"atlas-{path.stem}-{hashlib.sha256(data).hexdigest()[:32]}.pickle"
    try:
        records = pickle.loads(cached.read_bytes())
        return [Record(path, r.line, r.fields, r.field_lines) for r in records]
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
        records = _read(path, data.decode("utf-8"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"atlas-{path.stem}-*.pickle"):
            old.unlink()
        cached.write_bytes(pickle.dumps(records))
    except OSError:
        pass  # a read-only checkout parses every time
    return records


def _read(path: Path, text: str) -> list[Record]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # nodes, for line numbers
        values = loader.construct_document(root) if root is not None else None  # plain values, from the same parse
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AtlasSyntaxError(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise AtlasSyntaxError(path, root.start_mark.line + 1, "the file must be a YAML list of records ('- id: ...')")
    records = []
    for item, fields in zip(root.value, values, strict=True):
        if not isinstance(item, yaml.MappingNode) or not isinstance(fields, dict):
            raise AtlasSyntaxError(path, item.start_mark.line + 1, "each list item must be a mapping of fields")
        lines = {key.value: key.start_mark.line + 1 for key, _ in item.value}
        records.append(Record(path, item.start_mark.line + 1, fields, lines))
    return records


@dataclass
class Atlas:
    models: list[Record]
    benchmarks: list[Record]
    results: list[Record]

    def model(self, model_id: str) -> Record | None:
        return next((m for m in self.models if m.get("id") == model_id), None)

    def benchmark(self, benchmark_id: str) -> Record | None:
        return next((b for b in self.benchmarks if b.get("id") == benchmark_id), None)

    def bib_keys(self) -> set[str]:
        """Every references.bib key the data refers to."""
        keys = {m.get("paper") for m in self.models} | {b.get("paper") for b in self.benchmarks}
        keys |= {r.get("source") for r in self.results}
        for m in self.models:
            keys |= set(deploy_sources(m))
        return {k for k in keys if isinstance(k, str)}


def deploy_sources(model: Record) -> list:
    """The bib keys a model's `deploy` block cites (`source`: one key or a list of keys)."""
    deploy = model.get("deploy")
    source = deploy.get("source") if isinstance(deploy, dict) else None
    if source is None:
        return []
    return list(source) if isinstance(source, list) else [source]


@dataclass
class ChooserMarker:
    line: int
    start: int
    end: int
    ids: list[str]


def chooser_markers(text: str) -> list[ChooserMarker]:
    """Every chooser marker of a page, with its line and the model ids in display order."""
    return [ChooserMarker(line_of(text, m.start()), m.start(), m.end(), m.group(1).split()) for m in CHOOSER.finditer(text)]


@dataclass
class NumbersMarker:
    """A page's `<!-- atlas:numbers ... -->`: it lists the models released from `since` up to, not
    including, `before` (either open); `error` says why its arguments cannot be read."""

    line: int
    start: int
    end: int
    since: int | None = None
    before: int | None = None
    error: str | None = None

    def covers(self, model: Record) -> bool:
        year = release_year(model)
        return (
            self.error is None
            and year is not None
            and (self.since is None or year >= self.since)
            and (self.before is None or year < self.before)
        )

    def overlaps(self, other: NumbersMarker) -> bool:
        lo = max(self.since or 0, other.since or 0)
        hi = min(self.before or 10_000, other.before or 10_000)
        return self.error is None and other.error is None and lo < hi

    def years(self) -> str:
        """The range in words: 'since 2025', 'before 2025', '2023 to 2024', 'every year'."""
        if self.since is not None and self.before is not None:
            return f"{self.since} to {self.before - 1}"
        if self.since is not None:
            return f"since {self.since}"
        return f"before {self.before}" if self.before is not None else "every year"


def release_year(model: Record) -> int | None:
    """The year of a model's `released` (YYYY-MM), or None when it does not start with one."""
    m = re.match(r"(\d{4})", str(model.get("released") or ""))
    return int(m.group(1)) if m else None


def numbers_markers(text: str) -> list[NumbersMarker]:
    """Every numbers marker of a page, with its line and its range of release years."""
    out = []
    for m in NUMBERS.finditer(text):
        marker = NumbersMarker(line_of(text, m.start()), m.start(), m.end())
        for arg in m.group(1).split():
            name, _, value = arg.partition("=")
            if name not in ("since", "before") or not re.fullmatch(r"\d{4}", value):
                marker.error = f"atlas:numbers takes since=YYYY and before=YYYY, not '{arg}'"
            else:
                setattr(marker, name, int(value))
        if marker.error is None and marker.since is not None and marker.before is not None and marker.since >= marker.before:
            marker.error = (
                f"atlas:numbers since={marker.since} before={marker.before} lists no year: since must come before before"
            )
        out.append(marker)
    return out


def numbers_pages(docs: Path) -> list[tuple[Path, NumbersMarker]]:
    """Every numbers marker in the site's pages, with its page, in page order."""
    from scripts.sources.markdown import doc_pages

    found = []
    for path in doc_pages(docs):
        text = path.read_text(encoding="utf-8")
        if "atlas:numbers" in text:
            found += [(path, marker) for marker in numbers_markers(text)]
    return found


def numbers_page(model: Record, pages: list[tuple[Path, NumbersMarker]]) -> Path | None:
    """The page whose numbers marker lists the model (the first, should two), or None."""
    return next((path for path, marker in pages if marker.covers(model)), None)


def numbers_errors(pages: list[tuple[Path, NumbersMarker]], atlas: Atlas) -> list[tuple[Path, int, str]]:
    """(file, line, message) for a numbers marker that cannot be read or lists years another one
    lists too, and (data/models.yaml, line, message) for a model with numbers that no page lists
    (only when some page has a numbers marker: a site may leave the numbers out)."""
    errors = [(path, m.line, m.error) for path, m in pages if m.error]
    for i, (path, m) in enumerate(pages):
        for other_path, other in pages[:i]:
            if m.overlaps(other):
                errors.append(
                    (
                        path,
                        m.line,
                        f"atlas:numbers {m.years()} lists years that {other_path.name}:{other.line} ({other.years()}) lists too",
                    )
                )
    if not pages:
        return errors
    with_numbers = {r.get("model") for r in atlas.results}
    for model in atlas.models:
        if model.get("id") in with_numbers and numbers_page(model, pages) is None:
            errors.append(
                (
                    model.file,
                    model.line_of("released"),
                    f"model '{model.get('id')}' (released {model.get('released')}) has numbers that no page lists: "
                    "widen the range of an `<!-- atlas:numbers -->` marker or add a page with one",
                )
            )
    return errors


def chooser_errors(ids: list[str], atlas: Atlas) -> list[str]:
    """Why a chooser marker's list cannot be rendered (empty when it can): no ids, an unknown or
    repeated id, or a model without a `deploy` block."""
    if not ids:
        return ["chooser names no model: list the model ids, like '<!-- chooser: qwen3-vl llama-4 -->'"]
    errors, seen = [], set()
    for model_id in ids:
        m = atlas.model(model_id)
        if model_id in seen:
            errors.append(f"chooser lists model '{model_id}' twice: keep one")
        elif m is None:
            errors.append(f"chooser names unknown model '{model_id}': add it to data/models.yaml or fix the id")
        elif not isinstance(m.get("deploy"), dict):
            errors.append(
                f"chooser lists model '{model_id}', which has no deploy block in data/models.yaml: add one "
                '(CONTRIBUTING.md, "How to add to the Atlas") or drop the id'
            )
        seen.add(model_id)
    return errors


def load(data: Path = DATA) -> Atlas:
    """The whole Atlas; a missing file reads as no records. Raises AtlasSyntaxError. Read once per
    process while the files are unchanged (the checks and the bibliography rules both ask)."""
    stamp = tuple((data / f"{name}.yaml").stat().st_mtime_ns if (data / f"{name}.yaml").is_file() else None for name in FILES)
    return _load(Path(data).resolve(), stamp)


@functools.lru_cache(maxsize=4)
def _load(data: Path, stamp: tuple) -> Atlas:
    parts = {name: read(data / f"{name}.yaml") if (data / f"{name}.yaml").is_file() else [] for name in FILES}
    return Atlas(**parts)
