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


MARKER = '<sup id="fnref:{k}"><a class="footnote-ref" href="#fn:{k}">{n}</a></sup>'
SEP = '<sup class="fn-sep">,</sup>'


def test_citation_groups_out_of_order_are_reported(tmp_path):
    site = tmp_path / "site"
    good = SEP.join(MARKER.format(k=k, n=n) for k, n in (("a", 4), ("b", 7), ("c", 10)))
    bad = SEP.join(MARKER.format(k=k, n=n) for k, n in (("b", 7), ("c", 10), ("a", 4)))
    notes = "".join(f'<li id="fn:{k}">{k}</li>' for k in "abc")
    write(site, "index.html", f"<p>Fine {good}.</p>\n<p>Wrong {bad}.</p>\n<ol>{notes}</ol>")
    (p,) = check_site(site)
    assert str(p).startswith("site/index.html:3: citation markers 7,10,4 are not in ascending order")


def test_reference_entry_that_repeats_a_link_is_reported(tmp_path):
    site = tmp_path / "site"
    once = '<a href="https://arxiv.org/abs/2103.00020">arXiv:2103.00020</a>'
    cited = '<span class="bib-cited-in">Cited in <a href="#x">1.1</a>, <a href="#x">1.2</a></span>'
    write(
        site,
        "references/index.html",
        f'<h2 id="x">X</h2>\n<p class="bib-entry" id="ref-a">A. {once}.{cited}</p>\n<p class="bib-entry" id="ref-b">B. {once}. {once}</p>',
    )
    (p,) = check_site(site)
    assert str(p) == (
        "site/references/index.html:4: reference 'ref-b' links to https://arxiv.org/abs/2103.00020 twice: "
        "link_out in scripts/hooks/bibliography.py should add a link only when the formatted entry has none"
    )


def test_a_page_over_the_weight_budget_is_reported_but_not_the_print_page(tmp_path):
    import random

    from scripts.checks.site import PAGE_BUDGET, page_weight

    site = tmp_path / "site"
    words = random.Random(0).choices(["atlas", "model", "token", "image", "vision", "reader", "page", "number"], k=60_000)
    heavy = "<p>" + " ".join(f"{w}{i % 997}" for i, w in enumerate(words)) + "</p>"
    write(site, "index.html", "<p>Light.</p>")
    write(site, "references/index.html", heavy)
    write(site, "print_page/index.html", heavy)
    assert page_weight((site / "references" / "index.html").read_bytes()) > PAGE_BUDGET
    (p,) = check_site(site)
    assert str(p).startswith("site/references/index.html:1: the page weighs "), str(p)
    assert "KB gzipped, over the 72 KB page budget" in str(p) and 'README, "Page weight"' in str(p)
