"""Build extension: the References page. Every entry of references.bib once, sorted by first
author, each with a stable anchor `#ref-<key>`, a link out (arXiv, DOI or URL) and links back to
the sections that cite it. The page's Markdown holds only the marker `<!-- bibliography -->`.
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

from scripts.sources import atlas  # noqa: E402
from scripts.sources.bibtex import Entry, entries_from_pybtex, first_surname, ref_anchor  # noqa: E402
from scripts.sources.markdown import doc_pages, expand_snippets, headings, iter_citations  # noqa: E402
from scripts.sources.project import cache_dir  # noqa: E402
from scripts.sources.toc import load_toc  # noqa: E402

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


def citing_sections(docs: Path) -> dict[str, list[tuple[str, str]]]:
    """For each key, the (label, link) of every page section that cites it, in reading order.

    The section is the nearest H2 or H3 above the citation (the page itself for its lead)."""
    toc = docs.parent / "scripts" / "toc.yml"
    order = {docs / chapter.file: i for i, chapter in enumerate(load_toc(toc))} if toc.is_file() else {}
    heads = {}
    out: dict[str, list[tuple[str, str]]] = {}
    for c in sorted(iter_citations(docs, docs.parent), key=lambda c: (order.get(c.path, len(order)), c.path.name, c.line)):
        if c.path not in heads:
            heads[c.path] = headings(expand_snippets(c.path.read_text(encoding="utf-8"), docs.parent))
        hs = heads[c.path]
        page = c.path.relative_to(docs).as_posix()
        title = next((h.text for h in hs if h.level == 1), page)
        above = [h for h in hs if h.level in (2, 3) and h.line < c.line]
        label, href = (f"{title}: {above[-1].text}", f"{page}#{above[-1].anchor}") if above else (title, page)
        if (label, href) not in out.setdefault(c.key, []):
            out[c.key].append((label, href))
    return out


def render(entries: dict[str, Entry], formatted: dict[str, str], cited_in: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The full bibliography as one block of HTML (it goes into the page as raw HTML, so Markdown
    does not parse some 160 entries and 800 links again). `formatted` maps key -> the entry's HTML
    as the build renders it; `cited_in` maps key -> (label, URL) of each section citing it."""
    blocks = []
    for entry in sorted(entries.values(), key=sort_key):
        links = (cited_in or {}).get(entry.key, [])
        back = ""
        if links:
            back = (
                '<br><span class="bib-cited-in" data-search-exclude>Cited in: '
                + "; ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in links)
                + ".</span>"
            )
        blocks.append(f'<p class="bib-entry" id="{ref_anchor(entry.key)}">{formatted[entry.key]} {link_out(entry)}{back}</p>')
    return '<div class="bib-list">\n' + "\n".join(blocks) + "\n</div>"


@event_priority(100)  # before mkdocs-bibtex (priority 0), after the citation hook's shield
def on_page_markdown(markdown, page, config, files):
    plugin = config.plugins.get("bibtex")
    if plugin is None or MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, _bibliography_html(plugin, page, config, files))


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
    atlas_page = files.get_file_from_path("atlas.md")
    if atlas_page is not None:  # works the Atlas data cites (scripts/hooks/atlas.py links them here)
        try:
            keys = atlas.load(Path(config.config_file_path).parent / "data").bib_keys()
        except atlas.AtlasSyntaxError:
            keys = set()  # the Atlas check reports the broken file
        url = atlas_page.url_relative_to(page.file)
        for key in sorted(keys & set(entries)):
            cited_in.setdefault(key, []).append(("The MLLM Atlas", url))
    return render(entries, formatted, cited_in)


def _citing_sections_cached(config) -> dict[str, list[tuple[str, str]]]:
    """citing_sections, cached on disk by a hash of every page's text."""
    docs = Path(config.docs_dir)
    if os.environ.get("GUIDE_BIB_CACHE") == "0":
        return citing_sections(docs)
    digest = hashlib.sha256()
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
