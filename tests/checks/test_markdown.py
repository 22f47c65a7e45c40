"""Each rule of scripts/checks/markdown.py and scripts/checks/structure.py, fed broken Markdown: the failure names file, line and fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scripts.checks import markdown as mdcheck
from scripts.checks import structure
from scripts.sources import markdown as sources
from scripts.sources.toc import Chapter, Section, render_readme_toc

KEYS = {"radford2021clip", "liu2023llava"}


def docs_with(tmp_path: Path, **pages: str) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / f"{name}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return docs


def messages(problems):
    return [str(p) for p in problems]


def test_unknown_key_names_file_line_and_suggests(tmp_path):
    docs = docs_with(tmp_path, training="# T\n\ntext\n\nA claim [@radford2021clipp].\n")
    (p,) = mdcheck.check_citations(docs, KEYS)
    assert p.path.endswith("docs/training.md") and p.line == 5
    assert "unknown citation key 'radford2021clipp' (did you mean 'radford2021clip'?)" in p.message


def test_wrong_case_key(tmp_path):
    docs = docs_with(tmp_path, a="Claim [@Radford2021CLIP].\n")
    (p,) = mdcheck.check_citations(docs, KEYS)
    assert p.line == 1 and "wrong case: write 'radford2021clip'" in p.message


def test_several_keys_in_one_citation_are_each_checked(tmp_path):
    docs = docs_with(tmp_path, a="Claim [@radford2021clip; @nobody2020x].\n")
    (p,) = mdcheck.check_citations(docs, KEYS)
    assert "'nobody2020x'" in p.message


@pytest.mark.parametrize(
    "text", ["Claim [@radford2021clip;\n@liu2023llava].\n", "Claim [\n@radford2021clip].\n", "Claim [@radford2021clip\n].\n"]
)
def test_citation_split_across_lines(tmp_path, text):
    docs = docs_with(tmp_path, a=text)
    assert any(p.line == 1 and "split across lines" in p.message for p in mdcheck.check_citations(docs, KEYS))


@pytest.mark.parametrize(
    "text",
    ["Write [to an@example.org] now.\n", "See [@radford2021clip, p. 3].\n", "[CLIP [@radford2021clip]](https://openai.com)\n"],
)
def test_at_sign_in_brackets_that_are_not_citations(tmp_path, text):
    docs = docs_with(tmp_path, a=text)
    (p,) = mdcheck.check_citations(docs, KEYS)
    assert "'@' inside brackets that are not a citation" in p.message


def test_citations_in_code_are_not_checked(tmp_path):
    docs = docs_with(tmp_path, a="Use `[@nokey]` like this.\n\n```md\n[@another]\n[broken @x\n```\n")
    assert mdcheck.check_citations(docs, KEYS) == []


def test_links_anchors_and_images(tmp_path):
    docs = docs_with(
        tmp_path,
        a="""\
        # A

        ## Real section

        [ok](b.md#target) [ok2](#real-section) [ok3](b.md)
        [missing file](c.md)
        [bad anchor](b.md#targett)
        [bad own anchor](#nope)
        [absolute](/b.md)
        ![](pic.svg)
        ![A picture that is not there](missing.svg)
        <img src="pic.svg">
        """,
        b="# B\n\n## Target\n",
    )
    (docs / "pic.svg").write_text("<svg/>")
    msgs = messages(mdcheck.check_links(docs, KEYS))
    assert any(
        m.endswith(
            "a.md:6: link target 'c.md' does not exist (relative to "
            + str(docs.relative_to(docs.anchor)).join(["", ""])[0:0]
            + m.split("relative to ")[1]
        )
        for m in msgs
    )
    assert any(":7: anchor '#targett' does not exist in" in m and "did you mean '#target'" in m for m in msgs)
    assert any(":8: anchor '#nope' does not exist" in m for m in msgs)
    assert any(":9: absolute link '/b.md'" in m for m in msgs)
    assert any(":10: image 'pic.svg' has no alt text" in m for m in msgs)
    assert any(":11: image target 'missing.svg' does not exist" in m for m in msgs)
    assert any(":12: image 'pic.svg' has no alt text" in m for m in msgs)
    assert len(msgs) == 7, msgs


def test_placeholders_fail(tmp_path):
    docs = docs_with(tmp_path, a="# A\n\nText.\n\nTODO: write this.\n\n`TODO` in code is fine.\n")
    (p,) = mdcheck.check_placeholders(docs)
    assert p.line == 5


TOC = [
    Chapter("Intro", "intro.md", [Section("What"), Section("Why", ["Because"])]),
    Chapter("Extra", "extra.md", []),
]


def project(tmp_path: Path, nav: list[str], intro: str) -> tuple[Path, Path]:
    docs = docs_with(
        tmp_path, index="# Home\n", intro=intro, extra="# Extra\n", references="# References\n", glossary="# Glossary\n"
    )
    yml = tmp_path / "mkdocs.yml"
    yml.write_text("site_name: x\nrepo_url: !ENV [X, 'https://example.org']\nnav:\n" + "".join(f"  - {n}\n" for n in nav))
    return docs, yml


GOOD_NAV = ["index.md", "intro.md", "extra.md", "references.md", "glossary.md"]
GOOD_INTRO = "# Intro\n\n## What\n\nCited [@radford2021clip].\n\n## Why\n\n### Because\n\nCited [@liu2023llava].\n"


def test_nav_and_headings_pass_when_they_follow_the_toc(tmp_path):
    docs, yml = project(tmp_path, GOOD_NAV, GOOD_INTRO)
    assert structure.check_nav_and_headings(docs, TOC, yml) == []


def test_nav_out_of_order(tmp_path):
    docs, yml = project(tmp_path, ["index.md", "extra.md", "intro.md", "references.md", "glossary.md"], GOOD_INTRO)
    (p,) = structure.check_nav_and_headings(docs, TOC, yml)
    assert p.path.endswith("mkdocs.yml") and p.line == 5 and "nav has 'extra.md' where" in p.message


def test_nav_groups_and_extra_pages_anywhere_after_home(tmp_path):
    docs, yml = project(tmp_path, GOOD_NAV, GOOD_INTRO)
    yml.write_text(
        "site_name: x\nnav:\n  - Home: index.md\n  - Part:\n      - Intro: intro.md\n      - References: references.md\n"
        "  - Back matter:\n      - Extra: extra.md\n      - Glossary: glossary.md\n"
    )
    assert structure.check_nav_and_headings(docs, TOC, yml) == []


def test_nav_page_neither_in_the_toc_nor_allowed(tmp_path):
    docs, yml = project(tmp_path, GOOD_NAV + ["stray.md"], GOOD_INTRO)
    (docs / "stray.md").write_text("# Stray\n")
    (p,) = structure.check_nav_and_headings(docs, TOC, yml)
    assert p.line == 9 and "extra entry 'stray.md'" in p.message


def test_page_outside_nav(tmp_path):
    docs, yml = project(tmp_path, GOOD_NAV, GOOD_INTRO)
    (docs / "stray.md").write_text("# Stray\n")
    (p,) = structure.check_nav_and_headings(docs, TOC, yml)
    assert p.path.endswith("docs/stray.md") and "not in nav" in p.message


@pytest.mark.parametrize(
    "intro, line, words",
    [
        (GOOD_INTRO.replace("## What", "## Whatever"), 3, "H2 1 should be '## What'"),
        (GOOD_INTRO.replace("# Intro", "# Introduction"), 1, "exactly one H1 '# Intro'"),
        (GOOD_INTRO.replace("### Because", "### Since"), 7, "needs the H3s ['Because']"),
        (GOOD_INTRO.replace("Cited [@liu2023llava].", "Not cited."), 7, "has no cited paragraph"),
        (GOOD_INTRO + "\n## More\n\nText [@liu2023llava].\n", 13, "extra H2 '## More'"),
    ],
)
def test_headings_follow_the_toc(tmp_path, intro, line, words):
    docs, yml = project(tmp_path, GOOD_NAV, intro)
    problems = structure.check_nav_and_headings(docs, TOC, yml)
    assert any(p.line == line and words in p.message and p.path.endswith("intro.md") for p in problems), messages(problems)


def test_missing_chapter(tmp_path):
    docs, yml = project(tmp_path, GOOD_NAV, GOOD_INTRO)
    (docs / "intro.md").unlink()
    assert any("chapter 'Intro' is missing" in p.message for p in structure.check_nav_and_headings(docs, TOC, yml))


def test_readme_toc_must_match(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# R\n\n<!-- toc:start -->\n" + render_readme_toc(TOC) + "<!-- toc:end -->\n")
    assert structure.check_readme_toc(TOC, readme) == []
    readme.write_text(readme.read_text().replace("Why", "Wherefore", 1))
    (p,) = structure.check_readme_toc(TOC, readme)
    assert p.line == 4 and "make toc" in p.message


def test_snippet_pages_are_expanded_for_headings(tmp_path):
    (tmp_path / "SNIP.md").write_text("# Extra\n\n## Inside\n")
    text = sources.expand_snippets('--8<-- "SNIP.md"\n', tmp_path)
    assert [h.anchor for h in sources.headings(text)] == ["extra", "inside"]


def test_a_broken_bibliography_does_not_flood_the_report(tmp_path):
    """When references.bib does not parse (bib_keys None), citation keys and #ref- anchors are not
    judged: the bibliography's own syntax error is the failure to fix first."""
    docs = docs_with(
        tmp_path, a="Claim [@radford2021clip]. See [CLIP](references.md#ref-radford2021clip).\n", references="# References\n"
    )
    assert mdcheck.check_links(docs, None) == []
    assert any("ref-radford2021clip" in p.message for p in mdcheck.check_links(docs, set()))


def test_a_tag_like_less_than_inside_math_fails(tmp_path):
    docs = docs_with(tmp_path, a="# A\n\nThe loss uses $y_{<t}$ here.\n\n$$\nx < y, \\quad a_{\\lt t}\n$$\n")
    (p,) = mdcheck.check_math(docs)
    assert p.line == 3 and "write '\\lt t'" in p.message
