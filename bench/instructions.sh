#!/usr/bin/env bash
# Counts the instructions the PostgreSQL server executes for the replay
# benchmark (bench/replay.sh): applying N generated up migrations once with
# psql, and schemagate check's up, down and up replay with snapshots and
# trace. The server runs under Valgrind's callgrind, which counts every
# instruction of every backend: the counts are the same from one run to
# the next (within 2%), where wall times on a shared machine vary by a
# fifth. Use it to
# compare two builds; the client's own work (psql's, schemagate's) is not
# counted, and the run takes about 50 times as long.
#
#   bash bench/instructions.sh [N] [SCHEMAGATE_BINARY] [CHECK FLAGS...]
# (BINARY "" builds one; --parallel 4 replays in four parts.) It also
# prints the instructions of the busiest backend: with a core for each
# part, that part's backend is the replay's longest path.
# Needs valgrind (apt-get install valgrind).
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
command -v valgrind >/dev/null || { echo "bench/instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
rm -rf "$out/instructions"
go run ./bench/gen -n "$n" -out "$out/instructions"

. bench/server.sh
cleanup() {
	run_pg "$pgbin/pg_ctl -D $tmp/data -m immediate -w -t 120 stop" >/dev/null 2>&1 ||
		{ [ -f "$tmp/pid" ] && kill -9 "$(cat "$tmp/pid")" 2>/dev/null; sleep 2; }
	rm -rf "$tmp"
}
trap cleanup EXIT
run_pg "mkdir $tmp/cg"
# Backends are forked from the postmaster, so each is counted, in a file
# of its own written when it exits.
run_pg "cd $tmp && valgrind --tool=callgrind --callgrind-out-file=$tmp/cg/out.%p $pgbin/postgres -D $tmp/data -p $port -k $tmp \
	-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off \
	>$tmp/log 2>&1 & echo \$! >$tmp/pid"
url="postgres://postgres@127.0.0.1:$port"
for i in $(seq 120); do
	psql "$url/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1 && break
	sleep 1
done

# counted CMD...: runs CMD (its output to $tmp/cmd.log) and prints the
# instructions of the backends that exited meanwhile, and of the busiest.
counted() {
	ls "$tmp/cg" >"$tmp/before"
	"$@" >/dev/null 2>"$tmp/cmd.log" || { cat "$tmp/cmd.log" >&2; return 1; }
	sleep 3 # the backends write their counts as they exit
	local total=0 most=0 f ir
	for f in $(ls "$tmp/cg" | grep -vxF -f "$tmp/before"); do
		ir=$(grep -m1 '^summary:' "$tmp/cg/$f" | awk '{print $2}')
		total=$((total + ${ir:-0}))
		most=$((${ir:-0} > most ? ${ir:-0} : most))
	done
	echo "$total $most"
}

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
