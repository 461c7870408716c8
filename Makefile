# One set of commands for developers, pre-commit hooks and CI alike.
# `make test` and `make demo` work from a fresh clone with no other step.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PACKAGES := canonical schemas ownership wire_enums producers consumers interforce tooling
TYPED := $(PACKAGES) tests
MUTATION_CHILDREN ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: install lock services services-down browser lint format typecheck schemas-check check test unit integration e2e mutation demo bench bench-quick clean

# Every dependency comes at the version and hash requirements/dev.lock pins; `make lock`
# writes the lockfiles afresh from pyproject.toml's lower bounds.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"

$(STAMP): pyproject.toml requirements/dev.lock
	@echo "==> creating $(VENV) and installing interforce with its dev extras (requirements/dev.lock)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	@$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

lock: install
	@$(LOCK) --extra dev -o requirements/dev.lock
	@$(LOCK) -o requirements/runtime.lock
	@echo "==> requirements/dev.lock and requirements/runtime.lock written"

services: install
	@$(BIN)/interforce services up

services-down: install
	@$(BIN)/interforce services down

browser:
	@scripts/install-browser

lint: install
	@echo "==> ruff check"
	@$(BIN)/ruff check .
	@echo "==> ruff format --check"
	@$(BIN)/ruff format --check .
	@echo "==> lint-imports (the import rules in pyproject.toml)"
	@$(BIN)/lint-imports

format: install
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

typecheck: install
	@echo "==> mypy --strict (packages and tests)"
	@$(BIN)/mypy $(TYPED)

schemas-check: install
	@echo "==> interforce schemas check"
	@$(BIN)/interforce schemas check

# The quick loop before a commit (and the pre-commit hook): no services, about a minute.
check: lint typecheck schemas-check unit

unit: install
	@$(BIN)/pytest -q tests/unit

integration: services
	@$(BIN)/pytest tests/integration

e2e: services browser
	@$(BIN)/pytest tests/e2e

# Mutation testing of the ownership rules and the inbox path ([tool.mutmut] in pyproject.toml);
# slow, so not part of `make test`. It starts afresh: mutmut keeps an old verdict even when
# the tests have changed since, so a score from a kept mutants/ could be stale.
mutation: install
	@echo "==> mutmut over ownership/domain and the inbox path (its working copy is mutants/)"
	@rm -rf mutants && mkdir -p mutants
	@$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) > mutants/run.log 2>&1 \
		|| { tail -n 40 mutants/run.log; exit 1; }
	@$(BIN)/python scripts/mutation-score

test: lint typecheck schemas-check services browser
	@echo "==> pytest"
	@$(BIN)/pytest

demo: services
	@$(BIN)/interforce demo

bench: services
	@mkdir -p artifacts
	@$(BIN)/interforce bench --output artifacts/bench.json

bench-quick: services
	@mkdir -p artifacts
	@$(BIN)/interforce bench --quick --output artifacts/bench-quick.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache mutants
