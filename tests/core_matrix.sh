#!/usr/bin/env bash
# One ansible-core release of the version matrix (tests/core_versions.txt): tests/core_matrix.sh VERSION full|smoke
# Why a script and not antsibull-nox: antsibull-nox runs ansible-test sanity and units only in containers, with
# ansible-core from GitHub, and neither is available here (tests/README.md). This does the same in local venvs.
#
# It runs the unit tests, the playbook tests (all of them, or the `smoke` subset) and ansible-test sanity. The main
# venv's release uses .venv (and runs the unit tests through ansible-test units, and the emulator tests); the others
# get a venv of their own (.venv-coreVERSION, made by uv in one install call) and their own install of the built
# tarball (.build/core-VERSION), so releases run side by side (make -j2). `newest` is the newest release PyPI has; it is
# skipped when it is one already tested.
# From 2.20 on, a Python 3.12+ is needed: $PYTHON312 or python3.12/3.13/3.14 or pyenv's; without one it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1 playbook_tests=${2:-full} repo=$PWD
export UV_PYTHON_DOWNLOADS=never UV_NATIVE_TLS=1  # the interpreters found here; the system's CA bundle
main_core=$(.venv/bin/python -c 'import ansible; print(ansible.__version__.rsplit(".", 1)[0])')

new_python() {
    local candidate
    for candidate in ${PYTHON312:-} python3.14 python3.13 python3.12 "$(pyenv root 2>/dev/null)"/versions/3.1[2-9]*/bin/python3; do
        "$candidate" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null && return
    done
    return 1
}

# The main release runs the unit tests through ansible-test units (below), and the emulator's own tests here.
venv=$repo/.venv unit_tests=(tests/emulator)
if [ "$version" != "$main_core" ]; then
    venv=$repo/.venv-core$version unit_tests=(tests/unit)
    case $version in
        2.1[6-9]) python=$(${PYTHON:-python3} -c 'import sys; print(sys.executable)') ;;
        *) python=$(new_python) || { echo "SKIPPED ansible-core $version: no Python 3.12+ found (set PYTHON312)"; exit 0; } ;;
    esac
    stamp="$version $(cksum < tests/requirements-matrix.txt) $python"
    if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$venv"
        "${UV:-.venv/bin/uv}" venv --quiet --seed --python "$python" "$venv"
        "${UV:-.venv/bin/uv}" pip install --quiet --python "$venv/bin/python" -r tests/requirements-matrix.txt \
            "ansible-core$([ "$version" = newest ] || echo "==$version.*")"
        echo "$stamp" > "$venv/.installed"
    fi
fi
export PATH=$venv/bin:$PATH
core=$(python -c 'import ansible; print(ansible.__version__)')
if [ "$version" = newest ] && grep -qx "${core%.*}" tests/core_versions.txt; then
    echo "== ansible-core newest is $core, which the ${core%.*} run tests"
    exit 0
fi
py=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "== ansible-core $core on Python $py: unit tests, $playbook_tests playbook tests, sanity"

export ANSIBLE_COLLECTIONS_PATH=$repo/.build/core-$version
rm -rf "$ANSIBLE_COLLECTIONS_PATH"
ansible-galaxy collection install --force -p "$ANSIBLE_COLLECTIONS_PATH" .build/dist/genesys-cloud-*.tar.gz >/dev/null

# Each phase says how long it took, so that the time budget of make test can be kept where it is spent.
phase() { local start=$SECONDS what=$1; shift; "$@"; echo "== ansible-core $version: $what in $((SECONDS - start))s"; }
phase "${unit_tests[*]}" python -m pytest "${unit_tests[@]}" -q
select=(); [ "$playbook_tests" = full ] || select=(-m smoke)
phase "$playbook_tests playbook tests" python -m pytest tests/functional -q -n 2 --durations=10 "${select[@]}"
tree=$ANSIBLE_COLLECTIONS_PATH/ansible_collections/genesys/cloud
phase sanity bash tests/sanity/run_sanity.sh "$tree" "$py"
# The main release runs the unit tests the way community CI does: ansible-test units, in a venv of its own.
[ "$venv" != "$repo/.venv" ] || (cd "$tree" && phase "ansible-test units" ansible-test units --venv --python "$py" --requirements)
echo "== ansible-core $core: passed in ${SECONDS}s"
