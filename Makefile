# Two commands: `make demo` and `make test`. Both create .venv on first use.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Find a Python >= 3.12: an explicit PYTHON=..., then python3.13/3.12 on PATH, then pyenv.
PYTHON ?= $(shell for c in python3.13 python3.12 python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; exit 0; fi; done; \
	  for v in 3.13.0 3.12.1; do \
	  if PYENV_VERSION=$$v pyenv which python3 >/dev/null 2>&1; then PYENV_VERSION=$$v pyenv which python3; exit 0; fi; done; \
	  ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | head -n1)

.PHONY: demo test install serve bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found; run: make PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

test: install
	$(PY) -m pytest -q

demo: install
	$(VENV)/bin/banenpool demo --reset
	$(VENV)/bin/banenpool serve --host 127.0.0.1 --port 5000 --with-worker

bench: install
	$(VENV)/bin/banenpool bench

clean:
	rm -rf $(VENV) instance .pytest_cache
