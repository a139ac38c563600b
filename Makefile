# IOP Guide: every target that needs Python depends on `install`, which is idempotent.
# Shape follows pelican-quickstart's Makefile. Run `make help` for the list.

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PELICANOPTS ?=
export PYTHONPATH := $(CURDIR)/plugins
ifeq ($(DEBUG), 1)
  export DEBUG := 1
endif

.DEFAULT_GOAL := help
.PHONY: help install install-dev system-deps html serve new publish test lint format docs clean bench profile approve review reading deploy-config firstpaint translate-pin

help: ## List the targets, by who uses them
	@awk 'BEGIN {FS = ":.*## "} /^##@ / {printf "\n%s\n", substr($$0, 5)} /^[a-z-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Options: DEBUG=1 (Python tracebacks and Pelican's debug log), PELICANOPTS='...' (passed to Pelican,"
	@echo "e.g. PELICANOPTS=--relative-urls). The README says more for each role."

$(VENV)/.installed: requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m sitekit.checks.readability  # textstat's syllable counts into the user's cache, once (0.7 s)
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	@touch $@

##@ For editors: write and check pages

serve: install ## Build, serve at http://127.0.0.1:8000 (PORT=...), rebuild on every save; open pages reload themselves
	$(PYTHON) -m sitekit serve -s pelicanconf.py $(if $(PORT),--port $(PORT)) $(PELICANOPTS)

# TITLE and SECTION reach the recipe as environment variables, so any quotes in them stay intact.
new: install ## Start a guide: make new TITLE="Paying for IOP" SECTION="Getting care" (in review)
	@$(PYTHON) -m sitekit new --title "$$TITLE" --section "$$SECTION"

html: install ## Preview build into output/ (every page, review notices shown)
	$(PYTHON) -m sitekit build -s pelicanconf.py $(PELICANOPTS)

##@ For clinicians: review and sign off pages

review: install ## Build, then write the clinician's review desk to review/ (also at http://127.0.0.1:8000/_review/ under make serve); never published
	$(PYTHON) -m sitekit review -s pelicanconf.py

# REVIEWER and OVERRIDE reach the recipe as environment variables, so any quotes in them stay intact.
approve: install ## Sign off: make approve PAGE=content/guides/x.md (or PAGES="a b", PAGES=ready, PAGE=data/crisis.yaml) REVIEWER=id [MONTHS=12] [OVERRIDE="why"]
	@test -n "$(PAGE)$(PAGES)" -a -n "$(REVIEWER)" || { echo 'usage: make approve PAGE=content/guides/x.md (or PAGES="a b c", or PAGES=ready) REVIEWER=id [MONTHS=12] [OVERRIDE="why"]'; exit 2; }
	@$(PYTHON) -m sitekit approve $(PAGE) $(PAGES) --reviewer "$$REVIEWER" --months $(or $(MONTHS),12) --override "$$OVERRIDE"

reading: install ## Print the reading level of every page (SMOG, Flesch-Kincaid; Spanish pages: Fernández-Huerta, Szigriszt-Pazos)
	$(PYTHON) -m sitekit reading -s pelicanconf.py

##@ For translators and language reviewers: keep the Spanish pages in step (README, Translations)

# REVIEWER reaches the recipe as an environment variable, as for approve.
translate-pin: install ## Record that a translation matches its English page: make translate-pin PAGE=content/es/guides/x.md (or PAGES="a b") REVIEWER=id [AT=commit]
	@test -n "$(PAGE)$(PAGES)" -a -n "$(REVIEWER)" || { echo 'usage: make translate-pin PAGE=content/es/guides/x.md (or PAGES="a b") REVIEWER=id [AT=commit]'; exit 2; }
	@$(PYTHON) -m sitekit translate-pin $(PAGE) $(PAGES) --reviewer "$$REVIEWER" $(if $(AT),--at "$(AT)")

##@ For the site owner: publish and host

publish: install deploy-config ## Production build into public/ with every gate on; prints what changed since the last publish (regenerates deploy/ first)
	$(PYTHON) -m sitekit build -s publishconf.py --publish $(PELICANOPTS)

deploy-config: install ## Write deploy/nginx.conf and deploy/_headers from the hosting settings in publishconf.py (IOP_NGINX_ROOT, IOP_NGINX_PORT)
	$(PYTHON) -m sitekit deploy-config


##@ For developers: install, test and measure

install: $(VENV)/.installed ## Create .venv with what the site needs to build and serve (idempotent)

install-dev: install $(VENV)/.installed-dev tests/node_modules/.installed ## Add the test and developer tools (Python and npm)

system-deps: ## Install what the browser and server tests need from Debian (as root), or say how
	@bash tests/system-deps.sh

test: install-dev system-deps ## Run every test (unit, site, browser and server)
	$(PYTHON) -m pytest

lint: install-dev ## Lint the Python code
	$(BIN)/ruff check plugins tools tests pelicanconf.py publishconf.py
	$(BIN)/ruff format --check plugins tools tests pelicanconf.py publishconf.py

format: install-dev ## Format the Python code (ruff format, ruff --fix) and the templates (djhtml)
	$(BIN)/ruff format plugins tools tests pelicanconf.py publishconf.py
	$(BIN)/ruff check --fix plugins tools tests pelicanconf.py publishconf.py
	$(BIN)/djhtml theme/templates

docs: install ## Regenerate docs/codes.md, docs/settings.md and docs/data-files.md from the code
	$(PYTHON) -m sitekit docs

clean: ## Remove the preview's output/ and the caches (keeps .venv, and public/ with its record of the last publish)
	rm -rf output review .pytest_cache .ruff_cache __pycache__ plugins/*/__pycache__ tests/__pycache__ .output-staging-* .output-old-* .output-cache .output-search .output-trash

.venv-bench/.installed: requirements-bench.txt
	$(PY) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: install-dev system-deps .venv-bench/.installed ## Benchmarks: 1,000 articles vs vanilla Pelican (+ Pagefind) and the plugin peer; save to screen; page weight
	$(PYTHON) -m tools.bench $(or $(RUNS),3) --edits $(or $(EDITS),10) --corpus-edits $(or $(CORPUS_EDITS),5)

profile: install ## Where a build's time goes, per stage and plugin (1,000 articles); PREVIEW=1: a preview rebuild
	$(PYTHON) -m tools.profile $(if $(PREVIEW),--preview) --top $(or $(TOP),0)

firstpaint: install-dev system-deps ## The reader's first screen per page type (banner height, h1 position, screenshots) and first paint on a throttled phone: make firstpaint [LABEL=after] [RUNS=5]
	$(PYTHON) -m tools.firstpaint --runs $(or $(RUNS),5) --label $(or $(LABEL),now)
