#!/usr/bin/env bash
# The tests on one ansible-core release of the version matrix: tests/core_matrix.sh VERSION full|smoke
# VERSION is a release series (2.17) or `newest`, the newest release pip finds for Python 3.12+.
#
# Each release gets a venv of its own (.venv-coreVERSION) and its own install of the built tarball, made by that
# release's ansible-galaxy (.build/core-VERSION), so releases can run side by side (make -j2). It runs the unit
# tests, the playbook tests (all of them, or the `smoke` subset that touches every module and role once) and
# ansible-test sanity. Releases from 2.20 on need Python 3.12 or newer: the first of $PYTHON312, python3.14,
# python3.13, python3.12 on PATH (and pyenv's versions) that runs; with none, the release is skipped, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$1
playbook_tests=${2:-full}
repo=$PWD
dist=(.build/dist/genesys-cloud-*.tar.gz)  # built by `make install`

new_python() {
    local candidate pyenv_pythons=()
    if command -v pyenv >/dev/null; then
        pyenv_pythons=("$(pyenv root)"/versions/3.1[2-9]*/bin/python3)
    fi
    for candidate in ${PYTHON312:-} python3.14 python3.13 python3.12 "${pyenv_pythons[@]}"; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

main_core=$(.venv/bin/python -c 'import ansible; print(".".join(ansible.__version__.split(".")[:2]))')
if [ "$version" = "$main_core" ]; then
    echo "== ansible-core $version: tested by the main run (make units functional sanity), not again here"
    exit 0
fi

case $version in
    2.1[6-9]) python=${PYTHON:-python3} ;;
    *) if ! python=$(new_python); then
           echo "SKIPPED ansible-core $version: it needs Python 3.12 or newer and none was found" \
                "(python3.12, python3.13 or python3.14 on PATH, pyenv, or PYTHON312=/path/to/python)"
           exit 0
       fi ;;
esac

venv=$repo/.venv-core$version
stamp="$version $(cksum < tests/requirements-matrix.txt) $python"
if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r tests/requirements-matrix.txt "ansible-core$([ "$version" = newest ] || echo "==$version.*")"
    echo "$stamp" > "$venv/.installed"
fi
export PATH=$venv/bin:$PATH
core=$("$venv/bin/python" -c 'import ansible; print(ansible.__version__)')
if [ "$version" = newest ] && [ "${core%.*}" = "$main_core" ]; then
    echo "== ansible-core newest is $core: tested by the main run, not again here"
    exit 0
fi
py=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "== ansible-core $core on Python $py:" \
     "unit tests, $playbook_tests playbook tests, sanity"

collections=$repo/.build/core-$version
rm -rf "$collections"
ansible-galaxy collection install --force -p "$collections" "${dist[0]}" >/dev/null
export ANSIBLE_COLLECTIONS_PATH=$collections

python -m pytest tests/unit -q
if [ "$playbook_tests" = smoke ]; then
    python -m pytest tests/functional -q -n 2 -m smoke
else
    python -m pytest tests/functional -q -n 2
fi

bash tests/sanity/run_sanity.sh "$collections/ansible_collections/genesys/cloud" "$py"
