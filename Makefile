# Two commands set up and check a fresh machine:
#   make install   # system packages for the tests (espeak-ng, sox) + a venv with everything
#   make test      # lint + the whole test suite (slow end-to-end tests included)
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install test

install:
	@(command -v espeak-ng && command -v sox) >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq espeak-ng sox)
	[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	$(PY) -m pip install -q --no-deps distillmos==0.9.1 xls-r-sqa==0.1.0

test:
	$(VENV)/bin/ruff check malenhance tests benchmarks recipes examples experiments
	$(PY) -m pytest -q
