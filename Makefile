# Two commands for a newcomer: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench bench-backorders messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/salesbot demo

test: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m bench.quotation_entry

bench-backorders: $(STAMP)
	$(BIN)/python -m bench.backorders

messages: $(STAMP)
	PATH=$(BIN):$$PATH bash tools/update_catalogs.sh

clean:
	rm -rf $(VENV) demo-data outbox *.egg-info
