#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh (docs/architecture.md, "Backup and restore").
#   scripts/restore.sh [--clean] SRC_DIR
# Into the database named by DATABASE_URL, which must be empty unless --clean is given (then the
# backup's objects replace the ones there), and the stored files into MEDIA_ROOT.
set -euo pipefail

cd "$(dirname "$0")/.."
clean=0
if [ "${1:-}" = "--clean" ]; then
  clean=1
  shift
fi
src=${1:?usage: scripts/restore.sh [--clean] SRC_DIR}
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3

for file in db.dump media.tar.gz; do
  [ -f "$src/$file" ] || { echo "$src/$file is missing: not a backup made by scripts/backup.sh" >&2; exit 2; }
done
if [ -f "$src/manifest.txt" ]; then
  for file in db.dump media.tar.gz; do
    want=$(sed -n "s/^$file sha256: //p" "$src/manifest.txt")
    have=$(sha256sum "$src/$file" | cut -d' ' -f1)
    [ "$want" = "$have" ] || { echo "$src/$file does not match manifest.txt (corrupt copy?)" >&2; exit 2; }
  done
fi

out=$("$python" manage.py shell -v 0 -c 'from django.conf import settings; from django.db import connection as c; print(c.vendor, settings.MEDIA_ROOT, sep="\n")')
vendor=$(sed -n 1p <<<"$out")
media_root=$(sed -n 2p <<<"$out")
if [ "$vendor" != "postgresql" ]; then
  echo "restore.sh restores into PostgreSQL only; DATABASE_URL names a $vendor database." >&2
  exit 2
fi
db_url=${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database (postgres://user:password@host:port/name)}
db_url=$(sed -E 's#^(pgsql|psql)://#postgresql://#' <<<"$db_url")

tables=$(psql -d "$db_url" -qAtc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ] && [ "$clean" = 0 ]; then
  echo "The database already has $tables tables; restore into an empty database or give --clean to replace them." >&2
  exit 3
fi

echo "Restoring the database from $src/db.dump"
restore=(pg_restore --no-owner --no-privileges --exit-on-error -d "$db_url")
[ "$clean" = 1 ] && restore+=(--clean --if-exists)
# One transaction: a failed restore leaves the database as it was.
"${restore[@]}" --single-transaction "$src/db.dump"

echo "Unpacking the stored files into $media_root"
mkdir -p "$media_root"
tar -C "$media_root" -xzf "$src/media.tar.gz"
echo "Restore done. Verify it: docs/architecture.md, \"Backup and restore\"."
