# Sourced by the bench scripts: a PostgreSQL data directory of their own,
# made with the initdb on PATH (else Debian's), run as postgres when root.
#
# After it: $pgbin, the server's binaries; $tmp, a new directory with
# $tmp/data initialized in it (the caller starts and stops the server,
# and removes $tmp); $port, a free port on 127.0.0.1; run_pg CMD.

pgbin=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

# The data directory goes on tmpfs when there is room, as the Docker
# server's does: on a disk, creating and removing the files of thousands
# of relations costs more than the statements (ext4 searches longer for a
# free inode the more files were removed lately), and the ratio then
# depends on the disk's history. BENCH_TMPDIR chooses.
parent=${BENCH_TMPDIR:-}
if [ -z "$parent" ] && [ -d /dev/shm ] && [ "$(df -k --output=avail /dev/shm 2>/dev/null | tail -1)" -gt 2097152 ] 2>/dev/null; then
	parent=/dev/shm
fi
tmp=$(mktemp -d -p "${parent:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$tmp"' EXIT # until the caller's, which stops the server too
echo "data directory: $tmp ($(df --output=fstype "$tmp" | tail -1))"
chmod 755 "$tmp"
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
run_pg "$pgbin/initdb -D $tmp/data -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
