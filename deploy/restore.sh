#!/usr/bin/env sh
# Restore a backup made by deploy/backup.sh into an EMPTY database and the file directories.
#
#   createdb -h host -U user bdhvs      # a new, empty database (a fresh cluster, or the old one dropped)
#   DATABASE_URL=postgres://user@host:5432/bdhvs DJANGO_MEDIA_ROOT=/app/media DJANGO_PRIVATE_ROOT=/app/private \
#       deploy/restore.sh /var/backups/bdhvs/20261207T020000Z
#
# The checksums are verified first; a database that already holds tables is refused (nothing is overwritten).
# Files are unpacked over MEDIA_ROOT and DJANGO_PRIVATE_ROOT. Then start the web processes and workers as
# usual (RUN_MIGRATIONS=1 applies any migration newer than the backup).
set -eu

backup="${1:?usage: deploy/restore.sh BACKUP_DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user@host:port/name of an empty database)}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"
private="${DJANGO_PRIVATE_ROOT:-$(dirname "$0")/../private}"
jobs="${RESTORE_JOBS:-2}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore: $backup does not match its checksums (SHA256SUMS); nothing restored" >&2
  exit 1
}
tables="$(psql --dbname="$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "restore: the database of DATABASE_URL already holds $tables tables; restore into an empty one" >&2
  exit 1
fi

pg_restore --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error --jobs="$jobs" \
  "$backup/database.dump"
for pair in "media:$media" "private:$private"; do
  name="${pair%%:*}"
  dir="${pair#*:}"
  mkdir -p "$dir"
  tar -C "$dir" -xzf "$backup/$name.tar.gz"
done
psql --dbname="$DATABASE_URL" -qc "ANALYZE"
echo "restored $backup"
