"""A confirm claims its batch: simultaneous confirms import the file once, the rest are refused."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from contracts.models import ServiceProvider
from imports.models import ImportBatch
from imports.services import ImportRefused, batch_confirm, batch_upload

ATTEMPTS = 5
PROVIDERS = b"name,country\nAcme,DE\nBeta,GB\nGamma,FR\n"


def previewed(actor, content=PROVIDERS) -> ImportBatch:
    batch, report = batch_upload(
        actor=actor, kind="providers", upload=SimpleUploadedFile("providers.csv", content)
    )
    assert (report.ok, report.to_create) == (True, content.count(b"\n") - 1)
    return batch


def at_once(attempt, count: int) -> list:
    """Run `attempt` in `count` threads released together; their results in any order."""
    barrier = threading.Barrier(count)
    outcomes, lock = [], threading.Lock()

    def run(n):
        try:
            barrier.wait(timeout=10)
            try:
                outcome = attempt(n)
            except Exception as error:  # any other outcome fails the caller's assertions
                outcome = ("error", repr(error))
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
def test_simultaneous_confirms_of_one_batch_import_it_once(operations_manager):
    batch = previewed(operations_manager)

    def attempt(_n):
        mine = ImportBatch.objects.get(pk=batch.pk)  # each request loads a previewed batch
        try:
            report = batch_confirm(batch=mine, actor=operations_manager)
        except ImportRefused as refused:
            return ("refused", tuple(refused.errors))
        return ("imported", (report.ok, report.created))

    outcomes = at_once(attempt, ATTEMPTS)

    assert sorted(outcomes) == [("imported", (True, 3))] + [
        ("refused", ("This file has already been imported.",))
    ] * (ATTEMPTS - 1)
    assert sorted(ServiceProvider.objects.values_list("name", flat=True)) == [
        "Acme",
        "Beta",
        "Gamma",
    ]
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count) == ("imported", 3, 0)


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
def test_simultaneous_confirm_posts_give_one_import_and_refusals(operations_manager):
    batch = previewed(operations_manager)
    clients = []
    for _ in range(ATTEMPTS):
        client = Client()
        client.force_login(operations_manager)
        clients.append(client)

    def attempt(n):
        response = clients[n].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
        page = response.content.decode()
        if "already been imported" in page:
            return "refused"
        return "imported" if "3 created" in page else f"unexpected {response.status_code}"

    outcomes = at_once(attempt, ATTEMPTS)

    assert sorted(outcomes) == ["imported"] + ["refused"] * (ATTEMPTS - 1)
    assert ServiceProvider.objects.count() == 3
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("imported", 3)


@pytest.mark.usefixtures("transactional_db")
def test_a_failed_confirm_writes_no_row_but_records_the_failure(operations_manager):
    batch = previewed(operations_manager)
    batch.content = PROVIDERS + b"Acme,GB\n"  # now with a duplicate name
    batch.save()

    report = batch_confirm(batch=batch, actor=operations_manager)

    assert (report.ok, report.created) == (False, 0)
    assert not ServiceProvider.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    # What the check found (three rows to create, the duplicate an error), and nothing written.
    assert (batch.to_create_count, batch.created_count, batch.updated_count) == (3, 0, 0)
    assert batch.error_count == report.error_total == 1
    assert batch.imported_at is None


@pytest.mark.usefixtures("transactional_db")
def test_a_failed_batch_can_be_confirmed_again_once_its_file_is_good(operations_manager):
    batch = previewed(operations_manager)
    good = bytes(batch.content)
    batch.content = PROVIDERS + b"Acme,GB\n"
    batch.save()
    batch_confirm(batch=batch, actor=operations_manager)
    ImportBatch.objects.filter(pk=batch.pk).update(content=good)

    report = batch_confirm(batch=batch, actor=operations_manager)

    assert (report.ok, report.created) == (True, 3)
    assert (batch.status, batch.created_count, batch.error_count) == ("imported", 3, 0)
    with pytest.raises(ImportRefused, match="already been imported"):
        batch_confirm(batch=batch, actor=operations_manager)
    assert ServiceProvider.objects.count() == 3
