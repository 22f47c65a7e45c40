"""Build extension: the citations' markup stays out of the search plugin's way.

Material's search plugin reads every page's HTML with Python's HTML parser, tag by tag, and keeps
only the text and a few tags (paragraphs, lists, code, sub- and superscripts). The citations add
markup it parses only to drop it; just before the plugin reads a page, that markup is taken out of
the content, and right after, before the page's template is rendered, it is put back, so the index
and the pages are unchanged:

- the list under a chapter's "References" heading (the footnotes that mkdocs-bibtex makes, marked
  `data-search-exclude` by scripts/hooks/citations.py), a sixth of the guide's HTML, which the
  index leaves out; it is replaced by a comment;
- the References page's "Cited in" links (`data-search-exclude` as well), each replaced by a
  comment;
- each citation marker (`<sup id="fnref:..."><a class="footnote-ref" ...>3</a></sup>`) and each
  comma between markers, of which the index keeps `<sup>3</sup>`: the plugin reads `<SUP>3</SUP>`
  instead, the same superscript without the link (HTML tag names are case-insensitive; the
  capitals only let the markers be found again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mkdocs.plugins import event_priority

START = '<h2 id="cited-works" data-search-exclude>'
END = "</ol>\n</div>"
HOLDER = "<!-- cited works -->"
CITED_IN = re.compile(r'<span class="bib-cited-in" data-search-exclude>.*?</span>')
CITED_IN_HOLDER = "<!--cited-in-->"
MARKER = re.compile(r'<sup id="fnref[^"]*"><a class="footnote-ref" href="[^"]*">(\d+)</a></sup>|<sup class="fn-sep">(,)</sup>')
LIGHT_MARKER = re.compile(r"<SUP>([^<]*)</SUP>")


def lighten(html_text: str) -> tuple[str, dict[str, list[str]] | None]:
    """The content as the search plugin is to read it, and what restore() needs to undo it (None
    when the content is left as it is)."""
    if HOLDER in html_text or CITED_IN_HOLDER in html_text or "<SUP>" in html_text:
        return html_text, None  # a holder already in the page could not be told apart
    start = html_text.find(START)
    end = html_text.find(END, start) + len(END) if start >= 0 else -1
    block = html_text[start:end] if end > start else ""
    saved: dict[str, list[str]] = {"cited works": [], "cited in": [], "markers": []}
    # Only the expected shape: the heading, then the one footnotes div (nothing else nested in it).
    if block and block.count("<div") == 1:
        saved["cited works"].append(block)
        html_text = html_text[:start] + HOLDER + html_text[end:]

    def hold(store: list[str], replacement):
        def sub(m: re.Match) -> str:
            store.append(m.group(0))
            return replacement(m)

        return sub

    html_text = CITED_IN.sub(hold(saved["cited in"], lambda m: CITED_IN_HOLDER), html_text)
    html_text = MARKER.sub(hold(saved["markers"], lambda m: f"<SUP>{m.group(1) or m.group(2)}</SUP>"), html_text)
    return html_text, saved


def restore(html_text: str, saved: dict[str, list[str]]) -> str:
    """The content with everything lighten() took out put back."""

    def put_back(items: list[str]):
        found: Iterator[str] = iter(items)
        return lambda m: next(found)

    html_text = LIGHT_MARKER.sub(put_back(saved["markers"]), html_text)
    html_text = re.sub(CITED_IN_HOLDER, put_back(saved["cited in"]), html_text)
    for block in saved["cited works"]:
        html_text = html_text.replace(HOLDER, block, 1)
    return html_text


@event_priority(-100)  # after every other change to the content (scripts/hooks/sections.py is at -50)
def on_page_content(html_text, page, config, files):
    html_text, page.guide_search_saved = lighten(html_text)
    return html_text


@event_priority(-100)  # after the search plugin (priority 0) has read the page
def on_page_context(context, page, config, nav):
    saved = getattr(page, "guide_search_saved", None)
    if saved is not None:
        page.content = restore(page.content, saved)
        page.guide_search_saved = None
    return context
