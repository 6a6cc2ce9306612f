#!/usr/bin/env bash
# Lints a generated history of N migrations (default 2000, up and down files)
# with schemagate and with squawk, the peer linter, and prints wall time and
# peak memory of each: the median of RUNS runs (default 5).
#
#   bash bench/lint.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${2:-5}
out=bench/out
mkdir -p "$out"

go build -o "$out/schemagate" ./cmd/schemagate
rm -rf "$out/corpus"
go run ./bench/gen -n "$n" -out "$out/corpus"
squawk="$out/squawk"
if [ ! -x "$squawk" ]; then
	gunzip -c ../shared/peers/squawk-2.66.0-linux-x64.gz >"$squawk"
	chmod +x "$squawk"
fi

# measure NAME CMD...: median wall seconds and median peak RSS (MB) of $runs runs.
measure() {
	local name=$1
	shift
	local walls=() mems=()
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
		read -r wall kb < <(tail -n 1 "$out/time.txt")
		walls+=("$wall")
		mems+=("$((kb / 1024))")
	done
	local mw mm
	mw=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	mm=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	printf '%-12s %8ss %6s MB\n' "$name" "$mw" "$mm"
	echo "$mw" >"$out/$name.wall"
}

files=$(find "$out/corpus" -name '*.sql' | wc -l)
echo "corpus: $n migrations, $files files, $(cat "$out"/corpus/*.sql | wc -c) bytes"
measure schemagate "$out/schemagate" lint --output json --fail-on never "$out/corpus"
measure squawk "$squawk" --reporter json "$out"/corpus/*.sql
awk -v a="$(cat "$out/schemagate.wall")" -v b="$(cat "$out/squawk.wall")" \
	'BEGIN { if (b > 0) printf "schemagate / squawk wall time: %.2f\n", a / b }'
