"""Build extension: the MLLM Atlas, rendered from data/*.yaml.

- `<!-- atlas:models -->`, `<!-- atlas:timeline -->`, `<!-- atlas:results -->`,
  `<!-- atlas:benchmarks -->` and `<!-- atlas:downloads -->` in a page become the models table,
  the release timeline, the matrix of results by model and benchmark (disagreeing sources
  marked), the benchmarks table and the download links.
- `<!-- atlas:numbers since=YYYY before=YYYY -->` (either bound may be left out) becomes every
  number of the models released in those years, model by model, each with its source, locator,
  setting and whether it is self-reported. The numbers take a page per range of years, so that
  no page outgrows its weight budget (scripts/checks/site.py); every link to a model's numbers or
  to one number goes to the page whose range holds the model, and scripts/checks/atlas.py checks
  that the ranges list every model once.
- All of it is plain HTML that reads without JavaScript; docs/assets/javascripts/atlas.js adds
  sorting, filtering and the matrix's pop-ups.
- The tables carry the class `atlas-table` (styled in guide.css like Material's own tables): Material
  re-wraps every table without a class when its bundle loads on the first interaction, which would
  take the keyboard focus away from a sort button.
- `<!-- factbox: ID [ID ...] -->` in any page becomes a fact box for those models, so a fact
  lives once, in data/models.yaml.
- `<!-- chooser: ID [ID ...] -->` in any page becomes the chooser's table: those models (in the order
  listed) with what deciding to run one needs, from their `deploy` blocks, each row citing the card
  or docs it was read from (numbered, like every citation on the page, so the print page and the
  PDF show the same). An unknown id, or a model without the block, is a warning naming the file and
  line (`make check` reports the same, scripts/checks/atlas.py).
- The data is written to the site as CSV and JSON (atlas-data/).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.hooks import atlas_charts  # noqa: E402
from scripts.sources import atlas as atlas_data  # noqa: E402
from scripts.sources import bibtex  # noqa: E402
from scripts.sources.bibtex import ref_anchor  # noqa: E402

log = logging.getLogger("mkdocs.hooks.guide")

MARKER = re.compile(r"^<!--\s*atlas:(models|timeline|results|benchmarks|charts|summary|downloads)\s*-->\s*$", re.M)
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
UNSTATED = "not stated in the cited document"
MIN_RESULTS_FOR_COLUMN = 5  # a benchmark needs this many numbers (or the most any has) for a matrix column
MAX_COLUMNS = 14
BOX_HEIGHT = 760  # px: the models table's box (at most 75vh) with its count line and filters
CHOOSER_ROW = (190, 95)  # px, phone and desktop: a chooser row (its image-token rule wraps over several lines)
MATRIX_HEIGHT = (850, 720)  # px, phone and desktop: the matrix's box (at most 75vh) and the legend above it

_state: dict = {}


def on_pre_build(config):
    _state.pop("urls", None)
    root = Path(config.config_file_path).parent
    try:
        _state["atlas"] = atlas_data.load(root / "data")
    except atlas_data.AtlasSyntaxError as exc:
        log.warning(f"{exc.file}:{exc.line}: {exc.message}")
        _state["atlas"] = atlas_data.Atlas([], [], [])
    _state["rids"] = record_ids(_state["atlas"].results)
    # Which page lists each model's numbers (`<!-- atlas:numbers since=... before=... -->`).
    docs = Path(config.docs_dir)
    pages = atlas_data.numbers_pages(docs)
    _state["numbers_page"] = {
        m.get("id"): page.relative_to(docs).as_posix()
        for m in _state["atlas"].models
        if (page := atlas_data.numbers_page(m, pages)) is not None
    }
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


def params_text(model) -> str:
    """'397B (17B active), 27B': each released size, with its active parameters when it is a
    mixture of experts; 'not disclosed' when the developer does not say."""
    params = model.get("parameters")
    if params is None:
        return "not disclosed"
    totals = params if isinstance(params, list) else [params]
    active = (model.get("deploy") or {}).get("active_parameters")
    actives = active if isinstance(active, list) else [active] * len(totals)
    return ", ".join(f"{t:g}B" + (f" ({a:g}B active)" if a is not None else "") for t, a in zip(totals, actives, strict=False))


def month_text(model) -> str:
    index = atlas_charts.month_index(model.get("released"))
    return atlas_charts.month_name(index) if index is not None else str(model.get("released"))


def chooser(ids: list[str], page, files, line: int = 1) -> str:
    """The chooser's table for the models listed, in that order (rows for the ids that resolve)."""
    atlas = _state["atlas"]
    for error in atlas_data.chooser_errors(ids, atlas):
        log.warning(f"docs/{page.file.src_uri}:{line}: {error}")
    rows, seen = [], set()
    for model_id in ids:
        m = atlas.model(model_id)
        if m is None or not isinstance(m.get("deploy"), dict) or model_id in seen:
            continue
        seen.add(model_id)
        deploy = m.get("deploy")
        context = deploy.get("context_length")
        sources = "; ".join(f"@{k}" for k in atlas_data.deploy_sources(m))
        href = _href("atlas.md", model_anchor(model_id), page, files)
        rows.append(
            '<tr markdown="1">'
            f'<th scope="row"><a href="{e(href)}">{e(m.get("name"))}</a></th>'
            f"<td>{e(m.get('organization'))}</td>"
            f"<td>{e(month_text(m))}</td>"
            f"<td>{e(params_text(m))}</td>"
            f"<td>{e(m.get('license') or UNSTATED)}</td>"
            f"<td>{e(f'{context:,}' if isinstance(context, int) else UNSTATED)}</td>"
            f"<td>{e(deploy.get('image_tokens') or UNSTATED)}</td>"
            f"<td>{'yes' if m.get('open_weights') else 'no'}</td>"
            f'<td markdown="span">{e(deploy.get("verified"))} [{sources}]</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{label}</th>'
        for label in (
            "Model",
            "Organization",
            "Released",
            "Parameters (total, active)",
            "License",
            "Context (tokens)",
            "Image tokens or resolution control",
            "Open weights",
            "Verified on",
        )
    )
    atlas_url = page_url("atlas.md", page, files)
    atlas_name = (
        f'<a href="{e(atlas_url)}">the MLLM Atlas</a>' if atlas_url and page.file.src_uri != "atlas.md" else "the MLLM Atlas"
    )
    # md_in_html parses only the cells marked `markdown="span"` (through ancestors marked
    # `markdown="1"`, each on a line of its own), so the citations become footnote markers and every
    # other cell stays exactly as escaped here. It would wrap a <caption> in a paragraph, so the
    # table is labeled by the paragraph above it instead.
    label = f"atlas-chooser-{line}"
    block = (
        '<div class="atlas-chooser" markdown="1">\n'
        f'<p class="atlas-chooser__caption" id="{label}">Choosing a model to run, from {atlas_name}: sizes in billions of '
        "parameters (with the active parameters of a mixture of experts), the longest context the card or documentation "
        "states, and how an image becomes tokens. Each row is as its cited source stated it on the date given.</p>\n"
        f'<table class="atlas-table atlas-table--box atlas-chooser__table" tabindex="0" aria-labelledby="{label}" markdown="1">\n'
        f'<thead><tr>{head}</tr></thead>\n<tbody markdown="1">\n' + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )
    n = len(rows)
    return sized(block, min(BOX_HEIGHT, 120 + CHOOSER_ROW[0] * n), min(BOX_HEIGHT, 120 + CHOOSER_ROW[1] * n))


