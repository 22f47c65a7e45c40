"""Build extension: chapter and section numbers.

Chapters are numbered in the order of scripts/toc.yml (back matter, marked `back_matter: true`,
is not): the navigation shows "3. Key Components", the chapter's H1 starts with "3" and each H2
with "3.2", in the page and in its table of contents. The Markdown headings stay unnumbered, so
the TOC checks compare plain titles; the numbers are added to the HTML here, before the print page
collects each page, so the print page and the PDF carry the same numbers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.sources.toc import chapter_numbers, load_toc  # noqa: E402

_H1 = re.compile(r'(<h1 id="[^"]*">)')
_H2 = re.compile(r'<h2 id="([^"]*)">')


_numbers: dict[str, int] = {}


def on_config(config):
    """Read the TOC once per build."""
    global _numbers
    toc = Path(config.config_file_path).parent / "scripts" / "toc.yml"
    _numbers = chapter_numbers(load_toc(toc)) if toc.is_file() else {}
    return config


def number_span(label: str) -> str:
    return f'<span class="heading-number">{label}</span> '


def number_headings(html_text: str, chapter: int, skip: tuple[str, ...] = ("cited-works",)) -> tuple[str, dict[str, str]]:
    """The page's H1 gets the chapter number, each H2 (except the References list) n.k.
    Returns the HTML and {H2 id: its number}."""
    html_text = _H1.sub(lambda m: m.group(1) + number_span(str(chapter)), html_text, count=1)
    labels: dict[str, str] = {}

    def h2(m: re.Match) -> str:
        if m.group(1) in skip:
            return m.group(0)
        labels[m.group(1)] = f"{chapter}.{len(labels) + 1}"
        return m.group(0) + number_span(labels[m.group(1)])

    return _H2.sub(h2, html_text), labels


def on_nav(nav, config, files):
    numbered = _numbers
    for page in nav.pages:
        n = numbered.get(page.file.src_uri)
        if n is not None and page.title and not page.title.startswith(f"{n}. "):
            page.title = f"{n}. {page.title}"
    _number_groups(nav.items)
    return nav


def _number_groups(items) -> None:
    """A navigation group that holds a chapter and its companions (Case Studies and the Atlas) is
    labelled like the chapter it opens with: "6. Case Studies"."""
    for item in items:
        children = getattr(item, "children", None)
        if not children:
            continue
        first = children[0]
        n = numbered_page(first)
        # a part of the book (Background, Use) opens with a chapter too, but under a title of its own
        if n is not None and item.title and first.title == f"{n}. {item.title}":
            item.title = f"{n}. {item.title}"
        _number_groups(children)


def numbered_page(item) -> int | None:
    file = getattr(item, "file", None)
    return _numbers.get(file.src_uri) if file is not None else None


@event_priority(40)  # after the citation hook has added the References heading, before print-site
def on_page_content(html_text, page, config, files):
    n = _numbers.get(page.file.src_uri)
    if n is None:
        return html_text
    html_text, labels = number_headings(html_text, n)
    for top in page.toc:  # the H1, with the H2s as its children
        if not top.title.startswith(f"{n} "):
            top.title = f"{n} {top.title}"
        for item in top.children:
            if item.id in labels and not item.title.startswith(labels[item.id]):
                item.title = f"{labels[item.id]} {item.title}"
    return html_text
