"""Stored files in an S3-compatible bucket: moto's S3 API server runs on loopback, the default
storage is django-storages' S3Storage pointed at it, and everything goes through the app's
own pages: uploads land in the bucket, downloads stream through the permission-checked views
(never a redirect to the bucket), deletions and replacements remove the objects
("Documents and object storage" in docs/operations.md).

Without moto's server the tests skip; under REQUIRE_SERVICES=1 they fail instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contracts import letters
from contracts.models import ContractDocument, Deliverable, NoticeLetterTemplate
from imports import tasks
from imports.exports import export_purge
from imports.models import ExportFile
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.contracts.test_admin import admin_form_data
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
)
from transition.services import notice_serve

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
KEY = "testing"  # moto accepts any credentials; boto3 needs some to sign
PREFIX = "backsourcing"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
OTHER_PDF = PDF.replace(b"%%EOF", b"% second\n%%EOF")


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI (tests/services.py)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def endpoint():
    """The URL of moto's S3 API server, started on loopback and a free port."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        unavailable("needs moto[server] (pip install -r requirements-dev.txt)")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=KEY,
    )


@pytest.fixture
def bucket(s3):
    name = f"documents-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@pytest.fixture
def in_bucket(settings, tmp_path, endpoint, bucket, s3):
    """Default storage is the bucket, with the options base settings give it; MEDIA_ROOT is an
    empty directory that must stay empty. Returns the keys now in the bucket, as a function."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": KEY,
                "secret_key": KEY,
                "location": PREFIX,
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
                "max_memory_size": 2 * 1024 * 1024,
            },
        },
    }

    def keys() -> list[str]:
        listed = s3.list_objects_v2(Bucket=bucket)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))

    yield keys
    assert not any(tmp_path.iterdir()), "a file was written to MEDIA_ROOT"


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert "Location" not in response  # streamed by the app, not a redirect to the bucket
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_a_contract_document_is_uploaded_downloaded_and_deleted_in_the_bucket(
    client, operations_manager, viewer, in_bucket, django_capture_on_commit_callbacks
):
    contract, elsewhere = ContractFactory(), ContractFactory()
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Terms", "file": SimpleUploadedFile("terms.pdf", PDF)},
    )

    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert document.file.name == f"contracts/{contract.pk}/terms.pdf"
    assert in_bucket() == [f"{PREFIX}/contracts/{contract.pk}/terms.pdf"]

    url = reverse("contracts:contract_document_download", args=[contract.pk, document.pk])
    client.force_login(viewer)
    assert downloaded(client.get(url)) == PDF
    under_another_contract = [elsewhere.pk, document.pk]
    other_url = reverse("contracts:contract_document_download", args=under_another_contract)
    assert client.get(other_url).status_code == 404
    delete_url = reverse("contracts:contract_document_delete", args=[contract.pk, document.pk])
    assert client.post(delete_url).status_code == 403  # a viewer reads, never deletes
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))

    client.force_login(operations_manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete_url).status_code == 302

    assert not ContractDocument.objects.exists()
    assert in_bucket() == []
    assert client.get(url).status_code == 404


def test_a_second_file_of_the_same_name_gets_its_own_object(client, operations_manager, in_bucket):
    contract = ContractFactory()
    client.force_login(operations_manager)
    upload_url = reverse("contracts:contract_document_upload", args=[contract.pk])

    for title, content in (("Terms", PDF), ("Terms, signed", OTHER_PDF)):
        client.post(upload_url, {"title": title, "file": SimpleUploadedFile("terms.pdf", content)})

    first, second = ContractDocument.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert len(in_bucket()) == 2
    for document, content in ((first, PDF), (second, OTHER_PDF)):
        url = reverse("contracts:contract_document_download", args=[contract.pk, document.pk])
        assert downloaded(client.get(url)) == content


def test_an_object_gone_from_the_bucket_is_a_404_not_an_error(
    client, viewer, in_bucket, s3, bucket
):
    document = ContractDocument.objects.create(
        contract=ContractFactory(), title="Terms", file=SimpleUploadedFile("terms.pdf", PDF)
    )
    s3.delete_object(Bucket=bucket, Key=f"{PREFIX}/{document.file.name}")
    client.force_login(viewer)

    url = reverse("contracts:contract_document_download", args=[document.contract_id, document.pk])
    response = client.get(url)

    assert response.status_code == 404


@pytest.fixture
def served(operations_manager, project_lead, frozen_today):
    contract = ContractFactory(exit_assistance_months=6)
    process = OutsourcedProcessFactory(contract=contract, lead=project_lead)
    ReadinessAssessmentFactory(process=process)
    return notice_serve(
        actor=operations_manager,
        contract=contract,
        served_on=TODAY,
        proof=SimpleUploadedFile("receipt.pdf", PDF),
    )


def test_a_proof_of_service_is_stored_in_the_bucket_and_read_through_the_app(
    client, viewer, in_bucket, served
):
    assert in_bucket() == [f"{PREFIX}/{served.proof.name}"]
    client.force_login(viewer)

    url = reverse("contracts:notice_proof", args=[served.contract_id, served.pk])

    assert downloaded(client.get(url)) == PDF


def test_the_api_answers_with_its_own_download_url_never_the_buckets(
    viewer, endpoint, in_bucket, served
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(viewer)

    notice = api.get(f"/api/v1/notices/{served.pk}/").json()

    proof_url = reverse("api:notice-proof", args=[served.pk])
    assert notice["proof"] == f"http://testserver{proof_url}"
    assert endpoint not in json.dumps(notice)
    assert b"".join(api.get(proof_url).streaming_content) == PDF


def test_evidence_is_recorded_downloaded_and_its_replacement_removes_the_old_object(
    client, operations_manager, viewer, in_bucket, served, django_capture_on_commit_callbacks
):
    row = served.deliverables.get(title="Exit information")
    record_url = reverse("contracts:deliverable_record", args=[row.pk])
    client.force_login(operations_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            record_url,
            {
                "status": "received",
                "received_on": TODAY.isoformat(),
                "evidence": SimpleUploadedFile("assets.pdf", PDF),
            },
        )
    assert response.status_code == 302
    first = Deliverable.objects.get(pk=row.pk).evidence.name
    assert f"{PREFIX}/{first}" in in_bucket()

    client.force_login(viewer)
    evidence_url = reverse("contracts:deliverable_evidence", args=[row.pk])
    assert downloaded(client.get(evidence_url)) == PDF

    client.force_login(operations_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            record_url,
            {
                "status": "received",
                "received_on": TODAY.isoformat(),
                "evidence": SimpleUploadedFile("assets-v2.pdf", OTHER_PDF),
            },
        )

    second = Deliverable.objects.get(pk=row.pk).evidence.name
    assert second != first
    assert in_bucket() == sorted([f"{PREFIX}/{served.proof.name}", f"{PREFIX}/{second}"])
    assert downloaded(client.get(evidence_url)) == OTHER_PDF
    # The history keeps the replaced file's name, as a record; its content is gone.
    assert first in Deliverable.history.filter(id=row.pk).values_list("evidence", flat=True)


def test_the_admin_links_stored_files_to_the_apps_views_never_to_the_bucket(
    admin_client, endpoint, in_bucket, served
):
    document = ContractDocument.objects.create(
        contract=served.contract, title="Terms", file=SimpleUploadedFile("terms.pdf", PDF)
    )
    row = served.deliverables.get(title="Exit information")
    Deliverable.objects.filter(pk=row.pk).update(evidence=document.file.name)
    document_url = reverse(
        "contracts:contract_document_download", args=[document.contract_id, document.pk]
    )
    evidence_url = reverse("contracts:deliverable_evidence", args=[row.pk])
    pages = {
        reverse("admin:contracts_contractdocument_changelist"): document_url,
        reverse("admin:contracts_contractdocument_change", args=[document.pk]): document_url,
        reverse("admin:contracts_contract_change", args=[document.contract_id]): document_url,
        reverse("admin:contracts_deliverable_change", args=[row.pk]): evidence_url,
    }

    for page, link in pages.items():
        html = admin_client.get(page).content.decode()
        assert f'href="{link}"' in html, page
        assert endpoint not in html, page
        assert "X-Amz-Signature" not in html, page


def test_a_deliverable_deleted_in_the_admin_takes_its_evidence_from_the_bucket(
    admin_client, in_bucket, served, django_capture_on_commit_callbacks
):
    row = served.deliverables.get(title="Exit information")
    row.evidence.save("assets.pdf", SimpleUploadedFile("assets.pdf", PDF))
    assert f"{PREFIX}/{row.evidence.name}" in in_bucket()

    delete_url = reverse("admin:contracts_deliverable_delete", args=[row.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    assert not Deliverable.objects.filter(pk=row.pk).exists()
    assert in_bucket() == [f"{PREFIX}/{served.proof.name}"]


def test_a_document_whose_file_the_admin_replaces_leaves_only_the_new_object(
    admin_client, in_bucket, django_capture_on_commit_callbacks
):
    document = ContractDocument.objects.create(
        contract=ContractFactory(), title="Terms", file=SimpleUploadedFile("terms.pdf", PDF)
    )
    change_url = reverse("admin:contracts_contractdocument_change", args=[document.pk])
    data = admin_form_data(admin_client.get(change_url))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url, {**data, "file": SimpleUploadedFile("terms-signed.pdf", OTHER_PDF)}
        )

    assert response.status_code == 302
    document.refresh_from_db()
    assert in_bucket() == [f"{PREFIX}/{document.file.name}"]
    assert document.file.name.endswith("terms-signed.pdf")


def test_a_deleted_letter_template_leaves_the_bucket(
    admin_client, in_bucket, django_capture_on_commit_callbacks
):
    template = NoticeLetterTemplate.objects.create(
        file=SimpleUploadedFile("letter.docx", letters.default_template())
    )
    assert in_bucket() == [f"{PREFIX}/{template.file.name}"]
    file_url = reverse("admin:contracts_noticelettertemplate_file", args=[template.pk])
    assert downloaded(admin_client.get(file_url)) == letters.default_template()

    delete_url = reverse("admin:contracts_noticelettertemplate_delete", args=[template.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    assert not NoticeLetterTemplate.objects.exists()
    assert in_bucket() == []


def test_a_background_export_is_written_to_the_bucket_and_purged_from_it(
    client, operations_manager, settings, in_bucket, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    process = OutsourcedProcessFactory(name="Fulfilment")
    for title in ("Alpha", "Beta", "Gamma"):
        MilestoneFactory(process=process, title=title)
    enqueued = []
    monkeypatch.setattr(tasks.build_export, "delay", enqueued.append)
    client.force_login(operations_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("transition:milestone_list"), {"export": "csv"})

    tasks.build_export(enqueued[0])  # what the worker runs

    export = ExportFile.objects.get()
    assert in_bucket() == [f"{PREFIX}/{export.file.name}"]
    assert export.file.name.startswith("exports/")
    body = downloaded(client.get(reverse("imports:export_download", args=[export.pk])))
    assert b"Gamma" in body

    ExportFile.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert export_purge() == 1
    assert in_bucket() == []


def test_settings_from_the_environment_put_files_in_the_bucket(endpoint, bucket, s3):
    """STORAGE_* variables alone switch base settings to the bucket (a fresh process)."""
    probe = (
        "import json\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as s\n"
        "name = s.save('probe.txt', ContentFile(b'hello'))\n"
        "print(json.dumps([name, type(s._wrapped).__name__, s.location, s.default_acl,"
        " s.file_overwrite, s.querystring_expire, s.addressing_style]))\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backsourcing.settings.test",
        "STORAGE_BUCKET": bucket,
        "STORAGE_ENDPOINT_URL": endpoint,
        "STORAGE_REGION": REGION,
        "STORAGE_ACCESS_KEY_ID": KEY,
        "STORAGE_SECRET_ACCESS_KEY": KEY,
        "STORAGE_LOCATION": "tenant-a",
        "STORAGE_ADDRESSING_STYLE": "path",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    name, backend, location, acl, overwrite, expire, style = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert (name, backend, location, acl, overwrite, expire, style) == (
        "probe.txt",
        "S3Storage",
        "tenant-a",
        None,
        False,
        60,
        "path",
    )
    stored = s3.get_object(Bucket=bucket, Key="tenant-a/probe.txt")
    assert stored["Body"].read() == b"hello"


def test_without_a_bucket_files_stay_under_media_root(
    client, operations_manager, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The default: nothing named STORAGE_BUCKET, files on the filesystem, as before."""
    from django.core.files.storage import default_storage

    assert settings.STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    settings.MEDIA_ROOT = tmp_path
    contract = ContractFactory()
    client.force_login(operations_manager)
    client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Terms", "file": SimpleUploadedFile("terms.pdf", PDF)},
    )
    document = ContractDocument.objects.get()
    assert default_storage.exists(document.file.name)
    assert (tmp_path / document.file.name).read_bytes() == PDF

    url = reverse("contracts:contract_document_download", args=[contract.pk, document.pk])
    assert downloaded(client.get(url)) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contracts:contract_document_delete", args=[contract.pk, document.pk]))
    assert not (tmp_path / document.file.name).exists()
