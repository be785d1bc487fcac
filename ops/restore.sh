#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh (docs/operations.md, "Backups and restore").
#
#   ops/restore.sh [--yes] [--no-migrate] BACKUP_DIR
#
# Stop web, worker and beat first. Then this
#   1. checks the backup's SHA256SUMS;
#   2. drops the database of DATABASE_URL and creates it afresh (from the server's
#      maintenance database "postgres"; the user needs CREATEDB, as the owner will be it);
#   3. loads database.dump with pg_restore, in one transaction, stopping at the first error;
#   4. unpacks media.tar.gz into MEDIA_ROOT (files of the same name are replaced; files made
#      after the backup stay, unreferenced);
#   5. runs `manage.py migrate`, so a backup taken before an upgrade fits the code
#      (--no-migrate: run the migrate step yourself, e.g. `docker compose run --rm migrate`).
#
# It asks before dropping anything unless --yes is given.
# Environment: DATABASE_URL (required), MEDIA_ROOT (default var/media in the checkout),
# PYTHON (default python3) and the application's settings for the migrate step.
set -euo pipefail

usage() { echo "usage: $0 [--yes] [--no-migrate] BACKUP_DIR" >&2; exit 2; }

confirmed=no
migrate=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --yes) confirmed=yes; shift ;;
    --no-migrate) migrate=no; shift ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
backup=$(cd "$1" && pwd)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
checkout=$(cd "$here/.." && pwd)
# shellcheck source=ops/database_url.sh
. "$here/database_url.sh"
database_url=$(libpq_url "${DATABASE_URL:?set DATABASE_URL to the application database}")
name=$(database_name "$database_url")
maintenance=$(maintenance_url "$database_url")
media_root=${MEDIA_ROOT:-$checkout/var/media}

python=${PYTHON:-python3}
if [ "$migrate" = yes ] && ! command -v "$python" >/dev/null; then
  echo "$python not found for the migrate step: set PYTHON, or pass --no-migrate and run" \
    "the migrations yourself (docker compose run --rm migrate)" >&2
  exit 1
fi
[ -f "$backup/database.dump" ] || { echo "$backup holds no database.dump" >&2; exit 1; }
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

if [ "$confirmed" != yes ]; then
  read -r -p "Replace database \"$name\" with $backup? Type the database's name: " answer ||
    answer=""
  [ "$answer" = "$name" ] || { echo "Not confirmed; nothing changed." >&2; exit 1; }
fi

# Refused while the application is connected ("being accessed by other users"): stop it.
dropdb --if-exists --maintenance-db="$maintenance" -- "$name"
createdb --maintenance-db="$maintenance" -- "$name"
# The objects become the connecting user's, the application's own, wherever the dump came from.
pg_restore --dbname="$database_url" --no-owner --no-privileges --single-transaction \
  --exit-on-error "$backup/database.dump"

if [ -f "$backup/media.tar.gz" ]; then
  mkdir -p "$media_root"
  # As root (the ops container) tar gives the files back their owner, the application's user;
  # as anyone else they become that user's, so run it as the application's user.
  tar --extract --gzip --file="$backup/media.tar.gz" --directory="$media_root"
fi

if [ "$migrate" = yes ]; then
  (cd "$checkout" && "$python" manage.py migrate --noinput)
fi
echo "Restored $backup into database \"$name\"."
