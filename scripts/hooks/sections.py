"""Build extension: a long page's sections are laid out only when the reader comes near them.

Each top-level `<h2>` section of a page's content is wrapped in `<section class="guide-section">`,
which the guide's CSS gives `content-visibility: auto` on screen (never in print): the browser
skips the style, layout and paint of a section until it nears the viewport. On the longest
chapters that work was one long task of several hundred milliseconds on a slow phone.

Nothing is hidden: the text stays in the page, in the accessibility tree, in find-in-page and in
the search index, and a link to an anchor inside a section renders that section. Until it is
first rendered, a section takes a height estimated here from its text, figures, tables and
code, one for a phone-width column and one for a desktop column (the `--guide-h` and
`--guide-h-wide` custom properties on the section); once rendered, the browser remembers its
real height (`contain-intrinsic-size: auto`). The last section's estimate errs on the tall side,
so that content the browser has not yet drawn never lies over the page footer: a taller estimate
only lengthens the scroll bar until the section has been seen.

A block whose height the page's text does not tell (a table that scrolls inside a box a screen tall,
a list of collapsed sections, a timeline that wraps differently at each width) can state its own
estimate: the hook that writes it puts it between `<!--guide-size NARROW WIDE-->` and
`<!--/guide-size-->` (heights in CSS px), and the block then counts as that height instead of its
contents (scripts/hooks/atlas.py does this for the Atlas's tables and lists).

The print page is not sectioned: mkdocs-print-site has saved each page's content before this hook
runs (event priority -50), and the whole guide on one page is meant to be rendered at once.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from mkdocs.plugins import event_priority

# Height estimates, in CSS px: a linear model of the rendered height, fitted (least squares) to every
# section of the built guide measured in Chromium at 412 px (a phone, as Lighthouse emulates it) and
# at 1280 px wide. Per section it is within a factor of about 0.6 to 3.2 of the real height, which is
# all a placeholder needs. (characters per line, px per line of text, per table row, per code line,
# per figure, per display equation)
NARROW = (42, 25.0, 160.0, 36.0, 1500.0, 560.0)
WIDE = (95, 25.0, 125.0, 30.0, 1600.0, 445.0)
# The last section's estimate is raised by this factor so that it is never shorter than the
# section itself at any width from 360 px up (the model's smallest ratio is about 0.6): content the browser
# has not drawn then never overlaps the footer, where an accessibility checker hit-testing it would
# find the footer's colours (tests/browser/test_sections_browser.py measures this).
LAST_MARGIN = 2.0
# Every other section's estimate is raised too. A section shorter than its content overlaps the next
# one in script hit tests (elementsFromPoint lays out the skipped content inside the placeholder's
# box), and an accessibility checker then measures a link's contrast against the wrong background:
# axe did so on the Implementation chapter once citation markers became 24 px wide.
MARGIN = 1.25
MIN_SECTIONS = 2  # pages with fewer top-level sections gain nothing

_TAG = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_CELL = re.compile(r"<t[dh]\b.*?</t[dh]>", re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_TEXT_BLOCK = re.compile(r"<(p|li|dt|dd|h[2-6]|figcaption|summary)\b[^>]*>(.*?)</\1>", re.S)
_DISPLAY_MATH = re.compile(r'<math[^>]*display="block"')
_SIZED = re.compile(r"<!--guide-size (\d+) (\d+)-->.*?<!--/guide-size-->", re.S)
_CLOSED_DETAILS = re.compile(r"(<details\b(?![^>]*\bopen)[^>]*>\s*<summary\b.*?</summary>).*?(</details>)", re.S)


# The start and end tags of the elements that can hold an <h2> (and of <h2> itself); comments, scripts
# and styles are matched whole so that nothing inside them counts. Phrasing elements cannot hold a
# heading, so they need not be tracked.
_CONTAINERS = "h2|div|section|details|summary|blockquote|ul|ol|li|dl|dt|dd|table|caption|thead|tbody|tfoot|tr|td|th|figure|figcaption|aside|article|nav|header|footer|main|form|fieldset"
_CONTAINER_TAG = re.compile(rf"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<(/?)({_CONTAINERS})\b[^>]*>", re.S | re.I)


def top_level_h2_offsets(text: str) -> list[int]:
    """Offsets of the <h2> start tags not nested in another element (the content is well-formed HTML)."""
    depth = 0
    starts = []
    for m in _CONTAINER_TAG.finditer(text):
        if m.group(3) is None:  # a comment, script or style
            continue
        if m.group(2):  # an end tag
            depth = max(0, depth - 1)
            continue
        if depth == 0 and m.group(3).lower() == "h2":
            starts.append(m.start())
        depth += 1
    return starts


@dataclass(frozen=True)
class Measures:
    """What a section's height is estimated from."""

    text_blocks: tuple[int, ...]  # characters of each paragraph, list item, heading, caption or summary
    rows: int
    code_lines: int
    figures: int
    equations: int
    sized: tuple[tuple[int, int], ...] = ()  # (narrow, wide) heights that blocks state for themselves
    cells: tuple[tuple[int, ...], ...] = ()  # characters of each cell, row by row


