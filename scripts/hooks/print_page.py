"""Build extension: the whole guide on one page (mkdocs-print-site-plugin), made correct.

- The plugin prefixes element ids with their page's key so they stay unique, but its pattern
  starts at the first tag of a line and so misses every later id on that line (most footnote
  markers); a correct replacement is put in its place (through scripts/hooks/_compat.py, which
  checks the plugin's version and code).
- The plugin rewrites each internal link by replacing its text in the whole page, one link at a
  time (some 5,000 links: footnote markers and their back-links); the same rewrite done in one
  pass over the page takes its place (same checks through scripts/hooks/_compat.py).
- Markup the plugin emits that HTML does not allow is removed from the written page.
- The page is made lighter (it holds the whole guide, some 20,000 elements): what only works on
  screen goes, namely the permalink anchors of headings, abbreviation tooltips (their text stays)
  and every "jump back" link of a reference after its first.
- Landmarks get names that are unique on the page (axe's landmark-unique): the plugin's contents
  list is named, and a landmark whose name recurs in several chapters (an Atlas fact box for the
  same model, say) gets its chapter's title added to its name.
- Every other page gets the plugin's assets only as far as it uses them: its script (which only
  the print page calls) is left out, and its stylesheets (rules for the print page, and the `@page`
  settings used when a reader prints a single chapter) load with `media="print"`, so they no longer
  hold up the first paint.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import mkdocs_print_site_plugin.urls  # noqa: E402

from scripts.hooks._compat import replace  # noqa: E402

# Every element's id (tabbed-content inputs and labels are renamed by the plugin's own function),
# except those inside inlined figures (`fig-<name>...`, scripts/hooks/figures.py): unique across the
# guide already, and referred to by url(#...) and scoped styles the plugin does not rewrite.
_ID_ATTR = re.compile(r'(<(?!input\b|label\b)[a-zA-Z][a-zA-Z0-9]*\b[^>]*?\sid=")(?!fig-)([^"]*)(")')


def update_anchor_ids(page_html: str, page_key: str) -> str:
    """id="x" becomes id="<page_key>-x" on every element of a page of the print page."""
    return _ID_ATTR.sub(lambda m: f"{m.group(1)}{page_key}-{m.group(2)}{m.group(3)}", page_html)


replace(
    mkdocs_print_site_plugin.urls,
    "update_anchor_ids",
    update_anchor_ids,
    package="mkdocs-print-site-plugin",
    written_for="2.9",
    source_sha="0aee9101114eb8e4",
    where="scripts/hooks/print_page.py",
)

_HREF = re.compile(r"<a\s+([^>]*?\s+)?href=\"(.*?)\"", flags=re.IGNORECASE)  # the plugin's own pattern


def fix_href_links(page_html: str, page_key: str, page_url: str, directory_urls: bool = False) -> str:
    """Internal links made into anchors of the print page, as the plugin's function does, in one
    pass: '#x' -> '#<page_key>-x', 'other/#x' -> '#other-x', attachments relative to the print page."""
    urls = mkdocs_print_site_plugin.urls

    def rewrite(m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if urls.is_external(url):
            return m.group(0)
        if urls.is_attachment(url):
            url = urls.get_url_from_root(url, page_url)
            if directory_urls:
                url = os.path.join("..", url)
            if os.sep != "/":
                url = url.replace(os.sep, "/")
        elif url.startswith("#"):
            url = "#" + page_key + "-" + url[1:]
        else:
            parts = urls.get_url_from_root(url, page_url).split("#")
            assert len(parts) <= 2
            url = "#" + urls.get_page_key(parts[0]) + (f"-{parts[1]}" if len(parts) == 2 else "")
        other = m.group(1)
        return f'<a href="{url}"' if other is None else f'<a {other.rstrip()} href="{url}"'

    return _HREF.sub(rewrite, page_html)


replace(
    mkdocs_print_site_plugin.urls,
    "fix_href_links",
    fix_href_links,
    package="mkdocs-print-site-plugin",
    written_for="2.9",
    source_sha="1c00fff7b1672a7f",
    where="scripts/hooks/print_page.py",
)

_PRINT_FIXES = (
    # (pattern, replacement, why): markup the print plugin emits that HTML does not allow
    (
        re.compile(r"""(<section class=["']print-page[^"']*["'][^>]*?) heading-number=(["'])[^"']*\2"""),
        r"\1",
        "attribute not allowed on section",
    ),
    (
        re.compile(r"<style>\.print-site-enumerate-headings[^<]*</style>"),
        "",
        "style element inside body (heading numbers are off)",
    ),
    (
        re.compile(r'<label class="md-nav__title" for="__toc">'),
        '<label class="md-nav__title">',
        "label for a control the page lacks",
    ),
)


