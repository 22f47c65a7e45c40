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
# Bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set (as on CI machines),
# every build would otherwise compile the whole toolchain from source again.
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Material for MkDocs prints an end-of-life notice (May 2027) on every build; the README explains
# it once ("Toolchain status"). This is Material's own documented switch to silence it.
export NO_MKDOCS_2_WARNING := 1
PORT ?= 8000
# pytest-xdist workers for `make test` (auto: one per CPU core; TEST_WORKERS=0 runs in one process).
# Each test module stays on one worker (--dist loadscope), so its fixtures are set up once.
TEST_WORKERS ?= auto

.PHONY: help audit audit-all install build serve check lint spelling workflows fmt test lab bench properdocs citations linkcheck addref atlas-sources toc pdf clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

# The browser tools (axe-core, vnu-jar, lighthouse) are pinned in tests/browser/package-lock.json.
# Without npm the browser tests skip locally with a message (under CI=true they fail instead).
BROWSER_TOOLS := tests/browser/node_modules/.installed
$(BROWSER_TOOLS): tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests will skip (install Node.js and npm to run them)"; fi

install: $(VENV)/.synced ## Create .venv from the lock file

build: $(VENV)/.synced ## Source checks, then the strict build into site/ (any warning fails), then HTML checks
	$(PY) -m scripts.tools.build --site-dir $(SITE_DIR)

