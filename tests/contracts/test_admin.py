"""Admin for providers, contracts and documents: pages, validation, protection, history."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract, ContractDocument, ServiceProvider
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("Europe/London"))):
        yield


def admin_form_data(response) -> dict:
    """The POST data an admin change form submits when saved unchanged, from its context."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or isinstance(field, forms.FileField):
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in inline.formset.initial_forms:
            add(form)
    return data


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def document(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return ContractDocument.objects.create(
        contract=ContractFactory(),
        title="Master services agreement",
        file=SimpleUploadedFile("msa.pdf", b"%PDF-1.4"),
    )


@pytest.mark.parametrize("model", [ServiceProvider, Contract, ContractDocument])
def test_every_register_page_loads_for_a_seeded_object(admin_client, document, model):
    obj = model.objects.first()
    OutsourcedProcessFactory(contract=document.contract)

    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        assert admin_client.get(page).status_code == 200, page
    assert admin_client.get(url(model, "changelist"), {"q": str(obj)[:5]}).status_code == 200


def test_contract_list_shows_the_date_engine_deadline_and_status(admin_client):
    ContractFactory(reference="C-MSA")  # yearly from 2027-12-31, three months' notice

    response = admin_client.get(url(Contract, "changelist"))

    row = response.context["cl"].result_list[0]
    admin = response.context["cl"].model_admin
    assert admin.next_notice_deadline(row) == date(2027, 9, 30)
    assert admin.decision_date(row) == date(2027, 7, 2)
    assert admin.status(row) == "Active"
    assert "30 Sep 2027" in response.content.decode()


def test_contract_status_filter_keeps_only_contracts_in_that_status(admin_client):
    ContractFactory(reference="C-LIVE")
    ContractFactory(
        reference="C-OLD",
        start_date=date(2020, 1, 1),
        end_date=date(2025, 12, 31),
        renewal=Contract.Renewal.NONE,
        renewal_term_months=None,
    )

    response = admin_client.get(url(Contract, "changelist"), {"status": "expired"})

    assert [c.reference for c in response.context["cl"].result_list] == ["C-OLD"]


def test_contract_change_page_shows_processes_read_only_with_links(admin_client):
    process = OutsourcedProcessFactory(name="Fulfilment")

    response = admin_client.get(url(Contract, "change", process.contract.pk))

    inline = next(
        i
        for i in response.context["inline_admin_formsets"]
        if i.opts.model.__name__ == "OutsourcedProcess"
    )
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert url(type(process), "change", process.pk) in response.content.decode()


def test_admin_contract_save_is_validated_and_names_the_field(admin_client):
    contract = ContractFactory()
    page = admin_client.get(url(Contract, "change", contract.pk))
    data = admin_form_data(page)
    data.update(end_date="2022-12-31", renewal="automatic", renewal_term_months="")

    response = admin_client.post(url(Contract, "change", contract.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "end_date" in errors
    assert "renewal_term_months" in errors
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)


def test_contract_history_page_shows_an_admin_edit_field_by_field(admin_client, admin_user):
    contract = ContractFactory(title="Old title")
    data = admin_form_data(admin_client.get(url(Contract, "change", contract.pk)))
    data["title"] = "New title"

    response = admin_client.post(url(Contract, "change", contract.pk), data)
    assert response.status_code == 302

    history = admin_client.get(url(Contract, "history", contract.pk))
    assert history.status_code == 200
    latest = contract.history.latest()
    assert latest.history_user == admin_user
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["title"]
    assert "Old title" in history.content.decode()
    assert "New title" in history.content.decode()


def test_deleting_a_provider_with_contracts_shows_the_cannot_delete_page(admin_client):
    provider = ServiceProviderFactory(name="Acme Logistics")
    ContractFactory(provider=provider, reference="C-ACME")

    shown = admin_client.get(url(ServiceProvider, "delete", provider.pk))
    posted = admin_client.post(url(ServiceProvider, "delete", provider.pk), {"post": "yes"})

    for response in (shown, posted):
        assert response.status_code == 200
        assert "Cannot delete" in response.content.decode()
        assert "C-ACME" in response.content.decode()
    assert ServiceProvider.objects.filter(pk=provider.pk).exists()


def test_bulk_deleting_a_provider_with_contracts_is_refused(admin_client):
    provider = ServiceProviderFactory()
    ContractFactory(provider=provider)

    response = admin_client.post(
        url(ServiceProvider, "changelist"),
        {"action": "delete_selected", "_selected_action": [provider.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert ServiceProvider.objects.filter(pk=provider.pk).exists()


def test_deleting_a_contract_with_processes_is_refused(admin_client):
    process = OutsourcedProcessFactory()

    response = admin_client.post(url(Contract, "delete", process.contract.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Contract.objects.filter(pk=process.contract.pk).exists()


def test_a_provider_without_contracts_can_be_deleted(admin_client):
    provider = ServiceProviderFactory()

    response = admin_client.post(url(ServiceProvider, "delete", provider.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not ServiceProvider.objects.filter(pk=provider.pk).exists()


def test_document_uploaded_in_admin_records_the_uploader(
    admin_client, admin_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    contract = ContractFactory()

    response = admin_client.post(
        url(ContractDocument, "add"),
        {
            "contract": contract.pk,
            "title": "Schedule 4",
            "file": SimpleUploadedFile("schedule.pdf", b"%PDF-1.4"),
        },
    )

    assert response.status_code == 302
    assert ContractDocument.objects.get().uploaded_by == admin_user


def test_document_of_a_refused_type_is_rejected(admin_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path

    response = admin_client.post(
        url(ContractDocument, "add"),
        {
            "contract": ContractFactory().pk,
            "title": "Script",
            "file": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not ContractDocument.objects.exists()


@pytest.mark.parametrize("model", [ServiceProvider, Contract])
def test_register_changelist_queries_do_not_grow_with_rows(admin_client, model):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(model, "changelist")).status_code == 200
        return len(queries)

    ContractFactory()
    one = count_queries()
    ContractFactory.create_batch(9)
    assert count_queries() == one
