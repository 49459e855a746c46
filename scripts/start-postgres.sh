#!/usr/bin/env bash
# Starts a local PostgreSQL 15 (Debian's postgresql-15) and makes sure role/database `omf` exist.
# Idempotent; runs as root (CI and the development machines). Prints the URL to use as TEST_PG_URL base.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null
fi
pg_lsclusters -h | grep -q '^15 main' || pg_createcluster 15 main >/dev/null
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL 15 did not start on 127.0.0.1:5432" >&2; exit 1; }
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'omf') THEN CREATE ROLE omf LOGIN PASSWORD 'omf' CREATEDB; END IF;
END $$;
SELECT 'CREATE DATABASE omf OWNER omf' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'omf')\gexec
SQL
echo "postgres://omf:omf@127.0.0.1:5432"
