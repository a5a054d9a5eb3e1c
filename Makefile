# salesnb — two commands do everything on a fresh machine:
#   make report   set up, make the demo company, run the monthly pack, print the index path
#   make test     set up, make the demo company, run every test (make test-all adds the long matrices)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MONTH  ?= auto
JOBS   ?= 2
PYTEST_ARGS ?=

.PHONY: setup demo report test test-all test-fast lab lint bench clean help

help:
	@echo "make report | make test | make lab | make lint | make bench | make clean"

setup: $(STAMP)

# pip compiles the installed files to bytecode one at a time (57 of the install's 91 s on the 2-core
# machine, pip cache warm); compileall does the same on every core (35 s). Compiled at install, not
# at first import: with PYTHONDONTWRITEBYTECODE set, nothing would ever be cached (every kernel would
# compile pandas again).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e ".[dev]"
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib
	touch $(STAMP)

demo: setup
	$(BIN)/salesnb demo

report: demo
	$(BIN)/salesnb run --month $(MONTH) --jobs $(JOBS) --scorecards

test: demo
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# also the long matrices (every robustness variant, the delivery pack, whole packs on real exports)
test-all: demo
	$(BIN)/python -m pytest -m "" $(PYTEST_ARGS)

lab: demo
	$(BIN)/jupyter lab notebooks/

lint: setup
	$(BIN)/ruff check .

bench: demo
	$(BIN)/python benchmarks/suite.py

clean:
	rm -rf reports/[0-9]* reports/interactive reports/.build-* .pytest_cache
