# The two-command quick start: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test servers lint bench bench-large fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the graph from seeds/, validate it, export Turtle and show a stored query's result.
run: $(STAMP)
	$(BIN)/kg build seeds
	$(BIN)/kg validate
	$(BIN)/kg export --format ttl --out build/vjkg.ttl
	@echo "exported build/vjkg.ttl"
	$(BIN)/kg query meetings

## Virtuoso for the server tests (tests/servers.py), from Debian's packages when missing (as root).
servers:
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    virtuoso-opensource-7-bin; }

## Set up and run the whole test suite (it starts stock Oxigraph and Virtuoso on 127.0.0.1).
test: $(STAMP) servers
	$(BIN)/python -m pytest -q

## ruff (default rules, duplicate set items, complexity) and mypy over the package.
lint: $(STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy

## Benchmark at 10, 100 and 1,000 articles (report in build/bench/).
bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 10,100,1000 --reason-max 10 --baseline-max 100 --baseline-timeout 200 --query-timeout 60 --query-budget 5

## The same with 10,000 articles as well.
bench-large: $(STAMP)
	$(BIN)/python -m bench.run --sizes 10,100,1000,10000 --reason-max 10 --baseline-max 100 --baseline-timeout 200 --query-timeout 60 --query-budget 5

## The long reliability run: 10,000 hostile files, 1,000 hostile parameter values, 50 kills
## (report in build/fuzz/report.txt). Smaller: make fuzz FUZZ="--files 1000 --values 200 --kills 10".
FUZZ ?= --files 10000 --values 1000 --kills 50
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz $(FUZZ)

clean:
	rm -rf build
