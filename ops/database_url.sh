# Sourced by ops/backup.sh and ops/restore.sh: DATABASE_URL as libpq takes it.
#
# django-environ accepts postgres://, postgresql://, pgsql://, psql:// and postgis:// (all
# PostgreSQL); libpq only the first two. The query string is passed on, so it may hold libpq
# parameters such as sslmode=require.

libpq_url() {
  local url=$1
  if [[ $url =~ ^(postgres|postgresql|pgsql|psql|postgis)://(.*)$ ]]; then
    echo "postgresql://${BASH_REMATCH[2]}"
  else
    echo "DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:port/name)" >&2
    return 1
  fi
}

# The database's name, from the URL's path (percent-decoded, as libpq does).
database_name() {
  local url=$1
  if [[ $url =~ ^[a-z]+://[^/]*/([^?#]+) ]]; then
    local name=${BASH_REMATCH[1]}
    printf '%b\n' "${name//%/\\x}"
  else
    echo "DATABASE_URL names no database (…/name at its end)" >&2
    return 1
  fi
}

# The same server's maintenance database "postgres", to drop and create the database from.
maintenance_url() {
  local url=$1
  if [[ $url =~ ^([a-z]+://[^/]*)/[^?#]+(.*)$ ]]; then
    echo "${BASH_REMATCH[1]}/postgres${BASH_REMATCH[2]}"
  else
    echo "DATABASE_URL names no database (…/name at its end)" >&2
    return 1
  fi
}
