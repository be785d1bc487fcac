"""The notices endpoints: serve on a contract (whole or partial), withdraw, list and filter;
the contract and the process carry their notices."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import ExitNotice
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition import services
from transition.models import OutsourcedProcess, ProcessEvent

TODAY = date(2026, 11, 24)
URL = "/api/v1/notices/"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def sibling(process):
    """A second process under the contract of `process`, ready for notice."""
    other = OutsourcedProcessFactory(
        contract=process.contract, programme=process.programme, name="Returns"
    )
    ReadinessAssessmentFactory(process=other)
    return other


def serve(client, contract, **fields):
    return client.post(
        URL, {"contract": contract.pk, "served_on": "2026-11-20", **fields}, format="json"
    )


def state_of(process) -> str:
    return OutsourcedProcess.objects.get(pk=process.pk).state


def test_notice_on_the_whole_contract_moves_every_process(ops_client, process, sibling):
    response = serve(
        ops_client,
        process.contract,
        method="courier",
        dispatched_on="2026-11-18",
        recipient="Acme legal",
        signed_by="O. Manager",
        note="Letter 1",
    )

    assert response.status_code == 201, response.data
    data = response.data
    assert (data["scope"], data["served_on"], data["exit_date"]) == (
        "whole",
        "2026-11-20",
        "2027-12-31",
    )
    assert sorted(data["processes"]) == sorted([process.pk, sibling.pk])
    assert (data["is_active"], data["proof"], data["method"]) == (True, None, "courier")
    assert {state_of(process), state_of(sibling)} == {"exit_notice"}
    assert ProcessEvent.objects.filter(notice_id=data["id"]).count() == 2


def test_notice_naming_processes_moves_only_those(ops_client, process, sibling):
    response = serve(ops_client, process.contract, processes=[sibling.pk])

    assert response.status_code == 201, response.data
    assert (response.data["scope"], response.data["processes"]) == ("processes", [sibling.pk])
    assert (state_of(sibling), state_of(process)) == ("exit_notice", "outsourced")
    contract = ops_client.get(f"/api/v1/contracts/{process.contract_id}/").data
    assert contract["status"] == "partly_under_notice"


def test_proof_of_service_is_uploaded_as_multipart(ops_client, process, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = ops_client.post(
        URL,
        {
            "contract": process.contract_id,
            "served_on": "2026-11-20",
            "processes": [process.pk],
            "proof": SimpleUploadedFile("receipt.pdf", PDF),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.data
    # The API's permission-checked download, never the storage's own URL.
    download = f"http://testserver/api/v1/notices/{response.data['id']}/proof/"
    assert response.data["proof"] == download
    answer = ops_client.get(download)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert "attachment" in answer["Content-Disposition"]


def test_a_notice_without_proof_has_no_download(ops_client, process):
    response = ops_client.post(
        URL, {"contract": process.contract_id, "served_on": "2026-11-20"}, format="json"
    )

    assert response.data["proof"] is None
    answer = ops_client.get(f"/api/v1/notices/{response.data['id']}/proof/")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No proof of service is attached to this notice."}


def test_unmet_guards_answer_409_naming_the_process_and_serve_nothing(ops_client, process, sibling):
    process.readiness_assessments.all().delete()

    response = serve(ops_client, process.contract)

    assert response.status_code == 409
    assert response.data["detail"]
    assert response.data["reasons"]
    assert all(reason.startswith("Fulfilment: ") for reason in response.data["reasons"])
    assert not ExitNotice.objects.exists()
    assert {state_of(process), state_of(sibling)} == {"outsourced"}


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_operations_managers_serve_notice(client_for, request, process, role):
    response = serve(client_for(request.getfixturevalue(role)), process.contract)

    assert response.status_code == 403
    assert not ExitNotice.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"served_on": "2026-12-01"}, "served_on"),
        ({"dispatched_on": "2026-11-21"}, "dispatched_on"),
        ({"served_on": "20/11/2026"}, "served_on"),
        ({"method": "pigeon"}, "method"),
        ({"processes": [999999]}, "processes"),
        ({"note": "Bell\x07"}, "note"),
    ],
)
def test_bad_input_is_400_naming_the_field(ops_client, process, fields, field):
    response = serve(ops_client, process.contract, **fields)

    assert response.status_code == 400
    assert field in response.data
    assert not ExitNotice.objects.exists()


def test_processes_of_another_contract_are_400_naming_them(ops_client, process):
    stranger = OutsourcedProcessFactory(name="Elsewhere")

    response = serve(ops_client, process.contract, processes=[process.pk, stranger.pk])

    assert response.status_code == 400
    assert "Elsewhere" in response.data["processes"][0]
    assert state_of(process) == "outsourced"


def test_a_proof_of_another_type_is_400(ops_client, process, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = ops_client.post(
        URL,
        {
            "contract": process.contract_id,
            "served_on": "2026-11-20",
            "proof": SimpleUploadedFile("receipt.exe", b"MZ"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "proof" in response.data


def test_notices_list_filter_and_show_one(client_for, viewer, operations_manager, process, sibling):
    other = ContractFactory()
    first = services.notice_serve(
        actor=operations_manager,
        contract=process.contract,
        served_on=date(2026, 11, 2),
        processes=[sibling.pk],
    )
    services.notice_withdraw(actor=operations_manager, notice=first, reason="Price cut")
    second = services.notice_serve(
        actor=operations_manager, contract=process.contract, served_on=date(2026, 11, 20)
    )
    third = services.notice_serve(
        actor=operations_manager, contract=other, served_on=date(2026, 11, 10)
    )
    client = client_for(viewer)

    def ids(**query):
        response = client.get(URL, query)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.data["results"]]

    assert ids() == [second.pk, third.pk, first.pk]  # newest received first
    assert ids(contract=process.contract_id) == [second.pk, first.pk]
    assert ids(active="true") == [second.pk, third.pk]
    assert ids(active="false") == [first.pk]
    assert ids(scope="processes") == [first.pk]
    detail = client.get(f"{URL}{second.pk}/").data
    assert detail["processes"] == sorted([process.pk, sibling.pk])
    assert (detail["served_by"], detail["assistance_end"]) == (
        operations_manager.pk,
        second.assistance_end.isoformat(),
    )
    assert client.get(f"{URL}{first.pk}/").data["processes"] == []


def test_an_unknown_contract_filter_is_400(ops_client, db):
    assert ops_client.get(URL, {"contract": 999999}).status_code == 400


def test_withdrawal_returns_the_processes_and_keeps_the_record(
    ops_client, operations_manager, process
):
    notice = serve(ops_client, process.contract).data

    response = ops_client.post(
        f"{URL}{notice['id']}/withdraw/",
        {"reason": "Price cut agreed", "provider_agreed": True, "withdrawn_on": "2026-11-22"},
        format="json",
    )

    assert response.status_code == 200, response.data
    data = response.data
    assert (data["is_active"], data["withdrawn_on"], data["withdrawal_reason"]) == (
        False,
        "2026-11-22",
        "Price cut agreed",
    )
    assert (data["provider_agreed"], data["withdrawn_by"], data["processes"]) == (
        True,
        operations_manager.pk,
        [],
    )
    assert state_of(process) == "outsourced"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"reason": "Bell\x07"}, "reason"),
        ({"reason": "No", "withdrawn_on": "2026-11-19"}, "withdrawn_on"),
        ({"reason": "No", "withdrawn_on": "2026-11-25"}, "withdrawn_on"),
        ({"provider_agreed": True}, "reason"),
    ],
)
def test_a_withdrawal_with_bad_input_is_400(ops_client, process, body, field):
    notice = serve(ops_client, process.contract).data

    response = ops_client.post(f"{URL}{notice['id']}/withdraw/", body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert state_of(process) == "exit_notice"


def test_a_notice_is_withdrawn_once(ops_client, process):
    notice = serve(ops_client, process.contract).data
    url = f"{URL}{notice['id']}/withdraw/"
    assert ops_client.post(url, {"reason": "No"}, format="json").status_code == 200

    response = ops_client.post(url, {"reason": "Again"}, format="json")

    assert response.status_code == 400
    assert "already withdrawn" in response.data["withdrawn_on"][0]


def test_a_process_already_in_transition_blocks_the_withdrawal_with_409(ops_client, process):
    notice = serve(ops_client, process.contract).data
    OutsourcedProcess.objects.filter(pk=process.pk).update(state="transition")

    response = ops_client.post(f"{URL}{notice['id']}/withdraw/", {"reason": "No"}, format="json")

    assert response.status_code == 409
    assert response.data["reasons"][0].startswith("Fulfilment: ")
    assert ExitNotice.objects.get(pk=notice["id"]).is_active


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_operations_managers_withdraw_notice(ops_client, client_for, request, process, role):
    notice = serve(ops_client, process.contract).data

    response = client_for(request.getfixturevalue(role)).post(
        f"{URL}{notice['id']}/withdraw/", {"reason": "No"}, format="json"
    )

    assert response.status_code == 403
    assert state_of(process) == "exit_notice"


def test_notices_are_not_edited_or_deleted(ops_client, process):
    notice = serve(ops_client, process.contract).data

    assert ops_client.patch(f"{URL}{notice['id']}/", {"note": "x"}).status_code == 405
    assert ops_client.delete(f"{URL}{notice['id']}/").status_code == 405


def test_the_contract_carries_its_notices_and_the_process_its_notice(ops_client, process):
    older = serve(ops_client, process.contract, processes=[process.pk], served_on="2026-11-02")
    ops_client.post(f"{URL}{older.data['id']}/withdraw/", {"reason": "No"}, format="json")
    newer = serve(ops_client, process.contract).data

    contract = ops_client.get(f"/api/v1/contracts/{process.contract_id}/").data
    listed = ops_client.get("/api/v1/contracts/").data["results"][0]
    row = ops_client.get(f"/api/v1/processes/{process.pk}/").data

    assert contract["status"] == listed["status"] == "under_notice"
    assert [n["id"] for n in contract["notices"]] == [newer["id"], older.data["id"]]
    assert contract["notices"] == listed["notices"]
    assert contract["notices"][0] == {
        "id": newer["id"],
        "scope": "whole",
        "served_on": "2026-11-20",
        "exit_date": "2027-12-31",
        "withdrawn_on": None,
        "is_active": True,
    }
    assert row["exit_notice"] == newer["id"]


def test_contracts_filter_by_the_notice_aware_status(ops_client, process):
    ContractFactory(reference="C-FREE")
    serve(ops_client, process.contract)

    data = ops_client.get("/api/v1/contracts/", {"status": "under_notice"}).data

    assert [c["reference"] for c in data["results"]] == ["C-ACME"]


# Query counts: session, user, page count, page, and one prefetch (the processes in scope of
# the notices; the notices of the contracts). The contract list's status reads the notice
# state annotated on each row (Contract.objects.with_notice_state()), no query per row.


def add_notices(count: int, actor) -> None:
    for _n in range(count):
        process = OutsourcedProcessFactory()
        ReadinessAssessmentFactory(process=process)
        services.notice_serve(actor=actor, contract=process.contract, served_on=date(2026, 11, 20))


def test_the_notice_list_costs_the_same_for_one_notice_as_for_ten(
    ops_client, operations_manager, django_assert_num_queries
):
    add_notices(1, operations_manager)
    with django_assert_num_queries(5):
        one = ops_client.get(URL)
    add_notices(9, operations_manager)
    with django_assert_num_queries(5):
        ten = ops_client.get(URL)

    assert (one.data["count"], ten.data["count"]) == (1, 10)
    assert all(len(row["processes"]) == 1 for row in ten.data["results"])


def test_the_contract_list_with_notices_costs_the_same_for_one_contract_as_for_ten(
    ops_client, operations_manager, django_assert_num_queries
):
    add_notices(1, operations_manager)
    with django_assert_num_queries(5):
        one = ops_client.get("/api/v1/contracts/")
    add_notices(9, operations_manager)
    with django_assert_num_queries(5):
        ten = ops_client.get("/api/v1/contracts/")

    assert (one.data["count"], ten.data["count"]) == (1, 10)
    assert {row["status"] for row in ten.data["results"]} == {"under_notice"}
    assert all(len(row["notices"]) == 1 for row in ten.data["results"])
