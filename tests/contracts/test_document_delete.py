"""A deleted document's file leaves storage only once the deletion commits; a rollback keeps
the row and its file."""

import contextlib
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from contracts.models import Contract, ContractDocument
from contracts.services import contract_delete, document_delete
from tests.contracts.factories import ContractFactory
from tests.contracts.test_admin import admin_form_data
from tests.transition.factories import OutsourcedProcessFactory

PDF = b"%PDF-1.4\n%%EOF\n"


class Rollback(Exception):
    pass


def roll_back(delete, **kwargs) -> None:
    """Run a delete in a transaction that then fails and is rolled back."""
    with contextlib.suppress(Rollback), transaction.atomic():
        delete(**kwargs)
        raise Rollback


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attach(contract, name="terms.pdf") -> ContractDocument:
    return ContractDocument.objects.create(
        contract=contract, title=name, file=SimpleUploadedFile(name, PDF)
    )


def stored(document) -> bool:
    return document.file.storage.exists(document.file.name)


def admin_url(model, view, *args):
    return reverse(f"admin:contracts_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
def test_a_rolled_back_deletion_keeps_the_row_and_its_file(
    operations_manager, django_capture_on_commit_callbacks
):
    document = attach(ContractFactory())

    with django_capture_on_commit_callbacks(execute=True):
        roll_back(document_delete, document=document, actor=operations_manager)

    assert ContractDocument.objects.filter(file=document.file.name).exists()
    assert stored(document)


@pytest.mark.django_db
def test_a_deleted_documents_file_goes_once_the_deletion_commits(
    operations_manager, django_capture_on_commit_callbacks
):
    document = attach(ContractFactory())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_delete(document=document, actor=operations_manager)
        assert not ContractDocument.objects.exists()
        assert stored(document)  # not yet committed

    assert len(callbacks) == 1
    assert not stored(document)


@pytest.mark.django_db
def test_a_storage_error_after_commit_is_logged_not_raised(
    operations_manager, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    document = attach(ContractFactory())
    kept = attach(document.contract, "kept.pdf")

    def refuse(name):
        raise OSError(f"{name} is busy")

    monkeypatch.setattr(document.file.storage, "delete", refuse)
    with (
        caplog.at_level(logging.ERROR, logger="contracts.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document_delete(document=document, actor=operations_manager)

    assert list(ContractDocument.objects.all()) == [kept]
    assert [record.getMessage() for record in caplog.records] == [
        f"Could not remove the deleted document file {document.file.name}"
    ]


@pytest.mark.django_db
def test_deleting_a_contract_removes_its_documents_files_after_commit(
    operations_manager, django_capture_on_commit_callbacks
):
    contract = ContractFactory()
    documents = [attach(contract, "msa.pdf"), attach(contract, "schedule.pdf")]
    other = attach(ContractFactory(), "other.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        contract_delete(contract=contract, actor=operations_manager)
        assert all(stored(document) for document in documents)

    assert not Contract.objects.filter(pk=contract.pk).exists()
    assert list(ContractDocument.objects.all()) == [other]
    assert not any(stored(document) for document in documents)
    assert stored(other)


@pytest.mark.django_db
def test_a_contract_deletion_rolled_back_or_refused_keeps_its_documents_files(
    operations_manager, django_capture_on_commit_callbacks
):
    contract = ContractFactory()
    document = attach(contract)

    with django_capture_on_commit_callbacks(execute=True):
        roll_back(contract_delete, contract=contract, actor=operations_manager)
        contract = Contract.objects.get()  # the rolled-back delete cleared the instance's pk
        OutsourcedProcessFactory(contract=contract)
        with pytest.raises(ValidationError, match="cannot be deleted"):
            contract_delete(contract=contract, actor=operations_manager)

    assert ContractDocument.objects.get().file.name == document.file.name
    assert stored(document)


@pytest.mark.django_db
def test_the_admin_removes_a_deleted_documents_file_after_commit(
    admin_client, django_capture_on_commit_callbacks
):
    document, other = attach(ContractFactory()), attach(ContractFactory(), "other.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url(ContractDocument, "delete", document.pk), {"post": "yes"}
        )
        assert stored(document)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            admin_url(ContractDocument, "changelist"),
            {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not ContractDocument.objects.exists()
    assert not stored(document)
    assert not stored(other)


@pytest.mark.django_db
def test_a_document_deleted_in_the_contracts_admin_page_loses_its_file_after_commit(
    admin_client, django_capture_on_commit_callbacks
):
    document = attach(ContractFactory())
    page = admin_client.get(admin_url(Contract, "change", document.contract_id))
    data = admin_form_data(page) | {"documents-0-DELETE": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(Contract, "change", document.contract_id), data)
        assert stored(document)

    assert response.status_code == 302
    assert not ContractDocument.objects.exists()
    assert not stored(document)


@pytest.mark.django_db
def test_the_admin_removes_a_deleted_contracts_documents_files(
    admin_client, django_capture_on_commit_callbacks
):
    document, other = attach(ContractFactory()), attach(ContractFactory(), "other.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url(Contract, "delete", document.contract_id), {"post": "yes"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            admin_url(Contract, "changelist"),
            {"action": "delete_selected", "_selected_action": [other.contract_id], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Contract.objects.exists()
    assert not stored(document)
    assert not stored(other)


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
def test_on_postgresql_the_file_goes_at_commit_and_stays_on_rollback(operations_manager):
    kept, removed = attach(ContractFactory(), "kept.pdf"), attach(ContractFactory(), "gone.pdf")

    roll_back(document_delete, document=kept, actor=operations_manager)
    with transaction.atomic():
        document_delete(document=removed, actor=operations_manager)
        assert stored(removed)

    assert list(ContractDocument.objects.values_list("title", flat=True)) == ["kept.pdf"]
    assert stored(kept)
    assert not stored(removed)


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
def test_on_postgresql_a_contract_deletion_removes_its_files_at_commit(operations_manager):
    contract = ContractFactory()
    document = attach(contract)

    contract_delete(contract=contract, actor=operations_manager)

    assert not ContractDocument.objects.exists()
    assert not stored(document)
