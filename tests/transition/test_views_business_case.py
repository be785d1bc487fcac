"""The business-case pages: a process's tab, the edit form of its inputs, the XLSX export and
the programme roll-up (docs/business-case.md)."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.templatetags.ui import money
from currencies.models import ExchangeRate
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.business_case.selectors import process_case, with_case_inputs
from transition.models import BusinessCaseInputs, OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def case_url(process) -> str:
    return reverse("transition:process_business_case", args=[process.pk])


def edit_url(process) -> str:
    return reverse("transition:process_business_case_update", args=[process.pk])


def xlsx_url(process) -> str:
    return reverse("transition:process_business_case_xlsx", args=[process.pk])


def programme_url(programme) -> str:
    return reverse("transition:programme_business_case", args=[programme.pk])


def npv_of(process) -> Decimal:
    return process_case(with_case_inputs(OutsourcedProcess.objects.all()).get(pk=process.pk)).npv


def valid_inputs(**changes) -> dict[str, str]:
    data = {
        "labour_cost_growth": "3",
        "renegotiation_change": "-10",
        "go_live_month": "7",
        "dual_running_months": "2",
        "termination_fee": "10000",
        "exit_assistance_cost": "5000",
        "tupe_cost": "8000",
        "stranded_cost": "2000",
    }
    data.update(changes)
    return data


@pytest.fixture
def process(db):
    return OutsourcedProcessFactory(name="Warehouse operations")


@pytest.mark.parametrize("role", ["viewer", "project_lead", "operations_manager"])
def test_every_role_reads_the_business_case_tab(client, request, role, process):
    client.force_login(request.getfixturevalue(role))
    response = client.get(case_url(process))

    assert response.status_code == 200
    page = response.content.decode()
    assert money(npv_of(process), "EUR") in page
    for testid in ("case-figures", "cash-flow", "scenarios", "sensitivity", "case-inputs"):
        assert f'data-testid="{testid}"' in page
    for canvas in ("cumulative", "savings", "scenarios", "tornado"):
        assert f'id="case-{canvas}-chart"' in page
    assert f'aria-current="page" href="{case_url(process)}"' in page
    # Editing is offered to operations managers only.
    assert (edit_url(process) in page) is (role == "operations_manager")


def test_the_tab_shows_every_year_of_the_cash_flow_and_the_chart_data(client, viewer, process):
    client.force_login(viewer)
    response = client.get(case_url(process))

    case = response.context["case"]
    assert len(case.years) == process.programme.case_horizon_years
    chart = json.loads(
        response.content.decode()
        .split('id="case-chart-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert chart["currency"] == "EUR"
    assert len(chart["cumulative"]["values"]) == 12 * process.programme.case_horizon_years
    assert chart["savings"]["datasets"][0]["values"] == [
        float(flow.net_cash_flow) for flow in case.years
    ]
    assert [row["label"] for row in chart["tornado"]["rows"]] == [
        row.label for row in response.context["sensitivity"].rows
    ]
    assert chart["tornado"]["base"] == float(case.npv)


def test_the_workspace_and_the_case_share_the_tabs(client, viewer, process):
    client.force_login(viewer)
    page = client.get(process.get_absolute_url()).content.decode()

    assert 'aria-label="Process pages"' in page
    assert case_url(process) in page


def test_the_programme_page_links_to_its_roll_up(client, viewer, process):
    client.force_login(viewer)
    page = client.get(process.programme.get_absolute_url()).content.decode()

    assert programme_url(process.programme) in page


def test_an_operations_manager_saves_the_inputs_and_the_npv_changes(
    client, operations_manager, process
):
    before = npv_of(process)
    client.force_login(operations_manager)

    response = client.post(edit_url(process), valid_inputs())

    assert response.status_code == 302
    assert response["Location"] == case_url(process)
    row = BusinessCaseInputs.objects.get(process=process)
    assert row.go_live_month == 7
    assert row.termination_fee == Decimal("10000")
    after = npv_of(process)
    assert after != before
    page = client.get(case_url(process)).content.decode()
    assert money(after, "EUR") in page
    assert "Business case inputs saved." in page


def test_the_edit_form_labels_money_with_the_process_currency(client, operations_manager):
    process = OutsourcedProcessFactory(contract=ContractFactory(currency="GBP"))
    client.force_login(operations_manager)

    page = client.get(edit_url(process)).content.decode()

    assert "Termination fee (GBP)" in page
    assert "Labour-cost growth (% a year)" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("labour_cost_growth", "-1", "Labour-cost growth (% a year) must be between 0% and 100%."),
        (
            "renegotiation_change",
            "-150",
            "Renegotiated price change (%) must be between -100% and 100%.",
        ),
        (
            "dual_running_months",
            "99",
            "Dual running (months, 0–36) must be between 0 and 36.",
        ),
        ("go_live_month", "0", "In-house from month (1–360) must be between 1 and 360."),
        ("termination_fee", "-5", "Termination fee (EUR) cannot be negative."),
        ("labour_cost_growth", "three", "Labour-cost growth (% a year): enter a number."),
        ("dual_running_months", "2.5", "Dual running (months, 0–36): enter a number."),
        ("stranded_cost", "", "Stranded cost (EUR): enter a value."),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client, operations_manager, process, field, value, message
):
    BusinessCaseInputs.objects.create(process=process, labour_cost_growth=Decimal(4))
    before = list(BusinessCaseInputs.objects.values())
    history = BusinessCaseInputs.history.count()
    client.force_login(operations_manager)

    response = client.post(edit_url(process), valid_inputs(**{field: value}))

    assert response.status_code == 400
    assert message in response.context["errors"]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert response.context["form"].errors[field]
    assert list(BusinessCaseInputs.objects.values()) == before
    assert BusinessCaseInputs.history.count() == history


def test_bad_input_on_first_save_creates_no_row(client, operations_manager, process):
    client.force_login(operations_manager)

    response = client.post(edit_url(process), valid_inputs(labour_cost_growth="-3"))

    assert response.status_code == 400
    assert not BusinessCaseInputs.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_operations_managers_may_edit_the_inputs(client, request, role):
    user = request.getfixturevalue(role)
    # Even the lead of the process: the case is the operations manager's decision.
    process = OutsourcedProcessFactory(lead=user if role == "project_lead" else None)
    client.force_login(user)

    assert client.get(edit_url(process)).status_code == 403
    assert client.post(edit_url(process), valid_inputs()).status_code == 403
    assert not BusinessCaseInputs.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, process):
    for url in (case_url(process), edit_url(process), xlsx_url(process)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["viewer", "operations_manager"])
def test_a_process_without_cost_figures_asks_for_them(client, request, role):
    process = OutsourcedProcessFactory(
        annual_outsourced_cost=None, projected_inhouse_annual_cost=None
    )
    client.force_login(request.getfixturevalue(role))

    response = client.get(case_url(process))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the annual outsourced cost and projected in-house cost first" in page
    assert 'data-testid="case-missing"' in page
    assert "case-chart-data" not in page
    assert "chart.umd.min.js" not in page
    edit_process = reverse("transition:process_update", args=[process.pk])
    assert (edit_process in page) is (role == "operations_manager")
    # The inputs stay readable, and the XLSX is not offered.
    assert 'data-testid="case-inputs"' in page
    assert xlsx_url(process) not in page


def test_the_xlsx_export_of_a_process_without_figures_goes_back_with_a_message(client, viewer):
    process = OutsourcedProcessFactory(one_off_transition_cost=None)
    client.force_login(viewer)

    response = client.get(xlsx_url(process), follow=True)

    assert response.redirect_chain == [(case_url(process), 302)]
    assert "Enter the annual outsourced cost" in response.content.decode()


def test_the_xlsx_download_has_a_safe_file_name_and_the_case(client, viewer):
    process = OutsourcedProcessFactory(name='Pay"roll\r\nX-Evil: 1; filename=evil.exe')
    client.force_login(viewer)

    response = client.get(xlsx_url(process))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="business-case-{process.pk}-payroll-x-evil-1-filenameevilexe'
        '-2026-11-24.xlsx"'
    )
    assert "X-Evil" not in response.headers
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Inputs", "Cash flow", "Scenarios", "Sensitivity"} <= set(workbook.sheetnames)


def test_the_programme_roll_up_adds_up_converts_and_says_what_it_left_out(client, viewer):
    programme = ProgrammeFactory(name="Insourcing")
    euro = OutsourcedProcessFactory(programme=programme, name="Euro process")
    pounds = OutsourcedProcessFactory(
        programme=programme, name="Pound process", contract=ContractFactory(currency="GBP")
    )
    OutsourcedProcessFactory(
        programme=programme,
        name="Dollar process",
        contract=ContractFactory(currency="USD"),
    )
    OutsourcedProcessFactory(
        programme=programme, name="Unpriced process", annual_outsourced_cost=None
    )
    ExchangeRate.objects.create(date=date(2026, 11, 20), currency="GBP", rate=Decimal("0.8"))
    client.force_login(viewer)

    response = client.get(programme_url(programme))

    assert response.status_code == 200
    page = response.content.decode()
    case = response.context["case"]
    assert case.currency == "EUR"
    assert "rates of 20 Nov 2026" in page
    assert 'data-testid="case-excluded"' in page
    assert "Unpriced process" in page
    assert 'data-testid="case-unconverted"' in page
    assert money(case.unconverted["USD"], "USD") in page
    assert money(case.npv, "EUR") in page
    for process in (euro, pounds):
        assert case_url(process) in page
    assert money(npv_of(pounds), "GBP") in page
    assert page.count("not converted</span>") == 1
    assert 'id="case-cumulative-chart"' in page


def test_an_empty_programme_roll_up_says_so(client, viewer):
    programme = ProgrammeFactory()
    client.force_login(viewer)

    response = client.get(programme_url(programme))

    assert response.status_code == 200
    assert 'data-testid="case-empty"' in response.content.decode()
    assert "chart.umd.min.js" not in response.content.decode()


def test_the_programme_horizon_and_rate_are_shown_and_editable_by_managers(
    client, viewer, operations_manager
):
    programme = ProgrammeFactory(case_horizon_years=7, discount_rate=Decimal("6.5"))
    OutsourcedProcessFactory(programme=programme)
    edit = reverse("transition:programme_update", args=[programme.pk])

    client.force_login(viewer)
    page = client.get(programme_url(programme)).content.decode()
    assert "over 7 years" in page
    assert "6.50% a year" in page
    assert edit not in page

    client.force_login(operations_manager)
    assert edit in client.get(programme_url(programme)).content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_process_tab_runs_a_pinned_number_of_queries(
    client, viewer, process, django_assert_num_queries
):
    BusinessCaseInputs.objects.create(process=process)
    client.force_login(viewer)
    # Session, user, the process with its programme, contract and inputs in one, the user's
    # groups (rules) and the unread-notification badge.
    with django_assert_num_queries(5):
        assert client.get(case_url(process)).status_code == 200


def test_the_programme_roll_up_runs_a_pinned_number_of_queries_whatever_the_processes(
    client, viewer, django_assert_num_queries
):
    programme = ProgrammeFactory()
    OutsourcedProcessFactory(programme=programme, contract=ContractFactory(currency="GBP"))
    client.force_login(viewer)
    one = queries_for(client, programme_url(programme))
    for index in range(9):
        currency = ["EUR", "GBP", "USD"][index % 3]
        OutsourcedProcessFactory(programme=programme, contract=ContractFactory(currency=currency))

    with django_assert_num_queries(one):
        assert client.get(programme_url(programme)).status_code == 200
    # Session, user, the programme, its processes with what their cases read, the exchange
    # rates, the user's groups (rules) and the unread-notification badge.
    assert one == 7


def test_the_process_admin_shows_the_inputs_inline(client, process):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    BusinessCaseInputs.objects.create(process=process, tupe_cost=Decimal(8000))
    client.force_login(admin_user)

    response = client.get(reverse("admin:transition_outsourcedprocess_change", args=[process.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="case_inputs-0-tupe_cost"' in page
    assert 'value="8000.00"' in page