def measure(section: str) -> Measures:
    sized = tuple((int(m.group(1)), int(m.group(2))) for m in _SIZED.finditer(section))
    section = _SIZED.sub("", section)
    section = _CLOSED_DETAILS.sub(r"\1\2", section)  # a closed <details> shows its summary only
    code = _PRE.findall(section)
    prose = _CELL.sub("", _SVG.sub("", _PRE.sub("", section)))
    return Measures(
        text_blocks=tuple(len(html.unescape(_TAG.sub("", m.group(2))).strip()) for m in _TEXT_BLOCK.finditer(prose)),
        rows=section.count("<tr"),
        cells=tuple(
            tuple(len(html.unescape(_TAG.sub("", c)).strip()) for c in _CELL.findall(row)) for row in _ROW.findall(section)
        ),
        code_lines=sum(block.count("\n") + 1 for block in code),
        figures=section.count("<figure"),
        equations=len(_DISPLAY_MATH.findall(section)),
        sized=sized,
    )


def estimate(m: Measures, model: tuple[int, float, float, float, float, float], margin: float = 1.0) -> int:
    """Estimated rendered height of a measured section, in CSS px, rounded up to 10."""
    per_line, line, row, code_line, figure, equation = model
    height = (
        line * sum(-(-n // per_line) for n in m.text_blocks)
        + row * max(0, m.rows - len(m.cells))
        + sum(row_height(cells, per_line, line, row) for cells in m.cells)
        + code_line * m.code_lines
        + figure * m.figures
        + equation * m.equations
        + sum(wide if model == WIDE else narrow for narrow, wide in m.sized)
    )
    return int(-(-height * margin // 10) * 10)


def row_height(cells: tuple[int, ...], per_line: int, line: float, row: float) -> float:
    """A table row is as tall as its longest cell's text wrapped in its share of the column's
    characters per line (a narrow table cell holds about a dozen), and at least one plain row."""
    if not cells:
        return row
    width = max(12, per_line // len(cells))
    return max(row, line * max(-(-n // width) for n in cells))


def sectioned(text: str) -> str:
    """The content with each top-level <h2> and what follows it, up to the next, in a section."""
    starts = top_level_h2_offsets(text)
    if len(starts) < MIN_SECTIONS:
        return text
    out = [text[: starts[0]]]
    ends = [*starts[1:], len(text)]
    for start, end in zip(starts, ends, strict=True):
        body = text[start:end]
        margin = LAST_MARGIN if end == len(text) else MARGIN
        measures = measure(body)
        narrow, wide = estimate(measures, NARROW, margin), estimate(measures, WIDE, margin)
        out.append(f'<section class="guide-section" style="--guide-h:{narrow}px;--guide-h-wide:{wide}px">{body}</section>')
    return "".join(out)


@event_priority(-50)  # after the other hooks, and after print-site has saved the content for the print page
def on_page_content(html_text, page, config, files):
    return sectioned(html_text)
