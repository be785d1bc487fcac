#!/usr/bin/env bash
# Back up Backsourcing: the database and the stored documents (docs/operations.md,
# "Backups and restore"). Restore with ops/restore.sh.
#
#   ops/backup.sh [--database-only] BACKUP_ROOT
#
# Writes BACKUP_ROOT/backsourcing-<UTC time>/ holding
#   database.dump   pg_dump's custom format of DATABASE_URL (compressed, restorable by table)
#   media.tar.gz    every file under MEDIA_ROOT (documents, proofs, evidence, letter templates)
#   SHA256SUMS      the two files' checksums, verified by the restore
# and prints that directory's path last. --database-only leaves the files out: documents in a
# bucket (STORAGE_BUCKET) are kept by the bucket's versioning or replication instead.
#
# Environment: DATABASE_URL (required, as the application's), MEDIA_ROOT (default var/media in
# the checkout, as the settings). Needs pg_dump of the server's major version or newer.
set -euo pipefail
umask 077  # a backup holds every document and password hash: its owner's eyes only

usage() { echo "usage: $0 [--database-only] BACKUP_ROOT" >&2; exit 2; }

media=yes
case "${1:-}" in
  --database-only) media=no; shift ;;
  -h|--help) usage ;;
esac
[ $# -eq 1 ] || usage
root=$1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ops/database_url.sh
. "$here/database_url.sh"
database_url=$(libpq_url "${DATABASE_URL:?set DATABASE_URL to the application database}")
media_root=${MEDIA_ROOT:-$here/../var/media}

if [ "$media" = yes ] && [ ! -d "$media_root" ]; then
  echo "MEDIA_ROOT $media_root is not a directory (documents in a bucket: --database-only)" >&2
  exit 1
fi

target="$root/backsourcing-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$root"
mkdir "$target"  # never into an existing backup
partial=$target
trap '[ -n "$partial" ] && rm -rf -- "$partial"' EXIT  # no half-written backup left behind

# The database first: a document uploaded while the files are packed is then only an extra
# file, never a row whose file is missing from this backup.
pg_dump --format=custom --dbname="$database_url" --file="$target/database.dump"
files=(database.dump)
if [ "$media" = yes ]; then
  tar --create --gzip --file="$target/media.tar.gz" --directory="$media_root" .
  files+=(media.tar.gz)
fi
(cd "$target" && sha256sum -- "${files[@]}" > SHA256SUMS)

partial=
echo "$target"
