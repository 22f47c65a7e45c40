"""scripts/hooks/atlas.py and scripts/hooks/atlas_charts.py on a small site: the Atlas page is built
from the data as plain HTML (models table newest first, timeline, charts, results with sources and
disagreements, every number model by model, downloads), every model, pill, point and cell links to
an anchor that exists, Home's summary counts the data, and fact boxes in other pages read the same
records. The charts are also drawn from a synthetic Atlas far larger than the real one."""

from __future__ import annotations

import csv
import json
import re
from types import SimpleNamespace

import pytest

from scripts.hooks import atlas_charts, sections
from scripts.tools.build import build
from tests.checks.test_atlas_data import BENCHMARK, DEPLOY, MODEL, RESULT
from tests.conftest import GOOD_BIB, write_project

CLOSED = MODEL.replace("id: demo-vl", "id: closed-vl").replace("name: Demo-VL", "name: Closed-VL")
CLOSED = CLOSED.replace("open_weights: true", "open_weights: false").replace("parameters: [7, 13]", "parameters: null")
CLOSED = CLOSED.replace("released: 2024-05", "released: 2025-03").replace("license: Apache-2.0", "license: proprietary")
DISAGREE = RESULT.replace("source: radford2021clip", "source: liu2023llava").replace("value: 61.5", "value: 58.0")
DISAGREE = DISAGREE.replace("self_reported: true", "self_reported: false")
CLOSED_RESULT = RESULT.replace("model: demo-vl", "model: closed-vl").replace("variant: 7B", "variant: null")
CLOSED_RESULT = CLOSED_RESULT.replace("value: 61.5", "value: 70.2").replace("source: radford2021clip", "source: liu2023llava")
PAGES = {
    "index.md": "# Home\n\nSee the case [@radford2021clip] and [@liu2023llava].\n\n<!-- atlas:summary -->\n\n## Demo-VL\n\n<!-- factbox: demo-vl -->\n\nProse.\n",
    "atlas.md": "# Atlas\n\n<!-- atlas:models -->\n\n<!-- atlas:timeline -->\n\n## Charts\n\n<!-- atlas:charts -->\n\n## Results\n\n"
    "<!-- atlas:results -->\n\n<!-- atlas:numbers -->\n\n<!-- atlas:benchmarks -->\n\n<!-- atlas:downloads -->\n",
    "references.md": "# References\n\n<!-- bibliography -->\n",
    "choosing.md": "# Choosing\n\nWhich to run [@liu2023llava].\n\n<!-- chooser: closed-vl demo-vl -->\n\nProse.\n",
}
CLOSED_DEPLOY = """\
  deploy:
    image_tokens: "media_resolution: low, medium or high"
    source: liu2023llava
    verified: 2026-12-01
"""


@pytest.fixture(scope="module")
def atlas_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("atlas")
    models = MODEL + DEPLOY + CLOSED + CLOSED_DEPLOY
    data = {"models": models, "benchmarks": BENCHMARK, "results": RESULT + DISAGREE + CLOSED_RESULT}
    config = write_project(root / "project", PAGES, GOOD_BIB, data=data)
    result = build(root / "site", config)
    assert result.ok, result.problems
    return result.site_dir


@pytest.fixture(scope="module")
def atlas_page(atlas_site) -> str:
    return (atlas_site / "atlas" / "index.html").read_text(encoding="utf-8")


def test_the_models_table_is_plain_html_newest_first(atlas_page):
    assert 'id="atlas-models-table"' in atlas_page and atlas_page.count('data-org="Demo Lab"') == 2
    assert '<th scope="row" data-sort="demo-vl">Demo-VL</th>' in atlas_page
    assert "7B, 13B" in atlas_page and "undisclosed" in atlas_page
    rows = re.findall(r'<tr data-org="[^"]*" id="model-([\w.-]+)"', atlas_page)
    assert rows == ["closed-vl", "demo-vl"], "the newest model comes first"
    assert '<th scope="col" data-type="text" aria-sort="descending">Released</th>' in atlas_page
    assert 'src="../assets/javascripts/atlas.js" defer' in atlas_page


def test_every_model_row_leads_to_its_numbers(atlas_page):
    assert '<a href="#results-demo-vl">2 numbers</a>' in atlas_page and '<a href="#results-closed-vl">1 number</a>' in atlas_page
    assert '<details class="atlas-numbers" id="results-demo-vl">' in atlas_page
    assert '<a href="#model-demo-vl">Demo-VL in the models table</a>' in atlas_page


