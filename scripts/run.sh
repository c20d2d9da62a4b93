#!/usr/bin/env bash
# One entry point for a fresh clone: makes sure of the tools (scripts/tools.sh), then runs a task.
#
#   scripts/run.sh test          install what is missing, then run the whole test suite (npm test: build,
#                                type check, lint, the Go checks of scripts/engine when Go is there, mocha)
#   scripts/run.sh main          install what is missing, then run the main job (npm run main)
#   scripts/run.sh status [STACK] install what is missing, then tell whether task GB1.0 is done (npm run status)
#   scripts/run.sh fleet ARGS... install what is missing, then run the fleet command (npm run fleet)
#   scripts/run.sh setup         install what is missing (also the Debian packages the tests need), nothing else
#   scripts/run.sh exec CMD...   run CMD with the project's node and pulumi on PATH
set -euo pipefail
# shellcheck source=scripts/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

task="${1:-}"
[ $# -gt 0 ] && shift
case "$task" in
  setup) fk_ensure_tools; fk_ensure_test_packages ;;
  test) fk_ensure_tools; fk_ensure_test_packages; cd "$FK_REPO_ROOT"; exec npm test -- "$@" ;;
  main) fk_ensure_tools; cd "$FK_REPO_ROOT"; exec npm run --silent main -- "$@" ;;
  status) fk_ensure_tools; cd "$FK_REPO_ROOT"; exec npm run --silent status -- "$@" ;;
  fleet) fk_ensure_tools; cd "$FK_REPO_ROOT"; exec npm run --silent fleet -- "$@" ;;
  exec) fk_ensure_tools; exec "$@" ;;
  *) echo "usage: scripts/run.sh setup|test|main|status [STACK]|fleet ARGS...|exec CMD..." >&2; exit 2 ;;
esac
