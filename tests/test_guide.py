"""The guide itself passes every check: bibliography, Markdown, strict build and built HTML."""

from __future__ import annotations

import re

from scripts import checks
from scripts.checks import bib
from scripts.checks.site import check_site
from scripts.sources import bibtex
from scripts.sources.markdown import slugify
from scripts.sources.project import BIB, DOCS, ROOT
from scripts.sources.toc import load_toc


def test_references_bib_passes_every_rule():
    problems = bib.check()
    assert not problems, "\n".join(map(str, problems))


def test_docs_pass_every_source_check():
    problems = checks.run()
    assert not problems, "\n".join(map(str, problems))


def test_built_html_passes_every_check(site):
    problems = check_site(site)
    assert not problems, "\n".join(map(str, problems))


def test_every_chapter_is_built_with_its_sections(site):
    for chapter in load_toc():
        html = (site / chapter.file.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert f">{chapter.title}<" in html.replace("&amp;", "&") or chapter.title in html
        for section in chapter.sections:
            anchor = slugify(section.title)
            assert f'id="{anchor}"' in html, f"{chapter.file}: no section #{anchor}"


def test_citations_become_footnotes_with_references(site):
    html = (site / "introduction" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote"' in html
    assert re.search(r'href="#fn:radford2021clip"', html)
    assert "[@" not in re.sub(r"<code.*?</code>", "", html, flags=re.S)


def test_references_page_has_a_stable_anchor_for_every_entry(site):
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    entries = bibtex.load()
    for key in entries:
        assert f'id="ref-{key}"' in html, f"no #ref-{key} on the References page"
    order = re.findall(r'id="ref-([^"]+)"', html)
    assert order == sorted(order, key=lambda k: (bibtex.first_surname(entries[k]), entries[k].get("year"), k))


def test_citations_inside_code_are_left_untouched(site):
    html = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    code = " ".join(re.findall(r"<code.*?</code>", html, flags=re.S))
    assert "[@radford2021clip]" in re.sub(r"<[^>]+>", "", code)


def test_contributing_and_license_pages_are_snippets_of_the_root_files(site):
    assert (DOCS / "contributing.md").read_text().strip() == '--8<-- "CONTRIBUTING.md"'
    assert '--8<-- "LICENSE"' in (DOCS / "license.md").read_text()
    license_html = (site / "license" / "index.html").read_text(encoding="utf-8")
    assert "Permission is hereby granted, free of charge" in license_html


def test_math_is_mathml_without_a_script(site):
    html = (site / "key-components" / "index.html").read_text(encoding="utf-8")
    assert "<math" in html and "arithmatex" not in html
    assert "mathjax" not in html.lower() and "katex" not in html.lower()


def test_pages_have_edit_links_and_no_google_fonts(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page
    html = (site / "foundations" / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/foundations.md" in html


def test_glossary_terms_link_to_their_explanations():
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    terms = re.findall(r"^\*\*(.+?)\*\*", text, flags=re.M) + re.findall(r"^([^\s:#<!>|-][^\n]*)\n:   ", text, flags=re.M)
    assert len(terms) >= 20
    assert text.count(".md#") >= 20


def test_bib_file_is_at_the_root_and_pinned_plugin_version():
    assert BIB.parent == ROOT
    assert '"mkdocs-bibtex==4.4.0"' in (ROOT / "pyproject.toml").read_text()


def test_pages_load_nothing_from_other_hosts(site):
    """No script, stylesheet, image or font from another host, and no repository widget that
    fetches statistics from api.github.com."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag, _scheme in re.findall(r"<(script|img|link|iframe|source)\b[^>]*?\s(?:src|href)=\"(https?:)?//", html):
            raise AssertionError(f"{page}: <{tag}> loads from another host")
        assert 'data-md-component="source"' not in html, f"{page}: the repository widget would call api.github.com"


def test_adjacent_citations_are_separated(site):
    html = (site / "introduction" / "index.html").read_text(encoding="utf-8")
    assert '</a></sup><sup id="fnref' not in html
    assert '<sup class="fn-sep">,</sup>' in html


def test_cite_this_guide_box_matches_citation_cff(site):
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    assert f"title = {{{cff['title']}}}" in home
    assert f"version = {{{cff['version']}}}" in home and cff["repository-code"] in home
    assert "Cite this guide" in (site / "index.html").read_text(encoding="utf-8")


def test_abbreviations_are_generated_from_the_glossary_and_shown_site_wide(site):
    from scripts.tools import glossary

    expected = glossary.render(glossary.GLOSSARY.read_text(encoding="utf-8"))
    assert glossary.ABBREVIATIONS.read_text(encoding="utf-8") == expected, "run: python -m scripts.tools.glossary"
    assert len(glossary.abbreviations(glossary.GLOSSARY.read_text(encoding="utf-8"))) >= 30
    html = (site / "introduction" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Multimodal large language model">MLLM</abbr>' in html
    assert "Generated from docs/glossary.md" not in html


def test_references_link_back_to_every_citing_section(site):
    from scripts.hooks.bibliography import citing_sections

    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    from scripts.sources import atlas

    cited_in = citing_sections(DOCS)
    data_only = set(bibtex.load()) - set(cited_in)
    assert data_only <= atlas.load().bib_keys()  # every entry is cited in a chapter or by the Atlas data
    for key in data_only:  # and links back to where it is cited
        block = html.split(f'id="ref-{key}"', 1)[1].split("</p>", 1)[0]
        assert "Cited in" in block and 'href="../atlas-sources/"' in block, key
    block = html.split('id="ref-radford2021clip"', 1)[1].split("</p>", 1)[0]
    assert "Cited in <a" in block and 'href="../introduction/#' in block
    first = [href for _, href in cited_in["radford2021clip"]][0]
    assert first.startswith("introduction.md#"), "back-links follow the reading order of the TOC"


def test_every_page_has_its_own_meta_description(site):
    seen = {}
    for page in sorted(site.rglob("index.html")):
        m = re.search(r'<meta name="description" content="([^"]+)"', page.read_text(encoding="utf-8"))
        assert m and len(m.group(1)) >= 50, f"{page}: no meta description"
        assert m.group(1) not in seen, f"{page} repeats the description of {seen.get(m.group(1))}"
        seen[m.group(1)] = page


def test_the_whole_guide_prints_as_one_page_with_unique_ids(site):
    html = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    for chapter in load_toc():
        assert chapter.title.split(" (")[0] in html, f"{chapter.file} is missing from the print page"
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"ids repeated on the print page: {sorted(duplicates)[:5]}"
    assert 'id="introduction-fn:radford2021clip"' in html and "<math" in html and 'id="fig-introduction-timeline"' in html
    assert 'href="print_page/"' in (site / "index.html").read_text(encoding="utf-8")


def test_stock_material_markup_is_fixed_on_every_page(site):
    """The search dialog has a name (axe) and no checkbox carries autocomplete (Nu validator),
    on pages, on 404.html and on the print page."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'data-md-component="search"' in html:
            assert 'role="dialog" aria-label="Search"' in html, page
        assert not re.search(r'type="checkbox"[^>]*autocomplete', html), page
        assert "heading-number=" not in html, page
        assert 'tabindex=""' not in html, page


def test_material_bundle_loads_on_first_interaction_with_the_palette_applied_at_once(site):
    """Reading needs no script; Material's bundle loads on the first interaction (the browser tests
    prove search, tooltips and the palette still work). The scheme, the "js" layout and focusable
    scrolling blocks do not wait for it."""
    for page in ["index.html", "key-components/index.html", "contributing/index.html", "404.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert not re.search(r'<script src="[^"]*assets/javascripts/bundle\.', html), page
        assert re.search(r'<script type="guide/deferred" data-src="[^"]*assets/javascripts/bundle\.', html), page
        assert '"pointerover", "pointerdown", "keydown", "touchstart", "wheel", "scroll", "focusin"' in html, page
        assert re.search(r'classList.replace\("no-js","js"\)</script>\s*</head>', html), page
        assert 'matchMedia(inputs[i].getAttribute("data-md-color-media"))' in html, page
        # the palette is applied right after the header that holds its toggle, long before the bundle
        assert html.index("data-md-color-media") < html.index("matchMedia(inputs[i]") < html.index("guide/deferred"), page
    chapter = (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert '<table tabindex="0">' in chapter
    contributing = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert '<code tabindex="0">' in contributing


def test_the_atlas_has_at_least_100_models_and_400_results():
    from scripts.sources import atlas

    data = atlas.load()
    assert len(data.models) >= 100, f"data/models.yaml has {len(data.models)} models; the Atlas promises at least 100"
    assert len(data.results) >= 400, f"data/results.yaml has {len(data.results)} results; the Atlas promises at least 400"


def test_the_atlas_page_and_fact_boxes_are_built(site):
    page = (site / "atlas" / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr data-org=") >= 100 and "atlas-timeline" in page
    results = (site / "atlas-results" / "index.html").read_text(encoding="utf-8")
    assert 'id="atlas-results-table"' in results and 'class="atlas-numbers"' not in results  # the numbers have pages of their own
    assert (site / "atlas-data" / "results.csv").is_file() and (site / "atlas-data" / "models.json").is_file()
    case_studies = (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert case_studies.count('class="atlas-factbox"') >= 20


def test_every_number_is_on_the_numbers_page_of_its_models_year_once(site):
    """Each model with numbers has one folded list, on the page whose `atlas:numbers` range holds its
    release year; every record's anchor is on exactly one page, and every matrix cell leads to one."""
    from scripts.sources import atlas
    from scripts.sources.project import DOCS

    data = atlas.load()
    pages = atlas.numbers_pages(DOCS)
    assert len(pages) >= 2, "the numbers take more than one page"
    html = {path: (site / path.stem / "index.html").read_text(encoding="utf-8") for path, _ in pages}
    with_numbers = {r.get("model") for r in data.results}
    for model in data.models:
        if model.get("id") not in with_numbers:
            continue
        anchor = f'id="results-{model.get("id")}"'
        holders = [path.name for path, _ in pages if anchor in html[path]]
        expected = [path.name for path, marker in pages if marker.covers(model)]
        assert holders == expected and len(holders) == 1, (model.get("id"), holders, expected)
    records = [rid for text in html.values() for rid in re.findall(r'<li id="(r-[0-9a-f~]+)"', text)]
    assert len(records) == len(set(records)) == len(data.results)
    matrix = (site / "atlas-results" / "index.html").read_text(encoding="utf-8")
    for page, rid in re.findall(r'class="atlas-cell" href="\.\./([a-z-]+)/#(r-[0-9a-f~]+)"', matrix):
        assert f'<li id="{rid}"' in (site / page / "index.html").read_text(encoding="utf-8"), (page, rid)


def test_every_chooser_marker_is_built_as_its_table(site):
    """A chapter's `<!-- chooser: ... -->` becomes a table with one row per listed model, each row
    linked to the Atlas and citing its source with a numbered footnote."""
    from scripts.sources import atlas
    from scripts.sources.markdown import doc_pages
    from scripts.sources.project import DOCS

    for path in doc_pages(DOCS):
        markers = atlas.chooser_markers(path.read_text(encoding="utf-8"))
        if not markers:
            continue
        rel = path.relative_to(DOCS).with_suffix("")
        built = site / ("" if rel.name == "index" else rel) / "index.html"
        html = built.read_text(encoding="utf-8")
        tables = re.findall(
            r'<table [^>]*class="atlas-table atlas-table--box atlas-chooser__table"[^>]*>(.*?)</table>', html, re.S
        )
        assert len(tables) == len(markers), path
        for marker, table in zip(markers, tables, strict=True):
            rows = re.findall(r'<th scope="row"><a href="[^"]*#model-([\w.+-]+)">', table)
            assert rows == marker.ids, (path, marker.line)
            assert table.count('class="footnote-ref"') >= len(rows), (path, marker.line)


def test_the_atlas_page_cites_every_document_the_data_cites():
    from scripts.sources import atlas
    from scripts.tools import atlas_sources

    text = atlas_sources.PAGE.read_text(encoding="utf-8")
    block = text.split(atlas_sources.START, 1)[1].split(atlas_sources.END, 1)[0]
    expected = atlas_sources.render(atlas.load().bib_keys())
    assert atlas_sources.START + block + atlas_sources.END == expected, "run: make atlas-sources"