def test_timeline_pills_lead_to_their_model_rows(atlas_page):
    assert "atlas-timeline__model--open" in atlas_page and "atlas-timeline__model--closed" in atlas_page
    assert "(closed weights)" in atlas_page
    pills = re.findall(r'<li class="atlas-timeline__model[^"]*"><a href="#(model-[\w.-]+)">', atlas_page)
    assert sorted(pills) == ["model-closed-vl", "model-demo-vl"]


def test_results_show_every_source_and_mark_disagreement(atlas_page):
    assert "atlas-cell--conflict" in atlas_page and "sources disagree" in atlas_page
    assert '<th scope="row"><a href="#results-demo-vl">Demo-VL 7B</a></th>' in atlas_page
    radford = '<p class="atlas-numbers__source"><a href="../references/#ref-radford2021clip">Radford et al. 2021</a>:</p>'
    assert radford + '<ul data-source="Radford et al. 2021"><li id="r-' in atlas_page
    assert "DemoBench, 7B: 61.5 (val, zero-shot, self-reported), Table 2</li>" in atlas_page
    assert "DemoBench, 7B: 58.0 (val, zero-shot, reported by others), Table 2</li>" in atlas_page
    # a cell links to its first record and names every record it stands for
    cell = re.search(
        r'<a class="atlas-cell" href="#(r-[0-9a-f]{8})" data-r="(r-\w+ r-\w+)" aria-label="([^"]+)">61.5 ≠</a>', atlas_page
    )
    assert cell and cell.group(1) == cell.group(2).split()[0], "the cell leads to the model's own number"
    assert cell.group(3) == "61.5 (self-reported; 2 reported values; sources disagree)"
    for rid in cell.group(2).split():
        assert f'<li id="{rid}">' in atlas_page


def test_every_internal_anchor_exists(atlas_page):
    ids = set(re.findall(r'\bid="([^"]+)"', atlas_page))
    targets = set(re.findall(r'href="#([^"]+)"', atlas_page))
    assert targets and not targets - ids, targets - ids


def test_the_charts_are_inline_svg_with_text_and_numbers(atlas_page):
    for chart in ("atlas-chart-frontier", "atlas-chart-size", "atlas-chart-quarters"):
        figure = atlas_page.split(f'id="{chart}"', 1)[1].split("</details>", 1)[0]  # the figure, then its numbers
        assert '<svg class="atlas-chart__svg"' in figure and 'aria-label="' in figure
        assert "<figcaption>" in figure and '<details class="atlas-chart__data">' in figure and "<table" in figure
        assert 'fill="#' not in figure and "style=" not in figure, "chart colours come from the theme (guide.css)"
    frontier = atlas_page.split('id="atlas-chart-frontier"', 1)[1].split("</figure>", 1)[0]
    points = re.findall(r'<a href="#(r-[0-9a-f]{8})" aria-label="([^"]+)">', frontier)
    # the best number of each group: 61.5 (open, self-reported, higher than 58.0) and 70.2 (closed)
    assert sorted(label.rsplit(": ", 1)[1] for _, label in points) == ["61.5 (open weights)", "70.2 (closed weights)"]
    size = atlas_page.split('id="atlas-chart-size"', 1)[1].split("</figure>", 1)[0]
    assert re.findall(r'<a href="#(model-[\w.-]+)" aria-label', size) == [
        "model-demo-vl"
    ]  # the closed model's size is undisclosed
    assert "2024 Q2" in atlas_page and "2025 Q1" in atlas_page


def test_home_presents_the_atlas_with_counts_from_the_data(atlas_site):
    home = (atlas_site / "index.html").read_text(encoding="utf-8")
    summary = re.search(r'<p class="atlas-summary">(.*?)</p>', home, re.S).group(1)
    assert '<a href="atlas/">The MLLM Atlas</a>' in summary
    assert "the 2 models" in summary and "(1 with open weights)" in summary and "the 3 benchmark numbers" in summary
    assert "from Demo-VL (May 2024) to Closed-VL (March 2025)" in summary