def _href(target: str, anchor: str, page, files) -> str:
    """A link to an anchor on one of the Atlas's pages (docs path `target`), from this page; on the
    same page (or when the target page is not built, as in a one-page test site) the bare anchor."""
    if page.file.src_uri == target:
        return f"#{anchor}"
    url = page_url(target, page, files)
    return f"{url}#{anchor}" if url else f"#{anchor}"


def model_anchor(model_id) -> str:
    return f"model-{model_id}"


def numbers_anchor(model_id) -> str:
    return f"results-{model_id}"


def numbers_href(model_id, anchor: str, page, files) -> str:
    """A link to `anchor` on the page that lists the model's numbers (the bare anchor when no page
    does, as in a one-page test site: scripts/checks/atlas.py reports a model no page lists)."""
    target = _state.get("numbers_page", {}).get(model_id)
    return _href(target, anchor, page, files) if target else f"#{anchor}"


def record_ids(results) -> dict[int, str]:
    """A stable anchor for every result record ('r-' and eight hex digits of a hash of its fields),
    keyed by id() of the record: a link to a number keeps working as records are added around it."""
    ids: dict[int, str] = {}
    seen: set[str] = set()
    for r in results:
        key = "|".join(str(r.get(k)) for k in ("model", "variant", "benchmark", "split", "setting", "source", "locator", "value"))
        rid = "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        n = 2
        while rid in seen:  # identical records (which the data checks reject) still get distinct anchors
            rid = f"{rid.split('~')[0]}~{n}"
            n += 1
        seen.add(rid)
        ids[id(r)] = rid
    return ids


