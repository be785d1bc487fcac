"""The dashboard: processes by state, the next 90 days, what is overdue, and my items."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember
from web.selectors import MINE_LIMIT, OVERDUE_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def dashboard_for(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def test_dashboard_needs_a_signed_in_user(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.parametrize("role", ["viewer", "project_lead", "operations_manager"])
def test_every_role_sees_the_dashboard(client, request, role):
    OutsourcedProcessFactory()

    response = dashboard_for(client, request.getfixturevalue(role))

    assert "Next 90 days" in response.content.decode()


def test_processes_are_counted_and_costed_per_state(client, viewer):
    OutsourcedProcessFactory.create_batch(2)
    OutsourcedProcessFactory(
        state=OutsourcedProcess.State.TRANSITION,
        annual_outsourced_cost=Decimal("100000"),
        projected_inhouse_annual_cost=Decimal("130000"),
        one_off_transition_cost=Decimal("20000"),
    )
    OutsourcedProcessFactory(
        annual_outsourced_cost=None,
        projected_inhouse_annual_cost=None,
        one_off_transition_cost=None,
    )

    money = dashboard_for(client, viewer).context["dashboard"].portfolio

    def amount(total):
        assert total.currency == "EUR"
        return total.amount.amount

    states = {s.state: s.figures for s in money.states}
    assert states["outsourced"].process_count == 3
    assert amount(states["outsourced"].annual_outsourced_cost) == Decimal("1000000")
    assert amount(states["outsourced"].annual_saving) == Decimal("240000")
    assert states["transition"].process_count == 1
    assert amount(states["transition"].annual_saving) == Decimal("-30000")
    assert states["exit_notice"].process_count == 0
    portfolio = money.total
    assert portfolio.process_count == 4
    assert (portfolio.saving_count, portfolio.left_out) == (3, 1)
    assert amount(portfolio.annual_outsourced_cost) == Decimal("1100000")
    assert amount(portfolio.projected_inhouse_annual_cost) == Decimal("890000")
    assert amount(portfolio.annual_saving) == Decimal("210000")
    assert amount(portfolio.one_off_transition_cost) == Decimal("500000")
    # All in euros: nothing converted, so no rates day.
    assert (portfolio.complete, portfolio.rates_date) == (True, None)
    # 500,000 one-off over a 17,500 monthly saving.
    assert portfolio.payback_months == Decimal("28.6")


def test_portfolio_chart_data_is_embedded_for_the_vendored_chart(client, viewer):
    OutsourcedProcessFactory()

    response = dashboard_for(client, viewer)

    html = response.content.decode()
    assert 'id="portfolio-chart-data"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert response.context["chart"]["series"][0]["data"] == [500000.0, 0.0, 0.0, 0.0]
    assert "24.0 months" in html


def test_upcoming_deadlines_cover_every_kind_sorted_by_date(client, viewer):
    # Yearly to 28 Feb with 3 months' notice: 28 Nov 2026 is a Saturday, so the 27th.
    soon = ContractFactory(reference="C-SOON", end_date=date(2027, 2, 28))
    OutsourcedProcessFactory(contract=soon, name="Payroll")
    # No renewal, 3 months' notice to 31 Mar 2027; decision 90 days before: 30 Dec 2026.
    deciding = ContractFactory(
        reference="C-DECIDE",
        end_date=date(2027, 6, 30),
        renewal="none",
        renewal_term_months=None,
    )
    OutsourcedProcessFactory(contract=deciding, name="Service desk")
    exiting_contract = ContractFactory(reference="C-EXIT", exit_assistance_months=1)
    exiting = OutsourcedProcessFactory(
        contract=exiting_contract,
        name="Fulfilment",
        state=OutsourcedProcess.State.EXIT_NOTICE,
        exit_date=date(2026, 12, 31),
    )
    MilestoneFactory(process=exiting, title="Knowledge transfer", due_date=date(2026, 12, 10))
    AssetFactory(process=exiting, name="Forklifts", transfer_due=date(2027, 2, 1))
    StaffMemberFactory(
        process=exiting,
        name="Ada Shaw",
        route=StaffMember.Route.TUPE,
        planned_start=date(2027, 1, 31),
    )

    dashboard = dashboard_for(client, viewer).context["dashboard"]
    upcoming = dashboard.upcoming

    assert [(item.on, item.kind, item.title) for item in upcoming] == [
        (date(2026, 11, 27), "Notice deadline", str(soon)),
        (date(2026, 12, 10), "Milestone due", "Knowledge transfer"),
        (date(2026, 12, 30), "Decision date", "Service desk"),
        (date(2026, 12, 31), "Exit date", "Fulfilment"),
        (date(2027, 1, 3), "ELI due", "Ada Shaw"),
        (date(2027, 1, 31), "Assistance ends", "Fulfilment"),
        (date(2027, 2, 1), "Asset transfer due", "Forklifts"),
    ]
    assert "Payroll" in upcoming[0].detail
    # Its decision date (90 days before the deadline, off a Saturday) has already passed.
    assert [(item.on, item.kind, item.title) for item in dashboard.overdue] == [
        (date(2026, 8, 28), "Decision overdue", "Payroll"),
    ]


def test_upcoming_leaves_out_what_is_done_beyond_90_days_or_already_handled(client, viewer):
    # The notice deadline is near, but nothing under the contract is still outsourced.
    near = ContractFactory(end_date=date(2027, 2, 28))
    running = OutsourcedProcessFactory(
        contract=near, state=OutsourcedProcess.State.TRANSITION, exit_date=date(2027, 6, 1)
    )
    MilestoneFactory(
        process=running,
        due_date=date(2026, 12, 1),
        status=Milestone.Status.DONE,
        completed_on=date(2026, 11, 20),
    )
    MilestoneFactory(process=running, due_date=date(2027, 3, 1))
    StaffMemberFactory(
        process=running, planned_start=date(2027, 1, 31), status=StaffMember.Status.DECLINED
    )
    StaffMemberFactory(
        process=running, planned_start=date(2027, 1, 31), route=StaffMember.Route.NEW_HIRE
    )

    dashboard = dashboard_for(client, viewer).context["dashboard"]

    assert dashboard.upcoming == []
    assert dashboard.overdue == []
    assert (
        "Nothing falls due in the next 90 days." in dashboard_for(client, viewer).content.decode()
    )


def test_overdue_lists_late_milestones_and_asset_transfers(client, viewer):
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.TRANSITION)
    MilestoneFactory(process=process, title="Data migration", due_date=date(2026, 11, 1))
    MilestoneFactory(
        process=process,
        title="Kick-off",
        due_date=date(2026, 10, 1),
        status=Milestone.Status.DONE,
        completed_on=date(2026, 10, 1),
    )
    AssetFactory(process=process, name="Scanners", transfer_due=date(2026, 11, 20))
    AssetFactory(
        process=process,
        name="Racking",
        transfer_due=date(2026, 11, 1),
        status=Asset.Status.TRANSFERRED,
        transferred_on=date(2026, 11, 1),
    )

    response = dashboard_for(client, viewer)

    overdue = response.context["dashboard"].overdue
    assert [(item.on, item.kind, item.title) for item in overdue] == [
        (date(2026, 11, 1), "Milestone overdue", "Data migration"),
        (date(2026, 11, 20), "Asset transfer overdue", "Scanners"),
    ]
    assert "23 days ago" in response.content.decode()


def test_onboarded_tupe_staff_owe_no_employee_liability_information(client, viewer):
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.TRANSITION)
    StaffMemberFactory(
        process=process,
        name="Already here",
        route=StaffMember.Route.TUPE,
        status=StaffMember.Status.ONBOARDED,
        planned_start=date(2027, 1, 31),
    )
    StaffMemberFactory(
        process=process,
        name="Still to come",
        route=StaffMember.Route.TUPE,
        status=StaffMember.Status.ACCEPTED,
        planned_start=date(2027, 1, 31),
    )

    dashboard = dashboard_for(client, viewer).context["dashboard"]

    assert [(item.kind, item.title) for item in dashboard.upcoming] == [
        ("ELI due", "Still to come")
    ]
    assert dashboard.overdue == []


def test_an_asset_whose_transfer_is_not_needed_is_not_due(client, viewer):
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.TRANSITION)
    for name, due in (("Soon", date(2026, 12, 10)), ("Late", date(2026, 11, 10))):
        AssetFactory(
            process=process,
            name=name,
            transfer_due=due,
            status=Asset.Status.TO_TRANSFER,
            transfer_method=Asset.TransferMethod.NOT_NEEDED,
        )
    AssetFactory(process=process, name="Needed", transfer_due=date(2026, 12, 10))

    dashboard = dashboard_for(client, viewer).context["dashboard"]

    assert [item.title for item in dashboard.upcoming] == ["Needed"]
    assert dashboard.overdue == []


def test_each_item_is_worded_and_styled_from_its_trigger(client, viewer):
    deciding = ContractFactory(
        reference="C-DECIDE",
        end_date=date(2027, 6, 30),
        renewal="none",
        renewal_term_months=None,
    )
    process = OutsourcedProcessFactory(contract=deciding, name="Service desk")
    MilestoneFactory(process=process, title="Kick-off", due_date=date(2026, 11, 2))

    response = dashboard_for(client, viewer)

    dashboard = response.context["dashboard"]
    decision = dashboard.upcoming[0]
    assert (decision.kind, decision.icon, decision.tone) == (
        "Decision date",
        "bi-signpost-split",
        "warning",
    )
    assert decision.detail == "Decide before notice on C-DECIDE is due on 30 Mar 2027"
    assert decision.url == process.get_absolute_url()
    late = dashboard.overdue[0]
    assert (late.kind, late.icon, late.tone) == ("Milestone overdue", "bi-flag", "danger")
    assert late.detail.startswith("Service desk · ")
    html = response.content.decode()
    assert "Decide before notice on C-DECIDE is due on 30 Mar 2027" in html
    assert "bi-signpost-split" in html


def test_my_items_are_what_the_user_owns_or_leads(client, project_lead, operations_manager):
    led = OutsourcedProcessFactory(name="Returns", lead=project_lead, owner=operations_manager)
    OutsourcedProcessFactory(name="Someone else's")
    MilestoneFactory(process=led, title="Mine", owner=project_lead)
    MilestoneFactory(process=led, title="Not mine", owner=operations_manager)
    MilestoneFactory(
        process=led,
        title="Mine but done",
        owner=project_lead,
        status=Milestone.Status.DONE,
        completed_on=date(2026, 11, 1),
    )
    owned_contract = ContractFactory(owner=project_lead, reference="C-MINE")

    mine = dashboard_for(client, project_lead).context["dashboard"].mine
    managers = dashboard_for(client, operations_manager).context["dashboard"].mine

    assert [p.name for p in mine.processes] == ["Returns"]
    assert [m.title for m in mine.milestones] == ["Mine"]
    assert mine.contracts == [owned_contract]
    assert mine.contracts[0].pending_deadline == date(2027, 9, 30)
    assert [p.name for p in managers.processes] == ["Returns"]
    assert [m.title for m in managers.milestones] == ["Not mine"]


def test_my_items_are_dated_by_the_deadlines_the_lists_show(client, project_lead):
    # Yearly to 28 Feb with 3 months' notice: 28 Nov 2026 is a Saturday, so the 27th.
    contract = ContractFactory(owner=project_lead, end_date=date(2027, 2, 28))
    process = OutsourcedProcessFactory(contract=contract, owner=project_lead)
    milestone = MilestoneFactory(process=process, owner=project_lead, due_date=date(2026, 12, 10))

    response = dashboard_for(client, project_lead)

    dashboard = response.context["dashboard"]
    listed = {(item.deadline.kind, item.deadline.obj.pk): item.on for item in dashboard.upcoming}
    assert dashboard.mine.contracts[0].pending_deadline == listed[("notice_deadline", contract.pk)]
    assert listed[("notice_deadline", contract.pk)] == date(2026, 11, 27)
    assert [m.on for m in dashboard.mine.milestones] == [listed[("milestone_due", milestone.pk)]]
    assert "notice by 27 Nov 2026" in response.content.decode()


def test_user_with_nothing_assigned_is_told_so(client, viewer):
    OutsourcedProcessFactory()

    response = dashboard_for(client, viewer)

    assert not response.context["dashboard"].mine
    assert "Nothing is assigned to you." in response.content.decode()


def test_import_link_is_offered_only_to_operations_managers(client, viewer, operations_manager):
    import_url = reverse("imports:start")

    assert import_url not in dashboard_for(client, viewer).content.decode()
    assert import_url in dashboard_for(client, operations_manager).content.decode()


@pytest.mark.parametrize("rows", [1, 25])
def test_dashboard_query_count_does_not_grow_with_rows(
    client, operations_manager, django_assert_num_queries, rows
):
    for n in range(rows):
        contract = ContractFactory(owner=operations_manager, end_date=date(2027, 2, 28))
        OutsourcedProcessFactory(contract=contract, owner=operations_manager)
        exiting = OutsourcedProcessFactory(
            contract=contract,
            lead=operations_manager,
            state=OutsourcedProcess.State.EXIT_NOTICE,
            exit_date=date(2027, 1, 15),
        )
        MilestoneFactory(process=exiting, owner=operations_manager, due_date=date(2026, 12, 1))
        MilestoneFactory(process=exiting, due_date=date(2026, 11, 1 + n % 20))
        AssetFactory(process=exiting, transfer_due=date(2026, 11, 20))
        AssetFactory(process=exiting, transfer_due=date(2026, 12, 20))
        StaffMemberFactory(process=exiting, planned_start=date(2027, 1, 31))
    client.force_login(operations_manager)

    # session, user, groups (rules), unread notifications, portfolio aggregate (grouped by
    # state and currency; every amount here is in the reporting currency, so no rates query:
    # tests/web/test_dashboard_money.py pins the count with one); then the capped deadline
    # lists (web/selectors.py): the kinds the database dates read their first rows and the
    # section's count in one query (COUNT(*) OVER (), Trigger.first_and_count_between):
    # milestones, assets, RAID items and issue 15's deliverables, exit-plan reviews, tests
    # and remediation actions in both sections (2 each, 14), ELI and exit dates upcoming
    # (1 each); the kinds the date engine dates load lean rows, then the rows shown: notice
    # deadlines 3 (with their outsourced processes), decisions 2, assistance ends 2, and
    # dispatch-by dates 1 (no contract here sends notice by post, so no row to show); my
    # processes 2 (counts, rows), milestones 1, contracts 2; the RAID log's open high risks
    # and overdue actions, a count and the first rows each (4, raid/selectors.py); exit
    # plans needing attention, a COUNT and the first rows (2,
    # transition/selectors/exit_plans.py).
    with django_assert_num_queries(39):
        response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    assert dashboard.mine.contracts.total == rows
    assert len(dashboard.mine.contracts) == min(rows, MINE_LIMIT)
    # Per row: a late milestone, a late asset, and a passed decision date.
    assert dashboard.overdue_section.total == 3 * rows
    assert len(dashboard.overdue) == min(3 * rows, OVERDUE_LIMIT)


def test_the_favicon_is_found_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
