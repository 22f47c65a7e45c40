"""Every replacement of a third-party internal (scripts/hooks/_compat.py) still matches the library
installed: same version, same source of the replaced function. When a library is upgraded these
tests fail until someone re-reads its code and updates the record in the hook."""

from __future__ import annotations

import logging

import mkdocs_bibtex.registry
import pytest

from scripts.hooks import _compat, citations, deferred_scripts, markup, print_page  # noqa: F401  (importing applies them)


def test_every_replacement_matches_the_installed_library():
    targets = {r.target for r in _compat.REPLACEMENTS}
    assert {"mkdocs_bibtex.registry.parse_file", "mkdocs_print_site_plugin.urls.update_anchor_ids"} <= targets
    for record in _compat.REPLACEMENTS:
        assert record.drift() == [], record.drift()


def test_the_per_build_formatter_replacement_matches_too():
    record = _compat.Replacement(
        target="SimpleRegistry.reference_text",
        original=mkdocs_bibtex.registry.SimpleRegistry.reference_text,
        **{k: v for k, v in citations.REFERENCE_TEXT.items()},
    )
    assert record.drift() == []


@pytest.mark.parametrize("field", ["written_for", "source_sha"])
def test_a_changed_library_is_reported(field):
    record = _compat.Replacement(
        package="mkdocs-bibtex",
        written_for="4.4.0",
        target="SimpleRegistry.reference_text",
        source_sha=citations.REFERENCE_TEXT["source_sha"],
        original=mkdocs_bibtex.registry.SimpleRegistry.reference_text,
        where="scripts/hooks/citations.py",
    )
    setattr(record, field, "0.0.0" if field == "written_for" else "0" * 16)
    (message,) = record.drift()
    assert message.startswith("scripts/hooks/citations.py: replaces SimpleRegistry.reference_text: ")
    assert "update the record" in message


def test_changed_material_markup_is_reported(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.guide"):
        markup.fix_markup('<div class="md-search" data-md-component="search" role="search">', "x.md")
        deferred_scripts.check('<script src="assets/javascripts/bundle.0123abcd.min.js"></script>', "y.md")
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("x.md: Material's markup changed") for m in messages), messages
    assert any(m.startswith("y.md: Material's script markup changed") for m in messages), messages


def test_deferred_bundle_markup_passes(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.guide"):
        deferred_scripts.check(
            '<script type="guide/deferred" data-src="assets/javascripts/bundle.0123abcd.min.js"></script>', "z"
        )
    assert not caplog.records
