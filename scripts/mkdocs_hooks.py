"""MkDocs hooks (mkdocs.yml `hooks:`). They fix traps of the toolchain at build time:

- mkdocs-bibtex rewrites `[@key]` even inside code: '@' in code is shielded before the plugin runs
  and restored in the HTML afterwards.
- The References page is rendered from references.bib with the plugin's own formatter, one entry
  per key with a stable `#ref-<key>` anchor.
- Several citations in a row ([@a; @b]) become adjacent footnote markers; a comma is put between
  them so that markers 3 and 4 never read as 34.
- mkdocs-bibtex formats every citation again on every page (about half the build time); each
  entry's formatted text is cached, in memory and on disk, keyed by a hash of the entry, so a
  reference is formatted once and only again when its entry changes. GUIDE_BIB_CACHE=0 turns
  this off (the test that the output is identical builds both ways).
- The plugin parses references.bib with pybtex on every build; the parsed data is cached on disk,
  keyed by a hash of the file's bytes.
- mkdocs-print-site-plugin (the whole guide on one page) prefixes element ids with their page's
  key so they stay unique, but its pattern starts at the first tag of a line and so misses every
  later id on that line (most footnote markers); a correct replacement is patched in.
- Stock Material markup fails axe and the Nu validator in two places: the search dialog has no
  accessible name, and the drawer/search checkboxes carry `autocomplete`, which HTML forbids on
  checkboxes. on_post_page fixes both, and warns (failing the strict build) if the markup changes.
- Material's JavaScript (search, tooltips, palette toggle, scroll-spy) is not needed to read a
  page, but on a long chapter its start-up is one ~0.9 s long task on a throttled phone. Pages
  load it on the reader's first interaction (pointer, key, touch, wheel, scroll or focus) instead;
  the bundle waits for DOMContentLoaded, so the loader replays that event once it has run. The
  colour scheme does not wait: an inline script applies the saved or system-preferred palette,
  shows the matching toggle, and handles (and saves) a toggle before the bundle takes over.
  Wide tables scroll inside themselves (Material's CSS) and are focusable, so keyboards can too.
- Each page without a `description` in its front matter gets one from its lead paragraph, for
  search engines and link previews.
- Each page shows when it was last changed (scripts/lastupdated.py: git history, with fallbacks).
- Each page's footnotes (its cited works) get a visible "References" heading, and are left out of
  the search index: the References page indexes every work once, instead of once per citing page.
- Math written as $...$ / $$...$$ (pymdownx.arithmatex, generic mode) becomes MathML at build time:
  no script, no request to another host, readable by screen readers.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logging  # noqa: E402
import pickle  # noqa: E402

import mkdocs_bibtex.registry  # noqa: E402
import mkdocs_print_site_plugin.urls  # noqa: E402
from latex2mathml.converter import convert as _tex_to_mathml  # noqa: E402

from scripts import references  # noqa: E402
from scripts.common import replace_in_code  # noqa: E402
from scripts.lastupdated import LastUpdated, human  # noqa: E402
from scripts.mdcheck import SNIPPET_RE, citation_problems, expand_snippets  # noqa: E402

log = logging.getLogger("mkdocs.hooks.guide")

# Private-use characters never occur in real text, so they make safe markers.
SHIELD = "\ue000"  # stands for '@' inside code while mkdocs-bibtex runs
_REF = "\ue001"  # brackets the digest of a cached reference until its HTML is put in
_BATCH = "\ue002"  # starts the marker paragraph before each reference in a batched render
_REF_PLACEHOLDER = re.compile("\ue001([0-9a-f]{64})\ue001")
_CACHE_FILE = "bibtex-format.json"
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_CODE_BLOCK = re.compile(r"(<pre[^>]*>(?:<span></span>)?<code)(?![^>]*tabindex)")
_ADJACENT_FOOTNOTES = re.compile(r'(</a></sup>)(<sup id="fnref)')
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


def _set_last_updated(markdown: str, page, config) -> None:
    if _last_updated is None:
        return
    docs = Path(config.docs_dir).name  # dates are looked up relative to the folder holding docs/
    sources = [f"{docs}/{page.file.src_uri}"] + [m.group("file") for m in SNIPPET_RE.finditer(markdown)]
    date = _last_updated.date(*sources)
    if date is not None:
        page.meta["revision_date"] = f"Last updated {human(date)}"


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


@event_priority(100)  # before mkdocs-bibtex (priority 0)
def on_page_markdown(markdown, page, config, files):
    _set_last_updated(markdown, page, config)
    if not page.meta.get("description"):
        page.meta["description"] = lead_description(markdown) or config.site_description
    plugin = config.plugins.get("bibtex")
    if plugin is None:  # a build without the plugin (the benchmark's baseline) has nothing to check
        return markdown
    # Report citation problems with file and line before mkdocs-bibtex silently drops them.
    keys = set(plugin.registry.bib_data.entries.keys())
    for problem in citation_problems(markdown, f"{Path(config.docs_dir).name}/{page.file.src_uri}", keys):
        log.warning(str(problem))
    markdown = replace_in_code(markdown, "@", SHIELD)
    if references.MARKER in markdown:
        markdown = markdown.replace(references.MARKER, _bibliography_html(plugin, page, config, files))
    return markdown


def _citing_sections_cached(config) -> dict[str, list[tuple[str, str]]]:
    """references.citing_sections, cached on disk by a hash of every page's text."""
    from scripts.mdcheck import doc_pages

    docs = Path(config.docs_dir)
    if os.environ.get("GUIDE_BIB_CACHE") == "0":
        return references.citing_sections(docs)
    digest = hashlib.sha256()
    for path in doc_pages(docs):
        digest.update(path.relative_to(docs).as_posix().encode() + b"\0" + path.read_bytes())
    cached = _cache_dir(config) / f"cited-in-{digest.hexdigest()}.json"
    try:
        return {k: [tuple(link) for link in v] for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        result = references.citing_sections(docs)
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("cited-in-*.json"):
            old.unlink()
        cached.write_text(json.dumps(result), encoding="utf-8")
        return result


def _bibliography_html(plugin, page, config, files) -> str:
    """The References page's list, as HTML: each entry rendered as in the chapters' footnotes."""
    from mkdocs_bibtex.citation import Citation

    entries = references.entries_from_pybtex(plugin.registry.bib_data)
    texts = {k: plugin.registry.reference_text(Citation(key=k)) for k in entries}
    cache = getattr(plugin.registry, "guide_cache", None)
    if cache is not None:  # the texts are placeholders for cached HTML
        formatted = {k: _REF_PLACEHOLDER.sub(lambda m: cache.html(m.group(1)), t) for k, t in texts.items()}
    else:
        import markdown as md

        renderer = md.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        formatted = {k: re.sub(r"^<p>(.*)</p>$", r"\1", renderer.reset().convert(t), flags=re.S) for k, t in texts.items()}
    cited_in = {}
    for key, links in _citing_sections_cached(config).items():
        for label, href in links:
            path, _, anchor = href.partition("#")
            url = files.get_file_from_path(path).url_relative_to(page.file)
            cited_in.setdefault(key, []).append((label, f"{url}#{anchor}" if anchor else url))
    return references.render(entries, formatted, cited_in)


def _cache_dir(config) -> Path:
    return Path(os.environ.get("GUIDE_CACHE_DIR") or Path(config.config_file_path).parent / ".cache")


_parse_file = mkdocs_bibtex.registry.parse_file


def _cached_parse_file(path):
    """pybtex's parse_file, cached by the file's content (the plugin calls it on every build)."""
    if os.environ.get("GUIDE_BIB_CACHE") == "0":
        return _parse_file(path)
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data + version("pybtex").encode()).hexdigest()
    cache_dir = Path(os.environ.get("GUIDE_CACHE_DIR") or Path(path).parent / ".cache")
    cached = cache_dir / f"bib-{digest}.pickle"
    try:
        return pickle.loads(cached.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        result = _parse_file(path)  # errors (a duplicate key, a syntax error) surface as before
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("bib-*.pickle"):
            old.unlink()
        cached.write_bytes(pickle.dumps(result))
        return result


mkdocs_bibtex.registry.parse_file = _cached_parse_file

# Every element's id (tabbed-content inputs and labels are renamed by the plugin's own function).
_ID_ATTR = re.compile(r'(<(?!input\b|label\b)[a-zA-Z][a-zA-Z0-9]*\b[^>]*?\sid=")([^"]*)(")')


def _update_anchor_ids(page_html: str, page_key: str) -> str:
    """id="x" becomes id="<page_key>-x" on every element of a page of the print page."""
    return _ID_ATTR.sub(lambda m: f"{m.group(1)}{page_key}-{m.group(2)}{m.group(3)}", page_html)


mkdocs_print_site_plugin.urls.update_anchor_ids = _update_anchor_ids


def _entry_digest(entry, tools: tuple[str, ...]) -> str:
    """A hash of everything the formatted text depends on: the entry and the formatter's versions."""
    fields = sorted((k.lower(), str(v)) for k, v in entry.fields.items())
    persons = sorted((role, [str(p) for p in people]) for role, people in entry.persons.items())
    return hashlib.sha256(json.dumps([entry.type, fields, persons, tools]).encode()).hexdigest()


_last_updated: LastUpdated | None = None


def on_pre_build(config):
    global _last_updated
    _last_updated = LastUpdated(Path(config.docs_dir).parent)
    _cache_references(config)


def _cache_references(config):
    """Memoize the plugin's reference formatter (it formats each citation on every page).

    The wrapped formatter returns a placeholder; on_page_content swaps in the entry's HTML,
    rendered once from the plugin's own text with the site's Markdown configuration. So each
    entry is formatted and converted once, not once per citing page, and the result is the same.
    """
    plugin = config.plugins.get("bibtex")
    if plugin is None or os.environ.get("GUIDE_BIB_CACHE") == "0":
        return
    registry = plugin.registry
    if getattr(registry, "guide_cache", None) is not None:
        return  # `mkdocs serve` rebuild with an unchanged bibliography: keep the cache
    path = _cache_dir(config) / _CACHE_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    tools = (version("pybtex"), version("mkdocs-bibtex"), version("markdown"), _config_digest(config))
    digests = {key: _entry_digest(entry, tools) for key, entry in registry.bib_data.entries.items()}
    cache = {d: stored[d] for d in digests.values() if d in stored}
    original = registry.reference_text

    def reference_text(citation):
        digest = digests.get(citation.key)
        if digest is None:  # wrong-case or unknown key: let the plugin behave as it does
            return original(citation)
        if digest not in cache:
            cache[digest] = {"text": original(citation)}
        return f"{_REF}{digest}{_REF}"

    registry.reference_text = reference_text
    registry.guide_cache = _RefCache(path, cache, len(cache), config)


class _RefCache:
    """Formatted references by entry digest, with their HTML rendered once per build at most."""

    def __init__(self, path: Path, entries: dict, loaded: int, config):
        self.path, self.entries, self.loaded, self.config = path, entries, loaded, config
        self._md = None

    def html(self, digest: str) -> str:
        if "html" not in self.entries[digest]:
            self._render_pending()
        return self.entries[digest]["html"]

    def _render_pending(self) -> None:
        """Render every entry that has no HTML yet in one Markdown conversion (one paragraph each,
        separated by marker paragraphs), with the site's own Markdown configuration."""
        pending = [d for d, e in self.entries.items() if "html" not in e]
        if self._md is None:
            import markdown

            self._md = markdown.Markdown(extensions=self.config.markdown_extensions, extension_configs=self.config.mdx_configs)
        source = "\n\n".join(f"{_BATCH}{d}\n\n{self.entries[d]['text']}" for d in pending)
        rendered = self._md.reset().convert(source)
        for block in rendered.split(f"<p>{_BATCH}")[1:]:
            digest, _, body = block.partition("</p>")
            self.entries[digest]["html"] = re.sub(r"^\s*<p>(.*)</p>\s*$", r"\1", body, flags=re.S)

    def save(self) -> None:
        if len(self.entries) != self.loaded or any("html" not in e for e in self.entries.values()):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            self.loaded = len(self.entries)


def _config_digest(config) -> str:
    """Markdown settings change the rendered HTML, so they are part of every cache key."""
    return hashlib.sha256(
        json.dumps([config.markdown_extensions, config.mdx_configs], default=str, sort_keys=True).encode()
    ).hexdigest()


@event_priority(-50)  # after print-site has written the print page
def on_post_build(config):
    _fix_print_page(config)
    plugin = config.plugins.get("bibtex")
    cache = getattr(plugin.registry, "guide_cache", None) if plugin else None
    if cache is not None:
        cache.save()


# (marker of the element, Material's exact markup, the fix, why). Where the element exists its
# markup must match, so a Material upgrade that changes it is caught by the strict build.
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


def _fix_markup(output: str, where: str) -> str:
    for marker, old, new, why in _MARKUP_FIXES:
        if marker in output and old not in output:
            log.warning(
                f"{where}: Material's markup changed, '{old}' not found ({why}): update _MARKUP_FIXES in scripts/mkdocs_hooks.py"
            )
        output = output.replace(old, new)
    return output


_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
_LOADER = (
    "<script>(function(){"
    'var src="%s",done=false,events=["pointerover","pointerdown","keydown","touchstart","wheel","scroll","focusin"];'
    "function load(){if(done)return;done=true;"
    "events.forEach(function(e){removeEventListener(e,load,true)});"
    'var s=document.createElement("script");s.src=src;'
    's.onload=function(){document.dispatchEvent(new Event("DOMContentLoaded"))};'
    "document.body.appendChild(s)}"
    "events.forEach(function(e){addEventListener(e,load,{capture:true,passive:true})});"
    "})();</script>"
)
_PALETTE_FORM = re.compile(r'(<form class="md-header__option" data-md-component="palette">.*?</form>)', re.S)
_PALETTE_NOW = (
    "<script>(function(){"
    "var inputs=[].slice.call(document.querySelectorAll('input.md-option[name=\"__palette\"]'));if(!inputs.length)return;"
    "function apply(n,save){var i=inputs.indexOf(n),color={};n.checked=true;"
    '["media","scheme","primary","accent"].forEach(function(k){color[k]=n.getAttribute("data-md-color-"+k);'
    'if(k!=="media")document.body.setAttribute("data-md-color-"+k,color[k])});'
    'inputs.forEach(function(m,j){var l=m.nextElementSibling;if(l&&l.tagName==="LABEL")l.hidden=j!==i});'
    'if(save)__md_set("__palette",{index:i,color:color})}'
    'var saved=__md_get("__palette"),pick=saved&&typeof saved.index==="number"?inputs[saved.index]:null;'
    'for(var i=0;!pick&&i<inputs.length;i++){if(matchMedia(inputs[i].getAttribute("data-md-color-media")).matches)pick=inputs[i]}'
    "apply(pick||inputs[0],false);"
    'inputs.forEach(function(n){n.addEventListener("change",function(){apply(n,true)})})'
    "})();</script>"
)


def _load_bundle_on_interaction(output: str, where: str) -> str:
    if not _BUNDLE.search(output):
        if "assets/javascripts/bundle." in output:
            log.warning(f"{where}: Material's bundle script tag changed: update _BUNDLE in scripts/mkdocs_hooks.py")
        return output
    if 'name="__palette"' in output and not _PALETTE_FORM.search(output):
        log.warning(f"{where}: Material's palette form changed: update _PALETTE_FORM in scripts/mkdocs_hooks.py")
    output = _PALETTE_FORM.sub(lambda m: m.group(1) + _PALETTE_NOW, output, count=1)
    # Lay the page out for a reader with JavaScript from the first paint (Material's CSS hides
    # search under "no-js" until its bundle runs), so nothing shifts when the bundle arrives.
    output = output.replace("</head>", '<script>document.documentElement.classList.replace("no-js","js")</script></head>', 1)
    return _BUNDLE.sub(lambda m: _LOADER % m.group(1), output)


def on_post_page(output, page, config):
    return _load_bundle_on_interaction(_fix_markup(output, page.file.src_uri), page.file.src_uri)


def on_post_template(output_content, template_name, config):
    if template_name != "404.html":
        return output_content
    return _load_bundle_on_interaction(_fix_markup(output_content, template_name), template_name)


_PRINT_FIXES = (
    # (pattern, replacement, why): markup the print plugin emits that HTML does not allow
    (re.compile(r'(<section class="print-page"[^>]*?) heading-number="[^"]*"'), r"\1", "attribute not allowed on section"),
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


def _fix_print_page(config) -> None:
    if "print-site" not in config.plugins:
        return
    path = Path(config.site_dir) / "print_page" / "index.html"
    if not path.is_file():
        return
    html_text = _fix_markup(path.read_text(encoding="utf-8"), "print_page")
    for pattern, replacement, _why in _PRINT_FIXES:
        html_text = pattern.sub(replacement, html_text)
    path.write_text(html_text, encoding="utf-8")


def _math(match: re.Match, display: str) -> str:
    tex = html.unescape(match.group(1)).strip()
    return _tex_to_mathml(tex, display=display)


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    html_text = html_text.replace(SHIELD, "@")
    plugin = config.plugins.get("bibtex")
    cache = getattr(plugin.registry, "guide_cache", None) if plugin else None
    if cache is not None:
        html_text = _REF_PLACEHOLDER.sub(lambda m: cache.html(m.group(1)), html_text)
    html_text = html_text.replace(
        '<div class="footnote">',
        '<h2 id="cited-works" data-search-exclude>References</h2>\n<div class="footnote" data-search-exclude>',
        1,
    )
    # Wide tables and code blocks scroll inside themselves; focusable, so keyboards can scroll them
    # too (Material's bundle does the same for code, but only once it has loaded).
    html_text = html_text.replace("<table>", '<table tabindex="0">')
    html_text = _CODE_BLOCK.sub(r'\1 tabindex="0"', html_text)
    html_text = _ADJACENT_FOOTNOTES.sub(r'\1<sup class="fn-sep">,</sup>\2', html_text)
    html_text = _BLOCK_MATH.sub(lambda m: f'<div class="math-block" tabindex="0">{_math(m, "block")}</div>', html_text)
    return _INLINE_MATH.sub(lambda m: _math(m, "inline"), html_text)
