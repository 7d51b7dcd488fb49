#!/usr/bin/env bash
# Makes sure the PostgreSQL server of a URL answers, or fails with one line.
#
#   scripts/ensure-postgres.sh URL [VARIABLE]
#
# URL is the server to check (postgres://user@host:port/db?...), VARIABLE the
# setting it came from, for the message (the Makefile passes
# TEST_DATABASE_URL for make test, DATABASE_URL for make run). A local server
# (127.0.0.1, localhost, ::1 or a socket directory) that is down is started
# with pg_ctlcluster, the cluster chosen by its port; a server elsewhere is
# only checked.
set -u
url=${1:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
var=${2:-the URL}

fail() { echo "PostgreSQL check: $*" >&2; exit 1; }

command -v pg_isready >/dev/null 2>&1 ||
  fail "pg_isready is not installed (apt-get install postgresql-client), so the server of $var cannot be checked"

# host and port, without the user or password.
rest=${url#*://}
query=
case $rest in *\?*) query=${rest#*\?}; rest=${rest%%\?*} ;; esac
case $rest in *@*) rest=${rest##*@} ;; esac
hostport=${rest%%/*}
case $hostport in
  \[*) host=${hostport%%]*}; host=${host#[}; port=${hostport#*]}; port=${port#:} ;;
  *:*) host=${hostport%%:*}; port=${hostport#*:} ;;
  *) host=$hostport; port= ;;
esac
for kv in ${query//&/ }; do
  case $kv in host=*) host=${kv#host=} ;; port=*) port=${kv#port=} ;; esac
done
host=${host//%2F//}
port=${port:-5432}
where="${host:-the local socket}:$port (from $var)"

ready() { pg_isready -q -t 3 -d "$url" >/dev/null 2>&1; }

ready && exit 0

case $host in
  "" | 127.0.0.1 | localhost | ::1 | /*) ;;
  *) fail "nothing answers at $where; start that server or point $var at one that runs" ;;
esac

command -v pg_lsclusters >/dev/null 2>&1 ||
  fail "nothing answers at $where and there is no local cluster to start (pg_lsclusters not found); start PostgreSQL or set $var"
read -r version name status < <(pg_lsclusters --no-header 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2, $4; exit }')
cluster="${version:-} ${name:-}"
[ -n "${version:-}" ] ||
  fail "nothing answers at $where and no local cluster listens on port $port (see pg_lsclusters); start PostgreSQL or set $var"
[ "$status" = online ] &&
  fail "PostgreSQL $cluster is running but does not answer at $where (check its listen_addresses and pg_hba.conf, or set $var)"
# shellcheck disable=SC2086 # version and cluster name
pg_ctlcluster --skip-systemctl-redirect $cluster start >/dev/null 2>&1 ||
  fail "nothing answered at $where and pg_ctlcluster --skip-systemctl-redirect $cluster start failed (see /var/log/postgresql/)"
for _ in $(seq 1 30); do
  ready && { echo "started PostgreSQL $cluster on port $port"; exit 0; }
  sleep 0.5
done
fail "started PostgreSQL $cluster on port $port, but it does not answer at $where"
