"""The names the guide uses for models, benchmarks and everything else, and where prose mentions
them. Canonical spellings and accepted aliases live in one place: `name` and `aliases` of each
record in data/models.yaml and data/benchmarks.yaml, and scripts/names.yml for the aliases the data
does not hold yet and for names outside the Atlas. No rules live here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.sources.atlas import Atlas, Record

NAMES_FILE = Path("scripts") / "names.yml"
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


@dataclass
class Names:
    models: dict[str, list[str]]  # Atlas id -> accepted spellings, canonical first
    benchmarks: dict[str, list[str]]
    others: list[dict] = field(default_factory=list)  # {name, not: [...], note}
    acronyms: dict[str, dict] = field(default_factory=dict)


def read_file(root: Path) -> dict:
    path = Path(root) / NAMES_FILE
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def spellings(record: Record, extra: dict[str, list[str]]) -> list[str]:
    """A record's accepted spellings: its name, the name without a parenthesis and the
    parenthesis itself ('GPT-4V(ision)' gives 'GPT-4V'), its aliases (in the data, then in
    scripts/names.yml) and its id when the id reads as a name."""
    name = str(record.get("name") or record.get("id"))
    out = [name]
    bare = _PAREN.sub(" ", name).strip()
    if bare != name:
        out.append(bare)
        out += [p for p in _PAREN.findall(name) if len(p) > 2 and not p.islower()]
    out += [str(a) for a in (record.get("aliases") or [])]
    out += [str(a) for a in extra.get(str(record.get("id")), [])]
    seen: list[str] = []
    for s in out:
        if s and s not in seen:
            seen.append(s)
    return seen


def load(atlas: Atlas, root: Path) -> Names:
    data = read_file(root)
    extra = data.get("aliases") or {}
    return Names(
        models={str(m.get("id")): spellings(m, extra) for m in atlas.models},
        benchmarks={str(b.get("id")): spellings(b, extra) for b in atlas.benchmarks},
        others=list(data.get("names") or []),
        acronyms=dict(data.get("acronyms") or {}),
    )


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    id: str
    surface: str


# After a model name: its own letters or digits may not continue ("Qwen2-VLx"), nor a version
# (".5"); a hyphen or a space may (a variant such as "-72B" or " Pro" follows).
_MODEL_END = r"(?![\w]|\.\d)"
# After a benchmark name a hyphenated word is a different benchmark ("MME-RealWorld").
_BENCH_END = r"(?![\w]|\.\d|-[A-Za-z])"


class Matcher:
    """Finds the accepted spellings of a set of names in text, longest first, case-sensitive."""

    def __init__(self, table: dict[str, list[str]], end: str, min_length: int = 2):
        pairs = sorted(((s, i) for i, ss in table.items() for s in ss if len(s) >= min_length), key=lambda p: -len(p[0]))
        self._ids = {s: i for s, i in reversed(pairs)}
        self._rx = re.compile(r"(?<![\w.\-])(?:" + "|".join(re.escape(s) for s, _ in pairs) + ")" + end) if pairs else None

    def find(self, text: str) -> list[Mention]:
        if self._rx is None:
            return []
        return [Mention(m.start(), m.end(), self._ids[m.group(0)], m.group(0)) for m in self._rx.finditer(text)]


def model_matcher(names: Names) -> Matcher:
    return Matcher(names.models, _MODEL_END)


def benchmark_matcher(names: Names) -> Matcher:
    return Matcher(names.benchmarks, _BENCH_END, min_length=3)


_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+|[^\w\s]", re.U)


def loose_pattern(spelling: str) -> str:
    """A regex for a spelling with free spaces, hyphens and middle dots between its parts, so
    'Llama 3.2-Vision' also finds 'Llama 3.2 Vision' and 'InternVL 2.5' finds 'InternVL2.5'."""
    parts = [t for t in _TOKEN.findall(spelling) if t not in "-·"]
    return r"[\s\-·]*".join(re.escape(p) for p in parts)
