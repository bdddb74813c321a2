# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.build/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/genesys/cloud
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)
# Ansible refuses to run in a locale that is not UTF-8 (LC_ALL=C, common in CI containers and cron): give the tests
# C.UTF-8 there, which every glibc system has. A UTF-8 locale the machine sets is kept.
ifeq ($(findstring UTF-8,$(subst utf8,UTF-8,$(or $(LC_ALL),$(LC_CTYPE),$(LANG)))),)
export LC_ALL := C.UTF-8
endif

# The version matrix: the ansible-core releases of tests/core_versions.txt (the one place that names them), each with
# the unit tests and ansible-test sanity (tests/core_matrix.sh); the oldest runs every playbook test, the others the
# `smoke` subset (every module, role and plugin once), to keep make test well under 20 minutes on 2 cores. The main
# venv's release (2.19 on Python 3.11) runs in .venv, the others in venvs of their own. All playbook tests everywhere:
#   make test MATRIX_FULL="$(CORE_VERSIONS)" MATRIX_SMOKE=
CORE_VERSIONS := $(shell sed 's/\#.*//' tests/core_versions.txt)
MATRIX_FULL ?= $(firstword $(CORE_VERSIONS))
MATRIX_SMOKE ?= $(filter-out $(MATRIX_FULL),$(CORE_VERSIONS))
MATRIX := $(MATRIX_FULL) $(MATRIX_SMOKE)

# Checks run after one install; under `make test` they do not install again (they run side by side).
INSTALL := $(if $(INSTALLED_ALREADY),,install)

.PHONY: demo test checks venv install units functional matrix $(addprefix core-,$(MATRIX)) sanity lint release \
	docs bench emulator clean

demo: install
	bash demo/run.sh

# Two checks at a time (the machines have 2 cores); each prints its output when it ends.
test: install
	@echo "running the checks two at a time: ansible-core $(MATRIX), lint, release, docs"
	$(MAKE) --no-print-directory -j2 --output-sync=target INSTALLED_ALREADY=1 checks

# Longest first, so that the two slots end together. The main venv's release runs the unit and emulator tests.
checks: $(addprefix core-,$(MATRIX)) release docs lint

venv: $(VENV)/.installed

# uv (from PyPI) installs in seconds what pip takes minutes for; the venv keeps pip for ansible-test.
$(VENV)/.installed: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	UV_NATIVE_TLS=1 $(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt -r tests/requirements.txt
	touch $@

# Build the collection tarball and install it, so demo and tests run what users would install.
install: venv
	rm -rf .build/dist $(INSTALLED)
	$(BIN)/ansible-galaxy collection build --force --output-path .build/dist . >/dev/null
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) .build/dist/genesys-cloud-*.tar.gz >/dev/null
	@echo "installed genesys.cloud into $(COLLECTIONS)"

units: $(INSTALL)
	$(BIN)/python -m pytest tests/unit tests/emulator -q

functional: $(INSTALL)
	$(BIN)/python -m pytest tests/functional -q -n 2

matrix: $(addprefix core-,$(MATRIX))

$(addprefix core-,$(MATRIX_FULL)): core-%: $(INSTALL)
	PYTHON=$(PYTHON) bash tests/core_matrix.sh $* full

$(addprefix core-,$(MATRIX_SMOKE)): core-%: $(INSTALL)
	PYTHON=$(PYTHON) bash tests/core_matrix.sh $* smoke

# ansible-test sanity and units with the main venv's ansible-core, on the installed tree.
sanity: $(INSTALL)
	$(eval MAIN_PY := $$(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'))
	bash tests/sanity/run_sanity.sh $(INSTALLED) $(MAIN_PY)
	cd $(INSTALLED) && $(BIN)/ansible-test units --venv --python $(MAIN_PY) --requirements

lint: $(INSTALL)
	$(BIN)/ansible-lint demo/ docs/ roles/

# What Galaxy and Automation Hub check: changelog (and a fragment per change), docs lint, galaxy-importer on the
# tarball, the execution environment definition (ansible-builder create).
release: $(INSTALL)
	bash tests/release/check_release.sh

# The antsibull-docs site, offline, into .build/docs.
docs: $(INSTALL)
	bash docs/docsite/build.sh

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
	rm -rf $(VENV) .venv-core* .build tests/output
