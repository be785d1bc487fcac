"""The backup and restore the operators run (ops/backup.sh, ops/restore.sh; docs/operations.md,
"Backups and restore"), against a real PostgreSQL (issue 17, item 7).

A scratch database on the server of DATABASE_URL (never the one pytest-django uses) is
migrated and given a provider, a contract and an uploaded document. The scripts back it up,
the database is dropped and the files deleted, the scripts restore it, and the rows and the
document's bytes are found again. Skips without PostgreSQL or its client programs, fails
instead when REQUIRE_SERVICES=1.
"""

import json
import os
import secrets
import shutil
import subprocess  # noqa: S404 - runs the scripts under test and our manage.py
import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "ops" / "backup.sh"
RESTORE = ROOT / "ops" / "restore.sh"
PROGRAMS = ("pg_dump", "pg_restore", "createdb", "dropdb", "sha256sum", "tar")
DOCUMENT = b"Termination for convenience: 90 days' notice.\n\xe2\x82\xac 12,000 a month.\n"

CREATE = """
import json
import django
django.setup()
from django.core.files.base import ContentFile
from contracts import services
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory

user = UserFactory(username="olivia", role="Operations managers")
provider = ServiceProviderFactory(name="Acme Outsourcing")
contract = ContractFactory(provider=provider, reference="C-RESTORE", owner=user)
services.document_add(
    contract=contract, actor=user, title="Terms", file=ContentFile(%r, name="terms.txt")
)
"""

FIND = """
import json
import django
django.setup()
from contracts.models import ContractDocument

document = ContractDocument.objects.select_related("contract__provider").get(title="Terms")
with document.file.open("rb") as stored:
    content = stored.read()
print(json.dumps({
    "provider": document.contract.provider.name,
    "contract": document.contract.reference,
    "owner": document.contract.owner.username,
    "file": document.file.name,
    "content": content.hex(),
}))
"""


def server_url() -> str:
    """The PostgreSQL server of DATABASE_URL, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def missing_service() -> str | None:
    absent = [program for program in PROGRAMS if shutil.which(program) is None]
    if absent:
        return f"needs the PostgreSQL client programs ({', '.join(absent)} missing)"
    import psycopg2

    try:
        admin(server_url()).close()
    except psycopg2.OperationalError:
        return f"needs PostgreSQL at {urllib.parse.urlsplit(server_url()).netloc}"
    return None


def admin(url: str):
    """A connection to the server's maintenance database, outside any transaction."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
        connect_timeout=3,
    )
    connection.autocommit = True
    return connection


def on_database(url: str, statement: str) -> None:
    """Run `statement` ("... {} ...") on the server, naming the database of `url` as an
    identifier quoted by psycopg2 (a name from DATABASE_URL is data, never SQL)."""
    from psycopg2 import sql

    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
    connection = admin(url)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    connection.close()


def drop(url: str) -> None:
    on_database(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


def run(argv, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our scripts and manage.py, our arguments
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, **kwargs
    )


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A migrated scratch database with one contract and its document; the environment the
    application (and so the scripts) would run with."""
    reason = missing_service()
    if reason and os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
    if reason:
        pytest.skip(reason)

    server = urllib.parse.urlsplit(server_url())
    base_name = server.path.lstrip("/") or "postgres"
    name = f"{base_name}_restore_{secrets.token_hex(4)}"
    database_url = urllib.parse.urlunsplit(server._replace(path=f"/{name}", query=""))
    var = tmp_path_factory.mktemp("deployment")
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backsourcing.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "app.example.com",
        "DATABASE_URL": database_url,
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # required by the settings; not used here
        "MEDIA_ROOT": str(var / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHON": sys.executable,
    }
    on_database(database_url, "CREATE DATABASE {}")
    try:
        run([sys.executable, "manage.py", "migrate", "--noinput"], env, check=True)
        # The factories and the upload service, with the test settings' fast hashing.
        test_env = {**env, "DJANGO_SETTINGS_MODULE": "backsourcing.settings.test"}
        run([sys.executable, "-c", CREATE % DOCUMENT], test_env, check=True)
        yield env
    finally:
        drop(database_url)


def find(env) -> dict:
    test_env = {**env, "DJANGO_SETTINGS_MODULE": "backsourcing.settings.test"}
    return json.loads(run([sys.executable, "-c", FIND], test_env, check=True).stdout)


def backup(env, root: Path) -> Path:
    made = run([str(BACKUP), str(root)], env)
    assert made.returncode == 0, made.stderr
    return Path(made.stdout.strip().splitlines()[-1])


def test_backup_then_drop_then_restore_finds_the_rows_and_the_document(deployment, tmp_path):
    before = find(deployment)
    assert bytes.fromhex(before["content"]) == DOCUMENT
    made = backup(deployment, tmp_path / "backups")
    assert sorted(p.name for p in made.iterdir()) == ["SHA256SUMS", "database.dump", "media.tar.gz"]

    # The disaster: the database and every stored file gone.
    drop(deployment["DATABASE_URL"])
    shutil.rmtree(deployment["MEDIA_ROOT"])

    restored = run([str(RESTORE), "--yes", str(made)], deployment)
    assert restored.returncode == 0, restored.stderr

    after = find(deployment)
    assert after == before
    assert after["provider"] == "Acme Outsourcing"
    assert after["contract"] == "C-RESTORE"
    assert bytes.fromhex(after["content"]) == DOCUMENT
    assert (Path(deployment["MEDIA_ROOT"]) / after["file"]).read_bytes() == DOCUMENT


def test_a_damaged_backup_is_refused_before_anything_is_dropped(deployment, tmp_path):
    made = backup(deployment, tmp_path / "backups")
    archive = made / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-8])

    refused = run([str(RESTORE), "--yes", str(made)], deployment)

    assert refused.returncode != 0
    assert "media.tar.gz: FAILED" in refused.stdout + refused.stderr
    assert find(deployment)["contract"] == "C-RESTORE"


def test_restore_asks_for_the_database_name_before_dropping_it(deployment, tmp_path):
    made = backup(deployment, tmp_path / "backups")

    refused = run([str(RESTORE), str(made)], deployment, input="yes\n")

    assert refused.returncode == 1
    assert "Not confirmed; nothing changed." in refused.stderr
    assert find(deployment)["contract"] == "C-RESTORE"
