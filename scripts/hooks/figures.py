"""Build extension: the guide's SVG figures, inlined so that they follow the colour scheme and stay
legible on a phone.

- Each `<img>` of a figure under docs/assets/figures/ becomes the SVG itself (ids prefixed with the
  figure's name, so two figures on a page never clash), named by the image's alt text.
- In the dark scheme every colour of the figure is replaced by its dark counterpart (lightness
  inverted, hue kept), with rules scoped to that figure; white becomes the page's background.
- The figure never shrinks below the width at which its smallest text is MIN_TEXT_PX CSS pixels:
  on a narrow screen it scrolls sideways in its own focusable box, with a shadow cue at the edge.
- The caption's "Figure N." is marked up so that it can be set apart.

The source files keep their own white background (tests/test_figures.py), so they also read well
opened on their own.
"""

from __future__ import annotations

import colorsys
import math
import re
from functools import lru_cache
from pathlib import Path

from mkdocs.plugins import event_priority

MIN_TEXT_PX = 9.5  # smallest figure text, in CSS px (the tests require at least 9)

_IMG = re.compile(r'<img alt="([^"]*)" src="((?:\.\./)*assets/figures/([\w.-]+)\.svg)" />\s*(?:<br />)?')
_CAPTION_LABEL = re.compile(r"<figcaption>(Figure \d+\.)")
_HEX = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|white|black)"')
_WHITE = {"#ffffff", "#fff", "white"}


def dark_color(color: str) -> str:
    """The dark-scheme counterpart of a light-scheme colour: lightness inverted, hue and saturation kept."""
    color = {"white": "#ffffff", "black": "#000000"}.get(color.lower(), color.lower())
    if len(color) == 4:
        color = "#" + "".join(c * 2 for c in color[1:])
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(h, 0.93 - 0.78 * lightness, s * 0.85)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def min_width(svg: str, width: float) -> int:
    """CSS px below which the figure's smallest text would be smaller than MIN_TEXT_PX."""
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)] or [16.0]
    return math.ceil(width * MIN_TEXT_PX / min(sizes))


@lru_cache(maxsize=64)
def inline_svg(path: Path, mtime: float, name: str, alt: str) -> str:
    svg = path.read_text(encoding="utf-8")
    svg = re.sub(r"<\?xml[^>]*\?>|<!--.*?-->", "", svg, flags=re.S).strip()
    prefix = f"fig-{name}"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    root = re.match(r"<svg\b[^>]*>", svg).group(0)
    width, height = map(float, re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', root).groups())
    new_root = re.sub(r'\s(?:width|height|role|aria-labelledby|aria-label)="[^"]*"', "", root)
    new_root = new_root.replace(
        "<svg",
        f'<svg id="{prefix}" class="guide-figure" role="img" aria-label="{alt}" style="--figure-min-width: {min_width(svg, width)}px"',
        1,
    )
    # The full-size background rectangle is left transparent: the page's own background shows,
    # and so does the scroll cue of the box around the figure.
    svg = re.sub(
        rf'<rect(?=[^>]*\swidth="(?:100%|{width:g})")(?=[^>]*\sheight="(?:100%|{height:g})")',
        '<rect class="figure-background"',
        svg,
        count=1,
    )
    colors = sorted({c.lower() for _, c in _HEX.findall(svg)})
    scope = f'[data-md-color-scheme="slate"] #{prefix}'
    rules = [f"{scope}{{fill:{dark_color('#000000')}}}"]  # what has no fill of its own (black by default)
    for c in colors:
        dark = "var(--md-default-bg-color)" if c in _WHITE else dark_color(c)
        rules.append(f'{scope}[fill="{c}"],{scope} [fill="{c}"]{{fill:{dark}}}{scope} [stroke="{c}"]{{stroke:{dark}}}')
    style = "<style>" + "".join(rules) + "</style>"
    body = svg[len(root) :]
    return new_root + style + body


def _inline(match: re.Match, docs: Path) -> str:
    alt, _src, name = match.groups()
    path = docs / "assets" / "figures" / f"{name}.svg"
    if not path.is_file():
        return match.group(0)
    svg = inline_svg(path, path.stat().st_mtime, name, alt)
    return f'<div class="figure-box" tabindex="0" data-search-exclude>{svg}</div>\n'


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    if "assets/figures/" not in html_text:
        return html_text
    docs = Path(config.docs_dir)
    html_text = _IMG.sub(lambda m: _inline(m, docs), html_text)
    return _CAPTION_LABEL.sub(r'<figcaption><span class="figure-label">\1</span>', html_text)
