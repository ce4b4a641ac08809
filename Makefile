# Shopify <-> TikTok Shop connector. `make help` lists the targets.
SHELL := /bin/bash
export UV_NATIVE_TLS ?= 1
# uv from PATH, else a project-local copy: a system Python that refuses `pip install` as a
# normal user (PEP 668, e.g. Debian's) still creates a virtualenv to hold it.
TOOLS := $(CURDIR)/.tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: ## Install uv (if missing) and every workspace package into .venv
	@command -v uv >/dev/null 2>&1 || test -x $(TOOLS)/bin/uv || \
		(python3 -m venv $(TOOLS) && $(TOOLS)/bin/python -m pip install --quiet uv)
	@$(UV) sync --frozen --quiet

# The merchant console (TypeScript, typed from services/gateway/console/openapi.json) is built
# into the gateway package, which serves it at /. Needs Node.js 20+ and npm.
CONSOLE := services/gateway/console

console: ## Build the merchant console the gateway serves at / (needs Node.js and npm)
	@command -v npm >/dev/null 2>&1 || { echo "the console needs Node.js and npm (apt-get install nodejs npm)"; exit 1; }
	@cd $(CONSOLE) && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build >/dev/null

demo: install console ## Run the merchant journey end to end on embedded broker, database and sandboxes
	@$(UV) run --frozen connector-dev demo

up: install console ## Start everything (broker, PostgreSQL, services) with interleaved logs; Ctrl-C stops
	@$(UV) run --frozen connector-dev up

# Two workers, one test module each at a time (`--dist loadfile`: a module's stack stays on one
# worker). The suite mostly waits (on services, sandboxes' pacing, backoff timers), so two cores
# run two modules side by side; each worker starts its own broker, PostgreSQL and sandboxes.
TEST_WORKERS ?= 2

test: install console ## Run every test: unit, integration, end to end, crash (real broker + PostgreSQL)
	@$(UV) run --frozen pytest -n $(TEST_WORKERS) --dist loadfile --durations=30

test-unit: install ## Run only the fast tests that need no infrastructure
	@$(UV) run --frozen pytest -m "not e2e and not integration"

lint: install ## ruff (lint, complexity, format check), mypy (strict), layering, function length
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen mypy libs/*/src services/*/src
	@$(UV) run --frozen lint-imports --no-cache
	@$(UV) run --frozen connector-dev function-length

schemas: install ## Write JSON Schemas of every message and each service's AsyncAPI document
	@$(UV) run --frozen connector-dev schemas

schemas-check: install ## Fail when the generated schemas are stale
	@$(UV) run --frozen connector-dev schemas --check

bench: install ## Run the benchmarks (they print figures; nothing is asserted on time)
	@for b in tests/perf/bench_*.py; do echo "== $$b"; $(UV) run --frozen python $$b || exit 1; done

.PHONY: help install console demo up test test-unit lint schemas schemas-check bench
