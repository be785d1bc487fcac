"""Register pages: who may see and change providers and contracts, and what the pages show."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract, ContractDocument, ServiceProvider
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def provider():
    return ServiceProviderFactory(name="Acme Logistics", country="DE")


@pytest.fixture
def contract(provider, operations_manager):
    return ContractFactory(
        provider=provider, reference="C-100", title="Warehousing", owner=operations_manager
    )


def contract_data(provider, owner, **overrides):
    data = {
        "reference": "C-NEW",
        "title": "Payroll services",
        "provider": provider.pk,
        "owner": owner.pk,
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "renewal": "automatic",
        "renewal_term_months": "12",
        "notice_period": "3",
        "notice_unit": "months",
        "governing_country": "GB",
        "annual_value": "120000.00",
        "currency": "GBP",
        "termination_fee": "0",
        "exit_assistance_months": "6",
        "decision_lead_days": "90",
    }
    data.update(overrides)
    return data


# Access


def test_anonymous_visitor_is_sent_to_sign_in(client, contract):
    response = client.get(reverse("contracts:contract_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["viewer", "project_lead", "operations_manager"])
@pytest.mark.parametrize(
    "url_name", ["provider_list", "provider_detail", "contract_list", "contract_detail"]
)
def test_every_role_reads_the_register(client, request, role, url_name, contract):
    client.force_login(request.getfixturevalue(role))
    pk = contract.provider.pk if url_name.startswith("provider") else contract.pk
    args = [pk] if url_name.endswith("detail") else []

    response = client.get(reverse(f"contracts:{url_name}", args=args))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
@pytest.mark.parametrize(
    ("url_name", "target"),
    [
        ("provider_create", None),
        ("provider_update", "provider"),
        ("provider_delete", "provider"),
        ("contract_create", None),
        ("contract_update", "contract"),
        ("contract_delete", "contract"),
    ],
)
def test_forcing_a_register_change_without_the_role_is_forbidden(
    client, request, role, url_name, target, contract
):
    client.force_login(request.getfixturevalue(role))
    obj = {"provider": contract.provider, "contract": contract}.get(target)
    url = reverse(f"contracts:{url_name}", args=[obj.pk] if obj else [])

    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Changed", "title": "Changed"}).status_code == 403
    assert ServiceProvider.objects.filter(pk=contract.provider.pk, name="Acme Logistics").exists()
    assert Contract.objects.filter(pk=contract.pk, title="Warehousing").exists()


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_read_only_roles_are_not_offered_changes(client, request, role, contract):
    client.force_login(request.getfixturevalue(role))

    detail = client.get(contract.get_absolute_url()).content.decode()
    listing = client.get(reverse("contracts:contract_list")).content.decode()

    assert reverse("contracts:contract_update", args=[contract.pk]) not in detail
    assert reverse("contracts:contract_delete", args=[contract.pk]) not in detail
    assert reverse("contracts:contract_document_upload", args=[contract.pk]) not in detail
    assert reverse("contracts:contract_create") not in listing


def test_operations_manager_is_offered_every_change(client, operations_manager, contract):
    client.force_login(operations_manager)

    detail = client.get(contract.get_absolute_url()).content.decode()

    assert reverse("contracts:contract_update", args=[contract.pk]) in detail
    assert reverse("contracts:contract_delete", args=[contract.pk]) in detail
    assert reverse("contracts:contract_document_upload", args=[contract.pk]) in detail


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_forcing_a_document_upload_without_the_role_is_forbidden(client, request, role, contract):
    client.force_login(request.getfixturevalue(role))
    upload = SimpleUploadedFile("terms.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Terms", "file": upload},
    )

    assert response.status_code == 403
    assert not ContractDocument.objects.exists()


# Providers


def test_operations_manager_creates_a_provider(client, operations_manager):
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:provider_create"),
        {"name": "Nordic Payroll", "country": "SE", "contact_email": "ops@nordic.example"},
        follow=True,
    )

    provider = ServiceProvider.objects.get(name="Nordic Payroll")
    assert response.redirect_chain[-1][0] == provider.get_absolute_url()
    assert "Provider “Nordic Payroll” was created." in response.content.decode()


def test_provider_with_a_duplicate_name_is_refused_next_to_the_name(
    client, operations_manager, provider
):
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:provider_create"), {"name": "Acme Logistics", "country": "XX"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in form.errors["name"][0]
    assert form.errors["country"]
    html = response.content.decode()
    assert 'id="id_name"' in html
    assert "is-invalid" in html


def test_provider_is_edited_through_the_form(client, operations_manager, provider):
    client.force_login(operations_manager)

    client.post(
        reverse("contracts:provider_update", args=[provider.pk]),
        {"name": "Acme Logistics GmbH", "country": "DE"},
    )

    provider.refresh_from_db()
    assert provider.name == "Acme Logistics GmbH"


def test_deleting_a_provider_with_contracts_is_refused_with_a_message(
    client, operations_manager, contract
):
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:provider_delete", args=[contract.provider.pk]), follow=True
    )

    assert response.status_code == 200
    assert ServiceProvider.objects.filter(pk=contract.provider.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["“Acme Logistics” cannot be deleted while contracts refer to it."]


def test_deleting_an_unused_provider_removes_it(client, operations_manager, provider):
    client.force_login(operations_manager)

    response = client.post(reverse("contracts:provider_delete", args=[provider.pk]))

    assert response["Location"] == reverse("contracts:provider_list")
    assert not ServiceProvider.objects.filter(pk=provider.pk).exists()


def test_provider_list_filters_by_country_and_searches(client, viewer):
    ServiceProviderFactory(name="Acme Logistics", country="DE")
    ServiceProviderFactory(name="Acme Payroll", country="GB")
    ServiceProviderFactory(name="Brightdesk", country="GB")
    client.force_login(viewer)

    response = client.get(reverse("contracts:provider_list"), {"country": "GB", "q": "acme"})

    assert [p.name for p in response.context["object_list"]] == ["Acme Payroll"]


def test_provider_list_sorts_by_contract_count(client, viewer):
    busy = ServiceProviderFactory(name="Busy")
    ServiceProviderFactory(name="Idle")
    ContractFactory.create_batch(2, provider=busy)
    client.force_login(viewer)

    response = client.get(reverse("contracts:provider_list"), {"sort": "-contracts"})

    assert [p.name for p in response.context["object_list"]] == ["Busy", "Idle"]


# Contracts


def test_operations_manager_creates_a_contract(client, operations_manager, provider):
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_create"), contract_data(provider, operations_manager)
    )

    contract = Contract.objects.get(reference="C-NEW")
    assert response["Location"] == contract.get_absolute_url()
    assert contract.annual_value == Decimal("120000.00")
    assert contract.history.get().history_user == operations_manager


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2023-12-31"}, "end_date", "cannot be before the start date"),
        ({"renewal_term_months": ""}, "renewal_term_months", "needs a renewal term"),
        ({"notice_period": "48"}, "notice_period", "cannot be longer than the initial term"),
        ({"annual_value": "-5"}, "annual_value", "greater than or equal to 0"),
        ({"currency": "XYZ"}, "currency", "Select a valid choice"),
        ({"start_date": "31/02/2024"}, "start_date", "Enter a valid date"),
    ],
)
def test_invalid_contract_terms_are_refused_next_to_the_field(
    client, operations_manager, provider, overrides, field, message
):
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_create"),
        contract_data(provider, operations_manager, **overrides),
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html
    assert not Contract.objects.filter(reference="C-NEW").exists()


def test_contract_edit_is_recorded_in_its_history(client, operations_manager, contract):
    client.force_login(operations_manager)
    data = contract_data(contract.provider, operations_manager, reference="C-100")
    data.update(title="Warehousing and returns", end_date="2027-12-31")

    client.post(reverse("contracts:contract_update", args=[contract.pk]), data)
    response = client.get(contract.get_absolute_url())

    history = response.context["history"]
    assert history[0].kind == "Changed"
    assert history[0].user == operations_manager
    changes = {c.field: (c.old, c.new) for c in history[0].changes}
    assert changes["title"] == ("Warehousing", "Warehousing and returns")
    assert "Warehousing and returns" in response.content.decode()


def test_deleting_a_contract_with_processes_is_refused_with_a_message(
    client, operations_manager, contract
):
    OutsourcedProcessFactory(contract=contract)
    client.force_login(operations_manager)

    response = client.post(reverse("contracts:contract_delete", args=[contract.pk]), follow=True)

    assert Contract.objects.filter(pk=contract.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        f"“{contract}” cannot be deleted while outsourced processes refer to it."
    ]


def test_contract_list_filters_by_provider_renewal_and_owner(
    client, viewer, operations_manager, provider
):
    wanted = ContractFactory(provider=provider, owner=operations_manager)
    ContractFactory(provider=provider, owner=operations_manager, renewal="none")
    ContractFactory(owner=operations_manager)
    ContractFactory(provider=provider)
    client.force_login(viewer)

    response = client.get(
        reverse("contracts:contract_list"),
        {"provider": provider.pk, "renewal": "automatic", "owner": operations_manager.pk},
    )

    assert list(response.context["object_list"]) == [wanted]


def test_contract_list_filters_by_notice_deadline_and_status(client, viewer):
    # Yearly to 31 Dec with 3 months' notice: next deadline 31 Mar 2027 for one ending in June.
    soon = ContractFactory(end_date=date(2027, 6, 30))
    ContractFactory(end_date=date(2027, 12, 31))
    expired = ContractFactory(
        start_date=date(2020, 1, 1), end_date=date(2025, 12, 31), renewal="none"
    )
    client.force_login(viewer)

    by_deadline = client.get(reverse("contracts:contract_list"), {"notice_before": "2027-04-30"})
    by_status = client.get(reverse("contracts:contract_list"), {"status": "expired"})

    assert list(by_deadline.context["object_list"]) == [soon]
    assert list(by_status.context["object_list"]) == [expired]


def test_contract_list_with_a_bad_filter_date_says_so(client, viewer, contract):
    client.force_login(viewer)

    response = client.get(reverse("contracts:contract_list"), {"notice_before": "soon"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_contract_list_sorts_and_searches(client, viewer):
    ContractFactory(reference="C-1", annual_value=Decimal(10), title="Cleaning")
    ContractFactory(reference="C-2", annual_value=Decimal(30), title="Cleaning windows")
    ContractFactory(reference="C-3", annual_value=Decimal(20), title="Catering")
    client.force_login(viewer)

    response = client.get(
        reverse("contracts:contract_list"), {"q": "clean", "sort": "-annual_value"}
    )

    assert [c.reference for c in response.context["object_list"]] == ["C-2", "C-1"]


def test_contract_list_paginates_by_25(client, viewer):
    ContractFactory.create_batch(27)
    client.force_login(viewer)

    first = client.get(reverse("contracts:contract_list"))
    second = client.get(reverse("contracts:contract_list"), {"page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 2
    assert "Showing 1–25 of 27" in first.content.decode()


# Exports


def test_contract_export_csv_holds_only_the_filtered_rows(client, viewer, provider):
    ContractFactory(reference="C-A", provider=provider)
    ContractFactory(reference="C-B", provider=provider)
    ContractFactory(reference="C-X")
    ContractFactory.create_batch(30, provider=provider)
    client.force_login(viewer)

    response = client.get(
        reverse("contracts:contract_list"), {"provider": provider.pk, "export": "csv"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="contracts-2026-11-24.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    references = {row["reference"] for row in rows}
    assert len(rows) == 32
    assert {"C-A", "C-B"} <= references
    assert "C-X" not in references


def test_provider_export_xlsx_holds_only_the_filtered_rows(client, viewer):
    ServiceProviderFactory(name="Alpha", country="FR")
    ServiceProviderFactory(name="Beta", country="FR")
    ServiceProviderFactory(name="Gamma", country="IT")
    client.force_login(viewer)

    response = client.get(reverse("contracts:provider_list"), {"country": "FR", "export": "xlsx"})

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    header, *rows = list(sheet.values)
    names = sorted(row[header.index("name")] for row in rows)
    assert names == ["Alpha", "Beta"]


# Contract detail: the engine's dates, explained


def test_contract_detail_explains_every_engine_date(client, viewer, provider):
    # docs/domain.md worked example 1: yearly renewal after 2024, 3 months' notice, on 2026-11-24.
    contract = ContractFactory(
        provider=provider,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
        exit_assistance_months=6,
    )
    client.force_login(viewer)

    response = client.get(contract.get_absolute_url())

    rows = {row.key: row for row in response.context["explained_dates"]}
    assert rows["current_term_end"].value == date(2026, 12, 31)
    assert rows["next_notice_deadline"].value == date(2027, 9, 30)
    assert rows["next_notice_deadline"].explanation == (
        "Notice must be received by this business day to end the contract on 31 Dec 2027. "
        "The deadline for the term ending 31 Dec 2026 has already passed."
    )
    assert rows["decision_date"].value == date(2027, 7, 2)
    assert rows["exit_date_if_served_today"].value == date(2027, 12, 31)
    assert "misses the deadline for the term ending 31 Dec 2026" in (
        rows["exit_date_if_served_today"].explanation
    )
    assert rows["assistance_end"].value == date(2028, 6, 30)
    assert rows["status"].explanation == "The contract is running and no decision is due yet."
    html = response.content.decode()
    assert "30 Sep 2027" in html
    assert "2 Jul 2027" in html


def test_deadline_moved_off_a_weekend_says_why(client, viewer):
    # docs/domain.md worked example 2: 29 Aug 2027 is a Sunday, so notice is due on Friday 27th.
    contract = ContractFactory(
        start_date=date(2020, 3, 1), end_date=date(2027, 2, 28), notice_period=6
    )
    client.force_login(viewer)

    with time_machine.travel(date(2026, 9, 1), tick=False):
        response = client.get(contract.get_absolute_url())

    row = next(r for r in response.context["explained_dates"] if r.key == "next_notice_deadline")
    assert row.value == date(2027, 8, 27)
    assert row.explanation == (
        "Notice must be received by this business day to end the contract on 29 Feb 2028; "
        "it moved back from 29 Aug because that day is a Sunday. "
        "The deadline for the term ending 28 Feb 2027 has already passed."
    )


def test_deadline_moved_off_a_bank_holiday_names_it(client, viewer):
    # docs/domain.md worked example 3: 28 Dec 2026 is a GB bank holiday.
    contract = ContractFactory(
        start_date=date(2026, 1, 1),
        end_date=date(2027, 3, 28),
        renewal="none",
        renewal_term_months=None,
        governing_country="GB",
    )
    client.force_login(viewer)

    response = client.get(contract.get_absolute_url())

    row = next(r for r in response.context["explained_dates"] if r.key == "next_notice_deadline")
    assert row.value == date(2026, 12, 24)
    assert "it moved back from 28 Dec because that day is a public holiday" in row.explanation


def test_contract_without_deadlines_left_says_so(client, viewer):
    contract = ContractFactory(
        start_date=date(2020, 1, 1),
        end_date=date(2026, 12, 31),
        renewal="none",
        renewal_term_months=None,
    )
    client.force_login(viewer)

    response = client.get(contract.get_absolute_url())

    rows = {row.key: row for row in response.context["explained_dates"]}
    assert rows["next_notice_deadline"].value is None
    assert "No notice deadline is left" in rows["next_notice_deadline"].explanation
    assert "decision_date" not in rows
    assert rows["status"].explanation.startswith("The last notice deadline has passed")


def test_contract_detail_lists_its_processes(client, viewer, contract):
    programme = ProgrammeFactory()
    OutsourcedProcessFactory(contract=contract, programme=programme, name="Returns handling")
    OutsourcedProcessFactory(contract=contract, programme=programme, name="Pick and pack")
    client.force_login(viewer)

    response = client.get(contract.get_absolute_url())

    names = [p.name for p in response.context["processes"]]
    assert names == ["Pick and pack", "Returns handling"]
    assert "Returns handling" in response.content.decode()


# The exit-date calculator


def test_calculator_answers_htmx_with_a_partial(client, viewer):
    # docs/domain.md worked example 4: termination for convenience, 90 days' notice.
    contract = ContractFactory(
        start_date=date(2024, 7, 1),
        end_date=date(2027, 6, 30),
        renewal_term_months=24,
        notice_period=90,
        notice_unit="days",
        termination_for_convenience=True,
    )
    client.force_login(viewer)

    response = client.get(
        reverse("contracts:contract_exit_date", args=[contract.pk]),
        {"served_on": "2026-11-24"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'data-testid="calculated-exit-date">22 Feb 2027<' in html
    assert "Termination for convenience" in html


def test_calculator_works_without_javascript(client, viewer, contract):
    client.force_login(viewer)

    redirect = client.get(
        reverse("contracts:contract_exit_date", args=[contract.pk]), {"served_on": "2027-10-01"}
    )
    response = client.get(contract.get_absolute_url(), {"served_on": "2027-10-01"})

    assert redirect.status_code == 302
    assert redirect["Location"] == f"{contract.get_absolute_url()}?served_on=2027-10-01#calculator"
    assert response.context["calculator"]["exit_date"] == date(2028, 12, 31)
    assert 'data-testid="calculated-exit-date">31 Dec 2028<' in response.content.decode()


@pytest.mark.parametrize(
    ("served_on", "message"),
    [
        ("2027-02-30", "Enter a real date, e.g. 2027-03-31."),
        ("tomorrow", "Enter a real date, e.g. 2027-03-31."),
        ("", "Enter the day notice would be received."),
        ("9999-12-01", "That date is too far in the future to calculate."),
    ],
)
def test_calculator_explains_bad_input_instead_of_failing(
    client, viewer, contract, served_on, message
):
    client.force_login(viewer)
    url = reverse("contracts:contract_exit_date", args=[contract.pk])

    partial = client.get(url, {"served_on": served_on}, headers={"HX-Request": "true"})
    page = client.get(contract.get_absolute_url(), {"served_on": served_on})

    for response in (partial, page):
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "calculated-exit-date" not in response.content.decode()


# Documents


def test_document_upload_attaches_the_file(
    client, operations_manager, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(operations_manager)
    upload = SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms", content_type="application/pdf")

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Master agreement", "file": upload},
    )

    document = contract.documents.get()
    assert response["Location"] == f"{contract.get_absolute_url()}#documents"
    assert document.uploaded_by == operations_manager
    download = client.get(
        reverse("contracts:contract_document_download", args=[contract.pk, document.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 terms"


def test_document_of_a_refused_type_is_explained_next_to_the_file(
    client, operations_manager, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(operations_manager)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Tool", "file": upload},
    )

    assert response.status_code == 400
    assert (
        "File extension “exe” is not allowed" in response.context["document_form"].errors["file"][0]
    )
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert not contract.documents.exists()


def test_document_over_the_size_limit_is_refused(
    client, operations_manager, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 1_048_576
    client.force_login(operations_manager)
    upload = SimpleUploadedFile("big.pdf", b"x" * 1_200_000, content_type="application/pdf")

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Big", "file": upload},
    )

    assert response.status_code == 400
    assert "documents may be at most" in response.content.decode()
    assert not contract.documents.exists()


def test_document_is_removed_by_an_operations_manager(
    client, operations_manager, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = ContractDocument.objects.create(
        contract=contract,
        title="Old",
        file=SimpleUploadedFile("old.pdf", b"%PDF"),
        uploaded_by=operations_manager,
    )
    client.force_login(operations_manager)

    client.post(reverse("contracts:contract_document_delete", args=[contract.pk, document.pk]))

    assert not ContractDocument.objects.exists()


# Query counts: constant in the number of rows, pinned


@pytest.mark.parametrize(("rows", "url_name"), [(1, "contract_list"), (25, "contract_list")])
def test_contract_list_query_count_does_not_grow_with_rows(
    client, viewer, django_assert_num_queries, rows, url_name
):
    for contract in ContractFactory.create_batch(rows):
        OutsourcedProcessFactory(contract=contract)
    client.force_login(viewer)

    # session, user, saved views (docs/saved-views.md), stale notice dates (none:
    # docs/contracts-list.md), groups (rules), unread notifications, count, page, provider
    # and owner choices
    with django_assert_num_queries(10):
        response = client.get(reverse(f"contracts:{url_name}"))

    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_provider_list_query_count_does_not_grow_with_rows(
    client, viewer, django_assert_num_queries, rows
):
    ServiceProviderFactory.create_batch(rows)
    client.force_login(viewer)

    # session, user, saved views (docs/saved-views.md), groups (rules), unread notifications,
    # count, page
    with django_assert_num_queries(7):
        response = client.get(reverse("contracts:provider_list"))

    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_contract_detail_query_count_does_not_grow_with_processes(
    client, viewer, contract, django_assert_num_queries, rows
):
    for _ in range(rows):
        process = OutsourcedProcessFactory(contract=contract)
        ReadinessAssessmentFactory(process=process)
        MilestoneFactory(process=process)
    client.force_login(viewer)

    # session, user, contract, exit notices, processes, readiness, the processes' milestones
    # with their dependencies (the RAG's forecast, docs/plan.md), documents, history,
    # groups (rules), unread notifications
    with django_assert_num_queries(11):
        response = client.get(contract.get_absolute_url())

    assert len(response.context["processes"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_provider_detail_query_count_does_not_grow_with_contracts(
    client, viewer, provider, django_assert_num_queries, rows
):
    ContractFactory.create_batch(rows, provider=provider)
    client.force_login(viewer)

    # session, user, provider, contracts with owners, groups (rules), unread notifications
    with django_assert_num_queries(6):
        response = client.get(provider.get_absolute_url())

    assert f'Contracts <span class="badge text-bg-secondary">{rows}</span>' in (
        response.content.decode()
    )
