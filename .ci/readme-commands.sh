#!/usr/bin/env bash
# Prints the README's "two commands" (the fenced block under "From a fresh clone"), one per
# line, without their comments, so CI runs exactly what a newcomer is told to run.
set -euo pipefail
awk '
  /^## From a fresh clone/ { section = 1; next }
  section && /^```sh/      { block = 1; next }
  block && /^```/          { exit }
  block                    { sub(/[[:space:]]+#.*$/, ""); if ($0 != "") print }
' "$(dirname "$0")/../README.md"
