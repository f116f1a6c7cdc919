#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs here with the role and database the tests use
# (thidua/thidua, database thidua; the test runner creates test_thidua from it). Needs root.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_lsclusters -h | grep -q online; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='thidua'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role thidua login createdb password 'thidua'\""
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='thidua'\"" | grep -q 1 \
  || su postgres -c "createdb -O thidua thidua"
