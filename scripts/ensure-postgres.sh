#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (or $PGHOST:$PGPORT):
# starts the local cluster when it is down, or fails with one clear line.
set -u
host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

ready && exit 0

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql 2>/dev/null | sort -rn); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do
      ready && { echo "started PostgreSQL $version on $host:$port"; exit 0; }
      sleep 0.5
    done
  done
fi

echo "PostgreSQL is not running on $host:$port and could not be started here: start it (pg_ctlcluster 15 main start) or set TEST_DATABASE_URL / DATABASE_URL" >&2
exit 1
