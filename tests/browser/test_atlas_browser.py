"""The Atlas page in a real browser: the models table sorts by keyboard with aria-sort, filters
by organization, year, open weights, connector and text, and keeps the filter in the URL so a view
can be shared. (axe in both schemes and the 375 px check run on every page in test_pages.py.)"""

from __future__ import annotations

ROWS = "#atlas-models-table tbody tr"


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        ROWS, "rows => rows.filter(r => !r.hidden).map(r => ({open: r.dataset.open, released: r.cells[2].textContent}))"
    )


def wake(page):
    """The controls are built on the reader's first interaction; a pointer moving over the page is one."""
    page.mouse.move(20, 300)
    page.wait_for_selector("form.atlas-filters")


def test_the_controls_wait_for_the_reader(page_at):
    page = page_at("atlas/").page
    assert page.locator("form.atlas-filters").count() == 0 and page.locator("button.atlas-sort").count() == 0
    wake(page)
    assert page.locator("button.atlas-sort").count() == 10


def test_sorting_by_keyboard_sets_aria_sort(page_at):
    page = page_at("atlas/").page
    wake(page)
    header = page.locator("#atlas-models-table thead th").nth(2)
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
    cell = page.locator("#atlas-results-table .atlas-cell").first
    cell.focus()
    pop = cell.locator(".atlas-pop")
    assert pop.is_visible() and pop.locator(".atlas-pop__item").count() >= 1
