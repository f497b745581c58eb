#!/usr/bin/env sh
# One backup of the platform: the database (pg_dump, custom format) and the files — uploads (MEDIA_ROOT) and
# the private report files (DJANGO_PRIVATE_ROOT) — into a new directory named for the time, with checksums.
#
#   DATABASE_URL=postgres://user@host:5432/bdhvs DJANGO_MEDIA_ROOT=/app/media DJANGO_PRIVATE_ROOT=/app/private \
#       deploy/backup.sh /var/backups/bdhvs
#
# The dump is one consistent snapshot of the database, taken without stopping anything; files written while the
# backup runs may or may not be in it (a report made then is made again on request). Run it nightly (a cron job
# or systemd timer) and copy the directory off the machine. BACKUP_KEEP_DAYS (default 14) removes older ones
# from the destination; 0 keeps everything. Restore with deploy/restore.sh.
set -eu

dest="${1:-${BACKUP_DIR:-/var/backups/bdhvs}}"
: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user@host:port/name)}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"
private="${DJANGO_PRIVATE_ROOT:-$(dirname "$0")/../private}"
keep="${BACKUP_KEEP_DAYS:-14}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$dest/$stamp"
partial="$dest/.$stamp.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

# --no-owner/--no-privileges are applied at restore time; the dump keeps them for a like-for-like restore.
pg_dump --dbname="$DATABASE_URL" --format=custom --compress=6 --file="$partial/database.dump"
for pair in "media:$media" "private:$private"; do
  name="${pair%%:*}"
  dir="${pair#*:}"
  if [ -d "$dir" ]; then
    tar -C "$dir" -czf "$partial/$name.tar.gz" .
  else
    echo "backup: $dir ($name) does not exist; an empty archive is written" >&2
    tar -czf "$partial/$name.tar.gz" -T /dev/null
  fi
done
(cd "$partial" && sha256sum database.dump media.tar.gz private.tar.gz > SHA256SUMS)
mv "$partial" "$target"
trap - EXIT

if [ "$keep" -gt 0 ]; then
  find "$dest" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime +"$keep" -exec rm -rf {} +
fi
echo "$target"
