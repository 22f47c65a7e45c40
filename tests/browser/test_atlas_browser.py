"""The Atlas pages in a real browser: the models table opens newest first, sorts by keyboard with
aria-sort, filters by organization, year, open weights, connector and text, and keeps the filter in
the URL so a view can be shared; the models table and the results matrix keep their header row and
first column in view while they scroll, on a phone and on a desktop; timeline pills, chart points,
"Numbers" links and matrix cells land on the right row; the charts stay legible on a phone in both
schemes. (axe in both schemes and the 375 px check run on every page in test_pages.py.)"""

from __future__ import annotations

import re

import pytest

ROWS = "#atlas-models-table tbody tr"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MIN_CHART_TEXT_PX = 12  # the smallest chart text on a 390 px phone, in CSS px


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        ROWS, "rows => rows.filter(r => !r.hidden).map(r => ({open: r.dataset.open, released: r.cells[1].textContent}))"
    )


def wake(page):
    """The controls are built on the reader's first interaction; a pointer moving over the page is one."""
    page.mouse.move(20, 300)
    page.wait_for_selector("form.atlas-filters")


def test_the_models_table_opens_newest_first(page_at):
    page = page_at("atlas/").page
    dates = [r["released"] for r in visible_rows(page)]
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)
    assert page.locator("#atlas-models-table thead th").nth(1).get_attribute("aria-sort") == "descending"


def test_the_controls_wait_for_the_reader(page_at):
    page = page_at("atlas/").page
    assert page.locator("form.atlas-filters").count() == 0 and page.locator("button.atlas-sort").count() == 0
    wake(page)
    assert page.locator("button.atlas-sort").count() == page.locator("#atlas-models-table thead th").count() == 11


def test_sorting_by_keyboard_sets_aria_sort(page_at):
    page = page_at("atlas/").page
    wake(page)
    header = page.locator("#atlas-models-table thead th").nth(1)
    button = header.locator("button.atlas-sort")
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    dates = [r["released"] for r in visible_rows(page)]
    assert dates == sorted(dates)
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    dates = [r["released"] for r in visible_rows(page)]
    assert dates == sorted(dates, reverse=True)


def test_filters_apply_and_live_in_the_url(page_at):
    page = page_at("atlas/").page
    wake(page)
    total = len(visible_rows(page))
    page.select_option('select[name="open"]', "no")
    rows = visible_rows(page)
    assert 0 < len(rows) < total and {r["open"] for r in rows} == {"no"}
    assert "open=no" in page.url
    page.fill('input[name="q"]', "zzzz-no-such-model")
    assert visible_rows(page) == [] and "q=zzzz-no-such-model" in page.url
    assert "0 of" in page.locator(".atlas-count").inner_text()


def test_a_shared_url_restores_the_view(page_at):
    page = page_at("atlas/?open=yes").page
    rows = visible_rows(page)
    assert rows and {r["open"] for r in rows} == {"yes"}
    assert page.locator('select[name="open"]').input_value() == "yes"


def test_a_results_cell_shows_every_value_on_focus(page_at):
    page = page_at("atlas-results/").page
    cell = page.locator('#atlas-results-table .atlas-cell[data-r*=" "]').first  # a cell with several values
    cell.focus()
    pop = page.locator("#atlas-results-table .atlas-pop").first
    pop.wait_for(state="visible")
    assert pop.locator(".atlas-pop__item").count() == len(cell.get_attribute("data-r").split())
    item = pop.locator(".atlas-pop__item").first.inner_text()
    assert re.match(r"[\d.]+ \(.+, (self-reported|reported by others)\), .+ \u2014 .+ \d{4}$", item), item
    assert cell.get_attribute("aria-describedby") == pop.get_attribute("id")


