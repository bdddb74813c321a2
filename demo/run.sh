#!/usr/bin/env bash
# Start the local Genesys Cloud API emulator, run the demo playbook against it, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ]; then
  # A checkout, after make install: its venv and the collection as built into .build/collections.
  bin=$PWD/.venv/bin
  collections=$PWD/.build/collections
else
  # An installed collection (ansible_collections/genesys/cloud): the ansible and python3 on PATH.
  bin=$(dirname "$(command -v ansible-playbook || echo /nonexistent/ansible-playbook)")
  [ -x "$bin/ansible-playbook" ] || { echo "ansible-playbook is not on PATH" >&2; exit 1; }
  collections=$(cd ../../.. && pwd)
fi
python=$bin/python
[ -x "$python" ] || python=$(command -v python3)
url_file=$(mktemp)
secret_dir=$(mktemp -d)   # where the demo client's secret is delivered; removed at the end
PYTHONPATH=emulator "$python" -m genesys_emulator --port 0 --url-file "$url_file" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$url_file" "$secret_dir"' EXIT
for _ in $(seq 50); do
  [ -s "$url_file" ] && break
  sleep 0.1
done
[ -s "$url_file" ] || { echo "the emulator did not start" >&2; exit 1; }

export GENESYSCLOUD_API_URL
GENESYSCLOUD_API_URL=$(cat "$url_file")
export GENESYSCLOUD_OAUTHCLIENT_ID=emulator-admin
export GENESYSCLOUD_OAUTHCLIENT_SECRET=emulator-admin-secret
export ANSIBLE_COLLECTIONS_PATH="$collections"
export ANSIBLE_LOCALHOST_WARNING=false
export DEMO_SECRET_DIR="$secret_dir"
"$bin/ansible-playbook" -i localhost, demo/demo.yml --diff
