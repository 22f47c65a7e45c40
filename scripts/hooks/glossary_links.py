"""Build extension: each chapter's first use of a Glossary term links to its entry.

The Glossary's entries get ids (`g-<term>`, scripts/sources/glossary.py). In every numbered
chapter, the first time a term (or its abbreviation) appears in running text, it becomes a link to
that entry; later uses stay plain, so a page gains at most one link per term. Text inside links,
code, headings, citation markers, figures, math, admonition titles and the cited-works list is
never linked, and an abbreviation already marked with its tooltip (<abbr>) is linked as a whole.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.sources.glossary import Entry, entries, is_acronym  # noqa: E402
from scripts.sources.toc import chapter_numbers, load_toc  # noqa: E402

GLOSSARY = "glossary.md"
# Elements whose text is never linked (a void or self-closing tag never opens one).
SKIP = frozenset(
    "a code pre kbd samp h1 h2 h3 h4 h5 h6 script style svg math sup sub button label nav summary dt figcaption".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_DT = re.compile(r"<dt><strong>(.*?)</strong>")

_chapters: set[str] = set()
_entries: list[Entry] = []
_pattern: re.Pattern[str] | None = None
_by_name: dict[str, Entry] = {}


def on_config(config):
    global _chapters, _entries, _pattern, _by_name
    root = Path(config.config_file_path).parent
    toc, glossary = root / "scripts" / "toc.yml", root / "docs" / GLOSSARY
    _chapters = set(chapter_numbers(load_toc(toc))) if toc.is_file() else set()
    _entries = entries(glossary.read_text(encoding="utf-8")) if glossary.is_file() else []
    _pattern, _by_name = term_pattern(_entries)
    return config


def term_pattern(found: list[Entry]) -> tuple[re.Pattern[str] | None, dict[str, Entry]]:
    """One regular expression for every name of every entry, longest first; a word's own case for
    acronyms (ViT), any case otherwise (attention, Attention), with an optional plural ending."""
    by_name: dict[str, Entry] = {}
    for entry in found:
        for name in entry.names:
            by_name.setdefault(name.lower(), entry)
    if not by_name:
        return None, by_name
    names = sorted({n for e in found for n in e.names}, key=len, reverse=True)
    alternatives = [
        (re.escape(n) if is_acronym(n) else "(?i:" + re.escape(n) + ")") + ("s?" if is_acronym(n) else "(?:e?s)?") for n in names
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"), by_name


def entry_for(word: str) -> Entry | None:
    lowered = word.lower()
    for candidate in (lowered, lowered.removesuffix("s"), lowered.removesuffix("es")):
        if candidate in _by_name:
            return _by_name[candidate]
    return None


def link_first_uses(text: str, href: str, pattern: re.Pattern[str] | None = None) -> str:
    """The page's HTML with the first use of each term linked to `href` + '#' + the entry's anchor."""
    pattern = pattern or _pattern
    if pattern is None:
        return text
    done: set[str] = set()
    out: list[str] = []
    skipping: list[str] = []  # open elements whose text is not linked
    pos = 0
    for tag in _TAG.finditer(text):
        if tag.start() < pos:  # inside an <abbr> already copied whole
            continue
        out.append(text[pos : tag.start()] if skipping else _link_text(text[pos : tag.start()], href, pattern, done))
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        raw = tag.group(0)
        if name == "abbr" and not closing and not skipping:
            end = text.find("</abbr>", tag.end())
            if end > 0:
                word = text[tag.end() : end]
                entry = entry_for(html.unescape(word))
                whole = text[tag.start() : end + len("</abbr>")]
                if entry is not None and entry.anchor not in done:
                    done.add(entry.anchor)
                    whole = f'<a class="glossary-link" href="{href}#{entry.anchor}">{whole}</a>'
                out.append(whole)
                pos = end + len("</abbr>")
                continue
        if not self_closing and (name in SKIP or 'class="admonition-title"' in raw or 'id="cited-works"' in raw):
            if closing:
                if skipping and skipping[-1] == name:
                    skipping.pop()
            else:
                skipping.append(name)
        elif closing and skipping and skipping[-1] == name:
            skipping.pop()
        out.append(raw)
        pos = tag.end()
    out.append(text[pos:] if skipping else _link_text(text[pos:], href, pattern, done))
    return "".join(out)


def _link_text(segment: str, href: str, pattern: re.Pattern[str], done: set[str]) -> str:
    def link(m: re.Match) -> str:
        entry = entry_for(m.group(0))
        if entry is None or entry.anchor in done:
            return m.group(0)
        done.add(entry.anchor)
        return f'<a class="glossary-link" href="{href}#{entry.anchor}">{m.group(0)}</a>'

    return pattern.sub(link, segment) if segment.strip() else segment


def glossary_ids(text: str) -> str:
    """The Glossary page's entries with ids that chapters link to."""
    anchors = {e.term: e.anchor for e in _entries}

    def add_id(m: re.Match) -> str:
        anchor = anchors.get(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip())
        return f'<dt id="{anchor}"><strong>{m.group(1)}</strong>' if anchor else m.group(0)

    return _DT.sub(add_id, text)


@event_priority(45)  # after numbering (it reads the headings), before print-site collects pages
def on_page_content(html_text, page, config, files):
    uri = page.file.src_uri
    if uri == GLOSSARY:
        return glossary_ids(html_text)
    if uri not in _chapters:
        return html_text
    depth = uri.count("/") + (0 if uri.endswith("index.md") else 1)  # directory URLs: chapter.md -> chapter/
    return link_first_uses(html_text, "../" * depth + "glossary/")
