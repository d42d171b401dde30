# brief: the two quick-start commands are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DAY ?= 2026-11-24

.PHONY: setup demo test lint pytest bench clean

$(BIN)/brief: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/brief  ## create .venv and install brief with its test tools

demo: setup  ## write the briefing for the bundled example inbox into ./briefings
	$(BIN)/brief today --inbox examples/inbox --date $(DAY) --out briefings

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