_LIGHTER = (
    (re.compile(r'<a class="headerlink" href="[^"]*" title="Permanent link">&para;</a>'), ""),
    (re.compile(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>"), r"\1"),
    (re.compile(r'(<a class="footnote-backref"[^>]*>&#8617;</a>)(?:<a class="footnote-backref"[^>]*>&#8617;</a>)+'), r"\1"),
)


_PLUGIN_SCRIPT = re.compile(r'\s*<script src="[^"]*js/print-site\.js"></script>')
_PLUGIN_STYLESHEET = re.compile(r'(<link rel="stylesheet" href="[^"]*css/print-site[\w-]*\.css")>')


def print_only_assets(output: str) -> str:
    """A page's HTML with print-site's script removed and its stylesheets set to media="print"."""
    return _PLUGIN_STYLESHEET.sub(r'\1 media="print">', _PLUGIN_SCRIPT.sub("", output))


def on_post_page(output, page, config):
    # The print page itself is rendered by the plugin in on_post_build, not through this event.
    return print_only_assets(output) if "print-site" in config.plugins else output


_CHAPTER = re.compile(r"""<section class=["']print-page[^"']*["'][^>]*>""")
_H1_TEXT = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_NAMED_LANDMARK = re.compile(r'(<(aside|nav|section|form)\b[^>]*?\saria-label=")([^"]*)(")')
_CONTENTS_NAV = re.compile(r"""<nav role=["']navigation["'] class=["']print-page-toc-nav["']>""")


def unique_landmarks(text: str) -> str:
    """The print page with every landmark's accessible name unique (see the module's docstring)."""
    text = _CONTENTS_NAV.sub('<nav class="print-page-toc-nav" aria-label="Contents of the whole guide">', text)
    names = [(m.group(2), m.group(3)) for m in _NAMED_LANDMARK.finditer(text)]
    repeated = {name for name in names if names.count(name) > 1}
    if not repeated:
        return text
    starts = [m.start() for m in _CHAPTER.finditer(text)]
    pieces = [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)], strict=True)]
    out = []
    for piece in pieces:
        h1 = _H1_TEXT.search(piece)
        title = re.sub(r"<[^>]+>|&para;", "", h1.group(1)).strip() if h1 else ""

        def rename(m: re.Match, title: str = title) -> str:
            if (m.group(2), m.group(3)) not in repeated or not title:
                return m.group(0)
            return f"{m.group(1)}{m.group(3)}, in {title}{m.group(4)}"

        out.append(_NAMED_LANDMARK.sub(rename, piece))
    return "".join(out)


def lighter(text: str) -> str:
    for pattern, replacement in _LIGHTER:
        text = pattern.sub(replacement, text)
    return text


@event_priority(-50)  # after print-site has written the print page
def on_post_build(config):
    path = Path(config.site_dir) / "print_page" / "index.html"
    if "print-site" not in config.plugins or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    for pattern, replacement, _why in _PRINT_FIXES:
        text = pattern.sub(replacement, text)
    path.write_text(unique_landmarks(lighter(_link_excluded_pages(text, config))), encoding="utf-8")


def _link_excluded_pages(text: str, config) -> str:
    """The plugin turns every link to another page into an anchor inside the print page, also for
    the pages it leaves out (References, the Atlas); such links go back to the pages themselves."""
    excluded = config.plugins["print-site"].config.get("exclude") or []
    for source in excluded:
        url = source.removesuffix(".md").removesuffix("index").strip("/")
        if not url:
            continue
        key = url.replace("/", "-")
        pattern = re.compile(r'href="#' + re.escape(key) + r'(?:-([^"]*))?"')
        text = pattern.sub(lambda m, url=url: f'href="../{url}/' + (f"#{m.group(1)}" if m.group(1) else "") + '"', text)
    return text
