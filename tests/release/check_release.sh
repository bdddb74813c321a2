#!/usr/bin/env bash
# What Galaxy, Automation Hub and a collection maintainer check before a release, on the built tarball and the
# installed tree (make install): the changelog, the docs, Galaxy's import and the execution environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$PWD/.build/release
rm -rf "$build"
mkdir -p "$build"
tarballs=(.build/dist/genesys-cloud-*.tar.gz)

echo "== antsibull-changelog lint, and a fragment for every change to plugins/ or roles/"
antsibull-changelog lint
python tests/release/check_fragments.py

echo "== antsibull-docs lint-collection-docs --plugin-docs (the installed collection)"
antsibull-docs lint-collection-docs --plugin-docs "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/genesys/cloud"

tarball=$PWD/${tarballs[0]}
if ! grep -q '^repository:' galaxy.yml; then
    # Galaxy requires a repository URL, and the collection has no public home yet: galaxy.yml names none rather
    # than an invented one. Everything else Galaxy checks is checked on a tarball built with a placeholder that
    # cannot resolve (.invalid is reserved); publishing needs the real URL in galaxy.yml.
    echo "== galaxy.yml names no repository: Galaxy will refuse the import until it does (checked with a placeholder)"
    mkdir -p "$build/src" "$build/dist"
    git ls-files -z | xargs -0 cp --parents -t "$build/src"
    echo 'repository: https://genesys-cloud.invalid/no-public-home-yet' >> "$build/src/galaxy.yml"
    ansible-galaxy collection build --output-path "$build/dist" "$build/src" >/dev/null
    tarball=$(echo "$build"/dist/genesys-cloud-*.tar.gz)
fi

echo "== galaxy-importer on $(basename "$tarball") (offline; its ansible-lint included)"
(cd "$build" && GALAXY_IMPORTER_CONFIG=$OLDPWD/tests/release/galaxy-importer.cfg \
    python -m galaxy_importer.main "$tarball" > galaxy-importer.log 2>&1) \
    || { cat "$build/galaxy-importer.log"; exit 1; }
if grep -E 'WARNING|ERROR|Traceback' "$build/galaxy-importer.log"; then
    echo "galaxy-importer reported the problems above (full log: $build/galaxy-importer.log)"
    exit 1
fi
tail -1 "$build/galaxy-importer.log"

echo "== ansible-builder: the EE definition and the collection's metadata"
ansible-builder create -f execution-environment/execution-environment.yml --context "$build/ee" >/dev/null
# ansible-builder writes a Containerfile where podman is installed and a Dockerfile otherwise.
containerfile=
for candidate in "$build"/ee/Containerfile "$build"/ee/Dockerfile; do
    if [ -f "$candidate" ]; then containerfile=$candidate; break; fi
done
[ -n "$containerfile" ] || { echo "ansible-builder wrote neither a Containerfile nor a Dockerfile in $build/ee"; exit 1; }
grep -q '^ARG EE_BASE_IMAGE="ghcr.io/ansible-community/community-ee-base' "$containerfile"
# The file a machine with podman gets, and the one a machine without it gets, whichever this machine is.
for output in Containerfile Dockerfile; do
    ansible-builder create -f execution-environment/execution-environment.yml --output-filename "$output" \
        --context "$build/ee-$output" >/dev/null
    grep -q '^ARG EE_BASE_IMAGE="ghcr.io/ansible-community/community-ee-base' "$build/ee-$output/$output" \
        || { echo "ansible-builder's $output lacks the EE base image"; exit 1; }
done
echo "the EE definition builds as a Containerfile (podman) and a Dockerfile (docker)"
# The image installs the tarball of galaxy.yml's version from the build context (not Galaxy, where it is not yet):
# its requirement must name that file, and install from the context as the image's galaxy stage does from /build.
version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
grep -q "name: collections/genesys-cloud-$version.tar.gz" "$build/ee/_build/requirements.yml" \
    || { echo "the EE definition does not install genesys-cloud-$version.tar.gz (galaxy.yml's version)"; exit 1; }
(cd "$build/ee/_build" \
    && python -c 'import yaml; entries = yaml.safe_load(open("requirements.yml"))["collections"]; yaml.safe_dump(dict(collections=[e for e in entries if e.get("type") == "file"]), open("local.yml", "w"))' \
    && ansible-galaxy collection install -r local.yml -p "$build/ee-install" >/dev/null) \
    || { echo "the EE's genesys.cloud requirement does not install from its build context"; exit 1; }
echo "the EE installs genesys-cloud-$version.tar.gz from its build context"
python - "$build/ee/_build/requirements.txt" requirements.txt <<'EOF'
import sys
def requirements(path):
    return sorted(line.split('#')[0].strip() for line in open(path, encoding='utf-8') if line.split('#')[0].strip())
context, collection = requirements(sys.argv[1]), requirements(sys.argv[2])
missing = [line for line in collection if line not in context]
assert collection and not missing, 'the EE build context lacks %s' % missing
print('the EE build context holds the collection\'s Python requirements: %s' % ', '.join(collection))
EOF
ansible-builder introspect --sanitize "$ANSIBLE_COLLECTIONS_PATH" > "$build/introspect.yml"
grep -q "requests.*from collection genesys.cloud" "$build/introspect.yml" \
    || { cat "$build/introspect.yml"; echo "ansible-builder does not find the collection's requirements"; exit 1; }
echo "ansible-builder introspect finds the installed collection's requirements"
