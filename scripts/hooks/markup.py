"""Build extension: fixes to stock Material markup that fails axe and the Nu HTML validator, and
keyboard access to blocks that scroll.

- The search dialog has no accessible name, and the drawer/search checkboxes carry
  `autocomplete`, which HTML forbids on checkboxes. Where such an element exists its markup must
  match what this module expects, so a Material upgrade that changes it is caught: the build
  warns, and the strict build fails.
- Section labels in the navigation (navigation.sections) carry an empty tabindex, which HTML
  does not allow; it is removed.
- Wide tables and code blocks scroll inside themselves (Material's CSS); they are made focusable
  so keyboards can scroll them too (Material's bundle does this for code only once it has loaded).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.guide")

# (marker of the element, Material's exact markup, the fix, why).
_MARKUP_FIXES = (
    (
        'data-md-component="search"',
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        "axe aria-dialog-name: the search dialog needs an accessible name",
    ),
    (
        'id="__drawer"',
        'type="checkbox" id="__drawer" autocomplete="off">',
        'type="checkbox" id="__drawer">',
        "HTML: autocomplete is not allowed on a checkbox",
    ),
    (
        'id="__search"',
        'type="checkbox" id="__search" autocomplete="off">',
        'type="checkbox" id="__search">',
        "HTML: autocomplete is not allowed on a checkbox",
    ),
)
# With navigation.sections, Material gives a section's label tabindex="" (its template sets the
# value only for labels that are not sections): not a valid integer, so it is removed.
_EMPTY_TABINDEX = re.compile(r'(<label class="md-nav__link[^"]*" for="[^"]*" id="[^"]*_label") tabindex=""')
_CODE_BLOCK = re.compile(r"(<pre[^>]*>(?:<span></span>)?<code)(?![^>]*tabindex)")


def fix_markup(output: str, where: str) -> str:
    for marker, old, new, why in _MARKUP_FIXES:
        if marker in output and old not in output:
            log.warning(
                f"{where}: Material's markup changed, '{old}' not found ({why}): update _MARKUP_FIXES in scripts/hooks/markup.py"
            )
        output = output.replace(old, new)
    return _EMPTY_TABINDEX.sub(r"\1", output)


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    html_text = html_text.replace("<table>", '<table tabindex="0">')
    return _CODE_BLOCK.sub(r'\1 tabindex="0"', html_text)


def on_post_page(output, page, config):
    return fix_markup(output, page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return fix_markup(output_content, template_name) if template_name == "404.html" else output_content


@event_priority(-50)  # after print-site has written the print page
def on_post_build(config):
    path = Path(config.site_dir) / "print_page" / "index.html"
    if "print-site" in config.plugins and path.is_file():
        path.write_text(fix_markup(path.read_text(encoding="utf-8"), "print_page"), encoding="utf-8")
