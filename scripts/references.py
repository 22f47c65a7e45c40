"""The References page: every entry of references.bib once, sorted by first author, each with a
stable anchor `#ref-<key>` and a link out (arXiv, DOI or URL)."""

from __future__ import annotations

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
    if entry.get("eprint"):
        return f"[arXiv:{entry.get('eprint')}](https://arxiv.org/abs/{entry.get('eprint')})"
    if entry.get("doi"):
        return f"[doi:{entry.get('doi')}](https://doi.org/{entry.get('doi')})"
    return f"[{entry.get('url')}]({entry.get('url')})"


def sort_key(entry: Entry) -> tuple[str, str, str]:
    return (first_surname(entry), entry.get("year"), entry.key)


def render(entries: dict[str, Entry], formatted: dict[str, str]) -> str:
    """Markdown for the full bibliography; `formatted` maps key -> the build's own reference text."""
    blocks = []
    for entry in sorted(entries.values(), key=sort_key):
        blocks.append(f'<p class="bib-entry" id="{anchor_for(entry.key)}" markdown>{formatted[entry.key]} {link_out(entry)}</p>')
    return "\n\n".join(blocks)
