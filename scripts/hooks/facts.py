"""Build extension: Atlas facts written inline (scripts/sources/facts.py has the syntax).

`{{result gpt-4v mmmu split=val source=yue2024mmmu}}` becomes the value with its split, "56.8 (val)",
followed by a citation `[@yue2024mmmu]` that mkdocs-bibtex numbers like every other citation on
the page (so the print page and the PDF get the same footnote); the value carries the locator,
split and setting on hover. `{{model qwen2.5-vl released}}` becomes "January 2025" with a citation
of the model's paper. A reference that names no record, or several, is a warning naming the
file and line, so the strict build fails (`make check` reports the same, scripts/checks/facts.py).
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.hooks.metadata import lead_description  # noqa: E402
from scripts.sources import atlas as atlas_data  # noqa: E402
from scripts.sources import facts  # noqa: E402

log = logging.getLogger("mkdocs.hooks.guide")
_state: dict = {}
_FACT_LABELS = {"released": "Release month", "parameters": "Sizes", "license": "License", "open_weights": "Weights"}


def on_pre_build(config):
    try:
        _state["atlas"] = atlas_data.load(Path(config.config_file_path).parent / "data")
    except atlas_data.AtlasSyntaxError:
        _state["atlas"] = atlas_data.Atlas([], [], [])  # the Atlas hook reports the file's error


def render(resolved: facts.Resolved) -> str:
    """The Markdown a resolved reference becomes: the value in a span with its locator as title,
    then the citation."""
    ref, r = resolved.reference, resolved.record
    if ref.kind == "model":
        value = facts.model_fact_text(r, ref.fact)
        title = f"{_FACT_LABELS[ref.fact]} of {r.get('name')}, from the MLLM Atlas (data/models.yaml) and its paper"
        return f'<span class="atlas-fact" title="{html.escape(title)}">{html.escape(value)}</span>[@{r.get("paper")}]'
    title = ", ".join(
        str(x)
        for x in (
            r.get("locator"),
            f"{r.get('split')} split" if r.get("split") not in (None, "unspecified") else None,
            r.get("setting"),
        )
        if x
    )
    return (
        f'<span class="atlas-fact" title="{html.escape(title)}">{html.escape(str(r.get("value")))}</span>'
        f"{'' if ref.bare else html.escape(facts.split_text(r.get('split')))}[@{r.get('source')}]"
    )


def plain(resolved: facts.Resolved) -> str:
    """The same value as plain text (for the page's description)."""
    ref, r = resolved.reference, resolved.record
    if ref.kind == "model":
        return facts.model_fact_text(r, ref.fact)
    return f"{r.get('value')}{'' if ref.bare else facts.split_text(r.get('split'))}"


@event_priority(110)  # before the page description is taken from the lead (metadata, 100) and before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    refs = facts.references(markdown)
    if not refs:
        return markdown
    atlas = _state.get("atlas") or atlas_data.Atlas([], [], [])
    out, text, last = [], [], 0
    for ref in refs:
        resolved = facts.resolve(ref, atlas)
        out.append(markdown[last : ref.start])
        text.append(markdown[last : ref.start])
        if resolved.record is None:
            log.warning(f"docs/{page.file.src_uri}:{ref.line}: {resolved.error}")
            out.append(ref.text)
            text.append(ref.text)
        else:
            out.append(render(resolved))
            text.append(plain(resolved))
        last = ref.end
    out.append(markdown[last:])
    text.append(markdown[last:])
    meta = getattr(page, "meta", None)
    if isinstance(meta, dict) and not meta.get("description"):
        description = lead_description("".join(text))
        if description:
            meta["description"] = description
    return "".join(out)
