#!/usr/bin/env bash
# Measures what the live trace costs: the 500-migration corpus replayed up,
# down and up with and without tracing, alternating which goes first.
# Target: tracing adds under 30%.
#
#   bash bench/trace.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/trace -run '^$' -bench 'Replay500' -benchtime 1x -count "${1:-3}" -timeout 30m
