# Two commands on a fresh machine: `make demo` (set-up included) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint java bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

setup: $(BIN)/.installed

java:
	@command -v java >/dev/null 2>&1 || { echo "Java 17 is required by Spark and was not found."; \
	  echo "Install it: sudo apt-get install openjdk-17-jre-headless  (macOS: brew install openjdk@17)"; exit 1; }
	@v=$$(java -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/'); \
	  if [ "$$v" -lt 17 ] 2>/dev/null; then echo "Java $$v found; Spark 4 needs Java 17 or newer."; exit 1; fi

demo: setup java
	$(BIN)/lprflow demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup java lint
	$(BIN)/pytest -q

bench: setup java
	$(BIN)/python -m bench.run_all

clean:
	rm -rf out .pytest_cache spark-warehouse
