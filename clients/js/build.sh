#!/bin/sh
# Compiles src/ to dist/ (ES modules and .d.ts) with the repository's TypeScript.
# Optional argument: a folder to use as NODE_PATH; @cloud-waste-scanner/client is linked into it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tsc="$here/../../node_modules/.bin/tsc"
if [ ! -x "$tsc" ]; then
  echo "build.sh: $tsc not found; run npm install at the repository root" >&2
  exit 1
fi
rm -rf "$here/dist"
"$tsc" -p "$here/tsconfig.json"
if [ "$#" -gt 0 ]; then
  mkdir -p "$1/@cloud-waste-scanner"
  ln -sfn "$here" "$1/@cloud-waste-scanner/client"
  echo "build.sh: NODE_PATH=$(cd "$1" && pwd)"
fi
