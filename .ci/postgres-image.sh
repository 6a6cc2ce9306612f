#!/usr/bin/env bash
# Builds the PostgreSQL image the Docker tests of ./testdb run, from Debian
# packages, because the CI and development machines reach no image registry
# (see /work/shared/recipes/postgres-test-image.md). The image follows the
# official postgres image's contract, which testdb's Docker provider relies
# on: POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER,
# POSTGRES_DB, PGDATA (default /var/lib/postgresql/data), initdb on the first
# start as the postgres user, arguments such as `postgres -c fsync=off` passed
# through, password logins over TCP on 0.0.0.0:5432.
#
# Usage: bash .ci/postgres-image.sh [IMAGE]   (default schemagate-test-postgres:15)
# Cached: when IMAGE exists it exits at once; REBUILD=1 builds it again.
# The downloaded .debs are kept in $DEBOOTSTRAP_CACHE for faster rebuilds.
set -euo pipefail

image=${1:-${SCHEMAGATE_TEST_IMAGE:-schemagate-test-postgres:15}}
pgmajor=15
suite=bookworm
cache=${DEBOOTSTRAP_CACHE:-/var/cache/schemagate-debootstrap}
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started))s"; }
log() { printf 'postgres-image: %s\n' "$*"; }

# Two builds at once (two CI jobs on one machine) would both import; the
# second waits and then finds the image.
exec 9>/tmp/schemagate-postgres-image.lock
flock 9

if [ -z "${REBUILD:-}" ] && docker image inspect "$image" >/dev/null 2>&1; then
	log "$image already built ($(elapsed))"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	log "debootstrap needs root; run as root or build $image elsewhere"
	exit 1
fi
command -v debootstrap >/dev/null || {
	log "debootstrap is missing: apt-get install debootstrap"
	exit 1
}
mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /var/tmp/schemagate-pgroot.XXXXXX)
candidate="${image%:*}:building-$$"
old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
cleanup() {
	rm -rf "$root" "$root.log"
	docker rm -f "schemagate-image-smoke-$$" >/dev/null 2>&1 || true
	docker image rm "$candidate" >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "debootstrap $suite with postgresql-$pgmajor from $mirror"
mkdir -p "$cache"
if ! debootstrap --variant=minbase --include="postgresql-$pgmajor" --cache-dir="$cache" \
	"$suite" "$root" "$mirror" >"$root.log" 2>&1; then
	tail -30 "$root.log"
	rm -f "$root.log"
	exit 1
fi
rm -f "$root.log"
log "debootstrap done ($(elapsed))"

# What a server in a throwaway container never reads: documentation,
# translations, apt's lists and caches, and the cluster the Debian package
# created (the entrypoint makes its own in PGDATA).
rm -rf "$root"/usr/share/{doc,man,info,locale,lintian} \
	"$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* \
	"$root/var/lib/postgresql/$pgmajor" "$root/etc/postgresql/$pgmajor"

cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# The official postgres image's contract, in short: see .ci/postgres-image.sh.
set -eu
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
case "${1:-}" in -*) set -- postgres "$@" ;; esac
if [ "${1:-}" != postgres ]; then
	exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	user="${POSTGRES_USER:-postgres}"
	db="${POSTGRES_DB:-$user}"
	auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
		echo "error: database is uninitialized and superuser password is not specified." >&2
		echo "       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust." >&2
		exit 1
	fi
	pwfile=
	if [ -n "${POSTGRES_PASSWORD:-}" ]; then
		pwfile=$(mktemp)
		printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	fi
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is split on purpose, as upstream does
	initdb --username="$user" ${pwfile:+--pwfile="$pwfile"} --auth-local=trust --auth-host="$auth" \
		-E UTF8 --locale=C.UTF-8 --no-sync ${POSTGRES_INITDB_ARGS:-} >/dev/null
	[ -z "$pwfile" ] || rm -f "$pwfile"
	echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
	echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		# Single-user mode: no temporary server that could be mistaken
		# for the real one.
		quoted=$(printf '%s' "$db" | sed 's/"/""/g')
		echo "CREATE DATABASE \"$quoted\"" | postgres --single -D "$PGDATA" -j postgres >/dev/null
	fi
	echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
ENTRYPOINT
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"

log "import as $image"
tar -C "$root" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
	docker import \
		--change "ENV PATH=/usr/lib/postgresql/$pgmajor/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		--change 'ENV PGDATA=/var/lib/postgresql/data' \
		--change 'ENV LANG=C.UTF-8' \
		--change 'EXPOSE 5432' \
		--change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
		--change 'CMD ["postgres"]' \
		--message "schemagate test PostgreSQL $pgmajor from Debian $suite" \
		- "$candidate" >/dev/null
log "imported ($(elapsed))"

# Smoke test before tagging, so a broken image is never cached: start it as
# the tests do and log in over TCP with the password.
smoke="schemagate-image-smoke-$$"
docker run -d --name "$smoke" -e POSTGRES_PASSWORD=smoke -e POSTGRES_DB=smokedb \
	--tmpfs /var/lib/postgresql/data "$candidate" postgres -c fsync=off >/dev/null
ok=
for _ in $(seq 1 100); do
	if docker exec -e PGPASSWORD=smoke "$smoke" psql -h 127.0.0.1 -U postgres -d smokedb -tAc 'SHOW fsync' 2>/dev/null | grep -qx off; then
		ok=1
		break
	fi
	sleep 0.2
done
if [ -z "$ok" ]; then
	log "smoke test failed: the container did not accept a password login; its log:"
	docker logs "$smoke" 2>&1 | tail -30
	exit 1
fi
docker rm -f "$smoke" >/dev/null
docker tag "$candidate" "$image"
if [ -n "$old" ]; then # REBUILD: drop the previous build unless something still uses it
	docker image rm "$old" >/dev/null 2>&1 || true
fi
log "built $image: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}') in $(elapsed)"
