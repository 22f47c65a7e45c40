"""The MLLM Atlas's charts, drawn at build time as inline SVG from data/*.yaml (used by
scripts/hooks/atlas.py, which places them where a page says `<!-- atlas:charts -->`).

- The best reported score over time on the most-reported benchmarks, open-weight and closed models
  apart: small multiples, one panel per benchmark, each point a record that raised the best score of
  its group, linked to that record on the results page.
- Score against parameter count (log scale) on the benchmark with the most models of known size, each
  point linked to its model's row in the models table.
- Models released per quarter, open weights and closed.

The SVG is written here directly rather than with a plotting library: three chart types with a
few dozen marks each need no more than scales and paths, and a library (matplotlib, Vega, Plotly)
would either add run-time JavaScript to the page or write SVG with fixed colours, inline styles and
generated ids that are hard to make follow the reader's colour scheme. Here every mark carries a
class, and guide.css colours the classes from the theme's variables (`--md-default-fg-color` and
the Atlas's `--atlas-open` and `--atlas-closed`, set for both schemes), so the charts follow the
light and dark schemes with no script. Open and closed differ in shape and line style as well as
in colour. Each chart has a text summary in its caption and its numbers as a table in a
`<details>`; nothing depends on the number of models or records.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from scripts.sources.facts import MONTHS

# One panel's drawing area, in SVG user units. Panels are drawn 1:1 or larger from about 330 px
# (a 360 px phone) up, so 13-unit text stays at least 12 px tall on screen.
W, H = 340, 236
LEFT, RIGHT, TOP, BOTTOM = 38, 12, 12, 30
FONT = 13
PANELS = 4  # benchmarks in the frontier chart
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*B\b", re.I)


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def month_index(released) -> int | None:
    """Months since year 0 for 'YYYY-MM' (or a date), None if unreadable."""
    m = re.match(r"(\d{4})-(\d{2})", str(released or ""))
    return int(m.group(1)) * 12 + int(m.group(2)) - 1 if m else None


def month_name(index: int) -> str:
    return f"{MONTHS[index % 12]} {index // 12}"


def fmt(value: float) -> str:
    return f"{value:g}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(value, 10))
    return ticks


@dataclass
class Scale:
    lo: float
    hi: float
    a: float  # drawing coordinate of lo
    b: float  # drawing coordinate of hi

    def __call__(self, value: float) -> float:
        span = (self.hi - self.lo) or 1
        return round(self.a + (value - self.lo) / span * (self.b - self.a), 1)


def _axes(x: Scale, y: Scale, xticks: list[tuple[float, str]], yticks: list[float], ylabel: str = "") -> str:
    """Grid lines (one path), tick labels and the frame."""
    grid = " ".join(f"M{LEFT} {y(t)}H{W - RIGHT}" for t in yticks)
    grid += " " + " ".join(f"M{x(v)} {TOP}V{H - BOTTOM}" for v, _ in xticks)
    labels = "".join(f'<text x="{LEFT - 4}" y="{y(t) + 4}" text-anchor="end">{fmt(t)}</text>' for t in yticks)
    labels += "".join(f'<text x="{x(v)}" y="{H - BOTTOM + 17}" text-anchor="middle">{e(label)}</text>' for v, label in xticks)
    frame = f'<path class="atlas-chart__axis" d="M{LEFT} {TOP}V{H - BOTTOM}H{W - RIGHT}"/>'
    unit = f'<text x="{LEFT + 4}" y="{TOP + 10}" class="atlas-chart__unit">{e(ylabel)}</text>' if ylabel else ""
    # The axes are drawn for the eye; the text alternative is the caption and the table of numbers.
    return f'<g aria-hidden="true"><path class="atlas-chart__grid" d="{grid}"/>{frame}<g class="atlas-chart__labels">{labels}{unit}</g></g>'


def _marker(group: str, cx: float, cy: float) -> str:
    """A filled circle for open weights, a hollow diamond for closed: told apart without colour."""
    if group == "open":
        return f'<circle class="atlas-chart__pt atlas-chart__pt--open" cx="{cx}" cy="{cy}" r="4.5"/>'
    return f'<path class="atlas-chart__pt atlas-chart__pt--closed" d="M{cx} {round(cy - 5.5, 1)}l5.5 5.5l-5.5 5.5l-5.5-5.5z"/>'


def _point(group: str, cx: float, cy: float, href: str, label: str) -> str:
    """A linked mark with a larger, invisible tap area, named by its label."""
    return (
        f'<a href="{e(href)}" aria-label="{e(label)}">'
        f'<circle class="atlas-chart__hit" cx="{cx}" cy="{cy}" r="11"/>{_marker(group, cx, cy)}</a>'
    )


def _svg(label: str, body: str) -> str:
    return f'<svg class="atlas-chart__svg" viewBox="0 0 {W} {H}" role="group" aria-label="{e(label)}">{body}</svg>'


def _legend() -> str:
    return (
        '<p class="atlas-chart__legend"><span class="atlas-chart__key atlas-chart__key--open">open weights</span> '
        '<span class="atlas-chart__key atlas-chart__key--closed">closed weights</span></p>'
    )


def _numbers(summary: str, head: list[str], rows: list[list[str]]) -> str:
    """The chart's numbers as a table, collapsed."""
    thead = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join('<tr><th scope="row">' + r[0] + "</th>" + "".join(f"<td>{c}</td>" for c in r[1:]) + "</tr>" for r in rows)
    return (
        f'<details class="atlas-chart__data"><summary>{summary}</summary>'
        f'<table class="atlas-table" tabindex="0"><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table></details>'
    )


