# The two-command quick start: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test servers lint bench bench-large fuzz clean static serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The SPARQL editor of `kg serve` (YASGUI), vendored from the npm registry at a pinned version
# and checked against its published sha512, served from kg/serve/static: no CDN at run time.
YASGUI_VERSION   := 4.6.2
YASGUI_INTEGRITY := sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
YASGUI_DIR       := kg/serve/static/vendor/yasgui
YASGUI_TGZ       := build/npm/zazuko-yasgui-$(YASGUI_VERSION).tgz

$(YASGUI_TGZ):
	mkdir -p build/npm
	cd build/npm && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) > /dev/null
	$(PYTHON) -c "import base64,hashlib,sys; d=base64.b64encode(hashlib.sha512(open(sys.argv[1],'rb').read()).digest()).decode(); sys.exit(0 if 'sha512-'+d==sys.argv[2] else 'YASGUI tarball does not match its pinned sha512')" $@ $(YASGUI_INTEGRITY)

$(YASGUI_DIR)/yasgui.min.js: $(YASGUI_TGZ)
	rm -rf build/npm/package && tar -xzf $(YASGUI_TGZ) -C build/npm
	mkdir -p $(YASGUI_DIR)
	cp build/npm/package/build/yasgui.min.js build/npm/package/build/yasgui.min.css build/npm/package/package.json $(YASGUI_DIR)/
	touch $@

## Vendor the query page's editor (YASGUI) into kg/serve/static (needs npm).
static: $(YASGUI_DIR)/yasgui.min.js

## Build the seeds' graph and serve it at http://127.0.0.1:8000/ (`kg serve`).
serve: $(STAMP) static
	$(BIN)/kg build seeds
	$(BIN)/kg serve

## Build the graph from seeds/, validate it, export Turtle and show a stored query's result.
run: $(STAMP) static
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
test: $(STAMP) servers static
	$(BIN)/python -m pytest -q

## ruff (default rules, duplicate set items, complexity) and mypy over the package.
lint: $(STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy

## Benchmark at 10, 100 and 1,000 articles (report in build/bench/report.md and report.json:
## figures, growth between sizes, the acceptance verdicts), kg serve's load at 1,000 first.
BENCH_FLAGS := --reason-max 10 --baseline-max 100 --baseline-timeout 200 --query-timeout 60 --query-budget 5 --timeout 900
bench: $(STAMP)
	$(BIN)/python -m bench.serve_load --articles 1000 --clients 100 --seconds 60
	$(BIN)/python -m bench.run --sizes 10,100,1000 $(BENCH_FLAGS)

## The same with 10,000 articles as well, within 30 minutes: the whole run has a budget of
## 29 min, of which the smaller sizes leave 18 to 10,000 (stages past it are reported skipped);
## no reasoning nor rdflib baseline, one plain pySHACL call (150 s at most) at 100 articles only.
bench-large: $(STAMP)
	$(BIN)/python -m bench.run --sizes 10,100,1000,10000 $(BENCH_FLAGS) --baseline-min 100 \
	  --baseline-timeout 150 --skip reason,rdflib-queries --budget 1740 --reserve 1080

## The long reliability run: 10,000 hostile files, 1,000 hostile parameter values, 50 kills
## (report in build/fuzz/report.txt). Smaller: make fuzz FUZZ="--files 1000 --values 200 --kills 10".
FUZZ ?= --files 10000 --values 1000 --kills 50
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz $(FUZZ)

clean:
	rm -rf build
