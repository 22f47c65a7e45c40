"""Reading the MLLM Atlas data (data/models.yaml, data/benchmarks.yaml, data/results.yaml): each
record with the line it starts on, so every rule about it can name its file and line. No rules
live here (they are in scripts.checks.atlas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.sources.project import DATA

FILES = ("models", "benchmarks", "results")


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


def _plain(node: yaml.Node):
    return yaml.safe_load(yaml.serialize(node))


def read(path: Path) -> list[Record]:
    """The records of one data file (a YAML list of mappings), with line numbers."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AtlasSyntaxError(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc}") from exc
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise AtlasSyntaxError(path, root.start_mark.line + 1, "the file must be a YAML list of records ('- id: ...')")
    records = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            raise AtlasSyntaxError(path, item.start_mark.line + 1, "each list item must be a mapping of fields")
        fields, lines = {}, {}
        for key, value in item.value:
            name = _plain(key)
            fields[name] = _plain(value)
            lines[name] = key.start_mark.line + 1
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
        return {k for k in keys if isinstance(k, str)}


def load(data: Path = DATA) -> Atlas:
    """The whole Atlas; a missing file reads as no records. Raises AtlasSyntaxError."""
    parts = {name: read(data / f"{name}.yaml") if (data / f"{name}.yaml").is_file() else [] for name in FILES}
    return Atlas(**parts)
