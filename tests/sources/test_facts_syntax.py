"""scripts/sources/facts.py: inline Atlas references are read with their line and resolved to one
record; model facts read as prose."""

from __future__ import annotations

from scripts.sources import facts


def test_references_are_read_with_their_fields_and_line():
    text = '# T\n\nIt scored {{result qwen2.5-vl mmmu variant="72B" split=val source=bai2025qwen25vl}} and\n{{model clip released}}.\n'
    first, second = facts.references(text)
    assert (first.kind, first.model, first.benchmark, first.line) == ("result", "qwen2.5-vl", "mmmu", 3)
    assert first.fields == {"variant": "72B", "split": "val", "source": "bai2025qwen25vl"}
    assert (second.kind, second.model, second.fact, second.line) == ("model", "clip", "released", 4)
    assert text[first.start : first.end] == first.text


def test_model_facts_read_as_prose():
    class R:
        def __init__(self, **kw):
            self.kw = kw

        def get(self, k, d=None):
            return self.kw.get(k, d)

    assert facts.month_text("2025-01") == "January 2025"
    assert facts.model_fact_text(R(parameters=[3, 7, 72]), "parameters") == "3B, 7B and 72B"
    assert facts.model_fact_text(R(parameters=12), "parameters") == "12B"
    assert facts.model_fact_text(R(open_weights=False), "open_weights") == "closed weights"
    assert facts.split_text("unspecified") == "" and facts.split_text("val") == " (val)"
