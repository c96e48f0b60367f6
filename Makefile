# NeuroBlend: `make demo` runs the main job, `make test` runs the tests.
# Each creates .venv and installs what it needs (Python 3.11: the bpy 5.0 wheel needs it).

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.neuroblend-installed

# Version matrix: `make test-blender BPY=4.2.23` (or 4.5.15, 5.3.0, ...) builds .venv-bpy-<BPY>
# with the Python that bpy wheel needs (scripts/bpy_python.sh), then runs the tests (all of them,
# or BPY_TESTS=tests/blender for just the Blender ones) and renders each kind through the CLI
# (scripts/smoke_render_matrix.py).
BPY ?= 5.0.1
BPY_TESTS ?=
BPY_VENV := .venv-bpy-$(BPY)
BPY_STAMP := $(BPY_VENV)/.neuroblend-installed
BPY_EXTRAS := neuron,atlas,images,clips,sonata,nwb,cluster,dev
# The numpy that Blender release bundles: 1.x up to 5.0 (Python 3.11), 2.x from 5.1 (3.13).
export BLENDER_NUMPY := import sys; print("numpy<2" if sys.version_info < (3, 12) else "numpy>=2")

.PHONY: venv demo test test-quick test-blender lint templates extensions gallery bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

$(BPY_STAMP): pyproject.toml scripts/bpy_python.sh
	test -x $(BPY_VENV)/bin/python || "$$(scripts/bpy_python.sh $(BPY))" -m venv $(BPY_VENV)
	$(BPY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BPY_VENV)/bin/python -m pip install --quiet -e '.[$(BPY_EXTRAS)]' 'bpy==$(BPY)' \
	  "$$($(BPY_VENV)/bin/python -c "$$BLENDER_NUMPY")"
	touch $(BPY_STAMP)

test-blender: $(BPY_STAMP)
	$(BPY_VENV)/bin/python -m pytest -p no:cacheprovider $(BPY_TESTS)
	$(BPY_VENV)/bin/python scripts/smoke_render_matrix.py

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
	rm -rf $(VENV) .venv-bpy-* build dist demo_output tests/artifacts