@dataclass
class Point:
    record: object
    model: object
    group: str  # "open" or "closed"
    month: int
    value: float


def usual_split(records) -> str | None:
    """The split most of a benchmark's records use (ties: the first in the data)."""
    counts = Counter(r.get("split") for r in records)
    return counts.most_common(1)[0][0] if counts else None


def frontier(points: list[Point]) -> list[Point]:
    """The points that raised their group's best score, in order of release."""
    best: dict[str, float] = {}
    out = []
    for p in sorted(points, key=lambda p: (p.month, -p.value)):
        if p.value > best.get(p.group, -math.inf):
            best[p.group] = p.value
            out.append(p)
    return out


def _year_ticks(lo: int, hi: int) -> list[tuple[float, str]]:
    years = list(range(lo // 12 + (1 if lo % 12 else 0), hi // 12 + 1))
    step = max(1, -(-len(years) // 5))  # at most five labels
    return [(y * 12, str(y)) for y in years[::step]]


def frontier_chart(
    atlas, label: Callable, record_href: Callable[[object], str], model_href: Callable[[str], str], source: Callable
) -> str:
    models = {m.get("id"): m for m in atlas.models}
    names = {b.get("id"): b.get("name") for b in atlas.benchmarks}
    by_bench: dict[str, list] = defaultdict(list)
    for r in atlas.results:
        if r.get("model") in models and r.get("benchmark") in names and isinstance(r.get("value"), int | float):
            by_bench[r.get("benchmark")].append(r)
    top = sorted(by_bench, key=lambda b: (-len(by_bench[b]), b))[:PANELS]
    if not top:
        return ""
    panels, rows, sentences = [], [], []
    for b in top:
        split = usual_split(by_bench[b])
        points = []
        for r in by_bench[b]:
            m = models[r.get("model")]
            month = month_index(m.get("released"))
            if r.get("split") == split and month is not None:
                points.append(Point(r, m, "open" if m.get("open_weights") else "closed", month, float(r.get("value"))))
        if not points:
            continue
        steps = frontier(points)
        lo_m, hi_m = min(p.month for p in points), max(p.month for p in points)
        lo_m, hi_m = lo_m - 2, hi_m + 2
        yt = nice_ticks(min(p.value for p in steps), max(p.value for p in steps), 5)
        x = Scale(lo_m, hi_m, LEFT, W - RIGHT)
        y = Scale(yt[0], yt[-1], H - BOTTOM, TOP)
        lines, marks = "", ""
        for group in ("closed", "open"):
            mine = [p for p in steps if p.group == group]
            if not mine:
                continue
            d = f"M{x(mine[0].month)} {y(mine[0].value)}"
            for p in mine[1:]:
                d += f"H{x(p.month)}V{y(p.value)}"
            d += f"H{x(hi_m - 2)}"
            lines += f'<path class="atlas-chart__line atlas-chart__line--{group}" d="{d}"/>'
            for p in mine:
                text = f"{label(p.model, p.record)}, {month_name(p.month)}: {fmt(p.value)} ({'open' if group == 'open' else 'closed'} weights)"
                marks += _point(group, x(p.month), y(p.value), record_href(p.record), text)
                rows.append(
                    [
                        f'<a href="{e(model_href(p.model.get("id")))}">{e(label(p.model, p.record))}</a>',
                        e(names[b]),
                        e(str(p.model.get("released"))),
                        "open" if group == "open" else "closed",
                        f'<a href="{e(record_href(p.record))}">{fmt(p.value)}</a>',
                        source(p.record),
                    ]
                )
            first, last = mine[0], mine[-1]
            sentences.append(
                f"{e(names[b])} ({e(split)}), {'open-weight' if group == 'open' else 'closed'} models: from {fmt(first.value)} "
                f"({e(label(first.model, first.record))}, {month_name(first.month)}) to {fmt(last.value)} "
                f"({e(label(last.model, last.record))}, {month_name(last.month)})"
            )
        title = f"{names[b]} ({split}): best reported score by release date"
        svg = _svg(title, _axes(x, y, _year_ticks(lo_m, hi_m), yt) + lines + marks)
        panels.append(
            f'<div class="atlas-chart__panel"><p class="atlas-chart__title">{e(names[b])} <span>({e(split)})</span></p>{svg}</div>'
        )
    caption = (
        f"Best reported score over time on the {len(panels)} benchmarks with the most numbers in the Atlas, open-weight "
        "and closed models apart. A point is a number that beat every earlier one of its group on the benchmark's "
        "usual split (any setting), placed at its model's release month; it links to that number and its source. "
        + "; ".join(sentences)
        + "."
    )
    return (
        '<figure class="atlas-chart" id="atlas-chart-frontier">'
        + _legend()
        + f'<div class="atlas-chart__panels">{"".join(panels)}</div>'
        + f'<figcaption><span class="figure-label">Figure 2.</span> {caption}</figcaption></figure>'
        + _numbers(
            "The numbers in this chart",
            ["Model", "Benchmark", "Released", "Weights", "Score", "Source"],
            rows,
        )
    )


def size_of(record, model) -> float | None:
    """Billions of parameters of the variant a record measured: from the variant's name ('72B',
    '241B-A28B' counts 241) or the model's one published size."""
    m = _SIZE.match(str(record.get("variant") or ""))
    if m:
        return float(m.group(1))
    params = model.get("parameters")
    if isinstance(params, list) and len(params) == 1:
        params = params[0]
    if record.get("variant") in (None, "") and isinstance(params, int | float) and params > 0:
        return float(params)
    return None


def size_chart(atlas, label: Callable, model_href: Callable[[str], str], source: Callable) -> str:
    models = {m.get("id"): m for m in atlas.models}
    names = {b.get("id"): b.get("name") for b in atlas.benchmarks}
    by_bench: dict[str, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    splits = {}
    grouped: dict[str, list] = defaultdict(list)
    for r in atlas.results:
        if r.get("model") in models and r.get("benchmark") in names and isinstance(r.get("value"), int | float):
            grouped[r.get("benchmark")].append(r)
    for b, records in grouped.items():
        splits[b] = usual_split(records)
        for r in records:
            size = size_of(r, models[r.get("model")])
            if r.get("split") == splits[b] and size is not None:
                by_bench[b][(r.get("model"), str(r.get("variant") or ""))].append((size, r))
    if not by_bench:
        return ""
    b = max(by_bench, key=lambda k: (len(by_bench[k]), k))
    points = []
    for (model_id, _), items in by_bench[b].items():
        size, r = max(items, key=lambda item: float(item[1].get("value")))  # the highest number reported for it
        points.append((size, float(r.get("value")), models[model_id], r))
    points.sort(key=lambda p: (p[0], p[1]))
    lo, hi = math.floor(math.log10(min(p[0] for p in points))), math.ceil(math.log10(max(p[0] for p in points)))
    hi = max(hi, lo + 1)
    x = Scale(lo, hi, LEFT + 6, W - RIGHT - 6)
    yt = nice_ticks(min(p[1] for p in points), max(p[1] for p in points), 5)
    y = Scale(yt[0], yt[-1], H - BOTTOM, TOP)
    xticks = [(k, fmt(10**k) + "B") for k in range(lo, hi + 1)]
    marks, rows = "", []
    for size, value, m, r in points:
        group = "open" if m.get("open_weights") else "closed"
        text = f"{label(m, r)}: {fmt(size)}B parameters, {fmt(value)}"
        marks += _point(group, x(math.log10(size)), y(value), model_href(m.get("id")), text)
        rows.append(
            [
                f'<a href="{e(model_href(m.get("id")))}">{e(label(m, r))}</a>',
                fmt(size),
                fmt(value),
                "open" if group == "open" else "closed",
                source(r),
            ]
        )
    title = f"{names[b]} ({splits[b]}) score against parameter count"
    svg = _svg(title, _axes(x, y, xticks, yt) + marks)
    best = max(points, key=lambda p: p[1])
    small = [p for p in points if p[0] <= 10]
    smallest_best = max(small, key=lambda p: p[1]) if small else None
    caption = (
        f"{e(names[b])} ({e(splits[b])}) score against parameter count (billions, log scale) for the {len(points)} "
        "model sizes whose size is published, each at the highest number reported for it; a point links to its model's "
        f"row. The best is {fmt(best[1])} ({e(label(best[2], best[3]))}, {fmt(best[0])}B)"
        + (
            f"; at 10B or fewer, {fmt(smallest_best[1])} ({e(label(smallest_best[2], smallest_best[3]))}, {fmt(smallest_best[0])}B)"
            if smallest_best
            else ""
        )
        + ". Models of undisclosed size are not shown."
    )
    return (
        '<figure class="atlas-chart" id="atlas-chart-size">'
        + _legend()
        + f'<div class="atlas-chart__panels atlas-chart__panels--one"><div class="atlas-chart__panel">'
        f'<p class="atlas-chart__title">{e(names[b])} <span>({e(splits[b])})</span></p>{svg}</div></div>'
        + f'<figcaption><span class="figure-label">Figure 3.</span> {caption}</figcaption></figure>'
        + _numbers("The numbers in this chart", ["Model", "Parameters (B)", "Score", "Weights", "Source"], rows)
    )


def quarter_chart(atlas) -> str:
    counts: dict[int, Counter] = defaultdict(Counter)
    for m in atlas.models:
        month = month_index(m.get("released"))
        if month is not None:
            counts[month // 3]["open" if m.get("open_weights") else "closed"] += 1
    if not counts:
        return ""
    first, last = min(counts), max(counts)
    quarters = list(range(first, last + 1))
    top = max(sum(c.values()) for c in counts.values())
    yt = nice_ticks(0, top, 5)
    y = Scale(0, yt[-1], H - BOTTOM, TOP)
    slot = (W - RIGHT - LEFT) / len(quarters)
    bar = max(1.0, round(slot * 0.72, 1))

    def xq(q: int) -> float:
        return round(LEFT + (q - first + 0.5) * slot, 1)

    years = sorted({q // 4 for q in quarters})
    step = max(1, -(-len(years) // 5))
    xticks = [(q, str(q // 4)) for q in quarters if q % 4 == 0 and (q // 4 - years[0]) % step == 0]
    x = Scale(first - 0.5, last + 0.5, LEFT, W - RIGHT)
    bars = {"open": "", "closed": ""}
    rows = []
    for q in quarters:
        n_open, n_closed = counts[q]["open"], counts[q]["closed"]
        left = round(xq(q) - bar / 2, 1)
        if n_open:
            bars["open"] += f"M{left} {y(n_open)}h{bar}V{y(0)}h-{bar}z"
        if n_closed:
            bars["closed"] += f"M{left} {y(n_open + n_closed)}h{bar}V{y(n_open)}h-{bar}z"
        rows.append([f"{q // 4} Q{q % 4 + 1}", str(n_open), str(n_closed), str(n_open + n_closed)])
    shapes = "".join(f'<path class="atlas-chart__bar atlas-chart__bar--{g}" d="{d}"/>' for g, d in bars.items() if d)
    title = "Models in the Atlas released per quarter, open weights and closed"
    svg = _svg(title, _axes(x, y, xticks, yt) + shapes)
    busiest = max(quarters, key=lambda q: (sum(counts[q].values()), q))
    n_open = sum(c["open"] for c in counts.values())
    total = sum(sum(c.values()) for c in counts.values())
    caption = (
        f"Models in the Atlas by quarter of first release, open weights (lower, solid) and closed (upper, outlined): {total} models "
        f"from {first // 4} Q{first % 4 + 1} to {last // 4} Q{last % 4 + 1}, {n_open} of them with open weights; the busiest quarter is "
        f"{busiest // 4} Q{busiest % 4 + 1} with {sum(counts[busiest].values())}. The Atlas collects the models the guide "
        "discusses, so the counts describe the guide's coverage, not the whole field."
    )
    return (
        '<figure class="atlas-chart" id="atlas-chart-quarters">'
        + _legend()
        + f'<div class="atlas-chart__panels atlas-chart__panels--one"><div class="atlas-chart__panel">'
        f'<p class="atlas-chart__title">Models released per quarter</p>{svg}</div></div>'
        + f'<figcaption><span class="figure-label">Figure 4.</span> {caption}</figcaption></figure>'
        + _numbers("The numbers in this chart", ["Quarter", "Open weights", "Closed", "All"], rows)
    )