# Where the header row and the first column are after the table has scrolled down and right: the
# element at a point just inside the box's top edge (past the caption) must be a column header,
# and the one just inside its left edge a row header.
STICKY = """(id) => {
  const table = document.getElementById(id);
  table.scrollIntoView({block: 'center'});
  const head = table.tHead.rows[0].cells[0];
  table.scrollTop = table.scrollHeight / 2;
  table.scrollLeft = table.scrollWidth / 2;
  const box = table.getBoundingClientRect();
  const h = head.getBoundingClientRect();
  const x = box.left + Math.min(box.width - 20, 200);
  const atTop = document.elementFromPoint(x, h.top + h.height / 2);
  const atLeft = document.elementFromPoint(box.left + 8, h.bottom + 30);
  return {
    scrolled: [table.scrollTop, table.scrollLeft],
    headTop: h.top - box.top,
    top: atTop ? atTop.closest('thead') !== null : false,
    left: atLeft ? (atLeft.closest('th[scope="row"]') !== null) : false,
    topName: atTop ? atTop.outerHTML.slice(0, 80) : null,
    leftName: atLeft ? atLeft.outerHTML.slice(0, 80) : null,
  };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize(("path", "table"), [("atlas-results/", "atlas-results-table"), ("atlas/", "atlas-models-table")])
def test_header_row_and_first_column_stay_in_view(page_at, viewport, path, table):
    page = page_at(path, viewport=viewport).page
    page.wait_for_timeout(100)
    got = page.evaluate(STICKY, table)
    assert got["scrolled"][0] > 100, f"#{table} does not scroll inside its box at {viewport['width']} px: {got}"
    assert got["top"], f"#{table} at {viewport['width']} px: the header row scrolled away (found {got['topName']})"
    assert got["left"], f"#{table} at {viewport['width']} px: the first column scrolled away (found {got['leftName']})"


def test_the_atlas_uses_the_whole_width_on_a_desktop(page_at):
    page = page_at("atlas/", viewport={"width": 1600, "height": 900}).page
    width = page.evaluate("document.getElementById('atlas-models-table').getBoundingClientRect().width")
    assert width > 1400, f"the models table is {width:.0f} px wide in a 1600 px window"


# Whether the row a link leads to is shown: in the viewport, and not under the sticky header row of
# its table or the page's header.
LANDED = """(id) => {
  const row = document.getElementById(id);
  if (!row) return {found: false};
  const r = row.getBoundingClientRect();
  const at = document.elementFromPoint(r.left + Math.min(r.width / 2, 60), r.top + Math.min(r.height / 2, 12));
  return {found: true, hash: location.hash, top: r.top, bottom: r.bottom, height: innerHeight,
          open: row.closest('details') ? row.closest('details').open : true,
          hit: at ? row.contains(at) : false, what: at ? at.outerHTML.slice(0, 100) : null};
}"""


def landed(page, anchor: str) -> None:
    # (not location.hash: once Material's bundle has loaded, on this first click, navigation.tracking
    # rewrites the hash to the section in view)
    page.wait_for_function(
        "id => { const e = document.getElementById(id); if (!e) return false; const r = e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }",
        arg=anchor,
        timeout=5000,
    )
    page.wait_for_timeout(300)
    got = page.evaluate(LANDED, anchor)
    assert got["found"], f"#{anchor} does not exist on {page.url}"
    assert got["open"], f"#{anchor} is inside a closed <details>"
    assert 0 <= got["top"] and got["bottom"] <= got["height"], f"#{anchor} is not in the viewport: {got}"
    assert got["hit"], f"#{anchor} is covered by {got['what']}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_timeline_pills_land_on_their_model_rows(page_at, viewport):
    page = page_at("atlas/", viewport=viewport).page
    pills = page.locator(".atlas-timeline__model a")
    for index in (0, pills.count() // 2, pills.count() - 1):
        pill = pills.nth(index)
        anchor = pill.get_attribute("href").split("#", 1)[1]
        pill.click()
        landed(page, anchor)
        name = page.locator(f'[id="{anchor}"] th[scope="row"]').inner_text()
        assert name in pill.inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_chart_points_land_on_their_rows(page_at, viewport):
    visit = page_at("atlas/", viewport=viewport)
    page = visit.page
    # score against size: a point leads to its model's row in the models table
    point = page.locator("#atlas-chart-size svg a").last
    point.scroll_into_view_if_needed()
    anchor = point.get_attribute("href").split("#", 1)[1]
    point.click()
    landed(page, anchor)
    assert page.locator(f'[id="{anchor}"] th[scope="row"]').inner_text() in point.get_attribute("aria-label")
    # best score over time: a point leads to its record on a numbers page, in the model's numbers
    point = page.locator("#atlas-chart-frontier svg a").last
    point.scroll_into_view_if_needed()
    href = point.get_attribute("href")
    value = point.get_attribute("aria-label").rsplit(": ", 1)[1].split(" ", 1)[0]
    point.click()
    page.wait_for_url(re.compile(r".*/atlas-numbers(-earlier)?/#r-[0-9a-f]+$"))
    anchor = href.split("#", 1)[1]
    landed(page, anchor)
    assert f": {value} (" in page.locator(f'[id="{anchor}"]').inner_text()


def test_a_results_cell_leads_to_its_record_on_the_numbers_page(page_at):
    page = page_at("atlas-results/").page
    cell = page.locator("#atlas-results-table .atlas-cell").first
    value = cell.inner_text().rstrip("°≠ ")
    anchor = cell.get_attribute("href").split("#", 1)[1]
    cell.click()
    page.wait_for_url(re.compile(r".*/atlas-numbers(-earlier)?/#r-[0-9a-f]+$"))
    landed(page, anchor)
    assert f": {value} (" in page.locator(f'[id="{anchor}"]').inner_text()


def test_a_models_numbers_link_opens_its_numbers(page_at):
    page = page_at("atlas/").page
    link = page.locator("#atlas-models-table tbody tr td:nth-child(3) a").first
    link.scroll_into_view_if_needed()
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(r".*/atlas-numbers(-earlier)?/#results-.+$"))
    page.wait_for_timeout(300)
    assert page.evaluate("id => document.getElementById(id).open", anchor)


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Every chart text's size on screen, and the colours (as rgb) of the text, the marks and the page.
CHART_STYLE = """() => {
  const rgb = (el, prop) => {
    const c = document.createElement('canvas').getContext('2d');
    c.fillStyle = getComputedStyle(el)[prop];
    c.fillRect(0, 0, 1, 1);
    return [...c.getImageData(0, 0, 1, 1).data];
  };
  const texts = [...document.querySelectorAll('svg.atlas-chart__svg text')];
  const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return {
    count: texts.length,
    smallest: Math.min(...sizes),
    text: rgb(texts[0], 'fill'),
    open: rgb(document.querySelector('.atlas-chart__pt--open'), 'fill'),
    closed: rgb(document.querySelector('.atlas-chart__pt--closed'), 'stroke'),
    page: rgb(document.body, 'backgroundColor'),
  };
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_charts_are_legible_on_a_phone_in_both_schemes(page_at, scheme):
    page = page_at("atlas/", scheme=scheme, viewport=PHONE).page
    page.locator("#atlas-chart-frontier").scroll_into_view_if_needed()
    got = page.evaluate(CHART_STYLE)
    assert got["count"] > 10
    assert got["smallest"] >= MIN_CHART_TEXT_PX, f"[{scheme}] chart text {got['smallest']:.1f} px tall at 390 px"
    assert contrast(got["text"], got["page"]) >= 4.5, f"[{scheme}] chart text contrast {contrast(got['text'], got['page']):.2f}"
    for mark in ("open", "closed"):
        ratio = contrast(got[mark], got["page"])
        assert ratio >= 3, f"[{scheme}] {mark}-weights marks contrast {ratio:.2f} with the page (needs 3)"
    widths = page.evaluate("[...document.querySelectorAll('svg.atlas-chart__svg')].map(s => s.getBoundingClientRect().right)")
    assert max(widths) <= PHONE["width"], "a chart is wider than the phone's screen"
