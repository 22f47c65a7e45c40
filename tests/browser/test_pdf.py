"""`make pdf` (scripts/tools/pdf.py): the session's built guide printed to PDF in headless Chromium,
then read back with pypdf: a title page, the table of contents, every chapter with its number and
title, each chapter's references, page numbers, an outline and working internal links."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from scripts.sources import bibtex
from scripts.sources.markdown import iter_citations
from scripts.sources.project import DOCS, ROOT
from scripts.sources.toc import chapter_numbers, load_toc


@pytest.fixture(scope="module")
def pdf(site: Path, browser, tmp_path_factory) -> Path:
    """The PDF of the session's build, printed by the session's Chromium."""
    from scripts.tools.pdf import render_pdf

    return render_pdf(site, tmp_path_factory.mktemp("pdf") / "mllm-guide.pdf", browser=browser)


def flat(text: str) -> str:
    """Text compared loosely: ligatures unfolded, case folded, letters and digits only (line
    breaks, hyphens at a line end, dashes and quotes do not matter)."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", text).casefold())


def in_text(title: str, text: str) -> bool:
    """The title's opening or closing 25 letters and digits (TeX math left out) are in the text."""
    key = flat(re.sub(r"\$[^$]*\$", "", title))
    return key[:25] in text or key[-25:] in text


def test_the_pdf_holds_the_whole_guide(pdf: Path):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = [page.extract_text() or "" for page in reader.pages]
    text = flat(" ".join(pages))
    pages = [" ".join(p.split()) for p in pages]
    assert len(pages) > 100, f"only {len(pages)} pages"
    assert "acomprehensiveguidetomultimodallargelanguagemodels" in flat(pages[0]), "no title page"
    assert "contents" in flat(pages[1]), "the table of contents does not follow the title page"
    assert all(re.search(rf"\bPage {i + 1}\b", p) for i, p in enumerate(pages[:20])), "pages are not numbered"

    numbers = chapter_numbers(load_toc())
    entries = bibtex.load()
    cited: dict[str, set[str]] = {}
    for c in iter_citations(DOCS, ROOT):
        cited.setdefault(c.path.name, set()).add(c.key)
    missing = []
    for chapter in load_toc():
        n = numbers.get(chapter.file)
        heading = flat(f"{n} {chapter.title}" if n else chapter.title)
        if heading[:40] not in text:
            missing.append(f"chapter heading {heading[:60]!r}")
        for key in sorted(cited.get(chapter.file, ())):
            if not in_text(entries[key].get("title"), text):
                missing.append(f"{chapter.file}: reference {key} ({entries[key].get('title')[:50]!r})")
    assert not missing, f"{len(missing)} missing from the PDF:\n" + "\n".join(missing[:30])

    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any(t.startswith("3 Key Components") for t in outline), outline[:20]
    internal = sum(
        1
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/Subtype") == "/Link"
        and "/Dest" in annot.get_object()
        or (annot.get_object().get("/A") or {}).get("/S") == "/GoTo"
    )
    assert internal > 1000, f"only {internal} internal links (citations, cross-references, contents)"
