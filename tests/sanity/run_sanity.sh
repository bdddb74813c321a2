#!/usr/bin/env bash
# ansible-test sanity on an installed tree, with the ansible-test and python first on PATH:
#   tests/sanity/run_sanity.sh TREE PYTHON_VERSION
# Why a script: ansible-test wants the collection inside ansible_collections/ and takes it for a repository of its
# own (git init, so the project's .gitignore, which hides .build, does not hide it), and it needs pip's bootstrap
# (prepare_pip_bootstrap.py).
# ansible-test keeps its sanity venvs in ~/.ansible/test/venv and rebuilds one it finds half made, so two runs that
# share it break each other. Each ansible-core release gets a home of its own instead (in the user's cache, not
# ~/.ansible), so that the releases of make test run their sanity side by side; the lock only keeps two runs of one
# release apart. pip's download cache stays the user's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1 python_version=$2
core=$(python -c 'import ansible; print(ansible.__version__.rsplit(".", 1)[0])')
cache=${XDG_CACHE_HOME:-$HOME/.cache}
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$cache/pip}
export HOME=$cache/genesys-cloud-sanity/$core-py$python_version
mkdir -p "$HOME"
python "$repo/tests/sanity/prepare_pip_bootstrap.py"
(cd "$tree" && git init -q && echo 'tests/output/' >> .git/info/exclude)
(cd "$tree" && flock "$HOME/.lock" ansible-test sanity --local --python "$python_version" --requirements 2>&1 \
    | grep -v -e '^WARNING: Location' -e '^Looking in' -e '^Requirement already' -e '^$')
