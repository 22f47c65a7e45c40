"""Build extension: the References page. Every entry of references.bib once, sorted by first
author, each with a stable anchor `#ref-<key>`, one link out (arXiv, DOI or URL: the formatted
entry's own, or one added when it has none) and compact links back to the sections that cite it
("Cited in 3.1, 8.2", each number leading to the section it names). An A-Z bar jumps to each letter's first
entry. The page's Markdown holds only the marker `<!-- bibliography -->`.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.sources.bibtex import Entry, entries_from_pybtex, first_surname, ref_anchor  # noqa: E402
from scripts.sources.markdown import HTML_ID_RE, doc_pages, expand_snippets, headings, iter_citations  # noqa: E402
from scripts.sources.project import cache_dir  # noqa: E402
from scripts.sources.toc import chapter_numbers, load_toc  # noqa: E402

MARKER = "<!-- bibliography -->"


def link_out(entry: Entry) -> str:
    """An HTML link to the work: arXiv, else DOI, else its URL."""
    if entry.get("eprint"):
        target, label = f"https://arxiv.org/abs/{entry.get('eprint')}", f"arXiv:{entry.get('eprint')}"
    elif entry.get("doi"):
        target, label = f"https://doi.org/{entry.get('doi')}", f"doi:{entry.get('doi')}"
    else:
        target = label = entry.get("url")
    return f'<a href="{html.escape(target)}">{html.escape(label)}</a>'


def sort_key(entry: Entry) -> tuple[str, str, str]:
    return (first_surname(entry), entry.get("year"), entry.key)


CitedIn = tuple[str, str]  # (short label such as "3.2", link)


def citing_sections(docs: Path) -> dict[str, list[CitedIn]]:
    """For each key, where it is cited, in reading order: one (label, link) per section.

    The label is the section's number ("3.2": chapter 3, its second H2; "3" for the chapter's
    lead) or, on an unnumbered page, the page's title. The link goes to the section the label
    names: its H2, or the page for a chapter's lead. (A link to the nearest H3 instead, with the
    section's title on hover, made the References page about 15% heavier gzipped, past the size at
    which Lighthouse's mobile simulation slows its first paint; README, "Page weight".)"""
    toc_path = docs.parent / "scripts" / "toc.yml"
    toc = load_toc(toc_path) if toc_path.is_file() else []
    order = {docs / chapter.file: i for i, chapter in enumerate(toc)}
    numbers = chapter_numbers(toc)
    heads = {}
    out: dict[str, list[CitedIn]] = {}
    for c in sorted(iter_citations(docs, docs.parent), key=lambda c: (order.get(c.path, len(order)), c.path.name, c.line)):
        if c.path not in heads:
            heads[c.path] = headings(expand_snippets(c.path.read_text(encoding="utf-8"), docs.parent))
        hs = heads[c.path]
        page = c.path.relative_to(docs).as_posix()
        title = next((h.text for h in hs if h.level == 1), page)
        h2s = [h for h in hs if h.level == 2 and h.line < c.line]
        number = numbers.get(page)
        if number is None:
            label = title
        else:
            label = f"{number}.{len(h2s)}" if h2s else str(number)
        href = f"{page}#{h2s[-1].anchor}" if h2s else page
        if all(label != have for have, _ in out.get(c.key, [])):
            out.setdefault(c.key, []).append((label, href))
    return out


