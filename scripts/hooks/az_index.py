"""Build extension: the Glossary's A-Z bar. Material shows a page's table of contents (here the
letters) only in a sidebar that a phone hides; the Glossary gets a bar of its letters under its
introduction, on every screen, and its entries are marked for a compact layout
(docs/assets/stylesheets/guide.css). The References page builds its own bar
(scripts/hooks/bibliography.py).
"""

from __future__ import annotations

import html
import re

from mkdocs.plugins import event_priority

GLOSSARY = "glossary.md"
_FIRST_H2 = re.compile(r"<h2 id=")


def az_bar(letters: list[tuple[str, str]]) -> str:
    """A navigation bar of (label, anchor) links."""
    links = "".join(f'<a href="#{html.escape(anchor)}">{html.escape(label)}</a>' for label, anchor in letters)
    return f'<nav class="az-bar" aria-label="Jump to a letter" data-search-exclude>{links}</nav>\n'


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    if page.file.src_uri != GLOSSARY or not page.toc.items:
        return html_text
    letters = [(item.title, item.id) for item in page.toc.items[0].children]
    first = _FIRST_H2.search(html_text)
    if not letters or first is None:
        return html_text
    html_text = html_text.replace("<dl>", '<dl class="glossary">')
    return html_text[: first.start()] + az_bar(letters) + html_text[first.start() :]
