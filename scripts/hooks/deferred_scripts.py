"""Build extension: guards the deferred loading of Material's JavaScript.

The loading itself lives in the theme override (docs/overrides/main.html and the scripts under
docs/overrides/partials/guide/): Material's script tags are made inert and loaded on the reader's
first interaction, and the colour scheme is applied at once. That override rewrites Material's
`scripts` block, so this hook checks every page: if Material's bundle is still loaded directly,
or the inert tags are missing, Material's markup changed underneath the override and the build
warns (the strict build fails).
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("mkdocs.hooks.guide")

_DIRECT_BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"')
_DEFERRED_BUNDLE = re.compile(r'<script type="guide/deferred" data-src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"')


def check(output: str, where: str) -> str:
    if _DIRECT_BUNDLE.search(output) or ("assets/javascripts/bundle." in output and not _DEFERRED_BUNDLE.search(output)):
        log.warning(
            f"{where}: Material's script markup changed and its bundle is no longer deferred: update docs/overrides/main.html"
        )
    return output


def on_post_page(output, page, config):
    return check(output, page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return check(output_content, template_name) if template_name == "404.html" else output_content
