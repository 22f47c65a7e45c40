"""Build extension: page metadata.

- Each page without a `description` in its front matter gets one from its lead paragraph, for
  search engines and link previews.
- Each page shows when it was last changed (scripts/sources/history.py: git history, with
  fallbacks), counting the files it includes as snippets.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.sources.history import LastUpdated, human  # noqa: E402
from scripts.sources.markdown import SNIPPET_RE, expand_snippets  # noqa: E402

_last_updated: LastUpdated | None = None


def lead_description(markdown: str, limit: int = 160) -> str | None:
    """The page's first prose paragraph as plain text, cut at a word boundary."""
    for block in re.split(r"\n\s*\n", expand_snippets(markdown)):
        text = block.strip()
        if not text or text[0] in "#!<|-*[>:`~" or text.startswith("$$"):
            continue
        text = re.sub(r"\[@[^\]]*\]", "", text)  # citations
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images -> their text
        text = re.sub(r"[*_`]", "", " ".join(text.split())).replace(" .", ".").replace(" ,", ",")
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
        return text
    return None


def on_pre_build(config):
    global _last_updated
    _last_updated = LastUpdated(Path(config.docs_dir).parent)


@event_priority(100)  # sees the page's own Markdown, before any plugin rewrites it
def on_page_markdown(markdown, page, config, files):
    if not page.meta.get("description"):
        page.meta["description"] = lead_description(markdown) or config.site_description
    if _last_updated is not None:
        docs = Path(config.docs_dir).name  # dates are looked up relative to the folder holding docs/
        sources = [f"{docs}/{page.file.src_uri}"] + [m.group("file") for m in SNIPPET_RE.finditer(markdown)]
        date = _last_updated.date(*sources)
        if date is not None:
            page.meta["revision_date"] = f"Last updated {human(date)}"
    return markdown
