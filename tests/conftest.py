"""Shared fixtures. The guide is built once per test session; every test that needs HTML uses it.

The build is shared by every pytest-xdist worker (`make test` runs several): the first worker to
collect a test that needs the site claims the build (an exclusive file in the session's shared
temporary folder) and runs it in a background thread, while the workers run the tests that do not
need it (they are ordered first, module by module); `site` waits for the build's result file.
"""

from __future__ import annotations

import json
import os
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml

from scripts.sources.config import mkdocs_config
from scripts.sources.project import ROOT
from scripts.tools.build import BuildResult, build
from tests.samples import LLAVA, RADFORD

BUILD_TIMEOUT = 1800  # seconds a worker waits for the shared build before it gives up
_builder: threading.Thread | None = None


def _shared_dir(config: pytest.Config) -> Path:
    """The session's temporary folder that every xdist worker shares (each worker's own basetemp is
    <controller's basetemp>/popen-gwN); without xdist, the session's basetemp."""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def _start_build(config: pytest.Config) -> None:
    """Claim the shared build and start it in a background thread, unless another worker has."""
    global _builder
    shared = _shared_dir(config)
    try:
        os.close(os.open(shared / "site-build.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return

    def run() -> None:
        outcome = {"ok": False, "problems": ["the build raised an exception (see the worker's output)"]}
        try:
            result = build(shared / "site")
            outcome = {"ok": result.ok, "problems": [str(p) for p in result.problems]}
        finally:
            (shared / "site-build.tmp").write_text(json.dumps(outcome), encoding="utf-8")
            (shared / "site-build.tmp").replace(shared / "site-build.json")

    _builder = threading.Thread(target=run, name="site-build", daemon=True)
    _builder.start()


def _needs_site(item: pytest.Item) -> bool:
    return "site" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what will not run
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules whose tests need the built site go last (each module stays whole, so that xdist's
    --dist loadscope keeps its module fixtures on one worker), and the build starts now."""
    needs = {item.module.__name__ for item in items if _needs_site(item) and getattr(item, "module", None)}
    items.sort(key=lambda item: getattr(item, "module", None) is not None and item.module.__name__ in needs)
    if not config.option.collectonly and any(_needs_site(item) for item in items):
        _start_build(config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The worker that runs the shared build keeps it to the end, even when its own tests are done."""
    if _builder is not None:
        _builder.join()


@pytest.fixture(scope="session")
def site(pytestconfig: pytest.Config) -> Path:
    """The guide, built once with the strict build (scripts.tools.build) into a temporary folder
    shared by every worker."""
    _start_build(pytestconfig)  # a no-op when this or another worker has claimed it
    shared = _shared_dir(pytestconfig)
    done = shared / "site-build.json"
    deadline = time.monotonic() + BUILD_TIMEOUT
    while not done.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the shared build of the guide did not finish in {BUILD_TIMEOUT} s")
        time.sleep(0.1)
    outcome = json.loads(done.read_text(encoding="utf-8"))
    if not outcome["ok"]:
        pytest.fail("the strict build of the guide failed:\n" + "\n".join(outcome["problems"]))
    return shared / "site"


def write_project(
    root: Path, pages: dict[str, str], bib: str, nav: list[str] | None = None, data: dict[str, str] | None = None
) -> Path:
    """A minimal MkDocs project with the guide's plugins, hooks and Markdown extensions; returns its
    mkdocs.yml. Its abbreviations (appended to every page, as in the guide) include a word that
    occurs in a reference title, so cached and uncached reference rendering meet abbr too."""
    (root / "docs" / "includes").mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "docs" / "includes" / "abbreviations.md").write_text(
        "*[CLIP]: Contrastive Language-Image Pre-training\n*[Learning]: a word in a title\n"
    )
    (root / "references.bib").write_text(textwrap.dedent(bib), encoding="utf-8")
    for name, text in (data or {}).items():  # the Atlas data files, data/NAME.yaml
        (root / "data").mkdir(exist_ok=True)
        (root / "data" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    guide = mkdocs_config(ROOT / "mkdocs.yml")
    config = {
        "site_name": "fixture",
        "nav": nav or list(pages),
        "exclude_docs": "/includes/\n",
        "theme": {"name": "material", "font": False, "custom_dir": str(ROOT / "docs" / "overrides")},
        "hooks": [str(ROOT / hook) for hook in guide["hooks"]],
        "plugins": [{"bibtex": {"bib_file": "references.bib", "enable_inline_citations": False}}],
        "markdown_extensions": guide["markdown_extensions"],
        "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"},
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


GOOD_BIB = RADFORD + "\n" + LLAVA


@pytest.fixture(scope="session")
def broken_build(tmp_path_factory) -> BuildResult:
    """One build of a small site seeded with the toolchain's known traps."""
    root = tmp_path_factory.mktemp("broken")
    config = write_project(
        root,
        {
            "index.md": """\
                # Home

                Unknown key [@radford2021clipp].

                Wrong case [@Radford2021CLIP].

                Split citation [@radford2021clip;
                @liu2023llava].

                Mail [write to an@example.org] here.

                A [dangling anchor](other.md#nowhere).
                """,
            "other.md": "# Other\n\nFine [@liu2023llava].\n",
        },
        GOOD_BIB,
    )
    return build(root / "site", config)