def test_boxed_blocks_state_their_own_height_for_the_sections(atlas_page):
    """The tables scroll inside a box, so their rows must not count towards their section's estimate."""
    assert atlas_page.count("<!--guide-size ") == atlas_page.count("<!--/guide-size-->") >= 4
    boxed = "<!--guide-size 700 600--><table>" + "<tr><td>x</td></tr>" * 500 + "</table><!--/guide-size-->"
    assert sections.estimate(sections.measure(boxed), sections.NARROW) == 700
    assert sections.estimate(sections.measure(boxed), sections.WIDE) == 600


def test_fact_boxes_read_the_model_records(atlas_site):
    home = (atlas_site / "index.html").read_text(encoding="utf-8")
    assert 'class="atlas-factbox" aria-label="Fact box: Demo-VL"' in home
    assert "<dt>Connector</dt><dd>MLP projector</dd>" in home and "<dt>License</dt><dd>Apache-2.0</dd>" in home


def test_the_data_can_be_downloaded_as_csv_and_json(atlas_site, atlas_page):
    models = json.loads((atlas_site / "atlas-data" / "models.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in models] == ["demo-vl", "closed-vl"]
    rows = list(csv.DictReader((atlas_site / "atlas-data" / "results.csv").open(encoding="utf-8")))
    assert [r["value"] for r in rows] == ["61.5", "58.0", "70.2"] and rows[0]["source"] == "radford2021clip"
    assert 'href="../atlas-data/results.csv" download' in atlas_page


def test_an_unknown_fact_box_id_fails_the_build(tmp_path):
    pages = dict(PAGES, **{"index.md": PAGES["index.md"].replace("factbox: demo-vl", "factbox: ghost-vl")})
    del pages["choosing.md"]
    data = {"models": MODEL, "benchmarks": BENCHMARK, "results": RESULT}
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert not result.ok
    line = pages["index.md"].splitlines().index("<!-- factbox: ghost-vl -->") + 1
    assert any(str(p).startswith(f"docs/index.md:{line}: factbox names unknown model 'ghost-vl'") for p in result.problems), (
        result.problems
    )


def test_numbers_split_by_release_year_are_linked_on_their_own_pages(tmp_path):
    """`atlas:numbers since=/before=` puts each model's numbers on the page of its release year, and
    the models table, the matrix's cells and row headers and the charts link there."""
    atlas = PAGES["atlas.md"].replace("<!-- atlas:numbers -->\n\n", "")
    pages = dict(
        PAGES,
        **{
            "atlas.md": atlas,
            "new.md": "# New\n\n<!-- atlas:numbers since=2025 -->\n",
            "old.md": "# Old\n\n<!-- atlas:numbers before=2025 -->\n",
        },
    )
    data = {
        "models": MODEL + DEPLOY + CLOSED + CLOSED_DEPLOY,
        "benchmarks": BENCHMARK,
        "results": RESULT + DISAGREE + CLOSED_RESULT,
    }
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert result.ok, result.problems
    html = {name: (result.site_dir / name / "index.html").read_text(encoding="utf-8") for name in ("atlas", "new", "old")}
    assert 'id="results-closed-vl"' in html["new"] and 'id="results-demo-vl"' not in html["new"]  # released 2025-03
    assert 'id="results-demo-vl"' in html["old"] and 'id="results-closed-vl"' not in html["old"]  # released 2024-05
    assert 'class="atlas-numbers"' not in html["atlas"]
    assert '<a href="../old/#results-demo-vl">2 numbers</a>' in html["atlas"]
    assert '<th scope="row"><a href="../new/#results-closed-vl">Closed-VL</a></th>' in html["atlas"]
    for page, rid in re.findall(r'class="atlas-cell" href="\.\./(new|old)/#(r-[0-9a-f]{8})"', html["atlas"]):
        assert f'<li id="{rid}">' in html[page]
    assert len(re.findall(r'class="atlas-cell" href="\.\./', html["atlas"])) == 2
    assert 'src="../assets/javascripts/atlas.js" defer' in html["new"], "the numbers open at a link to one of them"


def test_a_model_no_numbers_page_lists_fails_the_build_with_file_and_line(tmp_path):
    pages = dict(PAGES, **{"atlas.md": PAGES["atlas.md"].replace("<!-- atlas:numbers -->", "<!-- atlas:numbers since=2025 -->")})
    data = {"models": MODEL + CLOSED, "benchmarks": BENCHMARK, "results": RESULT}
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert not result.ok
    assert any(
        str(p).startswith("data/models.yaml:4: model 'demo-vl' (released 2024-05) has numbers that no page lists")
        for p in result.problems
    ), result.problems


def test_the_chooser_table_lists_the_models_in_order_with_numbered_sources(atlas_site):
    page = (atlas_site / "choosing" / "index.html").read_text(encoding="utf-8")
    table = re.search(
        r'<table aria-labelledby="atlas-chooser-5" class="atlas-table atlas-table--box atlas-chooser__table" tabindex="0">(.*?)</table>',
        page,
        re.S,
    )
    assert table, "the chooser's table is rendered with the Atlas tables' classes"
    assert "<p" not in table.group(1)
    assert (
        '<p class="atlas-chooser__caption" id="atlas-chooser-5">Choosing a model to run, from <a href="../atlas/">the MLLM Atlas</a>'
        in page
    )
    rows = re.findall(r'<th scope="row"><a href="../atlas/#model-([\w.-]+)">', table.group(1))
    assert rows == ["closed-vl", "demo-vl"], "rows in the marker's order, each linked to its Atlas row"
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in table.group(1).split("<tr>")[2:]]  # after the header row
    closed, demo = cells
    assert closed[:7] == [
        "Demo Lab",
        "March 2025",
        "not disclosed",
        "proprietary",
        "not stated in the cited document",  # a card that does not give the context says so
        "media_resolution: low, medium or high",
        "no",
    ]
    assert demo[:7] == ["Demo Lab", "May 2024", "7B, 13B (3B active)", "Apache-2.0", "32,768", "14-px patches, 2x2 merge", "yes"]
    # "Verified on": the date and a footnote citation numbered with the page's other citations
    # (liu2023llava is the page's first citation, radford2021clip its second).
    verified = re.findall(r"<td>(\d{4}-\d\d-\d\d) (.*?)</td>", table.group(1), re.S)
    assert [v[0] for v in verified] == ["2026-12-01", "2026-11-30"]
    assert re.findall(r'class="footnote-ref" href="#fn:[\w.-]+">(\d+)</a>', verified[0][1]) == ["1"]
    assert re.findall(r'class="footnote-ref" href="#fn:[\w.-]+">(\d+)</a>', verified[1][1]) == ["1", "2"]
    assert "[@" not in page and "[^" not in page
    assert page.count("<!--guide-size ") == page.count("<!--/guide-size-->") >= 1


def test_the_model_data_download_flattens_the_deploy_block(atlas_site):
    rows = list(csv.DictReader((atlas_site / "atlas-data" / "models.csv").open(encoding="utf-8")))
    assert rows[0]["deploy.context_length"] == "32768" and rows[1]["deploy.source"] == "liu2023llava"


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("chooser: closed-vl ghost-vl", "chooser names unknown model 'ghost-vl'"),
        ("chooser: demo-vl", "chooser lists model 'demo-vl', which has no deploy block"),
    ],
)
def test_a_chooser_without_its_data_fails_the_build_with_file_and_line(tmp_path, marker, expected):
    pages = dict(PAGES, **{"choosing.md": PAGES["choosing.md"].replace("chooser: closed-vl demo-vl", marker)})
    data = {"models": MODEL + CLOSED + CLOSED_DEPLOY, "benchmarks": BENCHMARK, "results": RESULT}
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert not result.ok
    line = pages["choosing.md"].splitlines().index(f"<!-- {marker} -->") + 1
    assert any(str(p).startswith(f"docs/choosing.md:{line}: {expected}") for p in result.problems), result.problems


