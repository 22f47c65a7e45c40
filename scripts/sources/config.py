"""Reading mkdocs.yml: its settings as plain data, and the pages of its nav with their lines."""

from __future__ import annotations

import re

import yaml

from scripts.sources.markdown import EXTERNAL
from scripts.sources.project import MKDOCS_YML, line_of


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving !ENV or python tags."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config(mkdocs_yml=MKDOCS_YML) -> dict:
    """mkdocs.yml as plain data (!ENV and python tags read as None)."""
    return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def nav_files(mkdocs_yml=MKDOCS_YML) -> list[tuple[str, int]]:
    """(file, line) of each page in nav, in order (nested groups flattened)."""
    text = mkdocs_yml.read_text(encoding="utf-8")
    nav = mkdocs_config(mkdocs_yml).get("nav") or []
    out: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and not EXTERNAL.match(value):
                m = re.search(r"^\s*-.*?\b" + re.escape(value) + r"\s*$", text, re.M)
                out.append((value, line_of(text, m.start()) if m else 1))

    walk(nav)
    return out
