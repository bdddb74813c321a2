# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
COMPAT_VENV := .venv-core2.16
BIN := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.build/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/genesys/cloud
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)

.PHONY: demo test venv install units functional compat sanity lint bench emulator clean

demo: install
	bash demo/run.sh

test: install units functional compat sanity lint

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt
	touch $@

# Build the collection tarball and install it, so demo and tests run what users would install.
install: venv
	rm -rf .build/dist $(INSTALLED)
	$(BIN)/ansible-galaxy collection build --force --output-path .build/dist . >/dev/null
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) .build/dist/genesys-cloud-*.tar.gz >/dev/null
	@echo "installed genesys.cloud into $(COLLECTIONS)"

units: install
	$(BIN)/python -m pytest tests/unit tests/emulator -q

functional: install
	$(BIN)/python -m pytest tests/functional -q -n 2

# The unit and playbook tests again on the oldest supported ansible-core.
compat: install $(COMPAT_VENV)/.installed
	PATH=$(CURDIR)/$(COMPAT_VENV)/bin:$$PATH $(COMPAT_VENV)/bin/python -m pytest tests/unit tests/functional -q -n 2

$(COMPAT_VENV)/.installed: tests/requirements-core2.16.txt
	$(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-core2.16.txt
	touch $@

# ansible-test sanity on the newest and the oldest supported ansible-core, and ansible-test units, all on the
# installed tree. It is a repository of its own, so ansible-test does not take the project .gitignore (which
# hides .build) for the tree.
sanity: install $(COMPAT_VENV)/.installed
	$(BIN)/python tests/sanity/prepare_pip_bootstrap.py
	$(COMPAT_VENV)/bin/python tests/sanity/prepare_pip_bootstrap.py
	cd $(INSTALLED) && git init -q && $(BIN)/ansible-test sanity --local --python 3.11 --requirements
	cd $(INSTALLED) && PATH=$(CURDIR)/$(COMPAT_VENV)/bin:$$PATH ansible-test sanity --local --python 3.11 --requirements
	cd $(INSTALLED) && $(BIN)/ansible-test units --venv --python 3.11 --requirements

lint: install
	$(BIN)/ansible-lint demo/ docs/ roles/

# The collection against a loop of tasks, a hand-written uri playbook and a Python floor (about half an hour;
# BENCH_ARGS="--sizes 10 --rounds 1" for a quick look). Writes benchmarks/results/ and docs/performance.md.
bench: install $(VENV)/.bench-installed
	cd benchmarks && $(BIN)/python bench.py $(BENCH_ARGS)

$(VENV)/.bench-installed: benchmarks/requirements.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	touch $@

# Run the emulator in the foreground, for trying the collection by hand.
emulator: venv
	PYTHONPATH=emulator $(BIN)/python -m genesys_emulator --port 8080

clean:
	rm -rf $(VENV) $(COMPAT_VENV) .build tests/output
