"""Source-level checks of docs/: citations, links, anchors, images, headings, nav and README.

All checks read the Markdown with code masked (scripts.common.mask_code), so what they see as
a citation or a link is what the build will treat as one, and each failure has a file and line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify as _md_slugify

from scripts.common import DOCS, MKDOCS_YML, README, ROOT, Problem, line_of, mask_code, rel
from scripts.toc import Chapter, load_toc, render_readme_toc

# Exactly the block pattern mkdocs-bibtex uses: a citation must not contain ']' or a line break.
BLOCK_RE = re.compile(r"\[(.*?)\]")
PURE_CITATION = re.compile(r"^\s*@[\w-]+(\s*;\s*@[\w-]+)*\s*$")
KEY_IN_BLOCK = re.compile(r"@([\w-]+)")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
ATTR_ID_RE = re.compile(r"\{[:\s]*[^}]*#([\w\-:.]+)[^}]*\}")
HTML_ID_RE = re.compile(r"<[a-zA-Z][^>]*\sid=[\"']([^\"']+)[\"']")
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF_RE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
HTML_LINK_RE = re.compile(r"<(a|img)\b([^>]*)>", re.I)
ATTR_RE = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
SNIPPET_RE = re.compile(r"^(?P<indent>[ \t]*)-{1,}8<-{1,}[ \t]+\"(?P<file>[^\"]+)\"[ \t]*$", re.M)
PLACEHOLDER_RE = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|coming soon|lorem ipsum", re.I)
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


# Pages the build generates that have no Markdown source (mkdocs-print-site-plugin's print page).
GENERATED_PAGES = ("print_page/",)

# Folders of docs/ that hold no pages (mkdocs.yml `exclude_docs`): snippets and theme overrides.
EXCLUDED_DIRS = ("includes", "overrides")


def doc_pages(docs: Path = DOCS) -> list[Path]:
    """Every Markdown page of the site, in a stable order (not the excluded folders)."""
    return sorted(p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] not in EXCLUDED_DIRS)


def slugify(text: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (MkDocs' default)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return _md_slugify(text, "-")


@dataclass(frozen=True)
class Citation:
    path: Path
    line: int
    key: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    anchor: str


def expand_snippets(text: str, base: Path = ROOT) -> str:
    """Inline pymdownx.snippets includes (`--8<-- "FILE"`, paths relative to the project root)."""

    def include(m: re.Match) -> str:
        target = base / m.group("file")
        return target.read_text(encoding="utf-8") if target.is_file() else m.group(0)

    return SNIPPET_RE.sub(include, text)


def headings(text: str) -> list[Heading]:
    """ATX headings outside code, with the anchors the toc extension will give them."""
    masked = mask_code(text)
    out: list[Heading] = []
    used: set[str] = set()
    for m in HEADING_RE.finditer(masked):
        raw = m.group(2)
        explicit = ATTR_ID_RE.search(raw)
        title = ATTR_ID_RE.sub("", raw).strip()
        anchor = explicit.group(1) if explicit else slugify(title)
        base, n = anchor, 0
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        out.append(Heading(len(m.group(1)), title, line_of(masked, m.start()), anchor))
    return out


def page_anchors(path: Path, bib_keys: set[str] | None = None) -> set[str]:
    """Every id a built page will have that a link may target."""
    text = expand_snippets(path.read_text(encoding="utf-8"))
    masked = mask_code(text)
    ids = {h.anchor for h in headings(text)}
    ids |= set(ATTR_ID_RE.findall(masked))
    ids |= set(HTML_ID_RE.findall(masked))
    if path.name == "references.md" and bib_keys:
        from scripts.references import anchor_for

        ids |= {anchor_for(k) for k in bib_keys}
    return ids


def iter_citations(docs: Path = DOCS):
    for path in doc_pages(docs):
        masked = mask_code(expand_snippets(path.read_text(encoding="utf-8")))
        for m in BLOCK_RE.finditer(masked):
            if PURE_CITATION.match(m.group(1)):
                for k in KEY_IN_BLOCK.finditer(m.group(1)):
                    yield Citation(path, line_of(masked, m.start()), k.group(1))


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


def links(text: str):
    """(offset, is_image, text_or_alt, target) for Markdown and HTML links and images outside code."""
    masked = mask_code(text)
    for m in LINK_RE.finditer(masked):
        yield m.start(), m.group(1) == "!", m.group(2), m.group(3)
    for m in REFDEF_RE.finditer(masked):
        if not m.group(1).startswith("^"):
            yield m.start(), False, m.group(1), m.group(2)
    for m in HTML_LINK_RE.finditer(masked):
        attrs = {a.lower(): (v1 if v1 is not None and v1 != "" else v2 or "") for a, v1, v2 in ATTR_RE.findall(m.group(2))}
        if m.group(1).lower() == "img":
            yield m.start(), True, attrs.get("alt", ""), attrs.get("src", "")
        elif "href" in attrs:
            yield m.start(), False, "", attrs["href"]


def check_links(docs: Path, bib_keys: set[str] | None) -> list[Problem]:
    """Internal links and anchors resolve; images exist and have alt text; no absolute links.
    With bib_keys None (references.bib did not parse), links to #ref-<key> anchors are not judged."""
    problems: list[Problem] = []
    anchor_cache: dict[Path, set[str]] = {}

    def anchors(p: Path) -> set[str]:
        if p not in anchor_cache:
            anchor_cache[p] = page_anchors(p, bib_keys or set())
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


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving !ENV or python tags."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config(mkdocs_yml: Path = MKDOCS_YML) -> dict:
    """mkdocs.yml as plain data (!ENV and python tags read as None)."""
    return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def nav_files(mkdocs_yml: Path = MKDOCS_YML) -> list[tuple[str, int]]:
    """(file, line) of each page in nav, in order (nested groups flattened)."""
    text = mkdocs_yml.read_text(encoding="utf-8")
    nav = mkdocs_config(mkdocs_yml).get("nav") or []
    out: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and not EXTERNAL.match(value):
                m = re.search(r"^\s*-.*?\b" + re.escape(value) + r"\s*$", text, re.M)
                out.append((value, line_of(text, m.start()) if m else 1))

    walk(nav)
    return out


