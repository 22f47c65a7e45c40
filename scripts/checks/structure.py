"""Structure rules: nav follows the table of contents (scripts/toc.yml), every chapter has its H1
and one cited H2 per TOC bullet, and the README's table of contents matches."""

from __future__ import annotations

from pathlib import Path

from scripts.sources.config import nav_files
from scripts.sources.markdown import BLOCK_RE, PURE_CITATION, doc_pages, expand_snippets, headings, mask_code
from scripts.sources.project import MKDOCS_YML, README, ROOT, Problem, line_of, rel
from scripts.sources.toc import README_TOC_END, README_TOC_START, Chapter, render_readme_toc

# Pages in nav that are not TOC chapters; they may sit in any nav group after Home.
EXTRA_PAGES = ("references.md", "glossary.md")


def check_nav_and_headings(docs: Path, toc: list[Chapter], mkdocs_yml: Path = MKDOCS_YML, root: Path = ROOT) -> list[Problem]:
    """Nav = Home, then the TOC's chapters in order (nav groups flattened), with the pages of
    EXTRA_PAGES anywhere after Home; every TOC bullet is an H2; no page outside nav."""
    problems: list[Problem] = []
    yml = rel(mkdocs_yml)
    nav = nav_files(mkdocs_yml)
    got = [f for f, _ in nav]
    chapters = {f for c in toc for f in [c.file, *c.companions]}
    expected = ["index.md"] + [f for c in toc for f in [c.file, *c.companions]]
    ordered = [(f, line) for f, line in nav if f == "index.md" or f in chapters]
    for i, want in enumerate(expected):
        have, line = ordered[i] if i < len(ordered) else ("(nothing)", nav[-1][1] if nav else 1)
        if have != want:
            problems.append(
                Problem(
                    yml,
                    line,
                    f"nav has '{have}' where the TOC (scripts/toc.yml) puts '{want}': nav must be Home, then the TOC chapters in order (groups allowed), with {', '.join(EXTRA_PAGES)} anywhere after Home",
                )
            )
            break
    for f, line in nav:
        if f != "index.md" and f not in chapters and f not in EXTRA_PAGES:
            problems.append(
                Problem(yml, line, f"nav has extra entry '{f}' beyond the TOC: add it to scripts/toc.yml or to EXTRA_PAGES")
            )
    for f in EXTRA_PAGES:
        if f not in got:
            problems.append(Problem(yml, nav[-1][1] if nav else 1, f"nav lacks '{f}': add it to mkdocs.yml nav"))
    in_nav = set(got)
    for path in doc_pages(docs):
        page = path.relative_to(docs).as_posix()
        if page not in in_nav:
            problems.append(
                Problem(
                    rel(path), 1, "page is not in nav: add it to mkdocs.yml nav (chapters follow scripts/toc.yml) or delete it"
                )
            )
    for chapter in toc:
        path = docs / chapter.file
        if not path.exists():
            problems.append(
                Problem(
                    rel(path),
                    1,
                    f"chapter '{chapter.title}' is missing: create {chapter.file} with its H1 and one H2 per TOC bullet",
                )
            )
            continue
        text = expand_snippets(path.read_text(encoding="utf-8"), root)
        hs = headings(text)
        h1 = [h for h in hs if h.level == 1]
        if len(h1) != 1 or h1[0].text != chapter.title:
            line = h1[0].line if h1 else 1
            problems.append(Problem(rel(path), line, f"the page needs exactly one H1 '# {chapter.title}' (the TOC title)"))
        if not chapter.sections:
            continue
        h2 = [h for h in hs if h.level == 2]
        titles = [h.text for h in h2]
        want = [s.title for s in chapter.sections]
        if titles != want:
            for i, w in enumerate(want):
                have = titles[i] if i < len(titles) else None
                if have != w:
                    line = h2[i].line if i < len(h2) else (h2[-1].line if h2 else 1)
                    problems.append(
                        Problem(
                            rel(path),
                            line,
                            f"H2 {i + 1} should be '## {w}' (TOC bullet {i + 1}, scripts/toc.yml), found {('## ' + have) if have else 'nothing'}",
                        )
                    )
                    break
            if len(titles) > len(want):
                problems.append(
                    Problem(
                        rel(path),
                        h2[len(want)].line,
                        f"extra H2 '## {titles[len(want)]}': each H2 is a TOC bullet; make it an H3 inside a section",
                    )
                )
            continue
        masked = mask_code(text)
        bounds = [h.line for h in h2] + [text.count("\n") + 2]
        lines = masked.split("\n")
        for i, section in enumerate(chapter.sections):
            body = "\n".join(lines[bounds[i] : bounds[i + 1] - 1])
            sub = [h for h in hs if h.level == 3 and bounds[i] < h.line < bounds[i + 1]]
            it = iter(h.text for h in sub)
            if not all(s in it for s in section.subsections):
                problems.append(
                    Problem(
                        rel(path),
                        bounds[i],
                        f"section '{section.title}' needs the H3s {section.subsections} in this order (TOC sub-bullets)",
                    )
                )
            if not any(PURE_CITATION.match(m.group(1)) for m in BLOCK_RE.finditer(body)):
                problems.append(
                    Problem(
                        rel(path),
                        bounds[i],
                        f"section '{section.title}' has no cited paragraph: every TOC section holds real prose with at least one [@key] citation",
                    )
                )
    return problems


def check_readme_toc(toc: list[Chapter], readme: Path = README) -> list[Problem]:
    text = readme.read_text(encoding="utf-8")
    start, end = README_TOC_START, README_TOC_END
    if start not in text or end not in text:
        return [Problem(rel(readme), 1, f"README has no table of contents between '{start}' and '{end}': run 'make toc'")]
    body = text.split(start, 1)[1].split(end, 1)[0].strip("\n")
    if body != render_readme_toc(toc).strip("\n"):
        line = line_of(text, text.index(start)) + 1
        return [
            Problem(rel(readme), line, "README's table of contents differs from scripts/toc.yml: run 'make toc' to regenerate it")
        ]
    return []
