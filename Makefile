# NeuroBlend: `make demo` runs the main job, `make test` runs the tests.
# Each creates .venv and installs what it needs (Python 3.11: the bpy 5.0 wheel needs it).

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.neuroblend-installed

.PHONY: venv demo test test-quick lint templates extensions gallery bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/neuroblend demo --out demo_output

test: $(STAMP)
	$(BIN)/python -m pytest

test-quick: $(STAMP)
	$(BIN)/python -m pytest -m 'not slow'

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

templates: $(STAMP)
	$(BIN)/python scripts/build_templates.py

extensions: $(STAMP)
	$(BIN)/python scripts/build_extensions.py

gallery: $(STAMP)
	$(BIN)/python scripts/make_gallery.py

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist demo_output tests/artifacts