def test_the_chooser_hook_warns_with_file_and_line_and_renders_the_rest(tmp_path, caplog):
    """The build's own warning, for a page the source checks did not see (the checks stop the build first)."""
    from scripts.hooks import atlas as hook
    from scripts.sources import atlas as atlas_data

    data = tmp_path / "data"
    data.mkdir()
    (data / "models.yaml").write_text(MODEL + CLOSED + CLOSED_DEPLOY, encoding="utf-8")
    hook._state.update(atlas=atlas_data.load(data), bib={}, urls={})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="guide/page.md"))
    files = SimpleNamespace(get_file_from_path=lambda path: None)
    markdown = "# Page\n\nText.\n\n<!-- chooser: closed-vl demo-vl ghost-vl -->\n"
    with caplog.at_level("WARNING", logger="mkdocs.hooks.guide"):
        out = hook.on_page_markdown(markdown, page, None, files)
    assert [r.getMessage() for r in caplog.records] == [
        "docs/guide/page.md:5: chooser lists model 'demo-vl', which has no deploy block in data/models.yaml: add one "
        '(CONTRIBUTING.md, "How to add to the Atlas") or drop the id',
        "docs/guide/page.md:5: chooser names unknown model 'ghost-vl': add it to data/models.yaml or fix the id",
    ]
    assert out.count('<tr markdown="1">') == 1 and '<a href="#model-closed-vl">Closed-VL</a>' in out
    assert "[@liu2023llava]</td>" in out, "the citation is left for mkdocs-bibtex to number"


