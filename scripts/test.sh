#!/usr/bin/env bash
# One command for the whole test suite: set up (installs whatever is missing), lint, typecheck,
# unit tests, then the integration tests with real containers (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
npx eslint src test
mapfile -t unit < <(find dist/src -name '*.test.js' | sort)
mapfile -t integration < <(find dist/test -name '*.test.js' 2>/dev/null | sort)
node --test --test-concurrency=1 "${unit[@]}" "${integration[@]}"
