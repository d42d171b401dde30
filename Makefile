# brief: the two quick-start commands are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DAY ?= 2026-11-24
NEXT_DAY ?= 2026-11-25
MIXED_DAY ?= 2026-11-26

.PHONY: setup demo test lint pytest bench clean screenshots

$(BIN)/brief: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/brief  ## create .venv and install brief with its test tools

demo: setup  ## write the briefings for the two example days into ./briefings (the second shows what is new), and the mixed-language day into ./briefings/multilingual
	$(BIN)/brief today --inbox examples/inbox --date $(DAY) --out briefings
	$(BIN)/brief today --inbox examples/inbox-$(NEXT_DAY) --date $(NEXT_DAY) --out briefings
	$(BIN)/brief today --inbox examples/inbox-multilingual --date $(MIXED_DAY) --out briefings/multilingual

screenshots: demo  ## PNGs of the second example briefing and the archive index (headless Chromium)
	$(BIN)/python scripts/screenshots.py briefings/sitrep-$(NEXT_DAY).html --out build/screenshots
	$(BIN)/python scripts/screenshots.py briefings/index.html --size 1100,900 --out build/screenshots

lint: setup
	$(BIN)/ruff check briefing tests benchmarks
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint pytest  ## lint, type-check and run the test suite (what CI runs)

bench: setup  ## run every benchmark and print the figures (see BENCHMARKS.md)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) briefings build dist *.egg-info
