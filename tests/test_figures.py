"""Figures are drawn for the guide as SVG source files: each one is well-formed, describes itself
to assistive technology, carries its own light background (so it stays legible in the dark
scheme), loads nothing from elsewhere, and is used by a page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from scripts.sources.project import DOCS

SVG = "{http://www.w3.org/2000/svg}"
FIGURES = sorted((DOCS / "assets" / "figures").glob("*.svg"))


def test_every_figure_is_accessible_self_contained_svg():
    assert FIGURES, "no figures found"
    used = " ".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    for path in FIGURES:
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG}svg" and root.get("viewBox"), f"{path.name}: needs a viewBox"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and len(desc.text or "") > 40, (
            f"{path.name}: needs <title> and <desc>"
        )
        width, height = root.get("viewBox").split()[2:]
        backgrounds = [
            r for r in root.iter(f"{SVG}rect") if r.get("width") in ("100%", width) and r.get("height") in ("100%", height)
        ]
        assert backgrounds and backgrounds[0].get("fill", "").lower() in ("#fff", "#ffffff", "white"), (
            f"{path.name}: needs a full-size light background"
        )
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:href|src)=\"(?:https?:)?//|@import|url\(\s*['\"]?https?:", text), (
            f"{path.name}: loads something from another host"
        )
        assert f"assets/figures/{path.name}" in used, f"{path.name} is not used by any page"


def test_no_page_loads_mermaid(site):
    """Material fetches Mermaid from a CDN when a page has a mermaid diagram; the guide has none."""
    for page in site.rglob("*.html"):
        assert "mermaid" not in page.read_text(encoding="utf-8").lower(), page
