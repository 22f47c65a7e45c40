"""scripts/tools/audit.py without Lighthouse: the Chromium features it leaves on."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.tools import audit

FLAGS_JS = """export const DEFAULT_FLAGS = [
    '--disable-features=' +
        [
            // Disable built-in Google Translate service
            'Translate',
            // Avoid the startup dialog for _Do you want the application 'Chromium.app' to accept?_
            'MediaRouter',
            'RenderDocument',
        ].join(','),
    '--disable-extensions',
];
"""


def test_the_launchers_disabled_features_are_kept_except_render_document(tmp_path: Path):
    flags = tmp_path / "flags.js"
    flags.write_text(FLAGS_JS, encoding="utf-8")
    assert audit.disabled_features(flags) == "Translate,MediaRouter"


def test_a_changed_launcher_flag_list_stops_the_audit_with_a_message(tmp_path: Path):
    flags = tmp_path / "flags.js"
    flags.write_text("export const DEFAULT_FLAGS = ['--disable-extensions'];\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="--disable-features list was not found"):
        audit.disabled_features(flags)


def test_the_installed_launcher_still_disables_render_document():
    if not audit.LAUNCHER_FLAGS.is_file():
        pytest.skip("chrome-launcher is not installed (npm ci --prefix tests/browser)")
    assert "RenderDocument" in audit.LAUNCHER_FLAGS.read_text(encoding="utf-8"), (
        "chrome-launcher no longer disables RenderDocument: KEEP_ENABLED in scripts/tools/audit.py may go"
    )