def _known(atlas):
    """Models and benchmarks by id, and the results that name a known model and benchmark."""
    models = {m.get("id"): m for m in atlas.models}
    benchmarks = {b.get("id"): b for b in atlas.benchmarks}
    results = [r for r in atlas.results if r.get("model") in models and r.get("benchmark") in benchmarks]
    return models, benchmarks, results


def newest_first(models) -> list:
    """Newest release first; models of one month alphabetically."""
    ordered = sorted(models, key=lambda m: str(m.get("name")).lower())
    return sorted(ordered, key=lambda m: str(m.get("released")), reverse=True)


def models_table(page, files) -> str:
    atlas = _state["atlas"]
    _, _, results = _known(atlas)
    counts = Counter(r.get("model") for r in results)
    rows = []
    for m in newest_first(atlas.models):
        params = m.get("parameters")
        largest = max(params) if isinstance(params, list) and params else params
        n = counts.get(m.get("id"), 0)
        numbers = (
            f'<a href="{e(numbers_href(m.get("id"), numbers_anchor(m.get("id")), page, files))}">{n} number{"s" if n != 1 else ""}</a>'
            if n
            else "none"
        )
        aliases = m.get("aliases") or []
        search = f' data-aliases="{e("; ".join(map(str, aliases)))}"' if isinstance(aliases, list) and aliases else ""
        rows.append(
            f'<tr data-org="{e(m.get("organization"))}" id="{e(model_anchor(m.get("id")))}" data-year="{_year(m)}" '
            f'data-open="{"yes" if m.get("open_weights") else "no"}" data-connector="{e(m.get("connector"))}"{search}>'
            f'<th scope="row" data-sort="{e(str(m.get("name")).lower())}">{e(m.get("name"))}</th>'
            f'<td data-sort="{e(m.get("released"))}">{e(m.get("released"))}</td>'
            f'<td data-sort="{n}">{numbers}</td>'
            f"<td>{e(m.get('organization'))}</td>"
            f'<td data-sort="{"" if largest is None else largest}">{e(sizes(params))}</td>'
            f"<td>{'yes' if m.get('open_weights') else 'no'}</td>"
            f"<td>{e(CONNECTOR_LABELS.get(m.get('connector'), m.get('connector')))}</td>"
            f"<td>{e(m.get('vision_encoder') or '–')}</td>"
            f"<td>{e(m.get('language_model') or '–')}</td>"
            f"<td>{e(m.get('license') or '–')}</td>"
            f"<td>{ref_link(m.get('paper'), page, files)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col" data-type="{kind}"{sort}>{label}</th>'
        for label, kind, sort in (
            ("Model", "text", ""),
            ("Released", "text", ' aria-sort="descending"'),
            ("Numbers", "number", ""),
            ("Organization", "text", ""),
            ("Sizes", "number", ""),
            ("Open weights", "text", ""),
            ("Connector", "text", ""),
            ("Vision encoder", "text", ""),
            ("Language model", "text", ""),
            ("License", "text", ""),
            ("Paper", "text", ""),
        )
    )
    # The table scrolls inside a box at most about a screen tall (guide.css), with its header row and
    # first column held in place; the box is laid out only when it nears the viewport (as the page's
    # sections are: scripts/hooks/sections.py), with this height until then.
    block = (
        f'<div class="atlas-models guide-deferred" style="--guide-h:{BOX_HEIGHT}px;--guide-h-wide:{BOX_HEIGHT}px" data-atlas-table data-search-exclude>'
        f'<p class="atlas-count" aria-live="polite">{len(rows)} models.</p>'
        f'<table class="atlas-table atlas-table--box" id="atlas-models-table" tabindex="0">'
        "<caption>Models in the Atlas, newest first (the headers sort the table). Sizes are in billions of parameters; "
        "“Numbers” leads to the model's reported results.</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return sized(block, BOX_HEIGHT, BOX_HEIGHT)


def timeline(page, files) -> str:
    atlas = _state["atlas"]
    by_year: dict[str, list] = defaultdict(list)
    for m in atlas.models:
        by_year[_year(m)].append(m)
    years = []
    for year in sorted(by_year):
        items = "".join(
            f'<li class="atlas-timeline__model atlas-timeline__model--{"open" if m.get("open_weights") else "closed"}">'
            f'<a href="{e(_href("atlas.md", model_anchor(m.get("id")), page, files))}">'
            f'<span class="atlas-timeline__month">{e(str(m.get("released"))[5:7])}</span> {e(m.get("name"))}'
            f'<span class="visually-hidden"> ({"open weights" if m.get("open_weights") else "closed weights"})</span></a></li>'
            for m in sorted(by_year[year], key=lambda m: (str(m.get("released")), str(m.get("name")).lower()))
        )
        years.append(f'<li class="atlas-timeline__year"><p class="atlas-timeline__label">{year}</p><ul>{items}</ul></li>')
    n_open = sum(1 for m in atlas.models if m.get("open_weights"))
    # About two pills to a line on a phone and seven on a desktop, 32 px a line, 55 px a year's label.
    narrow = 250 + sum(55 + 32 * -(-len(v) // 2) for v in by_year.values())
    wide = 150 + sum(55 + 32 * -(-len(v) // 7) for v in by_year.values())
    return sized(
        '<figure class="atlas-timeline">'
        '<p class="atlas-timeline__legend"><span class="atlas-timeline__key atlas-timeline__key--open">open weights</span> '
        '<span class="atlas-timeline__key atlas-timeline__key--closed">closed weights</span></p>'
        f'<ol>{"".join(years)}</ol><figcaption><span class="figure-label">Figure 1.</span> Release timeline of the {len(atlas.models)} models in the Atlas '
        f"({n_open} with open weights), by year and month of first public release; each leads to its row in the models table. "
        "Generated from data/models.yaml when the site is built.</figcaption></figure>",
        narrow,
        wide,
    )


def _setting(r) -> str:
    return f"{r.get('split')}, {r.get('setting')}, {'self-reported' if r.get('self_reported') else 'reported by others'}"


def results(page, files) -> str:
    """The matrix: one row per model and variant (newest first), one column per most-reported
    benchmark. A cell holds one link (to the first of its records, on its model's numbers page) with
    the whole story in its accessible name; atlas.js shows every value of the cell on hover or focus,
    read from those records on the numbers page (fetched once, on the first hover or focus), so every
    number is in the site once and the matrix's page stays light."""
    atlas = _state["atlas"]
    models, benchmarks, known = _known(atlas)
    rids = _state["rids"]
    cells: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = defaultdict(int)
    for r in known:
        variant = "" if r.get("variant") is None else str(r.get("variant"))
        cells[(r.get("model"), variant)][r.get("benchmark")].append(r)
        counts[r.get("benchmark")] += 1
    floor = min(MIN_RESULTS_FOR_COLUMN, max(counts.values(), default=0))
    columns = sorted((b for b, n in counts.items() if n >= floor), key=lambda b: (-counts[b], b))[:MAX_COLUMNS]
    order = {m.get("id"): i for i, m in enumerate(newest_first(atlas.models))}
    body = []
    for (model_id, variant), per_bench in sorted(cells.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        m = models[model_id]
        label = e(variant_label(m.get("name"), variant))
        if not any(per_bench.get(b) for b in columns):
            continue  # its numbers are on benchmarks outside the matrix: they are in the lists below
        tds = []
        for b in columns:
            records = per_bench.get(b, [])
            if not records:
                tds.append("<td></td>")
                continue
            groups: dict[tuple, set] = defaultdict(set)
            for r in records:
                groups[(r.get("split"), r.get("setting"))].add(r.get("value"))
            disagree = any(len(values) > 1 for values in groups.values())
            main = next((r for r in records if r.get("self_reported")), records[0])
            marks = ("" if main.get("self_reported") else "°") + (" ≠" if disagree else "")
            name = f"{main.get('value')} ({'self-reported' if main.get('self_reported') else 'reported only by others'}"
            name += f"; {len(records)} reported values" if len(records) > 1 else ""
            name += "; sources disagree)" if disagree else ")"
            ids = " ".join(rids[id(r)] for r in records)
            conflict = ' class="atlas-cell--conflict"' if disagree else ""
            # The accessible name tells what the marks and the pop-up show; a lone self-reported
            # number needs none beyond itself.
            named = f' aria-label="{e(name)}"' if marks or len(records) > 1 else ""
            cell_href = e(numbers_href(model_id, rids[id(main)], page, files))
            tds.append(
                f'<td{conflict}><a class="atlas-cell" href="{cell_href}" data-r="{ids}"{named}>{e(main.get("value"))}{marks}</a></td>'
            )
        href = numbers_href(model_id, numbers_anchor(model_id), page, files)
        body.append(f'<tr><th scope="row"><a href="{e(href)}">{label}</a></th>{"".join(tds)}</tr>')
    head = "".join(f'<th scope="col">{e(benchmarks[b].get("name"))}</th>' for b in columns)
    return sized(
        f'<p class="atlas-legend">Newest models first, on the {len(columns)} most-reported benchmarks. A cell shows the model\'s own number where '
        "there is one; ° marks a number reported only by others, ≠ a cell whose sources disagree. Hover over or focus a "
        "cell for every value with its split, setting and source; follow it (or a model's name) to the model's numbers.</p>"
        f'<table class="atlas-table atlas-table--box" id="atlas-results-table" tabindex="0">'
        "<caption>Reported results by model and benchmark</caption>"
        f'<thead><tr><th scope="col">Model</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        MATRIX_HEIGHT[0],
        MATRIX_HEIGHT[1],
    )


def numbers(page, files, marker: atlas_data.NumbersMarker) -> str:
    """Every number of the models released in the marker's years, model by model (newest first), in
    collapsed sections: the target of a model's "Numbers" link and of the matrix cells and chart points."""
    atlas = _state["atlas"]
    models, benchmarks, known = _known(atlas)
    rids = _state["rids"]
    by_model: dict[str, list] = defaultdict(list)
    for r in known:
        by_model[r.get("model")].append(r)
    details = []
    for m in newest_first(atlas.models):
        records = by_model.get(m.get("id"))
        if not records or not marker.covers(m):
            continue
        records = sorted(
            records,
            key=lambda r: (
                str(benchmarks[r.get("benchmark")].get("name")).lower(),
                str(r.get("variant") or ""),
                str(r.get("split")),
                -float(r.get("value") or 0),
            ),
        )
        # Grouped by the document that printed them, with one link to it per group, and one list
        # item per number (a table row would take seven elements, and a link per number would
        # multiply the page's links by thousands). atlas.js reads the matrix's pop-ups from these
        # items: everything after the first ": " (benchmark and variant come first), and the group's
        # source (data-source).
        by_source: dict[str, list] = defaultdict(list)
        for r in records:
            by_source[str(r.get("source"))].append(r)
        groups = "".join(
            f'<p class="atlas-numbers__source">{ref_link(key, page, files)}:</p><ul data-source="{e(short_cite(key))}">'
            + "".join(
                f'<li id="{rids[id(r)]}">{e(benchmarks[r.get("benchmark")].get("name"))}{", " + e(r.get("variant")) if r.get("variant") else ""}: '
                f"{e(r.get('value'))} ({e(_setting(r))}), {e(r.get('locator'))}{'; ' + e(r.get('note')) if r.get('note') else ''}</li>"
                for r in group
            )
            + "</ul>"
            for key, group in sorted(by_source.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        )
        row_link = _href("atlas.md", model_anchor(m.get("id")), page, files)
        details.append(
            f'<details class="atlas-numbers" id="{e(numbers_anchor(m.get("id")))}"><summary>{e(m.get("name"))}: '
            f"{len(records)} number{'s' if len(records) != 1 else ''} ({e(m.get('organization'))}, {e(m.get('released'))})</summary>"
            f'<p><a href="{e(row_link)}">{e(m.get("name"))} in the models table</a>. Its numbers by the document that '
            "printed them: benchmark and variant, value (split, setting, who reported it), and where in the document.</p>"
            f"{groups}</details>"
        )
    # One folded section about 75 px tall on a phone and 45 px on a desktop.
    return sized('<div class="atlas-benchmarks">' + "".join(details) + "</div>", 40 + 75 * len(details), 40 + 45 * len(details))


def benchmark_table(page, files) -> str:
    """The benchmarks the numbers are on: what each measures, its metric and paper, how many numbers."""
    atlas = _state["atlas"]
    _, benchmarks, known = _known(atlas)
    counts = Counter(r.get("benchmark") for r in known)
    rows = "".join(
        f'<tr id="atlas-{e(b.get("id"))}"><th scope="row">{e(b.get("name"))}</th><td>{counts[b.get("id")]}</td>'
        f"<td>{e(b.get('measures'))}</td><td>{e(b.get('metric'))}</td><td>{ref_link(b.get('paper'), page, files)}</td></tr>"
        for b in sorted(benchmarks.values(), key=lambda b: str(b.get("name")).lower())
        if counts[b.get("id")]
    )
    n = rows.count("<tr")
    return sized(
        '<table class="atlas-table" id="atlas-benchmarks-table" tabindex="0"><caption>The benchmarks, with the number of '
        'results recorded on each</caption><thead><tr><th scope="col">Benchmark</th><th scope="col">Numbers</th>'
        '<th scope="col">What it measures</th><th scope="col">Metric</th><th scope="col">Paper</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        80 + 110 * n,
        80 + 45 * n,
    )


def charts(page, files) -> str:
    atlas = _state["atlas"]
    rids = _state["rids"]

    def label(model, record) -> str:
        return variant_label(model.get("name"), record.get("variant"))

    def record_href(record) -> str:
        return numbers_href(record.get("model"), rids[id(record)], page, files)

    def model_href(model_id) -> str:
        return _href("atlas.md", model_anchor(model_id), page, files)

    def source(record) -> str:
        return f"{ref_link(record.get('source'), page, files)}, {e(record.get('locator'))}"

    parts = [
        atlas_charts.frontier_chart(atlas, label, record_href, model_href, source),
        atlas_charts.size_chart(atlas, label, model_href, source),
        atlas_charts.quarter_chart(atlas),
    ]
    return (
        '<div class="atlas-charts">'
        + "".join(f'<div class="atlas-charts__item">{part}</div>' for part in parts if part)
        + "</div>"
    )


def summary(page, files) -> str:
    """A paragraph presenting the Atlas, with its counts taken from the data (for Home)."""
    atlas = _state["atlas"]
    models, benchmarks, known = _known(atlas)
    if not models:
        return ""
    ordered = newest_first(atlas.models)
    newest, oldest = ordered[0], ordered[-1]
    n_open = sum(1 for m in atlas.models if m.get("open_weights"))
    since = {r.get("source") for r in known}
    used = {r.get("benchmark") for r in known}
    url = page_url("atlas.md", page, files) or "atlas.md"
    results_url = page_url("atlas-results.md", page, files)
    more = (
        f', and <a href="{e(results_url)}">the results page</a> sets them side by side, each leading to its record'
        if results_url
        else ""
    )

    return (
        f'<p class="atlas-summary"><a href="{e(url)}">The MLLM Atlas</a> is the guide\'s data companion: the '
        f"{len(models)} models the chapters discuss ({n_open} with open weights), from {e(oldest.get('name'))} "
        f"({month_text(oldest)}) to {e(newest.get('name'))} ({month_text(newest)}), and the {len(known):,} benchmark numbers reported for "
        f"them on {len(used)} benchmarks, taken from {len(since)} documents. Every number keeps its source, the table or "
        "section that printed it, its split and setting, and whether the model's developer reported it; where sources "
        f"disagree, both numbers are shown. The Atlas charts how the best reported scores of open-weight and closed models "
        f"moved over time{more}; all of it can be downloaded as CSV or JSON.</p>"
    )


def downloads(page, files) -> str:
    depth = "../" * page.url.count("/")
    links = " ".join(
        f'<a href="{depth}{DOWNLOADS}/{name}.{ext}" download>{name}.{ext}</a>'
        for name in atlas_data.FILES
        for ext in ("csv", "json")
    )
    return f'<p class="atlas-downloads">Download the data: {links}.</p>'


# The pages whose blocks need atlas.js (sorting, filters, the matrix's values on hover or focus).
SCRIPTED = ("models", "results", "numbers")


def sized(block: str, narrow: int, wide: int) -> str:
    """A block with its own height estimate for scripts/hooks/sections.py (CSS px, at a phone's and at a
    desktop's width): its rows scroll inside a box or fold away, so its markup does not tell its height."""
    return f"<!--guide-size {int(narrow)} {int(wide)}-->\n\n{block}\n\n<!--/guide-size-->"


@event_priority(90)  # after the citation shield, before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    if "atlas" not in _state:
        return markdown
    markdown = FACTBOX.sub(lambda m: factbox(m.group(1).split(), page, files, markdown.count("\n", 0, m.start()) + 1), markdown)
    for marker in reversed(atlas_data.chooser_markers(markdown)):
        markdown = markdown[: marker.start] + chooser(marker.ids, page, files, marker.line) + markdown[marker.end :]
    found = [m.group(1) for m in MARKER.finditer(markdown)]
    for marker in reversed(atlas_data.numbers_markers(markdown)):
        if marker.error:
            log.warning(f"docs/{page.file.src_uri}:{marker.line}: {marker.error}")
        found.append("numbers")
        markdown = markdown[: marker.start] + numbers(page, files, marker) + markdown[marker.end :]
    if not found:
        return markdown
    render = {
        "models": lambda: models_table(page, files),
        "timeline": lambda: timeline(page, files),
        "results": lambda: results(page, files),
        "benchmarks": lambda: benchmark_table(page, files),
        "charts": lambda: charts(page, files),
        "summary": lambda: summary(page, files),
        "downloads": lambda: downloads(page, files),
    }
    markdown = MARKER.sub(lambda m: render[m.group(1)](), markdown)
    if any(kind in SCRIPTED for kind in found):
        markdown += '\n\n<script src="' + "../" * page.url.count("/") + 'assets/javascripts/atlas.js" defer></script>\n'
    return markdown


def _rows(records) -> list[dict]:
    return [dict(r.fields) for r in records]


def _flat(row: dict) -> dict:
    """A record for the CSV: a nested block (a model's `deploy`) becomes columns like `deploy.source`."""
    out = {}
    for k, v in row.items():
        if isinstance(v, dict):
            out.update({f"{k}.{name}": value for name, value in v.items()})
        else:
            out[k] = v
    return out


def on_post_build(config):
    atlas = _state.get("atlas")
    if atlas is None:
        return
    out = Path(config.site_dir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    for name in atlas_data.FILES:
        rows = _rows(getattr(atlas, name))
        (out / f"{name}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        rows = [_flat(row) for row in rows]
        columns = list(dict.fromkeys(k for row in rows for k in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})
        (out / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
