"""scripts/checks/site.py on hand-made broken HTML."""

from __future__ import annotations

from pathlib import Path

from scripts.checks.site import check_site


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
