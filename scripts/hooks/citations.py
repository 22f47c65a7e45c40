"""Build extension: citations (mkdocs-bibtex) made safe, located and fast.

- mkdocs-bibtex rewrites `[@key]` even inside code: '@' in code is shielded before the plugin
  runs and restored in the HTML afterwards.
- mkdocs-bibtex's own warnings ("Citing unknown reference key ...") name no page; they are
  rewritten as `docs/<page>.md:<line>: ...`, so the strict build's report names the file and line.
- mkdocs-bibtex formats every citation again on every page (about half the build time); each
  entry's formatted text is cached, in memory and on disk, keyed by a hash of the entry, so a
  reference is formatted once and only again when its entry changes. GUIDE_BIB_CACHE=0 turns
  this off (a test builds both ways and compares the HTML).
- The plugin parses references.bib with pybtex on every build; the parsed data is cached on disk,
  keyed by a hash of the file's bytes.
- A footnote whose text is such a placeholder is marked atomic for Python-Markdown
  (PlaceholderFootnotes, a Markdown extension added at on_config), so its inline patterns skip
  the 1,000-odd footnote texts that no pattern can match.
- Several citations in a row ([@a; @b]) become adjacent footnote markers; they are put in
  ascending order (the plugin numbers each work at its first citation, so [@c; @a] could read
  "7,4") and a comma is put between them so that markers 3 and 4 never read as 34.
- Each page's footnotes (its cited works) get a visible "References" heading, and are left out of
  the search index: the References page indexes every work once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import sys
from importlib.metadata import version
from pathlib import Path

from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import mkdocs_bibtex.registry  # noqa: E402

from scripts.hooks._compat import replace  # noqa: E402
from scripts.sources.markdown import replace_in_code  # noqa: E402
from scripts.sources.project import cache_dir  # noqa: E402

# Private-use characters never occur in real text, so they make safe markers.
SHIELD = "\ue000"  # stands for '@' inside code while mkdocs-bibtex runs
_REF = "\ue001"  # brackets the digest of a cached reference until its HTML is put in
_BATCH = "\ue002"  # starts the marker paragraph before each reference in a batched render
_REF_PLACEHOLDER = re.compile("\ue001([0-9a-f]{64})\ue001")
_CACHE_FILE = "bibtex-format.json"
_ADJACENT_FOOTNOTES = re.compile(r'(</a></sup>)(<sup id="fnref)')
_MARKER = r'<sup id="fnref[^"]*"><a class="footnote-ref" href="[^"]*">(\d+)</a></sup>'
_MARKER_RUN = re.compile(f"(?:{_MARKER}){{2,}}")
_ONE_MARKER = re.compile(_MARKER)
_UNKNOWN_KEY = re.compile(r"unknown reference key (\S+)")
# A footnote's text once the footnotes extension has added its no-break space placeholder.
_FOOTNOTE_TEXT = re.compile(f"{_REF}[0-9a-f]{{64}}{_REF}" + re.escape(NBSP_PLACEHOLDER))


class _Locate(logging.Filter):
    """Prefix mkdocs-bibtex's warnings with the page (and the line of the key) being processed."""

    page: tuple[str, str] | None = None  # (path as shown, Markdown text)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.page is not None and record.levelno >= logging.WARNING:
            name, text = self.page
            message = record.getMessage()
            key = _UNKNOWN_KEY.search(message)
            at = text.find("@" + key.group(1)) if key else -1
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            record.msg, record.args = f"{name}:{line}: mkdocs-bibtex: {message}", None
        return True


_locate = _Locate()
logging.getLogger("mkdocs.plugins.mkdocs-bibtex").addFilter(_locate)


