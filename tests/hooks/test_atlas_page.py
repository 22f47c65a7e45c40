"""scripts/hooks/atlas.py on a small site: the Atlas page is built from the data as plain HTML
(models table, timeline, results with sources and disagreements, downloads), and fact boxes in
other pages read the same records."""

from __future__ import annotations

import csv
import json

import pytest

from scripts.tools.build import build
from tests.checks.test_atlas_data import BENCHMARK, MODEL, RESULT
from tests.conftest import GOOD_BIB, write_project

CLOSED = MODEL.replace("id: demo-vl", "id: closed-vl").replace("name: Demo-VL", "name: Closed-VL")
CLOSED = CLOSED.replace("open_weights: true", "open_weights: false").replace("parameters: [7, 13]", "parameters: null")
CLOSED = CLOSED.replace("released: 2024-05", "released: 2025-03").replace("license: Apache-2.0", "license: proprietary")
DISAGREE = RESULT.replace("source: radford2021clip", "source: liu2023llava").replace("value: 61.5", "value: 58.0")
DISAGREE = DISAGREE.replace("self_reported: true", "self_reported: false")
PAGES = {
    "index.md": "# Home\n\nSee the case [@radford2021clip] and [@liu2023llava].\n\n## Demo-VL\n\n<!-- factbox: demo-vl -->\n\nProse.\n",
    "atlas.md": "# Atlas\n\n<!-- atlas:models -->\n\n<!-- atlas:timeline -->\n\n<!-- atlas:results -->\n\n<!-- atlas:benchmarks -->\n\n<!-- atlas:downloads -->\n",
    "references.md": "# References\n\n<!-- bibliography -->\n",
}


@pytest.fixture(scope="module")
def atlas_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("atlas")
    data = {"models": MODEL + CLOSED, "benchmarks": BENCHMARK, "results": RESULT + DISAGREE}
    config = write_project(root / "project", PAGES, GOOD_BIB, data=data)
    result = build(root / "site", config)
    assert result.ok, result.problems
    return result.site_dir


def test_the_models_table_and_timeline_are_plain_html(atlas_site):
    page = (atlas_site / "atlas" / "index.html").read_text(encoding="utf-8")
    assert 'id="atlas-models-table"' in page and page.count('<tr data-org="Demo Lab"') == 2
    assert '<th scope="row" data-sort="demo-vl">Demo-VL</th>' in page
    assert "7B, 13B" in page and "undisclosed" in page
    assert "atlas-timeline__model--open" in page and "atlas-timeline__model--closed" in page
    assert "(closed weights)" in page
    assert 'src="../assets/javascripts/atlas.js" defer' in page


def test_results_show_every_source_and_mark_disagreement(atlas_site):
    page = (atlas_site / "atlas" / "index.html").read_text(encoding="utf-8")
    assert "atlas-cell--conflict" in page and "sources disagree" in page and '<th scope="row">Demo-VL 7B</th>' in page
    assert "<strong>61.5</strong> (val, zero-shot, self-reported)" in page
    assert "<strong>58.0</strong> (val, zero-shot, reported by others)" in page
    assert 'href="../references/#ref-radford2021clip">Radford et al. 2021</a>, Table 2' in page


def test_fact_boxes_read_the_model_records(atlas_site):
    home = (atlas_site / "index.html").read_text(encoding="utf-8")
    assert 'class="atlas-factbox" aria-label="Fact box: Demo-VL"' in home
    assert "<dt>Connector</dt><dd>MLP projector</dd>" in home and "<dt>License</dt><dd>Apache-2.0</dd>" in home


def test_the_data_can_be_downloaded_as_csv_and_json(atlas_site):
    models = json.loads((atlas_site / "atlas-data" / "models.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in models] == ["demo-vl", "closed-vl"]
    rows = list(csv.DictReader((atlas_site / "atlas-data" / "results.csv").open(encoding="utf-8")))
    assert [r["value"] for r in rows] == ["61.5", "58.0"] and rows[0]["source"] == "radford2021clip"
    page = (atlas_site / "atlas" / "index.html").read_text(encoding="utf-8")
    assert 'href="../atlas-data/results.csv" download' in page


def test_an_unknown_fact_box_id_fails_the_build(tmp_path):
    pages = dict(PAGES, **{"index.md": PAGES["index.md"].replace("factbox: demo-vl", "factbox: ghost-vl")})
    data = {"models": MODEL, "benchmarks": BENCHMARK, "results": RESULT}
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert not result.ok
    assert any(str(p).startswith("docs/index.md:7: factbox names unknown model 'ghost-vl'") for p in result.problems), (
        result.problems
    )
