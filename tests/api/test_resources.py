"""Fields, computed values, the exit-date calculator, filters, pagination and error shapes."""

from datetime import date

import pytest
import time_machine

from contracts.models import Contract
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def worked_example(operations_manager):
    """Worked example 1 of docs/domain.md: 2020–2024, yearly renewal, three months' notice."""
    return ContractFactory(
        reference="C-2020",
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
        renewal=Contract.Renewal.AUTOMATIC,
        renewal_term_months=12,
        notice_period=3,
        notice_unit=Contract.NoticeUnit.MONTHS,
        exit_assistance_months=6,
    )


def test_a_contract_carries_the_date_engine_dates(ops_client, worked_example):
    data = ops_client.get(f"/api/v1/contracts/{worked_example.pk}/").data

    assert data["current_term_end"] == "2026-12-31"
    assert data["next_notice_deadline"] == "2027-09-30"
    assert data["decision_date"] == "2027-07-02"
    assert data["exit_date_if_served_today"] == "2027-12-31"
    assert data["annual_value"] == "250000.00"  # money as a decimal string


def test_the_calculator_gives_exit_and_assistance_end(ops_client, worked_example):
    response = ops_client.get(
        f"/api/v1/contracts/{worked_example.pk}/exit-date/", {"served_on": "2027-10-01"}
    )

    assert response.status_code == 200
    assert response.data == {
        "served_on": "2027-10-01",
        "exit_date": "2028-12-31",
        "assistance_end": "2029-06-30",
    }


def test_the_calculator_defaults_to_today(ops_client, worked_example):
    data = ops_client.get(f"/api/v1/contracts/{worked_example.pk}/exit-date/").data

    assert (data["served_on"], data["exit_date"]) == ("2026-11-24", "2027-12-31")


@pytest.mark.parametrize("served_on", ["2027-02-30", "tomorrow", "0001-01-01", "9999-12-31"])
def test_the_calculator_refuses_a_bad_date_with_400(ops_client, worked_example, served_on):
    response = ops_client.get(
        f"/api/v1/contracts/{worked_example.pk}/exit-date/", {"served_on": served_on}
    )

    assert response.status_code == 400
    assert "served_on" in response.data


def test_invalid_contract_terms_are_400_naming_the_field(ops_client, worked_example):
    response = ops_client.patch(
        f"/api/v1/contracts/{worked_example.pk}/",
        {"renewal": "automatic", "renewal_term_months": None},
        format="json",
    )

    assert response.status_code == 400
    assert "renewal_term_months" in response.data


def test_deleting_a_provider_in_use_is_400_with_a_message(ops_client, worked_example):
    response = ops_client.delete(f"/api/v1/providers/{worked_example.provider_id}/")

    assert response.status_code == 400
    assert "cannot be deleted while contracts refer to it" in response.data["non_field_errors"][0]


def test_contracts_filter_by_next_notice_deadline_before_a_date(ops_client, worked_example):
    soon = ContractFactory(
        reference="C-SOON",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 3, 31),
        renewal=Contract.Renewal.NONE,
        renewal_term_months=None,
    )

    data = ops_client.get("/api/v1/contracts/", {"next_notice_deadline_before": "2027-01-31"}).data

    assert [c["reference"] for c in data["results"]] == [soon.reference]
    assert data["results"][0]["next_notice_deadline"] <= "2027-01-31"


def test_contracts_filter_by_provider_status_and_end_date_range(ops_client, worked_example):
    other = ContractFactory(reference="C-OTHER", provider=ServiceProviderFactory(name="Other"))

    by_provider = ops_client.get("/api/v1/contracts/", {"provider": other.provider_id}).data
    by_range = ops_client.get(
        "/api/v1/contracts/", {"end_date_after": "2025-01-01", "end_date_before": "2030-01-01"}
    ).data
    by_status = ops_client.get("/api/v1/contracts/", {"status": "active"}).data

    assert [c["reference"] for c in by_provider["results"]] == ["C-OTHER"]
    assert [c["reference"] for c in by_range["results"]] == ["C-OTHER"]
    assert {c["reference"] for c in by_status["results"]} == {"C-2020", "C-OTHER"}


