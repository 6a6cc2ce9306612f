#!/usr/bin/env bash
# Counts the instructions the PostgreSQL server executes for the replay
# benchmark (bench/replay.sh): applying N generated up migrations once with
# psql, and schemagate check's up, down and up replay with snapshots and
# trace, the server under callgrind (bench/counted.sh). Use it to compare
# two builds; the client's own work (psql's, schemagate's) is not counted,
# and the run takes about 50 times as long.
#
#   bash bench/instructions.sh [N] [SCHEMAGATE_BINARY] [CHECK FLAGS...]
# (BINARY "" builds one; --parallel 4 replays in four parts.) It also
# prints the instructions of the busiest backend: with a core for each
# part, that part's backend is the replay's longest path.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
out=bench/out
mkdir -p "$out"
bin=${2:-}
shift $(($# < 2 ? $# : 2))
if [ -z "$bin" ]; then
	go build -o "$out/schemagate" ./cmd/schemagate
	bin=$out/schemagate
fi
rm -rf "$out/instructions"
go run ./bench/gen -n "$n" -out "$out/instructions"

. bench/counted.sh

psql "$url/postgres" -qAtc "CREATE DATABASE baseline" >/dev/null
args=()
for f in $(ls "$out"/instructions/*.up.sql | sort); do args+=(-f "$f"); done
counts=$(counted psql "$url/baseline" -X -q -v ON_ERROR_STOP=1 "${args[@]}")
read -r base _ <<<"$counts"
counts=$(counted "$bin" check --db "$url/postgres?sslmode=disable" --output json --fail-on never "$@" "$out/instructions")
read -r full most <<<"$counts"
echo "history: $n migrations ($(grep -o 'replayed [0-9]* of [0-9]*' "$tmp/cmd.log"))${*:+, check $*}"
echo "server instructions, psql up once:            $base"
echo "server instructions, schemagate up/down/up:   $full"
echo "the busiest backend of schemagate's:          $most"
echo "$full $most $base" | awk '{ printf "ratio: %.2f; the busiest backend: %.2f\n", $1 / $3, $2 / $3 }'
