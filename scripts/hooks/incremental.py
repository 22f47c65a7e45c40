"""Build extension: fast live preview.

`make serve` runs `mkdocs serve --dirty`: a rebuild renders only the pages whose Markdown changed
since the served copy was written. This hook keeps everything that depends on more than a page's
own Markdown correct:

- A change to any other input (references.bib, data/, scripts/ with the TOC, mkdocs.yml, the
  templates, CSS, figures and snippets under docs/, the watched files, a page added or removed)
  rebuilds every page, as a plain `mkdocs serve` would.
- The References page is rebuilt whenever an edited page's headings or citations changed (its
  "Cited in" links could have).
- The search index keeps the entries of the pages that were not rebuilt and replaces those of the
  pages that were (Material's own merge assumes exactly one page per rebuild).
- Jinja's compiled templates are kept in memory between rebuilds (the theme is loaded afresh on
  every rebuild, and compiling its templates again took about a second).

It does nothing under `mkdocs build` or a serve without --dirty.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.hooks.bibliography import MARKER  # noqa: E402

_state: dict = {"dirty": False, "inputs": None, "citing": {}, "rebuilt": set()}
# What the References page's "Cited in" links can depend on in a page: its heading lines and the
# citation keys in order (a superset: '#' lines in code and '@' in e-mail addresses count too).
_CITING = re.compile(r"^#{1,6}[ \t].*$|@[\w:.+-]+", re.M)


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by Jinja's key; Jinja itself checks each entry against its source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


class _DirtyNotice(logging.Filter):
    """MkDocs warns at every --dirty build that navigation and links may be inaccurate, and the
    strict build (strict: true) would stop on it; the rules above are what keep them accurate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_startup(command, dirty):
    _state["dirty"] = command == "serve" and dirty
    if _state["dirty"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def _files_under(path: Path):
    if path.is_file():
        yield path
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                yield p


def inputs_fingerprint(config) -> str:
    """Size and modification time of every input that is not a page's own Markdown, and the list
    of pages."""
    docs = Path(config.docs_dir)
    digest = hashlib.sha256()
    sources = [Path(config.config_file_path), *map(Path, config.watch), docs]
    for source in sources:
        for path in _files_under(source):
            if path.suffix == ".md" and docs in path.parents and "includes" not in path.relative_to(docs).parts:
                digest.update(b"page\0" + str(path).encode() + b"\0")  # added or removed pages count
                continue
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _rebuild(file) -> None:
    """Make MkDocs treat the page as modified (--dirty compares the output's time with the source's)."""
    try:
        os.remove(file.abs_dest_path)
    except FileNotFoundError:
        pass


def on_files(files, config):
    _state["rebuilt"] = set()
    if not _state["dirty"]:
        return files
    pages = list(files.documentation_pages())
    inputs = inputs_fingerprint(config)
    if inputs != _state["inputs"]:
        for file in pages:  # a shared input changed (or this is the first build): every page
            _rebuild(file)
        _state["inputs"] = inputs
    citing_changed = False
    for file in pages:
        if file.is_modified():
            signature = _CITING.findall(Path(file.abs_src_path).read_text(encoding="utf-8"))
            if _state["citing"].get(file.src_uri) != signature:
                _state["citing"][file.src_uri] = signature
                citing_changed = True
    if citing_changed:
        for file in pages:
            if MARKER in Path(file.abs_src_path).read_text(encoding="utf-8"):
                _rebuild(file)
    return files


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    _state["rebuilt"].add(page.url)
    return markdown


def on_env(env, config, files):
    if _state["dirty"]:
        env.bytecode_cache = _BYTECODE
    return env


@event_priority(10)  # before the search plugin writes its index (priority 0)
def on_post_build(config):
    if not _state["dirty"]:
        return
    search = config.plugins.get("material/search") or config.plugins.get("search")
    previous = getattr(search, "search_index_prev", None)
    if previous is None:
        return
    kept = [e for e in previous.entries if e["location"].split("#")[0] not in _state["rebuilt"]]
    search.search_index.entries = kept + search.search_index.entries
    search.search_index_prev = None  # merged here; Material's merge would drop or repeat entries
