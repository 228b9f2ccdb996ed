# tenderflow: `make demo` runs the bundled scenarios, `make test` runs the whole test suite.
# Both work on a fresh machine: they create .venv, install the package with the versions in
# constraints.txt and, when run as root where apt-get exists, the system packages the tests
# need (PostgreSQL server, poppler-utils, a TrueType CJK font).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
APT_PACKAGES := postgresql poppler-utils fonts-wqy-zenhei fonts-arphic-uming faketime graphviz chromium chromium-driver
PYTEST_ARGS ?=

.PHONY: demo test bench bench-full lint system-deps install clean

$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=23.2'
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,postgres]'
	touch $(STAMP)

install: system-deps $(STAMP)

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing (install them with apt-get as root)"; \
	  fi; \
	fi

demo: install
	$(BIN)/tenderflow demo --out demo-out --features

test: install
	$(BIN)/python -m pytest -W error $(PYTEST_ARGS)

# `make bench`: every benchmark at a size that finishes in a few minutes, one table of issue 17's
# targets with ratios against references measured in the same run (JSON in bench-results.json).
# `make bench-full`: a national year (FULL_PROCUREMENTS) through generate → verify → replay.
# The eventsourcing peer installs itself into benchmarks/.venv-peer (not the project's .venv).
FULL_PROCUREMENTS ?= 51189

bench: install
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench.py --out bench-results.json

bench-full: install
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/full.py --procurements $(FULL_PROCUREMENTS)

lint: install
	$(BIN)/ruff check tenderflow tests benchmarks
	$(BIN)/mypy tenderflow/domain

clean:
	rm -rf demo-out .pytest_cache .hypothesis