@pytest.mark.parametrize(
    ("parameters", "active", "expected"),
    [
        (None, None, "not disclosed"),
        (119, 6, "119B (6B active)"),
        (12, None, "12B"),
        ([397, 27], [17, None], "397B (17B active), 27B"),
        ([2.3, 25.2], None, "2.3B, 25.2B"),
    ],
)
def test_parameters_read_total_then_active(parameters, active, expected):
    from scripts.hooks.atlas import params_text

    deploy = {} if active is None else {"active_parameters": active}
    assert params_text({"parameters": parameters, "deploy": deploy}) == expected


# ---- The charts on their own, from a synthetic Atlas ----


def record(**fields):
    return SimpleNamespace(get=lambda name, default=None: fields.get(name, default), **fields)


def synthetic(n_models: int, per_model: int):
    """n_models over six years, half open, with per_model numbers each on six benchmarks."""
    models, results = [], []
    for i in range(n_models):
        year, month = 2021 + i * 6 // n_models, i % 12 + 1
        models.append(
            record(
                id=f"m{i}", name=f"Model {i}", released=f"{year}-{month:02d}", open_weights=i % 2 == 0, parameters=[1 + i % 70]
            )
        )
        for j in range(per_model):
            results.append(
                record(
                    model=f"m{i}",
                    variant=f"{1 + i % 70}B",
                    benchmark=f"b{j % 6}",
                    split="test",
                    value=round(20 + (i * 37 + j * 11) % 80, 1),
                )
            )
    benchmarks = [record(id=f"b{k}", name=f"Bench {k}") for k in range(6)]
    return SimpleNamespace(models=models, benchmarks=benchmarks, results=results)


def draw(atlas) -> str:
    def label(m, r):
        return m.get("name")

    return (
        atlas_charts.frontier_chart(atlas, label, lambda r: "#r", lambda m: f"#model-{m}", lambda r: "src")
        + atlas_charts.size_chart(atlas, label, lambda m: f"#model-{m}", lambda r: "src")
        + atlas_charts.quarter_chart(atlas)
    )


def test_the_charts_scale_with_the_data():
    """Ten times the Atlas's size: the frontier chart's marks stay few (a point only where a group's
    best score rose) and the page stays light."""
    small, big = synthetic(40, 10), synthetic(1500, 20)
    html = draw(big)
    assert len(html) < 20 * len(draw(small)), "the charts grow with the data far faster than their marks should"
    frontier = html.split('id="atlas-chart-size"')[0]
    assert frontier.count("<a href") <= 2 * 2 * atlas_charts.PANELS * 80  # each of 2 groups rises at most once per value step
    assert html.count('atlas-chart__panel"') == atlas_charts.PANELS + 2
    assert draw(small).count("<svg") == atlas_charts.PANELS + 2
    assert draw(SimpleNamespace(models=[], benchmarks=[], results=[])) == ""


def test_chart_helpers():
    assert atlas_charts.nice_ticks(26.1, 85.8) == [20, 40, 60, 80, 100]
    assert atlas_charts.nice_ticks(79.3, 96.3) == [75, 80, 85, 90, 95, 100]
    pts = [
        atlas_charts.Point(None, None, g, m, v)
        for g, m, v in (("open", 1, 50), ("open", 2, 40), ("open", 3, 55), ("closed", 2, 60))
    ]
    assert [(p.group, p.value) for p in atlas_charts.frontier(pts)] == [("open", 50), ("closed", 60), ("open", 55)]
    m = record(parameters=[7, 13])
    assert atlas_charts.size_of(record(variant="72B"), m) == 72
    assert atlas_charts.size_of(record(variant="241B-A28B"), m) == 241
    assert atlas_charts.size_of(record(variant=None), m) is None
    assert atlas_charts.size_of(record(variant=None), record(parameters=[8])) == 8
    assert atlas_charts.month_name(atlas_charts.month_index("2025-10")) == "October 2025"
