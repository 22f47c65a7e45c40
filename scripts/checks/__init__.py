"""The guide's checks. Each module holds the rules for one kind of source; `run` applies every
source rule to a project (the guide, or a fixture site in the tests) and `main` is `make check`.

Checks read the sources through scripts.sources and never import a build extension
(scripts.hooks); tests/test_layers.py enforces that.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from scripts.sources import atlas as atlas_data
from scripts.sources.bibtex import BibSyntaxError, load
from scripts.sources.memo import Memo, files_digest
from scripts.sources.project import GUIDE, Problem, Project, report
from scripts.sources.toc import load_toc

CODE = Path(__file__).resolve().parents[1]


def _memo(project: Project, kind: str, modules: tuple[str, ...]) -> Memo:
    """Per-page results of the slower prose rules, cached by a hash of the page, the data, the
    names file and the code that computes them."""
    inputs = [project.data / f"{n}.yaml" for n in atlas_data.FILES] + [project.root / "scripts" / "names.yml"]
    inputs += [CODE / m for m in modules]
    return Memo(project.root, kind, files_digest(inputs))


_PROSE_CODE = ("sources/prose.py", "sources/names.py", "sources/markdown.py", "sources/facts.py", "sources/atlas.py")


def prose_rules(project: Project) -> list[Problem]:
    """The rules that read prose against the data and the names file."""
    from scripts.checks import facts, names

    try:
        atlas = atlas_data.load(project.data)
    except atlas_data.AtlasSyntaxError:
        return []  # the Atlas check reports the file's error
    found = []
    for module, kind in ((facts, "facts"), (names, "names")):
        memo = _memo(project, kind, (*_PROSE_CODE, f"checks/{kind}.py"))
        found += module.check(project.docs, atlas, project.root, memo)
        memo.save()
    return [_relative(p, project.root) for p in found]


def run(project: Project = GUIDE) -> list[Problem]:
    """Every source rule. A project without scripts/toc.yml (a fixture site) skips the structure
    rules; paths in messages are relative to the project's root."""
    from scripts.checks import atlas, bib, dated, markdown, structure

    problems = bib.check(project.bib, project.docs)
    try:
        keys = set(load(project.bib))
    except (BibSyntaxError, OSError):
        keys = None  # citations cannot be checked against a broken file; its own error says why
    if keys is not None:
        problems += markdown.check_citations(project.docs, keys)
    problems += markdown.check_links(project.docs, keys, project.root)
    problems += markdown.check_placeholders(project.docs)
    problems += markdown.check_math(project.docs)
    problems += markdown.check_python_blocks(project.docs)
    problems += dated.check(project.docs)
    problems += atlas.check(project.data, keys)
    try:
        loaded = atlas_data.load(project.data)
        problems += atlas.check_choosers(project.docs, loaded, project.root)
        problems += atlas.check_numbers_pages(project.docs, loaded, project.root)
    except atlas_data.AtlasSyntaxError:
        pass  # the Atlas check reports the file's error
    problems += prose_rules(project)
    if project.toc.is_file():
        toc = load_toc(project.toc)
        problems += structure.check_nav_and_headings(project.docs, toc, project.mkdocs_yml, project.root)
        problems += structure.check_readme_toc(toc, project.readme)
    return [_relative(p, project.root) for p in problems]


def _relative(problem: Problem, root: Path) -> Problem:
    path = Path(problem.path)
    if path.is_absolute() and path.is_relative_to(root):
        return Problem(path.relative_to(root).as_posix(), problem.line, problem.message)
    return problem


def report_text(project: Project = GUIDE) -> str:
    """The reports `make check` prints (scripts/checks/reports.py)."""
    from scripts.checks import reports as reports_module

    try:
        atlas = atlas_data.load(project.data)
    except atlas_data.AtlasSyntaxError:
        return ""
    skip = ("references.md", "contributing.md", "license.md", "glossary.md", "index.md")
    if project.toc.is_file():
        chapters = [project.docs / c.file for c in load_toc(project.toc) if c.file not in skip]
    else:
        chapters = [p for p in sorted(project.docs.glob("*.md")) if p.name not in skip and not p.name.startswith("atlas")]
    memo = _memo(project, "reports", (*_PROSE_CODE, "checks/reports.py"))
    text = reports_module.build([c for c in chapters if c.is_file()], atlas, project.root, memo)
    memo.save()
    return text + "\n\n" + typed_report(project, atlas)


def typed_report(project: Project, atlas) -> str:
    """Numbers the Atlas holds that the prose types by hand (facts live once: write a reference)."""
    from scripts.checks import facts

    memo = _memo(project, "facts", (*_PROSE_CODE, "checks/facts.py"))
    typed = [_relative(p, project.root) for p in facts.findings(project.docs, atlas, project.root, memo)[1]]
    memo.save()
    per_page = Counter(p.path for p in typed)
    out = [f"Atlas numbers typed by hand instead of referenced ({len(typed)}):"]
    out += [f"  {page}: {n}" for page, n in per_page.most_common()]
    out += [f"  {p}" for p in typed]
    return "\n".join(out)


def main() -> int:
    problems = run()
    print(report_text())
    print()
    return report(problems, "check")
