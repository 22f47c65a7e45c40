"""The code's layers (CONTRIBUTING.md, "How the code is organized"):

    scripts/sources   reads the guide's sources; imports nothing else of scripts/
    scripts/checks    the rules; imports sources (and checks), never hooks or tools
    scripts/hooks     build extensions; imports sources (and hooks), never checks or tools
    scripts/tools     contributor tools and drivers; imports sources, checks and tools, never hooks

and no import circles anywhere, counting imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scripts.sources.project import ROOT

ALLOWED = {
    "sources": {"sources"},
    "checks": {"sources", "checks"},
    "hooks": {"sources", "hooks"},
    "tools": {"sources", "checks", "tools"},
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the scripts.* modules it imports (packages resolved to the module imported)."""
    modules = {module_name(p, root): p for p in sorted((root / "scripts").rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def violations(root: Path) -> list[str]:
    graph = import_graph(root)
    out = []
    for name, deps in sorted(graph.items()):
        layer = name.split(".")[1] if name.count(".") >= 1 else None
        if layer not in ALLOWED:
            continue
        for dep in sorted(deps):
            dep_layer = dep.split(".")[1] if dep.count(".") >= 1 else None
            if dep_layer in ALLOWED and dep_layer not in ALLOWED[layer]:
                out.append(f"{name} imports {dep}: {layer} may import only {sorted(ALLOWED[layer])}")
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                out.append("import circle: " + " -> ".join(stack[stack.index(dep) :] + [dep]))
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return out


def test_the_code_keeps_its_layers_and_has_no_import_circles():
    assert violations(ROOT) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "scripts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"checks/a.py": "from scripts.hooks import b\n", "hooks/b.py": ""},
            "scripts.checks.a imports scripts.hooks.b: checks may import only ['checks', 'sources']",
        ),
        (
            {"hooks/b.py": "def f():\n    from scripts.checks.a import rule\n", "checks/a.py": "rule = 1\n"},
            "scripts.hooks.b imports scripts.checks.a: hooks may import only ['hooks', 'sources']",
        ),
        (
            {"sources/x.py": "from scripts.sources import y\n", "sources/y.py": "import scripts.sources.x\n"},
            "import circle: scripts.sources.x -> scripts.sources.y -> scripts.sources.x",
        ),
    ],
)
def test_a_broken_layering_is_reported(tmp_path, files, expected):
    write(tmp_path, {"__init__.py": "", **files})
    assert expected in violations(tmp_path)
