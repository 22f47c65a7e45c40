"""The citation report counts citations per entry and lists the uncited ones."""

from __future__ import annotations

from scripts.tools.citations import gather, render
from tests.samples import LLAVA, RADFORD


def test_report_counts_pages_and_uncited(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "intro.md").write_text(
        "A [@radford2021clip]. B [@radford2021clip; @liu2023llava].\n\n`[@radford2021clip]` in code.\n"
    )
    (docs / "training.md").write_text("C [@radford2021clip].\n")
    bib_path = tmp_path / "references.bib"
    extra = (
        LLAVA.replace("liu2023llava", "liu2023other")
        .replace("Visual Instruction Tuning", "Another Title")
        .replace("2304.08485", "2304.08486")
    )
    bib_path.write_text(RADFORD + "\n" + LLAVA + "\n" + extra)
    keys, counts, pages = gather(docs, bib_path)
    assert counts["radford2021clip"] == 3 and pages["radford2021clip"] == {"intro", "training"}
    text = render(keys, counts, pages)
    assert text.startswith("4 citations of 2 entries in 2 pages; 3 entries in references.bib, 1 uncited")
    assert "Uncited entries (cite them or remove them):\n  liu2023other\n" in text
    assert "radford2021clip     3  intro, training" in text
