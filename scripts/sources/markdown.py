"""Reading the guide's Markdown as the build will: code masked, snippets expanded, headings with
their anchors, citations, links and images. No rules live here; the checks and the build
extensions both read pages through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify as _md_slugify

from scripts.sources.bibtex import ref_anchor
from scripts.sources.project import DOCS, ROOT, line_of

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, inline code spans and HTML comments."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    pos = 0
    block_start = 0
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, block_start = m.group("fence"), pos
        elif (
            fence is not None
            and m
            and line.strip() == m.group("fence")
            and m.group("fence")[0] == fence[0]
            and len(m.group("fence")) >= len(fence)
        ):
            fence = None
            spans.append((block_start, pos + len(line)))
        pos += len(line)
    if fence is not None:
        spans.append((block_start, len(text)))
    outside = _apply(text, spans, lambda s: "\0" * len(s))  # keep offsets, hide fenced blocks
    for rx in (_HTML_COMMENT, _INLINE_CODE):
        for m in rx.finditer(outside):
            spans.append((m.start(), m.end()))
        outside = _apply(outside, spans, lambda s: "\0" * len(s))
    return sorted(spans)


def _apply(text: str, spans: list[tuple[int, int]], fn) -> str:
    out, last = [], 0
    for a, b in sorted(spans):
        if a < last:
            continue
        out.append(text[last:a])
        out.append(fn(text[a:b]))
        last = b
    out.append(text[last:])
    return "".join(out)


def mask_code(text: str) -> str:
    """Blank out code (fenced and inline) and HTML comments, keeping offsets and line numbers.

    What is left is the text mkdocs-bibtex and Markdown treat as prose, so checks run on it
    never see `[@key]` inside code as a citation.
    """
    return _apply(text, code_spans(text), lambda s: re.sub(r"[^\n]", " ", s))


def replace_in_code(text: str, old: str, new: str) -> str:
    """Replace `old` by `new` only inside code and HTML comments (used to shield '@' from mkdocs-bibtex)."""
    return _apply(text, code_spans(text), lambda s: s.replace(old, new))


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
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


# Pages the build generates that have no Markdown source (mkdocs-print-site-plugin's print page).
GENERATED_PAGES = ("print_page/", "mllm-guide.pdf")  # the PDF: `make pdf`, after the build

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


FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?^(?:---|\.\.\.)[ \t]*$", re.M | re.S)


def mask_front_matter(text: str) -> str:
    """Blank out a page's YAML front matter (keeping line numbers): its comments start with '#'
    but are not headings."""
    m = FRONT_MATTER_RE.match(text)
    return text if m is None else re.sub(r"[^\n]", " ", m.group(0)) + text[m.end() :]


def headings(text: str) -> list[Heading]:
    """ATX headings outside code and front matter, with the anchors the toc extension will give them."""
    masked = mask_front_matter(mask_code(text))
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


def page_anchors(path: Path, bib_keys: set[str] | None = None, base: Path = ROOT) -> set[str]:
    """Every id a built page will have that a link may target."""
    text = expand_snippets(path.read_text(encoding="utf-8"), base)
    masked = mask_code(text)
    ids = {h.anchor for h in headings(text)}
    ids |= set(ATTR_ID_RE.findall(masked))
    ids |= set(HTML_ID_RE.findall(masked))
    if path.name == "references.md" and bib_keys:
        ids |= {ref_anchor(k) for k in bib_keys}
    return ids


def iter_citations(docs: Path = DOCS, base: Path = ROOT):
    """Every `[@key]` citation the build will resolve, with its page and line (snippets expanded)."""
    for path in doc_pages(docs):
        masked = mask_code(expand_snippets(path.read_text(encoding="utf-8"), base))
        for m in BLOCK_RE.finditer(masked):
            if PURE_CITATION.match(m.group(1)):
                for k in KEY_IN_BLOCK.finditer(m.group(1)):
                    yield Citation(path, line_of(masked, m.start()), k.group(1))


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


@dataclass(frozen=True)
class CodeBlock:
    line: int  # line of the opening fence
    lang: str
    code: str


_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


def code_blocks(text: str) -> list[CodeBlock]:
    """Fenced code blocks in order, with their language (the first word of the info string) and
    their code, de-indented by the fence's own indentation (blocks inside admonitions)."""
    blocks: list[CodeBlock] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        lang = (m.group("info").split() or [""])[0].lstrip(".{").lower()
        body = []
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence) and set(lines[j].strip()) <= {fence[0]}):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        blocks.append(CodeBlock(i + 1, lang, "\n".join(body) + "\n"))
        i = j + 1
    return blocks
