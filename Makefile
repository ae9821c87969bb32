# One command each: `make demo` fixes the example app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# PyTorch for the torch.load cases (PF-DESER), in its CPU build: pinned to the release whose CPU
	# wheel these machines keep on disk (pip's find-links), so nothing of several GB is downloaded.
	$(BIN)/python -m pip install --quiet 'torch==2.13.0'
	touch $@

demo: setup
	@echo "--> provenfix fix examples/notes_app   (a Flask app; nothing is written without --apply)"
	$(BIN)/provenfix fix examples/notes_app; status=$$?; echo "--> provenfix exit code: $$status"; test $$status -eq 0
	@echo "--> provenfix fix examples/helpdesk    (a Django site, web classes)"
	$(BIN)/provenfix fix examples/helpdesk; status=$$?; echo "--> provenfix exit code: $$status"; exit $$status

test: setup
	$(BIN)/python -m pytest -n auto --maxprocesses 4

clean:
	rm -rf $(VENV) .pytest_cache
