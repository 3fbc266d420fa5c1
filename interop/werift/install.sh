#!/usr/bin/env bash
# Installs the werift peer (galene-peer.mjs and the npm packages pinned by package-lock.json) into
# DIR, default parley-client/target/werift. Does nothing when DIR already holds this lock file's
# packages. Needs node and npm, and the npm registry: run it before entering a network namespace.
#
# usage: interop/werift/install.sh [DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$src/../../parley-client/target/werift"}
mkdir -p "$dir"
cp "$src/package.json" "$src/package-lock.json" "$src/galene-peer.mjs" "$dir/"
if [[ -d "$dir/node_modules/werift" ]] && cmp -s "$src/package-lock.json" "$dir/node_modules/.installed-lock"; then
    exit 0
fi
command -v npm >/dev/null || { echo "$0: npm is missing (apt-get install nodejs npm)" >&2; exit 1; }
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
cp "$src/package-lock.json" "$dir/node_modules/.installed-lock"