def test_an_unknown_foreign_key_in_a_filter_is_400(ops_client, db):
    assert ops_client.get("/api/v1/contracts/", {"provider": 999}).status_code == 400


def test_a_bare_message_from_a_filter_is_400_keyed_like_every_other(ops_client, db):
    response = ops_client.get("/api/v1/providers/", {"search": "Kes\x00trel"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_processes_filter_by_state_and_programme(ops_client, process):
    other = OutsourcedProcessFactory(state="exit_notice")

    assert ops_client.get("/api/v1/processes/", {"state": "exit_notice"}).data["count"] == 1
    by_programme = ops_client.get("/api/v1/processes/", {"programme": other.programme_id}).data
    assert [p["name"] for p in by_programme["results"]] == [other.name]


def test_milestones_filter_by_status_and_due_date(ops_client, process):
    MilestoneFactory(process=process, title="Late", due_date=date(2026, 1, 1))

    data = ops_client.get(
        "/api/v1/milestones/", {"status": "planned", "due_date_before": "2026-06-30"}
    ).data

    assert [m["title"] for m in data["results"]] == ["Late"]


def test_a_process_carries_its_business_case(ops_client, process):
    data = ops_client.get(f"/api/v1/processes/{process.pk}/").data

    assert (data["annual_saving"], data["payback_months"]) == ("120000.00", "24.0")
    assert data["rag"] in {"red", "amber", "green"}
    assert data["state"] == "outsourced"


def test_lists_paginate_with_count_next_previous_and_results(ops_client, db):
    for n in range(30):
        ServiceProviderFactory(name=f"P{n:02d}")

    first = ops_client.get("/api/v1/providers/").data
    last = ops_client.get("/api/v1/providers/", {"page": 2}).data
    small = ops_client.get("/api/v1/providers/", {"page_size": 5}).data

    assert (first["count"], len(first["results"]), first["previous"]) == (30, 25, None)
    assert first["next"].endswith("?page=2")
    assert (len(last["results"]), last["next"]) == (5, None)
    assert len(small["results"]) == 5


def test_a_page_past_the_end_is_404(ops_client, db):
    assert ops_client.get("/api/v1/providers/", {"page": 3}).status_code == 404


def test_contract_list_queries_do_not_grow_with_rows(ops_client, process):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert ops_client.get("/api/v1/contracts/").status_code == 200
        return len(context)

    one = count_queries()
    for n in range(10):
        ContractFactory(reference=f"C-X{n}", provider=process.contract.provider)
    assert count_queries() == one


def test_milestone_dependencies_are_written_and_checked(ops_client, process):
    plan = process.milestones.get()
    response = ops_client.post(
        "/api/v1/milestones/",
        {
            "process": process.pk,
            "title": "Build",
            "due_date": "2027-06-01",
            "depends_on": [plan.pk],
        },
        format="json",
    )
    other = MilestoneFactory()
    bad = ops_client.patch(
        f"/api/v1/milestones/{response.data['id']}/", {"depends_on": [other.pk]}, format="json"
    )

    assert response.status_code == 201
    assert response.data["depends_on"] == [plan.pk]
    assert bad.status_code == 400
    assert "another process" in bad.data["depends_on"][0]


def test_a_readiness_assessment_is_recorded_by_the_caller(ops_client, process, operations_manager):
    response = ops_client.post(
        "/api/v1/readiness-assessments/",
        {
            "process": process.pk,
            "expertise": 2,
            "workforce": 4,
            "infrastructure": 4,
            "systems_data": 4,
            "processes_controls": 4,
        },
        format="json",
    )

    assert response.status_code == 201
    assert (response.data["assessed_by"], response.data["overall"], response.data["rag"]) == (
        operations_manager.pk,
        2,
        "red",
    )
    assert response.data["assessed_on"] == "2026-11-24"
