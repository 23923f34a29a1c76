# Every command sets up on first use; see README.md and CONTRIBUTING.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done
BACKENDS := tensorflow jax torch
BACKEND ?= tensorflow
PATCH ?= ../keras-sklearn-wrappers.patch
PYTEST_ARGS ?=

export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup demo test test-backend lint format api api-check wheel patch bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml tools/upstream.py
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

# Lint, API check, then the whole suite once per backend, each in its own
# process. Every backend runs; the target fails if any of them failed.
test: lint api-check
	@failed=""; \
	for backend in $(BACKENDS); do \
		echo "===== KERAS_BACKEND=$$backend ====="; \
		KERAS_BACKEND=$$backend $(PY) -m pytest $(PYTEST_ARGS) \
			|| failed="$$failed $$backend"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED on:$$failed"; exit 1; fi; \
	echo "All backends passed: $(BACKENDS)"

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

patch: $(STAMP)
	$(PY) tools/upstream.py patch $(PATCH)

clean:
	rm -rf $(VENV) .upstream build dist *.egg-info
	git clean -fdX keras
