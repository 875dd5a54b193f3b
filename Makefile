# 用語集 — `make run` serves the glossary, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format check build bench clean

$(STAMP): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## run: build the database from data/glossary.yaml and serve http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/python -m app build
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

## check: validate data/glossary.yaml
check: $(STAMP)
	$(BIN)/python -m app check

## build: validate and build the SQLite database
build: $(STAMP)
	$(BIN)/python -m app build

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## format: apply ruff's fixes and formatting
format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## test: lint, validate the bundled glossary, and run the whole test suite
test: lint check
	$(BIN)/pytest

## bench: run the benchmarks in bench/ and print their tables (wrk and npm needed for some)
bench: $(STAMP)
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_backprop_engine.py
	$(BIN)/python bench/bench_backprop_api.py
	$(BIN)/python bench/bench_limits.py
	$(BIN)/python bench/bench_pages.py
	$(BIN)/python bench/bench_fairness.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/lighthouse.py

## lock: re-resolve both lock files from pyproject.toml
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		-o requirements-dev.lock

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
