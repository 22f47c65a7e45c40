"""Build extension: the two small stylesheets are written into each page instead of linked.

Before its first paint a page waits for every stylesheet in its head. Material's main stylesheet
(about 23 KB compressed) is linked, and the browser fetches it on the connection that brought the
page; Material's palette (2 KB) and the guide's own guide.css (6 KB) would need two more
connections at the same time, one round trip each before they even start. On Lighthouse's
throttled phone the first paint of the long pages (the Atlas, its results, References) came about
0.15 s later with them linked (README, "Reader experience, tested in a real browser"). So each page carries them
in a `<style>` element at the same place in its head, in the same order, and the cascade is the
same. The files stay in the site: the print page and the 404 page still link them.

A stylesheet that is not found, or that holds `</style`, stays linked.
"""

from __future__ import annotations

import re
from pathlib import Path

_LINK = re.compile(r'<link rel="stylesheet" href="((?:\.\./)*)(assets/stylesheets/(?:palette\.[0-9a-f]+\.min|guide)\.css)">')
_SOURCE_MAP = re.compile(r"\s*/\*# sourceMappingURL=[^*]*\*/\s*$")
_css: dict[str, str | None] = {}


def on_pre_build(config):
    _css.clear()


def stylesheet(site_dir: str, path: str) -> str | None:
    """The stylesheet's text as it goes into a page (without its source-map comment), or None."""
    if path not in _css:
        try:
            text = (Path(site_dir) / path).read_text(encoding="utf-8")
        except OSError:
            text = None
        _css[path] = None if text is None or "</style" in text.lower() else _SOURCE_MAP.sub("", text).strip()
    return _css[path]


def inline(output: str, site_dir: str) -> str:
    def put(m: re.Match) -> str:
        text = stylesheet(site_dir, m.group(2))
        return m.group(0) if text is None else f"<style>{text}</style>"

    return _LINK.sub(put, output)


def on_post_page(output, page, config):
    # The theme's files and extra_css are in site_dir before any page is written (mkdocs build).
    return inline(output, config.site_dir)
