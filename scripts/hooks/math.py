"""Build extension: math written as $...$ / $$...$$ (pymdownx.arithmatex, generic mode) becomes
MathML at build time: no script, no request to another host, readable by screen readers. Display
equations sit in a focusable box that scrolls when wider than the screen; so does a long inline
equation (WIDE_INLINE tokens or more), which a browser cannot break across lines."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert as _tex_to_mathml
from mkdocs.plugins import event_priority

_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)
_TOKEN = re.compile(r"<m[ion]\b")
WIDE_INLINE = 24  # MathML tokens (identifiers, operators, numbers): about a phone's line width


def _math(match: re.Match, display: str) -> str:
    return _tex_to_mathml(html.unescape(match.group(1)).strip(), display=display)


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    html_text = _BLOCK_MATH.sub(lambda m: f'<div class="math-block" tabindex="0">{_math(m, "block")}</div>', html_text)
    return _INLINE_MATH.sub(lambda m: _inline(_math(m, "inline")), html_text)


def _inline(mathml: str) -> str:
    if len(_TOKEN.findall(mathml)) < WIDE_INLINE:
        return mathml
    return f'<span class="math-inline-wide" tabindex="0">{mathml}</span>'