def check_nav_and_headings(docs: Path, toc: list[Chapter], mkdocs_yml: Path = MKDOCS_YML) -> list[Problem]:
    """Nav = Home, the TOC's chapters in order, References, Glossary; every TOC bullet is an H2; no page outside nav."""
    problems: list[Problem] = []
    yml = rel(mkdocs_yml)
    nav = nav_files(mkdocs_yml)
    expected = ["index.md"] + [c.file for c in toc] + ["references.md", "glossary.md"]
    got = [f for f, _ in nav]
    if got != expected:
        for i, want in enumerate(expected):
            have, line = nav[i] if i < len(nav) else ("(nothing)", nav[-1][1] if nav else 1)
            if have != want:
                problems.append(
                    Problem(
                        yml,
                        line,
                        f"nav entry {i + 1} is '{have}' but the TOC (scripts/toc.yml) puts '{want}' there: nav must be Home, the 14 TOC chapters in order, References, Glossary",
                    )
                )
                break
        if len(got) > len(expected):
            problems.append(Problem(yml, nav[len(expected)][1], f"nav has extra entry '{nav[len(expected)][0]}' beyond the TOC"))
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
        text = expand_snippets(path.read_text(encoding="utf-8"))
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
    start, end = "<!-- toc:start -->", "<!-- toc:end -->"
    if start not in text or end not in text:
        return [Problem(rel(readme), 1, f"README has no table of contents between '{start}' and '{end}': run 'make toc'")]
    body = text.split(start, 1)[1].split(end, 1)[0].strip("\n")
    if body != render_readme_toc(toc).strip("\n"):
        line = line_of(text, text.index(start)) + 1
        return [
            Problem(rel(readme), line, "README's table of contents differs from scripts/toc.yml: run 'make toc' to regenerate it")
        ]
    return []


def check_all(
    docs: Path = DOCS, bib_keys: set[str] | None = None, mkdocs_yml: Path = MKDOCS_YML, readme: Path = README
) -> list[Problem]:
    """Every Markdown check. With bib_keys None (references.bib did not parse), citation keys are
    not checked, so the bibliography's own syntax error is the one failure reported for them."""
    toc = load_toc()
    citations = check_citations(docs, bib_keys) if bib_keys is not None else []
    return (
        citations
        + check_links(docs, bib_keys)
        + check_placeholders(docs)
        + check_math(docs)
        + check_nav_and_headings(docs, toc, mkdocs_yml)
        + check_readme_toc(toc, readme)
    )
