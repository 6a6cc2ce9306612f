# Sourced by the bench scripts that count instead of time: a PostgreSQL
# server of their own (bench/server.sh) run under Valgrind's callgrind,
# which counts every instruction of every backend. The counts repeat from
# one run to the next (within 2%) where wall times on a shared machine vary
# by a fifth; the server runs about 50 times slower.
#
# After it: $url, the server's URL without a database; counted CMD...
# Needs valgrind (apt-get install valgrind).
command -v valgrind >/dev/null || { echo "bench: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
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

# counted CMD...: runs CMD (its output to $tmp/cmd.out, its errors to
# $tmp/cmd.log) and prints the
# instructions of the backends that exited meanwhile, and of the busiest.
counted() {
	ls "$tmp/cg" >"$tmp/before"
	"$@" >"$tmp/cmd.out" 2>"$tmp/cmd.log" || { cat "$tmp/cmd.out" "$tmp/cmd.log" >&2; return 1; }
	sleep 3 # the backends write their counts as they exit
	local total=0 most=0 f ir
	for f in $(ls "$tmp/cg" | grep -vxF -f "$tmp/before"); do
		ir=$(grep -m1 '^summary:' "$tmp/cg/$f" | awk '{print $2}')
		total=$((total + ${ir:-0}))
		most=$((${ir:-0} > most ? ${ir:-0} : most))
	done
	echo "$total $most"
}
