"""scripts/checks/reports.py: the readability, repetition and coverage reports that `make check`
prints, measured on small pages with known answers."""

from __future__ import annotations

from scripts.checks import reports
from scripts.sources import names as names_src
from scripts.sources.atlas import Atlas, _read
from tests.checks.test_atlas_data import BENCHMARK, MODEL

LONG = " ".join(["word"] * 55) + "."


def test_readability_counts_sentences_and_paragraphs_with_lines():
    text = "# T\n\nShort one here. Another short one here.\n\n" + LONG + "\n\n" + " ".join(["Para."] * 10) + "\n"
    r = reports.readability(text, "docs/x.md")
    assert r.sentences == 3  # one-word sentences are not counted
    assert r.long_sentences == [(5, 55)] and r.share_over_40 > 33
    assert r.longest_paragraph == 55 and r.long_paragraphs == []


def test_a_figure_text_alternative_is_not_a_paragraph():
    alt = " ".join(["pixel"] * 200)
    text = f"# T\n\n<figure markdown>\n  ![{alt}](f.svg)\n  <figcaption>Figure 1. A figure.</figcaption>\n</figure>\n\nA short paragraph here.\n"
    r = reports.readability(text, "docs/x.md")
    assert r.longest_paragraph < 10 and r.long_paragraphs == []
    assert r.long_sentences == [] and r.sentences == 1, "nor are its alternative and caption sentences"


def test_a_verbatim_passage_shared_by_two_chapters_is_reported_with_both_places():
    shared = "the same long sentence of more than twelve words appears word for word in both chapters here"
    pages = [
        ("docs/a.md", reports.page_words(f"# A\n\nIntro.\n\nBut {shared}.\n")),
        ("docs/b.md", reports.page_words(f"{shared} too.\n")),
    ]
    ((text, places),) = reports.shared_passages(pages)
    assert text.startswith("the same long sentence") and places == [("docs/a.md", 5), ("docs/b.md", 1)]


def test_facts_retold_in_four_chapters_and_unmentioned_models(tmp_path):
    for name, body in (("models", MODEL), ("benchmarks", BENCHMARK)):
        (tmp_path / f"{name}.yaml").write_text(body)
    atlas = Atlas(_read(tmp_path / "models.yaml", MODEL), _read(tmp_path / "benchmarks.yaml", BENCHMARK), [])
    names = names_src.load(atlas, tmp_path)
    facts = [(f"docs/{i}.md", reports.page_facts("Demo-VL scored 61.5 on DemoBench in 2024.\n", names)) for i in range(4)]
    retold = reports.facts_retold(facts)
    assert retold[("Demo-VL", "61.5")] == [(f"docs/{i}.md", 1) for i in range(4)]
    assert ("Demo-VL", "2024") not in retold  # years are not facts
    assert reports.unmentioned_models(set(), atlas) == [("demo-vl", "Demo-VL", "2024-05")]
    assert reports.unmentioned_models({"demo-vl"}, atlas) == []
