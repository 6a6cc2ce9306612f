#!/usr/bin/env bash
# Replays a generated history of N migrations (default 500) with schemagate
# check (up, down and up again, with a schema snapshot around each step) and
# compares it with applying the same up migrations once with psql to an
# empty database. Also times a throwaway server's start, local and (when an
# image is given) Docker.
#
#   ROUNDS=3 bash bench/replay.sh [N] [DOCKER_IMAGE]
# Target: replay <= 4x psql; local start < 1.5 s; Docker start < 3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
image=${2:-${SCHEMAGATE_TEST_IMAGE:-}}
out=bench/out
mkdir -p "$out"
go build -o "$out/schemagate" ./cmd/schemagate
rm -rf "$out/replay"
go run ./bench/gen -n "$n" -out "$out/replay"

. bench/server.sh
trap 'run_pg "$pgbin/pg_ctl -D $tmp/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
run_pg "$pgbin/pg_ctl -D $tmp/data -l $tmp/log -w -o \"-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start >/dev/null"
url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"

files=$(ls "$out"/replay/*.up.sql | sort)
ups=()
for f in $files; do ups+=(-f "$f"); done
# The floor of any up/down/up replay: the same statements schemagate runs,
# up, down and up again for each migration, in one psql session, with no
# snapshot and no trace. What the replay takes beyond it is snapshots,
# trace and bookkeeping.
floors=()
for f in $files; do
	d=${f%.up.sql}.down.sql
	floors+=(-f "$f")
	[ -f "$d" ] && floors+=(-f "$d" -f "$f")
done
since() { echo "$(date +%s.%N) - $1" | bc; }
list() { printf '%.2f ' "$@" | sed 's/ $//'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ROUNDS rounds (default 3), each the three runs one after the other: on a
# shared machine the times of one build vary by a fifth from minute to
# minute, so each is the median of its rounds, and the ratio is that of
# the medians (bench/instructions.sh counts instead).
rounds=${ROUNDS:-3}
bases=() floorts=() fulls=()
for r in $(seq "$rounds"); do
	# The baseline: every up migration once, in order, in one psql session.
	psql "$url" -qAtc "DROP DATABASE IF EXISTS baseline" -c "CREATE DATABASE baseline" >/dev/null
	start=$(date +%s.%N)
	psql "postgres://postgres@127.0.0.1:$port/baseline?sslmode=disable" -X -q -v ON_ERROR_STOP=1 "${ups[@]}" >/dev/null
	bases+=("$(since "$start")")
	psql "$url" -qAtc "DROP DATABASE IF EXISTS floor" -c "CREATE DATABASE floor" >/dev/null
	start=$(date +%s.%N)
	psql "postgres://postgres@127.0.0.1:$port/floor?sslmode=disable" -X -q -v ON_ERROR_STOP=1 "${floors[@]}" >/dev/null
	floorts+=("$(since "$start")")
	# schemagate: up, down, up with snapshots; the throwaway database is
	# made on the same server, so the server start is not counted here.
	start=$(date +%s.%N)
	"$out/schemagate" check --db "$url" --output json --fail-on never "$out/replay" >"$out/replay.json" 2>"$out/replay.log"
	fulls+=("$(since "$start")")
done
base=$(median "${bases[@]}")
floor=$(median "${floorts[@]}")
full=$(median "${fulls[@]}")
replayed=$(grep -o 'replayed [0-9]* of [0-9]*' "$out/replay.log")
echo "history: $n migrations ($replayed); medians of $rounds rounds"
printf 'psql, up once:                      %6.2f s   (%s)\n' "$base" "$(list "${bases[@]}")"
printf 'psql, up, down and up (no snapshot): %6.2f s   (%.2fx psql up once: the floor)\n' "$floor" "$(echo "$floor / $base" | bc -l)"
printf 'schemagate check, up/down/up:       %6.2f s   (%s; last: %s)\n' "$full" "$(list "${fulls[@]}")" "$(grep -o 'time: .*' "$out/replay.log")"
echo "$full $base" | awk '{ printf "ratio: %.2f (target <= 4)\n", $1 / $2 }'
python3 -c "import json, collections; d=json.load(open('$out/replay.json')); print('findings by phase:', dict(collections.Counter(f['phase'] for f in d['findings'])))"

# Server start: until a connection is accepted.
for i in 1 2 3; do
	/usr/bin/time -f '%e' -o "$out/t" "$out/schemagate" check --db local --output json --fail-on never "$out/replay/000001_create_t0001.up.sql" >/dev/null 2>"$out/start.log" || true
	grep -o 'ready in [0-9.]*m\?s' "$out/start.log" | sed 's/^/local server /'
done
if [ -n "$image" ]; then
	for i in 1 2 3; do
		"$out/schemagate" check --db docker --image "$image" --output json --fail-on never "$out/replay/000001_create_t0001.up.sql" >/dev/null 2>"$out/start.log" || true
		grep -o 'ready in [0-9.]*m\?s' "$out/start.log" | sed 's/^/docker server /'
	done
fi
