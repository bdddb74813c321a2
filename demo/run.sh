#!/usr/bin/env bash
# Start the local Genesys Cloud API emulator, run the demo playbook against it, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
url_file=$(mktemp)
secret_dir=$(mktemp -d)   # where the demo client's secret is delivered; removed at the end
PYTHONPATH=emulator "$bin/python" -m genesys_emulator --url-file "$url_file" &
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
export ANSIBLE_COLLECTIONS_PATH="$PWD/.build/collections"
export ANSIBLE_LOCALHOST_WARNING=false
export DEMO_SECRET_DIR="$secret_dir"
"$bin/ansible-playbook" -i localhost, demo/demo.yml --diff