def _cached_parse_file(path):
    """pybtex's parse_file, cached by the file's content (the plugin calls it on every build)."""
    if os.environ.get("GUIDE_BIB_CACHE") == "0":
        return _parse_file(path)
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data + version("pybtex").encode()).hexdigest()
    directory = cache_dir(Path(path).parent)
    cached = directory / f"bib-{digest}.pickle"
    try:
        return pickle.loads(cached.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        result = _parse_file(path)  # errors (a duplicate key, a syntax error) surface as before
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("bib-*.pickle"):
            old.unlink()
        cached.write_bytes(pickle.dumps(result))
        return result


_parse_file = replace(
    mkdocs_bibtex.registry,
    "parse_file",
    _cached_parse_file,
    package="mkdocs-bibtex",
    written_for="4.4.0",
    source_sha="44fa2a6085f7a704",
    where="scripts/hooks/citations.py",
)
# The registry's formatter is replaced per build (on_pre_build), on the registry object itself.
REFERENCE_TEXT = {
    "package": "mkdocs-bibtex",
    "written_for": "4.4.0",
    "source_sha": "504a6b7556668498",
    "where": "scripts/hooks/citations.py",
}


def _entry_digest(entry, tools: tuple[str, ...]) -> str:
    """A hash of everything the formatted text depends on: the entry and the formatter's versions."""
    fields = sorted((k.lower(), str(v)) for k, v in entry.fields.items())
    persons = sorted((role, [str(p) for p in people]) for role, people in entry.persons.items())
    return hashlib.sha256(json.dumps([entry.type, fields, persons, tools]).encode()).hexdigest()


def _config_digest(config) -> str:
    """Markdown settings change the rendered HTML, so they are part of every cache key (the
    build's own extension below changes nothing in the HTML and is left out)."""
    extensions = [e for e in config.markdown_extensions if not isinstance(e, PlaceholderFootnotes)]
    return hashlib.sha256(json.dumps([extensions, config.mdx_configs], default=str, sort_keys=True).encode()).hexdigest()


class _SkipPlaceholders(Treeprocessor):
    """Marks a footnote whose whole text is a cached reference's placeholder (and its back-link's
    arrow) as atomic, so Python-Markdown's inline patterns do not search them: no pattern can
    match a placeholder, and on_page_content puts the entry's HTML in its place."""

    def run(self, root):
        for div in root.iter("div"):
            if div.get("class") == "footnote":
                for p in div.iter("p"):
                    if p.text and _FOOTNOTE_TEXT.fullmatch(p.text):
                        p.text = AtomicString(p.text)
                        for a in p:
                            if a.get("class") == "footnote-backref" and a.text:
                                a.text = AtomicString(a.text)
                break


class PlaceholderFootnotes(Extension):
    """Registers _SkipPlaceholders after the footnotes extension builds its list (priority 50)
    and before inline patterns run (priority 20)."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_SkipPlaceholders(md), "guide-reference-placeholders", 40)


class RefCache:
    """Formatted references by entry digest, with their HTML rendered once per build at most.
    The build's registry carries it as `registry.guide_cache`; the bibliography hook uses it too."""

    def __init__(self, path: Path, entries: dict, loaded: int, config):
        self.path, self.entries, self.loaded, self.config = path, entries, loaded, config
        self._md = None

    def html(self, digest: str) -> str:
        if "html" not in self.entries[digest]:
            self._render_pending()
        return self.entries[digest]["html"]

    def resolve(self, text: str) -> str:
        """Put each cached reference's HTML in place of its placeholder."""
        return _REF_PLACEHOLDER.sub(lambda m: self.html(m.group(1)), text)

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


def on_config(config):
    if config.plugins.get("bibtex") is not None and os.environ.get("GUIDE_BIB_CACHE") != "0":
        config.markdown_extensions.append(PlaceholderFootnotes())
    return config


def on_pre_build(config):
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
    path = cache_dir(Path(config.config_file_path).parent) / _CACHE_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    tools = (version("pybtex"), version("mkdocs-bibtex"), version("markdown"), _config_digest(config))
    digests = {key: _entry_digest(entry, tools) for key, entry in registry.bib_data.entries.items()}
    cache = {d: stored[d] for d in digests.values() if d in stored}

    def reference_text(citation):
        digest = digests.get(citation.key)
        if digest is None:  # wrong-case or unknown key: let the plugin behave as it does
            return original(citation)
        if digest not in cache:
            cache[digest] = {"text": original(citation)}
        return f"{_REF}{digest}{_REF}"

    original = replace(registry, "reference_text", reference_text, **REFERENCE_TEXT)
    registry.guide_cache = RefCache(path, cache, len(cache), config)


@event_priority(100)  # before mkdocs-bibtex (priority 0)
def on_page_markdown(markdown, page, config, files):
    _locate.page = (f"{Path(config.docs_dir).name}/{page.file.src_uri}", markdown)
    if config.plugins.get("bibtex") is None:  # the benchmark's baseline build has no plugin
        return markdown
    return replace_in_code(markdown, "@", SHIELD)


@event_priority(50)  # before print-site saves each page for the combined print page
def on_page_content(html_text, page, config, files):
    _locate.page = None
    html_text = html_text.replace(SHIELD, "@")
    cache = _cache(config)
    if cache is not None:
        html_text = cache.resolve(html_text)
    html_text = html_text.replace(
        '<div class="footnote">',
        '<h2 id="cited-works" data-search-exclude>References</h2>\n<div class="footnote" data-search-exclude>',
        1,
    )
    return _ADJACENT_FOOTNOTES.sub(r'\1<sup class="fn-sep">,</sup>\2', sort_marker_runs(html_text))


def sort_marker_runs(html_text: str) -> str:
    """Each run of adjacent footnote markers in ascending order of their numbers."""

    def ordered(run: re.Match) -> str:
        markers = [(int(m.group(1)), m.group(0)) for m in _ONE_MARKER.finditer(run.group(0))]
        return "".join(marker for _, marker in sorted(markers, key=lambda x: x[0]))

    return _MARKER_RUN.sub(ordered, html_text)


def _cache(config) -> RefCache | None:
    plugin = config.plugins.get("bibtex")
    return getattr(plugin.registry, "guide_cache", None) if plugin else None


def on_post_build(config):
    cache = _cache(config)
    if cache is not None:
        cache.save()
