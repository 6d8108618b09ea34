# Two commands on a fresh machine (Python 3.11+ and make):
#   make html   build the website into _build/html
#   make test   run the whole test suite (engine, notebooks, book build, browser)
# Both create the virtual environment .venv and install the pinned requirements first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# the teacher's grading tools (otter-grader) in their own environment: requirements-grading.txt
GRADING_VENV  := .venv-grading
GRADING_STAMP := $(GRADING_VENV)/.installed

.PHONY: html test unit refresh portability lab lint clean lock vendor bench bench-record colab \
        catalogs assignments

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

$(GRADING_STAMP): requirements-grading.txt requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(GRADING_VENV)
	$(GRADING_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(GRADING_VENV)/bin/python -m pip install --quiet -r requirements-grading.txt -c constraints.txt
	touch $(GRADING_STAMP)

vendor: $(STAMP)  ## npm ci in vendor/ when stale (package-lock.json), copy the site's files to vendor/build/
	$(BIN)/python tools/vendor_assets.py

html: $(STAMP) vendor  ## both editions: English in _build/html, Chinese in _build/html/zh_CN
	$(BIN)/jupyter-book build --all -W -n --keep-going .
	$(BIN)/python -m tools.i18n build
	@echo "Website built: open _build/html/index.html (中文: _build/html/zh_CN/index.html)"

test: $(STAMP) $(GRADING_STAMP) vendor lint
	$(BIN)/python -m pytest

unit: $(STAMP)  ## the engine, analysis, studies and ui tests alone: no notebooks, browsers or builds
	$(BIN)/python -m pytest -o addopts="-ra --strict-markers -p no:cacheprovider" tests/nn tests/analysis tests/studies tests/ui

refresh: $(STAMP)  ## re-run notebooks and store their outputs: make refresh [NB=book/…ipynb]
	$(BIN)/python -m tools.refresh_notebooks $(NB)

portability: $(STAMP)  ## the notebooks under other BLAS kernels / threads / SIMD levels [NB=…ipynb ARGS=--list]
	$(BIN)/python tools/portability.py $(ARGS) $(NB)

lab: $(STAMP)
	$(BIN)/jupyter lab book/

catalogs: $(STAMP)  ## after changing English text: update locales/zh_CN (then translate what is new)
	$(BIN)/python -m tools.i18n catalogs

assignments: $(GRADING_STAMP)  ## one graded assignment per chapter in _build/assignments/ (otter-grader), self-graded
	$(GRADING_VENV)/bin/python tools/assignments.py

colab: $(STAMP)  ## the Colab edition of every chapter (plain Markdown, solutions closed) in colab/
	$(BIN)/python -m tools.colab_variant

bench: $(STAMP)  ## notebooks, widgets, engine, a classroom of 8; budgets enforced [ARGS=--quick]
	$(BIN)/python benchmarks/bench.py $(ARGS)

bench-record: $(STAMP)  ## the full benchmark, stored as the instructor guide's measured figures
	$(BIN)/python benchmarks/bench.py --record

lint: $(STAMP)  ## ruff, the package's floors (each imports only the floors below it), mypy
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

lock: $(STAMP)  ## regenerate constraints.txt after changing a pin
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf _build $(VENV) $(GRADING_VENV)
