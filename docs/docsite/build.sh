#!/usr/bin/env bash
# make docs: the antsibull-docs Sphinx site of the installed collection, into .build/docs (index: index.html).
# Offline: instead of fetching docs.ansible.com's intersphinx inventory, the site links the few Ansible pages
# the generated docs refer to through a small local inventory (offline_inventory.py).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
site=$repo/.build/docs-src
out=$repo/.build/docs
rm -rf "$site" "$out"
mkdir -p "$site"
chmod 700 "$site"  # antsibull-docs wants its folder writable by its owner only
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$site" \
    --title 'genesys.cloud' --project 'genesys.cloud' --copyright 'genesys.cloud contributors' --index-rst-source "$repo/docs/docsite/index.rst" \
    genesys.cloud >/dev/null
python "$repo/docs/docsite/offline_inventory.py" "$site/ansible_devel.inv"
cat >> "$site/conf.py" <<'EOF'

# make docs builds offline: the Ansible docs inventory is a local file, and nothing else is fetched.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', ('../ansible_devel.inv',)),
}
EOF
cd "$site"
mkdir -p rst
chmod og-w rst
antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --fail-on-error --use-current \
    --dest-dir rst genesys.cloud
sphinx-build -M html rst build -c . -W --keep-going -q
mv build/html "$out"
echo "docs site: $out/index.html (guides: $out/collections/genesys/cloud/docsite/)"
for guide in "$repo"/docs/docsite/rst/*.rst; do
    name=$(basename "$guide" .rst)
    grep -q "href=\"docsite/$name.html\"" "$out/collections/genesys/cloud/index.html" \
        || { echo "the collection index does not link the guide $name (docs/docsite/extra-docs.yml)"; exit 1; }
done
echo "the collection index links every guide in docs/docsite/rst"
# The front page lists every guide in its toctree, so each is in the sidebar of every page too.
for guide in "$repo"/docs/docsite/rst/*.rst; do
    name=$(basename "$guide" .rst)
    grep -q "href=\"collections/genesys/cloud/docsite/$name.html\"" "$out/index.html" \
        || { echo "the front page does not list the guide $name (docs/docsite/index.rst)"; exit 1; }
done
grep -q '<title>genesys.cloud' "$out/index.html" || { echo "the front page has no real title"; exit 1; }
echo "the front page lists every guide"
# A grid table that does not parse renders as a paragraph of | and +--- lines, which sphinx -W lets pass.
if grep -nE '^\| <|^\+-{4,}|<p>[^<]*\+-{4,}' "$out"/collections/genesys/cloud/docsite/*.html; then
    echo "a guide has a table that renders as text (above): fix its grid, or make it a list-table"
    exit 1
fi
echo "every table in the guides renders as a table"
