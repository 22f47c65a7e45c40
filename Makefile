# Two commands set everything up on a fresh machine: `make build` and `make test`.
# The environment (.venv) is created from uv.lock; uv itself is bootstrapped into .tools/ with pip
# when it is not on PATH.
.DEFAULT_GOAL := help
SHELL := bash

PYTHON ?= python3
UV_VERSION := 0.13.8
SITE_DIR ?= site
VENV := .venv
PY := $(VENV)/bin/python
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install build serve check test toc clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced ## Create .venv from the lock file

build: $(VENV)/.synced ## Build the site into site/ (strict: any warning fails) and check its HTML
	$(PY) -m scripts.build --site-dir $(SITE_DIR)

serve: $(VENV)/.synced ## Live preview at http://127.0.0.1:8000
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

check: $(VENV)/.synced ## Fast source checks: references.bib, citations, links, anchors, images, nav, TOC
	$(PY) -m scripts.check

test: $(VENV)/.synced ## Every test (the source checks, one strict build, the HTML checks, broken fixtures)
	$(PY) -m scripts.check
	$(PY) -m pytest

toc: $(VENV)/.synced ## Rewrite README's table of contents from scripts/toc.yml
	$(PY) -m scripts.toc

clean: ## Remove the built site and the environments
	rm -rf $(SITE_DIR) $(VENV) .tools .pytest_cache
