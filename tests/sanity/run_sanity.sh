#!/usr/bin/env bash
# ansible-test sanity on an installed tree, with the ansible-test and python first on PATH:
#   tests/sanity/run_sanity.sh TREE PYTHON_VERSION
# ansible-test takes the tree for a repository of its own, so the project's .gitignore (which hides .build) does
# not hide it, and ignores what its own runs leave in tests/output. One sanity run at a time: runs of different
# ansible-core releases (make test runs them side by side) may share the test venvs ansible-test keeps in ~/.ansible.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1
python_version=$2
python "$repo/tests/sanity/prepare_pip_bootstrap.py" >/dev/null
(cd "$tree" && git init -q && echo 'tests/output/' >> .git/info/exclude)
(cd "$tree" && flock "$repo/.build/sanity.lock" ansible-test sanity --local --python "$python_version" --requirements 2>&1 \
    | grep -v -e '^WARNING: Location' -e '^Looking in' -e '^Requirement already' -e '^$')
