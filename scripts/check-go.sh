#!/usr/bin/env bash
# The Go checks of scripts/engine (gofmt, go vet, go test: the language host's conformance tests), as
# `npm test` runs them. Skipped, saying so, where there is no Go (a user's machine with their own CLI).
set -euo pipefail
# shellcheck source=scripts/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
fk_check_engine
