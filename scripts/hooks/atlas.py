"""Build extension: the MLLM Atlas, rendered from data/*.yaml.

- `<!-- atlas:models -->`, `<!-- atlas:timeline -->`, `<!-- atlas:results -->`,
  `<!-- atlas:benchmarks -->` and `<!-- atlas:downloads -->` in a page become the models table,
  the release timeline, the matrix of results by model and benchmark (every number with its
  source, locator, setting and whether it is self-reported; disagreeing sources marked), every
  number benchmark by benchmark, and the download links. All of it is plain HTML that
  reads without JavaScript; docs/assets/javascripts/atlas.js adds sorting and filtering.
- The tables carry the class `atlas-table` (styled in guide.css like Material's own tables): Material
  re-wraps every table without a class when its bundle loads on the first interaction, which would
  take the keyboard focus away from a sort button.
- `<!-- factbox: ID [ID ...] -->` in any page becomes a fact box for those models, so a fact
  lives once, in data/models.yaml.
- The data is written to the site as CSV and JSON (atlas-data/).
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.sources import atlas as atlas_data  # noqa: E402
from scripts.sources import bibtex  # noqa: E402
from scripts.sources.bibtex import ref_anchor  # noqa: E402

log = logging.getLogger("mkdocs.hooks.guide")

MARKER = re.compile(r"^<!--\s*atlas:(models|timeline|results|benchmarks|downloads)\s*-->\s*$", re.M)
FACTBOX = re.compile(r"^<!--\s*factbox:\s*([^>]+?)\s*-->\s*$", re.M)
DOWNLOADS = "atlas-data"
CONNECTOR_LABELS = {
    "linear": "Linear projection",
    "mlp": "MLP projector",
    "q-former": "Q-Former",
    "perceiver-resampler": "Perceiver resampler",
    "cross-attention": "Cross-attention layers",
    "early-fusion": "Early fusion (one transformer)",
    "other": "Other",
    "none": "None (no language model)",
}
MIN_RESULTS_FOR_COLUMN = 5  # a benchmark needs this many numbers (or the most any has) for a matrix column
MAX_COLUMNS = 14

_state: dict = {}


def on_pre_build(config):
    _state.pop("urls", None)
    root = Path(config.config_file_path).parent
    try:
        _state["atlas"] = atlas_data.load(root / "data")
    except atlas_data.AtlasSyntaxError as exc:
        log.warning(f"{exc.file}:{exc.line}: {exc.message}")
        _state["atlas"] = atlas_data.Atlas([], [], [])
    bib = root / "references.bib"
    _state["bib"] = bibtex.load(bib) if bib.is_file() else {}


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def short_cite(key: str) -> str:
    """'Bai et al. 2025' for a bib key, as a reader would name the work."""
    entry = _state.get("bib", {}).get(key)
    if entry is None:
        return key
    names = bibtex.split_names(entry.get("author") or entry.get("organization") or key)
    first = names[0].strip("{}") if names else key
    surname = (
        first if (entry.get("author") or "{").startswith("{") else (first.split(",")[0] if "," in first else first.split()[-1])
    )
    surname = re.sub(r"[{}\\]", "", surname).replace("'", "")
    more = " et al." if len(names) > 1 else ""
    return f"{surname}{more} {entry.get('year')}"


def page_url(path: str, page, files) -> str | None:
    """The URL of another page relative to this one (looked up once per page: MkDocs rebuilds its
    file index on every lookup)."""
    cache = _state.setdefault("urls", {})
    if (path, page.file.src_uri) not in cache:
        target = files.get_file_from_path(path)
        cache[(path, page.file.src_uri)] = target.url_relative_to(page.file) if target else None
    return cache[(path, page.file.src_uri)]


def ref_link(key: str, page, files, label: str | None = None) -> str:
    url = page_url("references.md", page, files) or "references.md"
    return f'<a href="{e(url)}#{e(ref_anchor(key))}">{e(label or short_cite(key))}</a>'


def sizes(params) -> str:
    if params is None:
        return "undisclosed"
    values = params if isinstance(params, list) else [params]
    return ", ".join(f"{v:g}B" for v in values)


def variant_label(name, variant) -> str:
    """'Qwen2.5-VL 72B', but 'LLaVA-13B' rather than 'LLaVA LLaVA-13B' when the variant names the model."""
    if variant in (None, ""):
        return str(name)
    variant = str(variant)
    squash = re.compile(r"[^a-z0-9]")
    if squash.sub("", variant.lower()).startswith(squash.sub("", str(name).lower())):
        return variant
    return f"{name} {variant}"


def _year(model) -> str:
    return str(model.get("released"))[:4]


def factbox(ids: list[str], page, files, line: int = 1) -> str:
    atlas = _state["atlas"]
    boxes = []
    for model_id in ids:
        m = atlas.model(model_id)
        if m is None:
            log.warning(
                f"docs/{page.file.src_uri}:{line}: factbox names unknown model '{model_id}': add it to data/models.yaml or fix the id"
            )
            continue
        rows = [
            ("Organization", e(m.get("organization"))),
            ("Released", e(m.get("released"))),
            ("Sizes", e(sizes(m.get("parameters")))),
            ("Inputs → outputs", e(", ".join(m.get("inputs") or [])) + " → " + e(", ".join(m.get("outputs") or []))),
            ("Vision encoder", e(m.get("vision_encoder") or "none")),
            ("Connector", e(CONNECTOR_LABELS.get(m.get("connector"), m.get("connector")))),
            ("Language model", e(m.get("language_model") or "none")),
            ("Open weights", "yes" if m.get("open_weights") else "no"),
            ("License", e(m.get("license") or "not stated in the cited document")),
            ("Paper", ref_link(m.get("paper"), page, files)),
        ]
        body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        boxes.append(
            f'<aside class="atlas-factbox" aria-label="Fact box: {e(m.get("name"))}">'
            f'<p class="atlas-factbox__title">{e(m.get("name"))}</p><dl>{body}</dl></aside>'
        )
    atlas_url = page_url("atlas.md", page, files)
    more = ""
    if atlas_url is not None and page.file.src_uri != "atlas.md":
        more = f'<p class="atlas-factbox__more">Facts from <a href="{e(atlas_url)}">the MLLM Atlas</a>.</p>'
    return '<div class="atlas-factboxes">' + "".join(boxes) + more + "</div>"


def models_table(page, files) -> str:
    atlas = _state["atlas"]
    rows = []
    for m in sorted(atlas.models, key=lambda m: (str(m.get("released")), str(m.get("name")).lower())):
        params = m.get("parameters")
        largest = max(params) if isinstance(params, list) and params else params
        rows.append(
            f'<tr data-org="{e(m.get("organization"))}" data-year="{_year(m)}" '
            f'data-open="{"yes" if m.get("open_weights") else "no"}" data-connector="{e(m.get("connector"))}">'
            f'<th scope="row" data-sort="{e(str(m.get("name")).lower())}">{e(m.get("name"))}</th>'
            f"<td>{e(m.get('organization'))}</td>"
            f'<td data-sort="{e(m.get("released"))}">{e(m.get("released"))}</td>'
            f'<td data-sort="{"" if largest is None else largest}">{e(sizes(params))}</td>'
            f"<td>{'yes' if m.get('open_weights') else 'no'}</td>"
            f"<td>{e(CONNECTOR_LABELS.get(m.get('connector'), m.get('connector')))}</td>"
            f"<td>{e(m.get('vision_encoder') or '–')}</td>"
            f"<td>{e(m.get('language_model') or '–')}</td>"
            f"<td>{e(m.get('license') or '–')}</td>"
            f"<td>{ref_link(m.get('paper'), page, files)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col" data-type="{kind}">{label}</th>'
        for label, kind in (
            ("Model", "text"),
            ("Organization", "text"),
            ("Released", "text"),
            ("Sizes", "number"),
            ("Open weights", "text"),
            ("Connector", "text"),
            ("Vision encoder", "text"),
            ("Language model", "text"),
            ("License", "text"),
            ("Paper", "text"),
        )
    )
    # Laid out only when it nears the viewport (guide.css, as for the page's sections: see
    # scripts/hooks/sections.py), with this height until then; rows are about 90 px tall at any width
    # (so one height serves phone and desktop), as the table keeps its column widths and scrolls
    # sideways on a narrow screen.
    height = 90 * len(rows) + 120
    return (
        f'<div class="atlas-models guide-deferred" style="--guide-h:{height}px" data-atlas-table data-search-exclude>'
        f'<p class="atlas-count" aria-live="polite">{len(rows)} models.</p>'
        f'<table class="atlas-table" id="atlas-models-table" tabindex="0">'
        f"<caption>Models in the Atlas, by release month. Sizes are in billions of parameters.</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def timeline() -> str:
    atlas = _state["atlas"]
    by_year: dict[str, list] = defaultdict(list)
    for m in atlas.models:
        by_year[_year(m)].append(m)
    years = []
    for year in sorted(by_year):
        items = "".join(
            f'<li class="atlas-timeline__model atlas-timeline__model--{"open" if m.get("open_weights") else "closed"}">'
            f'<span class="atlas-timeline__month">{e(str(m.get("released"))[5:7])}</span> {e(m.get("name"))}'
            f'<span class="visually-hidden"> ({"open weights" if m.get("open_weights") else "closed weights"})</span></li>'
            for m in sorted(by_year[year], key=lambda m: (str(m.get("released")), str(m.get("name")).lower()))
        )
        years.append(f'<li class="atlas-timeline__year"><p class="atlas-timeline__label">{year}</p><ul>{items}</ul></li>')
    n_open = sum(1 for m in atlas.models if m.get("open_weights"))
    return (
        '<figure class="atlas-timeline">'
        '<p class="atlas-timeline__legend"><span class="atlas-timeline__key atlas-timeline__key--open">open weights</span> '
        '<span class="atlas-timeline__key atlas-timeline__key--closed">closed weights</span></p>'
        f'<ol>{"".join(years)}</ol><figcaption><span class="figure-label">Figure 1.</span> Release timeline of the {len(atlas.models)} models in the Atlas '
        f"({n_open} with open weights), by year and month of first public release. Generated from data/models.yaml "
        "when the site is built.</figcaption></figure>"
    )


def _result_line(r, page, files) -> str:
    flags = ["self-reported" if r.get("self_reported") else "reported by others"]
    note = f"; {e(r.get('note'))}" if r.get("note") else ""
    return (
        f'<span class="atlas-pop__item"><strong>{e(r.get("value"))}</strong> ({e(r.get("split"))}, {e(r.get("setting"))}, {", ".join(flags)}): '
        f"{ref_link(r.get('source'), page, files)}, {e(r.get('locator'))}{note}</span>"
    )


def results(page, files) -> str:
    atlas = _state["atlas"]
    models = {m.get("id"): m for m in atlas.models}
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    cells: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = defaultdict(int)
    for r in atlas.results:
        if r.get("model") not in models or r.get("benchmark") not in benchmarks:
            continue
        variant = "" if r.get("variant") is None else str(r.get("variant"))
        cells[(r.get("model"), variant)][r.get("benchmark")].append(r)
        counts[r.get("benchmark")] += 1
    floor = min(MIN_RESULTS_FOR_COLUMN, max(counts.values(), default=0))
    columns = sorted((b for b, n in counts.items() if n >= floor), key=lambda b: (-counts[b], b))[:MAX_COLUMNS]
    body = []
    newest_first = sorted(cells.items(), key=lambda kv: (str(models[kv[0][0]].get("name")).lower(), kv[0][1]))
    newest_first.sort(key=lambda kv: str(models[kv[0][0]].get("released")), reverse=True)
    for (model_id, variant), per_bench in newest_first:
        m = models[model_id]
        label = e(variant_label(m.get("name"), variant))
        if not any(per_bench.get(b) for b in columns):
            continue  # its numbers are on benchmarks outside the matrix: they are in the lists below
        tds = []
        for b in columns:
            records = per_bench.get(b, [])
            if not records:
                tds.append('<td class="atlas-empty"><span class="visually-hidden">no result</span></td>')
                continue
            groups: dict[tuple, set] = defaultdict(set)
            for r in records:
                groups[(r.get("split"), r.get("setting"))].add(r.get("value"))
            disagree = any(len(values) > 1 for values in groups.values())
            main = next((r for r in records if r.get("self_reported")), records[0])
            mark = '<span class="atlas-conflict" aria-hidden="true">≠</span>' if disagree else ""
            sr = "" if main.get("self_reported") else '<span class="atlas-others" aria-hidden="true">°</span>'
            summary = f"{len(records)} reported value{'s' if len(records) > 1 else ''}" + (
                ", sources disagree" if disagree else ""
            )
            pop = "".join(_result_line(r, page, files) for r in records)
            tds.append(
                f'<td class="{"atlas-cell--conflict" if disagree else ""}"><span class="atlas-cell" tabindex="0">'
                f'{e(main.get("value"))}{sr}{mark}<span class="visually-hidden"> ({summary})</span>'
                f'<span class="atlas-pop" role="tooltip">{pop}</span></span></td>'
            )
        body.append(f'<tr><th scope="row">{label}</th>{"".join(tds)}</tr>')
    head = "".join(f'<th scope="col">{e(benchmarks[b].get("name"))}</th>' for b in columns)
    matrix = (
        f'<p class="atlas-legend">Newest models first, on the {len(columns)} most-reported benchmarks. A cell shows the model\'s own number where '
        "there is one; ° marks a number reported only by others, ≠ a cell whose sources disagree. Hover over or focus a "
        "cell for every value with its split, setting and source.</p>"
        f'<table class="atlas-table" id="atlas-results-table" tabindex="0">'
        "<caption>Reported results by model and benchmark</caption>"
        f'<thead><tr><th scope="col">Model</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    return matrix


def benchmark_lists(page, files) -> str:
    """Every number, benchmark by benchmark, in collapsed sections."""
    atlas = _state["atlas"]
    models = {m.get("id"): m for m in atlas.models}
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    details = []
    for b in sorted(benchmarks, key=lambda b: str(benchmarks[b].get("name")).lower()):
        records = [r for r in atlas.results if r.get("benchmark") == b and r.get("model") in models]
        if not records:
            continue
        bench = benchmarks[b]
        rows = "".join(
            f'<tr><th scope="row">{e(variant_label(models[r.get("model")].get("name"), r.get("variant")))}</th>'
            f"<td>{e(r.get('value'))}</td><td>{e(r.get('split'))}</td><td>{e(r.get('setting'))}</td>"
            f"<td>{'yes' if r.get('self_reported') else 'no'}</td>"
            f"<td>{ref_link(r.get('source'), page, files)}, {e(r.get('locator'))}</td></tr>"
            for r in sorted(
                records,
                key=lambda r: (str(models[r.get("model")].get("name")), str(r.get("variant")), -float(r.get("value") or 0)),
            )
        )
        details.append(
            f'<details class="atlas-benchmark" id="atlas-{e(b)}"><summary>{e(bench.get("name"))}: {len(records)} numbers '
            f"({e(bench.get('metric'))}, {e(bench.get('measures'))})</summary>"
            f"<p>Benchmark paper: {ref_link(bench.get('paper'), page, files)}.</p>"
            f'<table class="atlas-table" tabindex="0"><thead><tr><th scope="col">Model</th><th scope="col">Value</th>'
            f'<th scope="col">Split</th><th scope="col">Setting</th><th scope="col">Self-reported</th><th scope="col">Source</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></details>"
        )
    return '<div class="atlas-benchmarks">' + "".join(details) + "</div>"


def downloads(page, files) -> str:
    depth = "../" * page.url.count("/")
    links = " ".join(
        f'<a href="{depth}{DOWNLOADS}/{name}.{ext}" download>{name}.{ext}</a>'
        for name in atlas_data.FILES
        for ext in ("csv", "json")
    )
    return f'<p class="atlas-downloads">Download the data: {links}.</p>'


@event_priority(90)  # after the citation shield, before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    if "atlas" not in _state:
        return markdown
    markdown = FACTBOX.sub(lambda m: factbox(m.group(1).split(), page, files, markdown.count("\n", 0, m.start()) + 1), markdown)
    if not MARKER.search(markdown):
        return markdown
    render = {
        "models": lambda: models_table(page, files),
        "timeline": timeline,
        "results": lambda: results(page, files),
        "benchmarks": lambda: benchmark_lists(page, files),
        "downloads": lambda: downloads(page, files),
    }
    markdown = MARKER.sub(lambda m: render[m.group(1)](), markdown)
    return markdown + '\n\n<script src="' + "../" * page.url.count("/") + 'assets/javascripts/atlas.js" defer></script>\n'


def _rows(records) -> list[dict]:
    return [dict(r.fields) for r in records]


def on_post_build(config):
    atlas = _state.get("atlas")
    if atlas is None:
        return
    out = Path(config.site_dir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    for name in atlas_data.FILES:
        rows = _rows(getattr(atlas, name))
        (out / f"{name}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        columns = list(dict.fromkeys(k for row in rows for k in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})
        (out / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