def _letter(entry: Entry) -> str:
    first = first_surname(entry)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def render(entries: dict[str, Entry], formatted: dict[str, str], cited_in: dict[str, list[CitedIn]] | None = None) -> str:
    """The full bibliography as one block of HTML (it goes into the page as raw HTML, so Markdown
    does not parse some 300 entries and their links again). `formatted` maps key -> the entry's
    HTML as the build renders it; `cited_in` maps key -> (label, URL) of each citing section."""
    blocks, letters = [], []
    for entry in sorted(entries.values(), key=sort_key):
        letter = _letter(entry)
        if letter not in letters:
            letters.append(letter)
            blocks.append(f'<h2 class="bib-letter" id="refs-{letter.lower()}">{letter}</h2>')
        links = (cited_in or {}).get(entry.key, [])
        back = ""
        if links:
            back = (
                '<span class="bib-cited-in" data-search-exclude>Cited in '
                + ", ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in links)
                + "</span>"
            )
        text = formatted[entry.key]
        out = link_out(entry)
        href = re.search(r'href="([^"]*)"', out)
        if href and f'href="{href.group(1)}"' not in text:
            text = f"{text} {out}"
        blocks.append(f'<p class="bib-entry" id="{ref_anchor(entry.key)}">{text}{back}</p>')
    jump = "".join(f'<a href="#refs-{letter.lower()}">{letter}</a>' for letter in letters)
    bar = f'<nav class="az-bar" aria-label="Jump to a letter" data-search-exclude>{jump}</nav>'
    return bar + '\n<div class="bib-list">\n' + "\n".join(blocks) + "\n</div>"


@event_priority(55)  # before the other hooks read the content (priority 50: the citations' HTML is put in there)
def on_page_content(html_text, page, config, files):
    """The list goes in after Markdown has rendered the page: Markdown passes the marker, an HTML
    comment, through unchanged, and would only have parsed the list's raw HTML (some 100 KB) to
    pass it through unchanged as well. Its ids are added to the page's anchors, as MkDocs does for
    raw HTML in the Markdown, so that links to `references.md#ref-<key>` are still checked."""
    plugin = config.plugins.get("bibtex")
    if plugin is None or MARKER not in html_text:
        return html_text
    listing = _bibliography_html(plugin, page, config, files)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= {html.unescape(i) for i in HTML_ID_RE.findall(listing)}
    return html_text.replace(MARKER, listing, 1)


def _bibliography_html(plugin, page, config, files) -> str:
    """The References page's list, as HTML: each entry rendered as in the chapters' footnotes."""
    from mkdocs_bibtex.citation import Citation

    entries = entries_from_pybtex(plugin.registry.bib_data)
    texts = {k: plugin.registry.reference_text(Citation(key=k)) for k in entries}
    cache = getattr(plugin.registry, "guide_cache", None)
    if cache is not None:  # the texts are placeholders for cached HTML (scripts/hooks/citations.py)
        formatted = {k: cache.resolve(t) for k, t in texts.items()}
    else:
        import markdown as md

        renderer = md.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        formatted = {k: re.sub(r"^<p>(.*)</p>$", r"\1", renderer.reset().convert(t), flags=re.S) for k, t in texts.items()}
    cited_in = {}
    for key, links in _citing_sections_cached(config).items():
        for label, href in links:
            path, _, anchor = href.partition("#")
            url = files.get_file_from_path(path).url_relative_to(page.file)
            cited_in.setdefault(key, []).append((label, f"{url}#{anchor}" if anchor else url))
    return render(entries, formatted, cited_in)


def _citing_sections_cached(config) -> dict[str, list[CitedIn]]:
    """citing_sections, cached on disk by a hash of every page's text."""
    docs = Path(config.docs_dir)
    if os.environ.get("GUIDE_BIB_CACHE") == "0":
        return citing_sections(docs)
    toc = docs.parent / "scripts" / "toc.yml"
    digest = hashlib.sha256(b"cited-in v3\0" + (toc.read_bytes() if toc.is_file() else b""))
    for path in doc_pages(docs):
        digest.update(path.relative_to(docs).as_posix().encode() + b"\0" + path.read_bytes())
    cached = cache_dir(Path(config.config_file_path).parent) / f"cited-in-{digest.hexdigest()}.json"
    try:
        return {k: [tuple(link) for link in v] for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        result = citing_sections(docs)
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("cited-in-*.json"):
            old.unlink()
        cached.write_text(json.dumps(result), encoding="utf-8")
        return result
