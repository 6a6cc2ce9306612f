#!/usr/bin/env bash
# Counts the server instructions of one change-log snapshot (catalog.Logged):
# BenchmarkSnapshotter replays the first N migrations of the corpus (default
# 100) up, down and up with a snapshot after each step, and again with no
# snapshot and no change log; the difference over the 3N+1 snapshots is one
# snapshot's cost, the log's triggers included. A third run takes each
# snapshot twice: the second, with nothing changed since the first, is
# what a snapshot costs whatever the migration did (the statements' set-up,
# most of it).
# The server runs under callgrind (bench/counted.sh): the counts repeat
# within 0.1%, so a change to the snapshot's statements shows even when it
# saves 1%. About a minute and a half for 100.
#
#   bash bench/snapshot-instructions.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
go test -c -o bench/out/catalog.test ./internal/catalog
. bench/counted.sh
run() {
	SCHEMAGATE_TEST_DATABASE_URL="$url/postgres?sslmode=disable" SCHEMAGATE_BENCH_MIGRATIONS=$n \
		bench/out/catalog.test -test.run '^$' -test.bench "Snapshotter/$1\$" -test.benchtime 1x
}
# The busiest backend is the benchmark's connection: the others create
# and drop its database.
counts=$(counted run logged)
read -r _ with <<<"$counts"
counts=$(counted run none)
read -r _ without <<<"$counts"
echo "$n migrations up, down and up: $with server instructions with a snapshot after each step, $without with none"
counts=$(counted run logged-unchanged)
read -r _ twice <<<"$counts"
echo "$with $without $n" | awk '{ printf "one snapshot: %.2f M instructions\n", ($1 - $2) / (3 * $3 + 1) / 1e6 }'
echo "$twice $with $n" | awk '{ printf "one snapshot with nothing changed since the one before: %.2f M instructions\n", ($1 - $2) / (3 * $3 + 1) / 1e6 }'