# --dirty: a rebuild renders only the pages an edit touches (scripts/hooks/incremental.py keeps the
# References page, the Atlas and the search index right); scripts/tools/bench.py measures it.
serve: $(VENV)/.synced ## Live preview at http://127.0.0.1:$(PORT) (PORT=8001 for another port; no print page, for speed)
	GUIDE_PRINT_PAGE=false $(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

check: $(VENV)/.synced ## Fast source checks: references.bib, citations, links, anchors, images, nav, TOC
	$(PY) -m scripts.checks

lint: $(VENV)/.synced ## ruff, spelling, the workflows' security audit and the references.bib layout, all in check mode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@$(MAKE) --no-print-directory spelling workflows
	$(PY) -m scripts.tools.bibfmt --check

# The guide is written in American English (CONTRIBUTING.md, "How to write a section"). The second run
# reads only the prose a reader sees: chapters and templates, README, CONTRIBUTING and the Atlas's data
# notes; not references.bib, whose titles stay as their authors spelled them. "dialogue" is the
# common American spelling for conversation (the dictionary's "dialog" is the software window).
US_PROSE ?= docs README.md CONTRIBUTING.md data
SPELL_TREE ?= .
spelling: $(VENV)/.synced ## codespell: typos everywhere, and British spellings in the prose (US_PROSE=...)
	$(VENV)/bin/codespell $(SPELL_TREE)
	$(VENV)/bin/codespell --builtin en-GB_to_en-US --ignore-words-list dialogue,dialogues $(US_PROSE)

# zizmor's offline audits (no GitHub API calls); a finding at any severity fails.
WORKFLOWS ?= .github/workflows
workflows: $(VENV)/.synced ## Security audit of the GitHub workflows with zizmor, offline (WORKFLOWS=...)
	$(VENV)/bin/zizmor --offline --no-progress $(WORKFLOWS)

fmt: $(VENV)/.synced ## Apply the formatters: ruff format and the canonical references.bib layout
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(PY) -m scripts.tools.bibfmt

test: $(VENV)/.synced $(BROWSER_TOOLS) ## Every test (source checks, lint, one strict build, HTML checks, broken fixtures)
	$(PY) -m scripts.checks
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

# The lab (lab/, docs/lab.md) has its own environment, .venv-lab, from the `lab` group of uv.lock,
# so that build and test stay light. On Linux x86_64 the lock takes torch's CPU build from
# /opt/wheels, where this project's machines keep it (checked against its hash here); elsewhere
# on Linux x86_64 the same pinned build comes from PyTorch's CPU index (README, "The lab").
LAB_VENV := .venv-lab
TORCH_WHEEL := /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
TORCH_WHEEL_SHA256 := 6746dbcbeb526eb61330b76b41ff1b4eb848951103a892eeb080dfa2b264667b
LAB_SYNC := UV_PROJECT_ENVIRONMENT=$(LAB_VENV) $(UV) sync --frozen --only-group lab --python $(PYTHON)
$(LAB_VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@if [ -f $(TORCH_WHEEL) ]; then \
		echo "$(TORCH_WHEEL_SHA256)  $(TORCH_WHEEL)" | sha256sum --check --quiet && $(LAB_SYNC); \
	elif [ "$$(uname -sm)" = "Linux x86_64" ]; then \
		$(LAB_SYNC) --no-install-package torch && \
		$(UV) pip install --python $(LAB_VENV)/bin/python --index-url https://download.pytorch.org/whl/cpu torch==2.13.0+cpu; \
	else $(LAB_SYNC); fi
	@touch $@

lab: $(LAB_VENV)/.synced ## The lab's tests: data, evaluation, LoRA, serving, on a tiny model built locally (installs .venv-lab)
	HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false $(LAB_VENV)/bin/python -m pytest lab/tests

audit: $(VENV)/.synced $(BROWSER_TOOLS) ## Lighthouse on Home, the longest chapter and the Atlas pages, served as a static host would (needs Chromium)
	$(PY) -m scripts.tools.build --site-dir $(SITE_DIR)
	$(PY) -m scripts.tools.audit --site $(SITE_DIR)

.PHONY: audit-all
audit-all: $(VENV)/.synced $(BROWSER_TOOLS) ## Lighthouse on every page but the print page (slow: a minute or two a page)
	$(PY) -m scripts.tools.build --site-dir $(SITE_DIR)
	$(PY) -m scripts.tools.audit --site $(SITE_DIR) --all --markdown

pdf: $(VENV)/.synced ## The whole guide as site/mllm-guide.pdf, from the print page (builds first; needs Chromium)
	$(PY) -m scripts.tools.build --site-dir $(SITE_DIR)
	$(PY) -m scripts.tools.pdf --site $(SITE_DIR)

bench: $(VENV)/.synced ## Build benchmark: with vs without mkdocs-bibtex, page weight, search index size, live reload
	$(PY) -m scripts.tools.bench

# ProperDocs, the maintained fork of MkDocs 1.x, in place of MkDocs: README, "Toolchain status".
PROPERDOCS_VERSION ?= 1.6.7
properdocs: $(VENV)/.synced | $(UV) ## Build with ProperDocs instead of MkDocs, in a throwaway venv (COMPARE=1: diff with MkDocs)
	$(PY) -m scripts.tools.properdocs --version $(PROPERDOCS_VERSION) --uv $(UV) --python $(PYTHON) $(if $(COMPARE),--compare)

citations: $(VENV)/.synced ## Citation report: which chapters cite each entry; most-cited and uncited entries
	$(PY) -m scripts.tools.citations

REPORT ?= linkcheck-report.md
linkcheck: $(VENV)/.synced ## Check every external link (needs the network; CI runs it weekly)
	$(PY) -m scripts.tools.linkcheck --report $(REPORT)

addref: $(VENV)/.synced ## Add a reference from its arXiv ID or DOI: make addref ID=2103.00020
	@test -n "$(ID)" || { echo "usage: make addref ID=<arXiv ID or DOI>"; exit 2; }
	$(PY) -m scripts.tools.addref $(ID)

atlas-sources: $(VENV)/.synced ## Rewrite the list of documents the Atlas data cites (docs/atlas-sources.md)
	$(PY) -m scripts.tools.atlas_sources

toc: $(VENV)/.synced ## Rewrite README's table of contents from scripts/toc.yml
	$(PY) -m scripts.tools.toc

clean: ## Remove the built site, the caches and the environments
	rm -rf $(SITE_DIR) $(VENV) $(LAB_VENV) .tools .pytest_cache .cache .ruff_cache
