"""scripts/sitecheck.py on hand-made broken HTML, and the strict build on a site seeded with the
toolchain's known traps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.sitecheck import check_site


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>\n{body}\n</body></html>\n", encoding="utf-8")


def test_broken_html_is_reported_with_file_and_line(tmp_path):
    site = tmp_path / "site"
    write(
        site,
        "index.html",
        '<h2 id="top">Top</h2>\n<a href="a/">ok</a> <a href="a/#sec">ok</a> <a href="#top">ok</a>\n<a href="https://example.org/x">external is not checked here</a>',
    )
    write(
        site,
        "a/index.html",
        "\n".join(
            [
                '<h2 id="sec">Sec</h2>',
                '<a href="../missing/">gone</a>',
                '<a href="../#nowhere">bad anchor</a>',
                '<img src="../pic.svg">',
                '<img src="../nothere.svg" alt="A missing picture">',
                "<p>An unresolved [@radford2021clip] citation and a stray [^note].</p>",
                "<pre><code>[@radford2021clip] in code is fine</code></pre>",
            ]
        ),
    )
    (site / "pic.svg").write_text("<svg/>")
    msgs = sorted(str(p) for p in check_site(site))
    assert msgs == [
        "site/a/index.html:3: link '../missing/' leads to no file in the built site",
        "site/a/index.html:4: link '../#nowhere': no element with id 'nowhere' in site/index.html",
        "site/a/index.html:5: image '../pic.svg' has no alt text",
        "site/a/index.html:6: image '../nothere.svg' does not exist in the built site",
        "site/a/index.html:7: literal '[@radford2021clip]' in the page text: a citation or footnote did not resolve; run 'make check' for the Markdown line",
        "site/a/index.html:7: literal '[^note]' in the page text: a citation or footnote did not resolve; run 'make check' for the Markdown line",
    ]


def test_strict_build_fails_on_each_citation_trap_with_file_and_line(broken_build):
    assert not broken_build.ok
    msgs = [str(p) for p in broken_build.problems]
    expected = [
        "docs/index.md:3: unknown citation key 'radford2021clipp' (did you mean 'radford2021clip'?)",
        "docs/index.md:5: citation key 'Radford2021CLIP' has the wrong case: write 'radford2021clip'",
        "docs/index.md:7: citation split across lines",
        "docs/index.md:10: '@' inside brackets that are not a citation: '[write to an@example.org]'",
    ]
    for want in expected:
        assert any(m.startswith(want) for m in msgs), f"missing {want!r} in:\n" + "\n".join(msgs)
    assert any("other.md#nowhere" in m and "does not contain an anchor" in m for m in msgs), msgs


def test_quiet_strict_build_hides_warnings(broken_build, tmp_path):
    """The trap the wrapper exists for: `mkdocs build --strict -q` exits 0 on this broken site."""
    config = broken_build.site_dir.parent / "mkdocs.yml"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(tmp_path / "q")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
