"""Build extension: each chapter's list of cited works stays out of the search plugin's way.

The list under a chapter's "References" heading (the footnotes that mkdocs-bibtex makes, marked
`data-search-exclude` by scripts/hooks/citations.py) is left out of the search index, but
Material's search plugin still parsed its HTML, a sixth of the guide's, with Python's HTML
parser. The block is taken out of the page's content just before the plugin reads it and put
back right after, before the page's template is rendered: the index and the pages are unchanged.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

START = '<h2 id="cited-works" data-search-exclude>'
END = "</ol>\n</div>"
HOLDER = "<!-- cited works -->"


@event_priority(-100)  # after every other change to the content (scripts/hooks/sections.py is at -50)
def on_page_content(html_text, page, config, files):
    page.guide_cited_works = None
    start = html_text.find(START)
    end = html_text.find(END, start) + len(END) if start >= 0 else -1
    block = html_text[start:end] if end > start else ""
    # Only the expected shape: the heading, then the one footnotes div (nothing else nested in it).
    if not block or block.count("<div") != 1 or HOLDER in html_text:
        return html_text
    page.guide_cited_works = block
    return html_text[:start] + HOLDER + html_text[end:]


@event_priority(-100)  # after the search plugin (priority 0) has read the page
def on_page_context(context, page, config, nav):
    block = getattr(page, "guide_cited_works", None)
    if block is not None:
        page.content = page.content.replace(HOLDER, block, 1)
        page.guide_cited_works = None
    return context
