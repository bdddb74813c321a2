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
    --title 'genesys.cloud' --project 'genesys.cloud' genesys.cloud >/dev/null
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
