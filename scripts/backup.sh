#!/usr/bin/env bash
# Backs up the database named by DATABASE_URL and the stored files under MEDIA_ROOT
# (docs/architecture.md, "Backup and restore").
#   scripts/backup.sh DEST_DIR  -> DEST_DIR/db.dump (pg_dump -Fc), DEST_DIR/media.tar.gz, DEST_DIR/manifest.txt
# Files on S3 (DJANGO_FILE_STORAGE an S3 backend) are not in the tar: the bucket is backed up on its own.
set -euo pipefail

cd "$(dirname "$0")/.."
dest=${1:?usage: scripts/backup.sh DEST_DIR}
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3

# The same variable Django reads (config/settings/base.py); .env is read there too, so ask Django.
out=$("$python" manage.py shell -v 0 -c 'from django.conf import settings; from django.db import connection as c; print(c.vendor, settings.MEDIA_ROOT, sep="\n")')
vendor=$(sed -n 1p <<<"$out")
media_root=$(sed -n 2p <<<"$out")
if [ "$vendor" != "postgresql" ]; then
  echo "backup.sh backs up PostgreSQL only; DATABASE_URL names a $vendor database." >&2
  echo "For SQLite, stop the portal and copy the database file instead." >&2
  exit 2
fi
db_url=${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database (postgres://user:password@host:port/name)}
# libpq takes postgres:// and postgresql://; django-environ also accepts pgsql:// and psql://.
db_url=$(sed -E 's#^(pgsql|psql)://#postgresql://#' <<<"$db_url")

mkdir -p "$dest"
echo "Dumping the database to $dest/db.dump"
pg_dump -Fc --no-owner -d "$db_url" -f "$dest/db.dump"

echo "Archiving the stored files of $media_root to $dest/media.tar.gz"
if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$dest/media.tar.gz" .
  files=$(find "$media_root" -type f | wc -l)
else
  echo "  ($media_root does not exist: the archive is empty)"
  tar -czf "$dest/media.tar.gz" -T /dev/null
  files=0
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "media_root: $media_root"
  echo "media_files: $files"
  echo "db.dump sha256: $(sha256sum "$dest/db.dump" | cut -d' ' -f1)"
  echo "media.tar.gz sha256: $(sha256sum "$dest/media.tar.gz" | cut -d' ' -f1)"
} >"$dest/manifest.txt"
echo "Backup done: $dest (manifest.txt lists the checksums)"
