"""The References page: every entry of references.bib once, sorted by first author, each with a
stable anchor `#ref-<key>` and a link out (arXiv, DOI or URL)."""

from __future__ import annotations

import html
from pathlib import Path

from scripts.bib import Entry, first_surname

MARKER = "<!-- bibliography -->"


def entries_from_pybtex(bib_data) -> dict[str, Entry]:
    """The build's already-parsed bibliography (pybtex) as scripts.bib entries, without parsing again."""
    out = {}
    for key, e in bib_data.entries.items():
        fields = {name.lower(): str(value) for name, value in e.fields.items()}
        for role, people in e.persons.items():
            fields[role.lower()] = " and ".join(str(person) for person in people)
        out[key] = Entry(type=e.type, key=key, line=0, fields=fields)
    return out


def anchor_for(key: str) -> str:
    return f"ref-{key}"


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
    from scripts.mdcheck import expand_snippets, headings, iter_citations
    from scripts.toc import load_toc

    order = {docs / chapter.file: i for i, chapter in enumerate(load_toc())}
    heads = {}
    out: dict[str, list[tuple[str, str]]] = {}
    for c in sorted(iter_citations(docs), key=lambda c: (order.get(c.path, len(order)), c.path.name, c.line)):
        if c.path not in heads:
            heads[c.path] = headings(expand_snippets(c.path.read_text(encoding="utf-8")))
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
        blocks.append(f'<p class="bib-entry" id="{anchor_for(entry.key)}">{formatted[entry.key]} {link_out(entry)}{back}</p>')
    return '<div class="bib-list">\n' + "\n".join(blocks) + "\n</div>"
