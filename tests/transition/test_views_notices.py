"""Exit notice on the contract page: the serve dialog and its preview, withdrawal, the proof,
and what the contract's pages show once it is under notice."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract, ExitNotice
from imports.register import register_rows
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess
from transition.services import notice_serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
HTMX = {"HX-Request": "true"}
# ContractFactory: yearly renewal from 31 Dec 2027, three months' notice. Received on
# TODAY (24 Nov 2026), notice meets the deadline of 30 Sep 2027 and ends the service then.
EXIT = date(2027, 12, 31)


@pytest.fixture
def contract(operations_manager):
    return ContractFactory(
        reference="C-200",
        title="Fulfilment",
        owner=operations_manager,
        notice_method=Contract.NoticeMethod.REGISTERED_POST,
        notice_transit_days=2,
        exit_assistance_months=3,
    )


def ready(contract, name) -> OutsourcedProcess:
    process = OutsourcedProcessFactory(contract=contract, name=name)
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def picking(contract):
    return ready(contract, "Picking")


@pytest.fixture
def packing(contract):
    return ready(contract, "Packing")


def serve_url(contract) -> str:
    return reverse("transition:notice_serve", args=[contract.pk])


def form_data(**overrides) -> dict:
    data = {
        "scope": "whole",
        "served_on": TODAY.isoformat(),
        "dispatched_on": "2026-11-20",
        "method": "registered_post",
        "recipient": "Contracts desk",
        "signed_by": "Olivia Hart",
        "note": "Board decision of 12 November.",
    }
    data.update(overrides)
    return data


def page(client, user, contract) -> str:
    client.force_login(user)
    response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# Who is offered serving notice


def test_the_contract_page_offers_serve_notice_to_operations_managers_only(
    client, operations_manager, project_lead, viewer, contract, picking
):
    assert serve_url(contract) in page(client, operations_manager, contract)
    assert serve_url(contract) not in page(client, project_lead, contract)
    assert serve_url(contract) not in page(client, viewer, contract)


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_serving_notice_is_forbidden_to_viewers_and_leads(
    client, request, role, method, contract, picking
):
    client.force_login(request.getfixturevalue(role))

    response = getattr(client, method)(serve_url(contract), form_data())

    assert response.status_code == 403
    assert not ExitNotice.objects.exists()


def test_serving_notice_needs_a_sign_in(client, contract):
    response = client.get(serve_url(contract))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


# Serving


def test_the_serve_page_offers_every_outsourced_process_ticked_and_the_contract_method(
    client, operations_manager, contract, picking, packing
):
    client.force_login(operations_manager)

    form = client.get(serve_url(contract)).context["form"]

    assert list(form.fields["processes"].queryset) == [packing, picking]
    assert form["processes"].value() == [packing.pk, picking.pk]
    assert form["method"].value() == "registered_post"
    assert form["served_on"].value() == TODAY


def test_serving_the_whole_contract_puts_every_process_under_notice(
    client, operations_manager, contract, picking, packing
):
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data(processes=[picking.pk, packing.pk]))

    notice = ExitNotice.objects.get()
    assert response.status_code == 302
    assert response.url == f"{contract.get_absolute_url()}#notice-{notice.pk}"
    assert (notice.scope, notice.served_on, notice.exit_date) == ("whole", TODAY, EXIT)
    assert (notice.recipient, notice.signed_by, notice.served_by) == (
        "Contracts desk",
        "Olivia Hart",
        operations_manager,
    )
    assert set(OutsourcedProcess.objects.values_list("state", flat=True)) == {State.EXIT_NOTICE}
    followed = client.get(response.url).content.decode()
    assert "Notice on C-200 recorded: received 24 Nov 2026, the service ends 31 Dec 2027." in (
        followed
    )


def test_serving_named_processes_leaves_the_others_outsourced(
    client, operations_manager, contract, picking, packing
):
    client.force_login(operations_manager)

    client.post(serve_url(contract), form_data(scope="processes", processes=[picking.pk]))

    notice = ExitNotice.objects.get()
    assert notice.scope == "processes"
    picking.refresh_from_db()
    packing.refresh_from_db()
    assert (picking.state, picking.exit_notice) == (State.EXIT_NOTICE, notice)
    assert packing.state == State.OUTSOURCED


def test_named_processes_without_one_ticked_is_refused_beside_them(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data(scope="processes"))

    assert response.status_code == 400
    assert response.context["form"].errors["processes"] == ["Tick the processes the notice ends."]
    assert not ExitNotice.objects.exists()


def test_a_refused_day_keeps_what_was_typed_and_says_why_beside_it(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data(served_on="2026-12-01"))

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors["served_on"] == [
        "Notice cannot be received in the future (1 Dec 2026)."
    ]
    assert 'value="Contracts desk"' in html
    assert "Board decision of 12 November." in html
    assert 'value="2026-12-01"' in html
    assert not ExitNotice.objects.exists()
    assert OutsourcedProcess.objects.get().state == State.OUTSOURCED


def test_a_refusal_by_htmx_comes_back_as_the_dialog_fields(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data(served_on="2026-12-01"), headers=HTMX)

    html = response.content.decode()
    # htmx swaps only 2xx answers: the dialog's fields, with the error inside them.
    assert response.status_code == 200
    assert '<div id="notice-serve-fields"' in html
    assert "<html" not in html
    assert "Notice cannot be received in the future (1 Dec 2026)." in html
    assert 'value="Contracts desk"' in html


def test_serving_by_htmx_sends_the_browser_to_the_notice(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data(), headers=HTMX)

    # The contract page itself: a #fragment of the open page would not reload it.
    assert ExitNotice.objects.exists()
    assert response.headers["HX-Redirect"] == contract.get_absolute_url()


def test_a_process_the_workflow_refuses_lists_its_reasons_and_writes_nothing(
    client, operations_manager, contract, picking
):
    unready = OutsourcedProcessFactory(contract=contract, name="Returns")
    client.force_login(operations_manager)

    response = client.post(serve_url(contract), form_data())

    assert response.status_code == 400
    assert response.context["blocked"] == [
        "Returns: Record a readiness assessment before serving exit notice."
    ]
    assert "Record a readiness assessment before serving exit notice." in (
        response.content.decode()
    )
    assert not ExitNotice.objects.exists()
    unready.refresh_from_db()
    assert unready.state == State.OUTSOURCED


def test_the_proof_is_kept_with_the_notice(
    client, operations_manager, contract, picking, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(operations_manager)
    proof = SimpleUploadedFile("receipt.txt", b"Delivered 24 Nov 2026, signed J. Smith")

    client.post(serve_url(contract), {**form_data(), "proof": proof})

    notice = ExitNotice.objects.get()
    download = client.get(reverse("contracts:notice_proof", args=[contract.pk, notice.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Delivered 24 Nov 2026, signed J. Smith"
    assert "receipt.txt" in download.headers["Content-Disposition"]


def test_the_proof_is_for_signed_in_users_only(
    client, operations_manager, viewer, contract, picking, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    notice = notice_serve(
        actor=operations_manager,
        contract=contract,
        served_on=TODAY,
        proof=SimpleUploadedFile("p.txt", b"x"),
    )
    url = reverse("contracts:notice_proof", args=[contract.pk, notice.pk])

    assert client.get(url).status_code == 302
    client.force_login(viewer)
    assert client.get(url).status_code == 200


def test_a_notice_without_proof_has_none_to_download(
    client, operations_manager, viewer, contract, picking
):
    notice = notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)
    client.force_login(viewer)

    url = reverse("contracts:notice_proof", args=[contract.pk, notice.pk])

    assert client.get(url).status_code == 404


# The preview


def preview(client, contract, **params):
    return client.get(
        reverse("transition:notice_preview", args=[contract.pk]), params, headers=HTMX
    )


def test_the_preview_gives_the_exit_and_dispatch_dates_and_the_letter(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = preview(
        client, contract, served_on="2026-11-24", scope="processes", processes=[picking.pk]
    )

    result = response.context["preview"]
    assert (result.exit_date, result.assistance_end) == (EXIT, date(2028, 3, 31))
    # Two business days in transit before the deadline, Wednesday 30 Sep 2027.
    assert (result.deadline, result.dispatch_by) == (date(2027, 9, 30), date(2027, 9, 28))
    assert result.refusals == []
    assert result.letter_url == (
        f"/contracts/{contract.pk}/notice-letter.docx?served_on=2026-11-24&processes={picking.pk}"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "28 Sep 2027" in html
    assert "Download notice letter" in html


def test_the_preview_warns_of_a_day_before_the_notice_window(client, operations_manager):
    contract = ContractFactory(notice_window_months=6, owner=operations_manager)
    client.force_login(operations_manager)

    response = preview(client, contract, served_on="2026-11-24", scope="whole")

    assert response.context["preview"].refusals == [
        "Notice received on 24 Nov 2026 is before the notice window opens on 30 Jun 2027 "
        "(at most 6 months before the term end 31 Dec 2027)."
    ]
    assert "Notice received that day would be refused" in response.content.decode()


def test_the_preview_without_htmx_is_the_serve_page(client, operations_manager, contract):
    client.force_login(operations_manager)

    response = client.get(
        reverse("transition:notice_preview", args=[contract.pk]), {"served_on": "2026-11-24"}
    )

    assert response.status_code == 302
    assert response.url == f"{serve_url(contract)}?served_on=2026-11-24"


def test_the_preview_is_for_those_who_may_serve(client, viewer, contract):
    client.force_login(viewer)

    assert preview(client, contract, served_on="2026-11-24").status_code == 403


def test_update_the_dates_without_javascript_serves_nothing(
    client, operations_manager, contract, picking
):
    client.force_login(operations_manager)

    response = client.post(
        serve_url(contract), {**form_data(served_on="2026-10-01"), "preview": "1"}
    )

    assert response.status_code == 200
    assert response.context["preview"].exit_date == EXIT
    assert not ExitNotice.objects.exists()


# Withdrawing


@pytest.fixture
def notice(contract, picking, packing, operations_manager):
    return notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)


def withdraw_url(notice) -> str:
    return reverse("transition:notice_withdraw", args=[notice.contract_id, notice.pk])


def test_withdrawing_a_notice_puts_its_processes_back_and_keeps_the_record(
    client, operations_manager, notice
):
    client.force_login(operations_manager)

    response = client.post(
        withdraw_url(notice),
        {"withdrawal_reason": "Provider agreed better terms.", "provider_agreed": "yes"},
    )

    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.withdrawn_on, notice.withdrawal_reason, notice.provider_agreed) == (
        TODAY,
        "Provider agreed better terms.",
        True,
    )
    assert set(OutsourcedProcess.objects.values_list("state", flat=True)) == {State.OUTSOURCED}
    html = client.get(response.url).content.decode()
    assert "Withdrawn notices (1)" in html
    assert "Provider agreed better terms." in html


def test_withdrawing_without_a_reason_is_refused_beside_it(client, operations_manager, notice):
    client.force_login(operations_manager)

    response = client.post(withdraw_url(notice), {"withdrawal_reason": " "}, headers=HTMX)

    assert response.status_code == 200
    assert f'<div id="notice-withdraw-fields-{notice.pk}">' in response.content.decode()
    assert response.context["form"].errors["withdrawal_reason"]
    notice.refresh_from_db()
    assert notice.is_active


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_withdrawing_is_forbidden_to_viewers_and_leads(client, request, role, notice):
    client.force_login(request.getfixturevalue(role))

    response = client.post(withdraw_url(notice), {"withdrawal_reason": "No."})

    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.is_active


# What the pages show once notice is served


def test_a_contract_wholly_under_notice_shows_its_end_not_its_deadlines(
    client, operations_manager, viewer, notice
):
    html = page(client, viewer, notice.contract)

    for gone in (
        "Next notice deadline",
        "Decision date",
        "Exit date if notice is served today",
        "Exit date if notice is served on…",
        "decide now",
        "Dispatch by",
    ):
        assert gone not in html, gone
    assert "Under notice — ends 31 Dec 2027" in html
    assert "Notice of the whole contract was received on 24 Nov 2026" in html
    assert 'data-testid="date-exit_date"' in html
    assert "31 Mar 2028" in html  # termination assistance ends
    assert f'id="notice-{notice.pk}"' in html
    assert "Withdraw notice" not in html  # a viewer may not
    assert reverse("transition:notice_serve", args=[notice.contract_id]) not in html
    ops_html = page(client, operations_manager, notice.contract)
    assert withdraw_url(notice) in ops_html
    # Nothing is left to give notice on.
    assert reverse("transition:notice_serve", args=[notice.contract_id]) not in ops_html


def test_a_partly_noticed_contract_shows_the_notice_and_the_deadline_left(
    client, operations_manager, contract, picking, packing
):
    notice = notice_serve(
        actor=operations_manager, contract=contract, served_on=TODAY, processes=[picking.pk]
    )

    html = page(client, operations_manager, contract)

    assert "Partly under notice" in html
    assert "Notice is in force for 1 of 2 processes (service ending 31 Dec 2027)" in html
    assert 'data-testid="date-next_notice_deadline"' in html
    assert f'id="notice-{notice.pk}"' in html
    assert serve_url(contract) in html  # the rest can still be given notice


def test_lists_show_the_status_under_notice(client, viewer, notice):
    client.force_login(viewer)

    listed = client.get(reverse("contracts:contract_list")).content.decode()
    provider = client.get(notice.contract.provider.get_absolute_url()).content.decode()

    assert "Under notice — ends 31 Dec 2027" in listed
    assert "none: under notice" in listed
    assert "Under notice — ends 31 Dec 2027" in provider


def test_the_contract_list_filters_and_sorts_by_status(client, viewer, notice):
    other = ContractFactory(reference="C-100")
    client.force_login(viewer)
    url = reverse("contracts:contract_list")

    filtered = client.get(url, {"status": "under_notice"}).context["object_list"]
    ascending = client.get(url, {"sort": "status"}).context["object_list"]
    descending = client.get(url, {"sort": "-status"}).context["object_list"]

    assert list(filtered) == [notice.contract]
    assert list(ascending) == [other, notice.contract]  # active before under notice
    assert list(descending) == [notice.contract, other]


def test_the_dashboard_shows_my_contract_under_notice_without_a_notice_date(
    client, operations_manager, notice
):
    client.force_login(operations_manager)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    mine = response.context["dashboard"].mine.contracts
    assert [c.pending_deadline for c in mine] == [None]
    assert "Under notice — ends 31 Dec 2027" in html
    assert "notice by" not in html


def test_a_process_under_notice_links_to_its_notice(client, viewer, notice, picking):
    client.force_login(viewer)

    html = client.get(picking.get_absolute_url()).content.decode()

    assert "Under the notice on contract C-200 received 24 Nov 2026" in html
    assert notice.get_absolute_url() in html


def test_a_process_outside_a_whole_notice_says_so(client, viewer, notice):
    late = OutsourcedProcessFactory(contract=notice.contract, name="Added later")
    client.force_login(viewer)

    html = client.get(late.get_absolute_url()).content.decode()

    assert (
        "Contract C-200 is under notice for the whole contract, received 24 Nov 2026, ending "
        "31 Dec 2027; this process is not in its scope."
    ) in html
    assert f"#notice-{notice.pk}" in html


def test_the_register_export_carries_the_status_and_the_notice(notice, picking):
    rows = {row["function"]: row for row in register_rows(TODAY)}

    row = rows["Picking"]
    assert row["contract_status"] == "Under notice — ends 31 Dec 2027"
    assert (row["notice_received_on"], row["notice_scope"], row["exit_date"]) == (
        "2026-11-24",
        "The whole contract",
        "2027-12-31",
    )
    assert row["next_notice_deadline"] == ""
