# Every command sets up on first use; see README.md and CONTRIBUTING.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done
BACKENDS := tensorflow jax torch
BACKEND ?= tensorflow
SERIES ?= ../keras-sklearn-wrappers-series
PYTEST_ARGS ?=
# The oldest scikit-learn releases the wrappers support, tested on one
# backend besides the pinned one (requirements.txt), which every backend uses.
SKLEARN_VERSIONS ?= 1.6.1 1.7.2
SKLEARN_BACKEND ?= torch
# Where the Keras master snapshot is, upstream-check runs the wrappers' own
# tests on it (without the Keras fixes and with them, on every backend), so
# `make test`'s run per backend here takes the integration tests and tools.
MAIN_TESTS := $(if $(wildcard ../shared/upstream/keras-master-*.tar.gz),integration_tests tools,)

export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup demo test test-backend lint format api api-check wheel patch \
	upstream-check sklearn-versions bench lines clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml tools/upstream.py \
		$(wildcard keras_fixes/*.patch)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) tools/upstream.py lay
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

demo: $(STAMP)
	KERAS_BACKEND=$(BACKEND) $(PY) -m demo

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

api: $(STAMP)
	$(PY) tools/api_gen.py

api-check: $(STAMP)
	$(PY) tools/api_gen.py --check

# One backend: `make test-backend BACKEND=jax PYTEST_ARGS="-k classifier"`.
test-backend: $(STAMP)
	KERAS_BACKEND=$(BACKEND) $(PY) -m pytest $(PYTEST_ARGS)

# Lint, API check, the whole suite once per backend (each in its own
# process), then the series on Keras master and the older scikit-learn
# releases. Every step runs; the target fails if any of them failed.
test: lint api-check
	@failed=""; \
	for backend in $(BACKENDS); do \
		echo "===== KERAS_BACKEND=$$backend ====="; \
		KERAS_BACKEND=$$backend $(PY) -m pytest $(MAIN_TESTS) $(PYTEST_ARGS) \
			|| failed="$$failed $$backend"; \
	done; \
	$(MAKE) --no-print-directory upstream-check || failed="$$failed upstream-check"; \
	$(MAKE) --no-print-directory sklearn-versions || failed="$$failed sklearn-versions"; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "All passed: $(BACKENDS), upstream-check, sklearn-versions"

# The series applied with `git am` to the Keras master snapshot in
# ../shared/upstream/: upstream's api_gen.py, ruff configuration and
# `pytest keras/src/wrappers` on tensorflow, jax, torch, numpy, openvino. Skips,
# saying why, where the snapshot is absent.
upstream-check: $(STAMP)
	$(PY) tools/series.py check

# `pytest keras/src/wrappers` under each of SKLEARN_VERSIONS, each installed
# apart (.sklearn/<version>/) and put first on the path.
sklearn-versions: $(STAMP)
	@failed=""; \
	for version in $(SKLEARN_VERSIONS); do \
		echo "===== scikit-learn $$version, KERAS_BACKEND=$(SKLEARN_BACKEND) ====="; \
		test -d .sklearn/$$version || $(PY) -m pip install --quiet --no-deps \
			--target .sklearn/$$version scikit-learn==$$version; \
		PYTHONPATH=.sklearn/$$version KERAS_BACKEND=$(SKLEARN_BACKEND) \
			$(PY) -m pytest keras/src/wrappers -p no:cacheprovider -q \
			|| failed="$$failed $$version"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED on scikit-learn:$$failed"; exit 1; fi

# The wrappers' lines per module: all, and code only (no docstrings,
# comments or blank lines), against the series' code budget.
lines:
	$(PYTHON) tools/code_lines.py

# Benchmarks on every backend, each in its own process; writes
# benchmarks/RESULTS.md.
bench: $(STAMP)
	rm -f benchmarks/output/results.jsonl
	mkdir -p benchmarks/output
	for backend in $(BACKENDS); do \
		KERAS_BACKEND=$$backend BENCH_RESULTS=benchmarks/output/results.jsonl \
			$(PY) benchmarks/run_all.py || exit 1; \
	done
	$(PY) benchmarks/write_results.py benchmarks/output/results.jsonl \
		benchmarks/RESULTS.md

wheel: $(STAMP)
	$(PY) -m build --wheel --outdir dist .

# The series as `git format-patch` files against the Keras master snapshot,
# and the keras.io guide as its own patch, under SERIES.
patch: $(STAMP)
	$(PY) tools/series.py write $(SERIES)

clean:
	rm -rf $(VENV) .upstream .sklearn build dist *.egg-info
	git clean -fdX keras
