"""The guide's checks. Each module holds the rules for one kind of source; `run` applies every
source rule to a project (the guide, or a fixture site in the tests) and `main` is `make check`.

Checks read the sources through scripts.sources and never import a build extension
(scripts.hooks); tests/test_layers.py enforces that.
"""

from __future__ import annotations

from pathlib import Path

from scripts.sources.bibtex import BibSyntaxError, load
from scripts.sources.project import GUIDE, Problem, Project, report
from scripts.sources.toc import load_toc


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


def main() -> int:
    return report(run(), "check")
