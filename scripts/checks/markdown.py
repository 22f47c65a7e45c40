"""Source rules for the guide's Markdown: citations, links and anchors, images, math, placeholders.

Every rule reads pages through scripts.sources.markdown (code masked, snippets expanded), so what
it sees as a citation or a link is what the build will treat as one, and each failure has a file
and line.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from scripts.sources.markdown import (
    BLOCK_RE,
    EXTERNAL,
    GENERATED_PAGES,
    KEY_IN_BLOCK,
    PURE_CITATION,
    code_blocks,
    doc_pages,
    links,
    mask_code,
    page_anchors,
)
from scripts.sources.project import ROOT, Problem, line_of, rel

PLACEHOLDER_RE = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|coming soon|lorem ipsum", re.I)


def citation_problems(text: str, name: str, bib_keys: set[str]) -> list[Problem]:
    """Citation rules for one page's Markdown: keys exist in exact case, no split citations,
    no '@' in brackets that are not citations. Also called by the build hook on every page."""
    problems: list[Problem] = []
    lower = {k.lower(): k for k in bib_keys}
    masked = mask_code(text)
    for m in BLOCK_RE.finditer(masked):
        body = m.group(1)
        if "@" not in body:
            continue
        line = line_of(masked, m.start())
        if not PURE_CITATION.match(body):
            problems.append(
                Problem(
                    name,
                    line,
                    f"'@' inside brackets that are not a citation: '[{body}]'. mkdocs-bibtex would delete this text. A citation is only '[@key]' or '[@a; @b]'; move other text out of the brackets, or write '&#64;' for a literal @",
                )
            )
            continue
        for k in KEY_IN_BLOCK.finditer(body):
            key = k.group(1)
            if key in bib_keys:
                continue
            if key.lower() in lower:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"citation key '{key}' has the wrong case: write '{lower[key.lower()]}' (a wrong-case key makes a second footnote)",
                    )
                )
            else:
                close = difflib.get_close_matches(key, sorted(bib_keys), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    Problem(
                        name, line, f"unknown citation key '{key}'{hint}: add a verified entry to references.bib or fix the key"
                    )
                )
    lines = masked.split("\n")
    for i, ln in enumerate(lines):
        tail = re.search(r"\[([^\[\]]*)$", ln)
        if not tail:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "@" in tail.group(1) or re.match(r"\s*@[\w-]", nxt):
            problems.append(
                Problem(
                    name,
                    i + 1,
                    "citation split across lines: keep '[@key]' or '[@a; @b]' on one line, or the build leaves it as literal text",
                )
            )
    return problems


def check_citations(docs: Path, bib_keys: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for path in doc_pages(docs):
        problems += citation_problems(path.read_text(encoding="utf-8"), rel(path), bib_keys)
    return problems


def check_links(docs: Path, bib_keys: set[str] | None, root: Path = ROOT) -> list[Problem]:
    """Internal links and anchors resolve; images exist and have alt text; no absolute links.
    With bib_keys None (references.bib did not parse), links to #ref-<key> anchors are not judged."""
    problems: list[Problem] = []
    anchor_cache: dict[Path, set[str]] = {}

    def anchors(p: Path) -> set[str]:
        if p not in anchor_cache:
            anchor_cache[p] = page_anchors(p, bib_keys or set(), root)
        return anchor_cache[p]

    for path in doc_pages(docs):
        text = path.read_text(encoding="utf-8")
        name = rel(path)
        for offset, is_image, label, target in links(text):
            line = line_of(text, offset)
            if is_image and not label.strip():
                problems.append(Problem(name, line, f"image '{target}' has no alt text: describe what it shows in ![...]"))
            if not target or EXTERNAL.match(target) or target.split("#")[0] in GENERATED_PAGES:
                continue
            if target.startswith("/"):
                problems.append(
                    Problem(
                        name,
                        line,
                        f"absolute link '{target}': use a path relative to this page, e.g. 'training.md#pre-training-strategies'",
                    )
                )
                continue
            file_part, _, anchor = target.split("?")[0].partition("#")
            dest = (path.parent / file_part).resolve() if file_part else path
            if file_part and not dest.exists():
                what = "image" if is_image else "link"
                problems.append(
                    Problem(
                        name, line, f"{what} target '{file_part}' does not exist (relative to {rel(path.parent)}/): fix the path"
                    )
                )
                continue
            if file_part and dest.is_dir():
                problems.append(Problem(name, line, f"link '{target}' points to a folder: link to the page's .md file"))
                continue
            if bib_keys is None and dest.name == "references.md" and anchor.startswith("ref-"):
                continue
            if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                close = difflib.get_close_matches(anchor, sorted(anchors(dest)), n=1)
                hint = f" (did you mean '#{close[0]}'?)" if close else ""
                problems.append(Problem(name, line, f"anchor '#{anchor}' does not exist in {rel(dest)}{hint}"))
    return problems


_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")


def check_math(docs: Path) -> list[Problem]:
    """'<' followed by a letter inside $...$ reads as an HTML tag to Markdown's raw-HTML parser and
    breaks the blocks after it (a figure then renders as a paragraph); LaTeX's \\lt avoids that."""
    problems = []
    for path in doc_pages(docs):
        masked = mask_code(path.read_text(encoding="utf-8"))
        for m in _MATH.finditer(masked):
            for tag in _TAG_LIKE.finditer(m.group(0)):
                where = line_of(masked, m.start() + tag.start())
                problems.append(
                    Problem(
                        rel(path),
                        where,
                        f"'{tag.group(0)}' inside math reads as an HTML tag: write '\\lt {tag.group(0)[1:]}' (or put a space after '<')",
                    )
                )
    return problems


def check_placeholders(docs: Path) -> list[Problem]:
    problems = []
    for path in doc_pages(docs):
        text = path.read_text(encoding="utf-8")
        masked = mask_code(text)
        for m in PLACEHOLDER_RE.finditer(masked):
            problems.append(
                Problem(
                    rel(path), line_of(masked, m.start()), f"placeholder '{m.group(0)}': write the content or remove the line"
                )
            )
    return problems


def check_python_blocks(docs: Path) -> list[Problem]:
    """Every ```python block in the guide compiles (a reader who copies it gets valid Python)."""
    problems = []
    for path in doc_pages(docs):
        for block in code_blocks(path.read_text(encoding="utf-8")):
            if block.lang not in ("python", "py"):
                continue
            try:
                compile(block.code, f"{path.name}:{block.line}", "exec")
            except SyntaxError as exc:
                line = block.line + (exc.lineno or 1)
                problems.append(Problem(rel(path), line, f"Python code block does not compile: {exc.msg}; fix the code"))
    return problems
