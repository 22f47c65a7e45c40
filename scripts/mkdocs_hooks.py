"""MkDocs hooks (mkdocs.yml `hooks:`). They fix traps of the toolchain at build time:

- mkdocs-bibtex rewrites `[@key]` even inside code: '@' in code is shielded before the plugin runs
  and restored in the HTML afterwards.
- The References page is rendered from references.bib with the plugin's own formatter, one entry
  per key with a stable `#ref-<key>` anchor.
- Several citations in a row ([@a; @b]) become adjacent footnote markers; a comma is put between
  them so that markers 3 and 4 never read as 34.
- Each page's footnotes (its cited works) get a visible "References" heading.
- Math written as $...$ / $$...$$ (pymdownx.arithmatex, generic mode) becomes MathML at build time:
  no script, no request to another host, readable by screen readers.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from latex2mathml.converter import convert as _tex_to_mathml  # noqa: E402

import logging  # noqa: E402

from scripts import bib, references  # noqa: E402
from scripts.common import replace_in_code  # noqa: E402
from scripts.mdcheck import citation_problems  # noqa: E402

log = logging.getLogger("mkdocs.hooks.guide")

SHIELD = "\ue000"  # a private-use character: never in real text
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_ADJACENT_FOOTNOTES = re.compile(r'(</a></sup>)(<sup id="fnref)')
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


@event_priority(100)  # before mkdocs-bibtex (priority 0)
def on_page_markdown(markdown, page, config, files):
    # Report citation problems with file and line before mkdocs-bibtex silently drops them.
    keys = set(config.plugins["bibtex"].registry.bib_data.entries.keys())
    for problem in citation_problems(markdown, f"{Path(config.docs_dir).name}/{page.file.src_uri}", keys):
        log.warning(str(problem))
    markdown = replace_in_code(markdown, "@", SHIELD)
    if references.MARKER in markdown:
        plugin = config.plugins["bibtex"]
        from mkdocs_bibtex.citation import Citation

        entries = bib.load(Path(config.config_file_path).parent / plugin.config.bib_file)
        formatted = {k: plugin.registry.reference_text(Citation(key=k)) for k in entries}
        markdown = markdown.replace(references.MARKER, references.render(entries, formatted))
    return markdown


def _math(match: re.Match, display: str) -> str:
    tex = html.unescape(match.group(1)).strip()
    return _tex_to_mathml(tex, display=display)


def on_page_content(html_text, page, config, files):
    html_text = html_text.replace(SHIELD, "@")
    html_text = html_text.replace('<div class="footnote">', '<h2 id="cited-works">References</h2>\n<div class="footnote">', 1)
    html_text = _ADJACENT_FOOTNOTES.sub(r'\1<sup class="fn-sep">,</sup>\2', html_text)
    html_text = _BLOCK_MATH.sub(lambda m: f'<div class="math-block">{_math(m, "block")}</div>', html_text)
    return _INLINE_MATH.sub(lambda m: _math(m, "inline"), html_text)
