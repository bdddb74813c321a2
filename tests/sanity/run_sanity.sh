#!/usr/bin/env bash
# ansible-test sanity on an installed tree, with the ansible-test and python first on PATH:
#   tests/sanity/run_sanity.sh TREE PYTHON_VERSION
# Why a script: ansible-test wants the collection inside ansible_collections/ and takes it for a repository of its
# own (git init, so the project's .gitignore, which hides .build, does not hide it), and it needs pip's bootstrap
# in ~/.ansible (prepare_pip_bootstrap.py). One sanity run at a time: runs of different releases share the test
# venvs ansible-test keeps in ~/.ansible.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1 python_version=$2
python "$repo/tests/sanity/prepare_pip_bootstrap.py"
(cd "$tree" && git init -q && echo 'tests/output/' >> .git/info/exclude)
(cd "$tree" && flock "$repo/.build/sanity.lock" ansible-test sanity --local --python "$python_version" --requirements 2>&1 \
    | grep -v -e '^WARNING: Location' -e '^Looking in' -e '^Requirement already' -e '^$')
