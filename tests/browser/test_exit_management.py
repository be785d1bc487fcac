"""Exit management after notice, in the browser (issue 15, "Done when").

An operations manager serves notice on a contract from its page and sees the termination-
assistance checklist appear with its due dates, records one deliverable received with its
evidence, and records a failed rehearsal of the exit plan with a remediation action; the
project lead then starts the transition and enters the parallel-run scorecard week by week
until the completion gate lets the process complete.

Notice is served 23 days back through the dialog ("Received by the provider on" takes any
day that is not in the future), so that three completed weeks lie inside the scorecard's
window (from the week notice was served): actuals are never taken for a week not started.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from contracts.models import Deliverable, DeliverableTemplate, ExitNotice
from core.clock import local_today
from core.formats import short_date
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.exit_plan_factories import ExitPlanFactory
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
)
from tests.transition.scorecard_factories import KpiFactory
from transition.models import Kpi, OutsourcedProcess, Rehearsal, RemediationAction

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
ORDERS = "Orders shipped on time"
PAYROLL = "Payroll errors"


@pytest.fixture
def exit_ready(settings, tmp_path):
    """A contract whose one process is ready for notice: led by Liam, an approved exit plan
    never tested, one planned milestone, two weekly KPIs and the scorecard gate at 2 weeks."""
    settings.MEDIA_ROOT = tmp_path
    today = local_today()
    olivia = UserFactory(
        username="olivia", first_name="Olivia", last_name="Hart", role="Operations managers"
    )
    liam = UserFactory(username="liam", first_name="Liam", last_name="Byrne", role="Project leads")
    contract = ContractFactory(
        reference="NW-2024-07",
        title="Northwind fulfilment services",
        owner=olivia,
        start_date=today - timedelta(days=730),
        end_date=today + timedelta(days=1095),
        exit_assistance_months=3,
    )
    process = OutsourcedProcessFactory(
        name="Order fulfilment",
        contract=contract,
        owner=olivia,
        lead=liam,
        scorecard_gate_periods=2,
    )
    ReadinessAssessmentFactory(process=process, assessed_by=olivia, assessed_on=today)
    MilestoneFactory(
        process=process,
        title="Run both warehouses in parallel",
        due_date=today + timedelta(days=30),
    )
    ExitPlanFactory(
        process=process,
        approved=True,
        owner=olivia,
        approved_by=olivia,
        approved_on=today - timedelta(days=200),
        last_review_on=today - timedelta(days=200),
        next_review_due=today + timedelta(days=165),
    )
    KpiFactory(
        process=process,
        name=ORDERS,
        unit="%",
        direction=Kpi.Direction.HIGHER,
        baseline=96,
        target=98,
    )
    KpiFactory(
        process=process,
        name=PAYROLL,
        unit="errors",
        direction=Kpi.Direction.LOWER,
        baseline=5,
        target=2,
    )
    return process


def expected_due_dates(contract, served, exit_date) -> dict[str, object]:
    """Each active template's due date, from its anchor and offset (docs: the checklist)."""
    anchors = {
        "served": served,
        "exit": exit_date,
        "assistance_end": contract.assistance_end(exit_date),
    }
    return {
        template.title: max(anchors[template.anchor] + timedelta(days=template.offset_days), served)
        for template in DeliverableTemplate.objects.filter(active=True)
    }


def test_exit_management_from_notice_to_completion(
    page: Page, page_log, live_server, sign_in, sign_out, shoot, exit_ready
):
    today = local_today()
    process = exit_ready
    contract = process.contract
    served = today - timedelta(days=23)
    exit_date = contract.exit_date_if_served(served)
    assistance_end = contract.assistance_end(exit_date)
    due = expected_due_dates(contract, served, exit_date)
    assert due["Exit information"] == served + timedelta(days=10)  # overdue by now
    assert due["Knowledge transfer complete"] == exit_date
    assert due["Access revocation"] == exit_date + timedelta(days=1)
    assert due["Data deletion certificate"] == assistance_end
    contract_url = f"{live_server.url}{contract.get_absolute_url()}"
    workspace = f"{live_server.url}{process.get_absolute_url()}"
    main = page.locator("#main")

    # 1. Olivia serves notice through the contract page's dialog, received 23 days ago.
    sign_in(page, "olivia")
    page.goto(contract_url)
    page.get_by_role("button", name="Serve notice").click()
    dialog = page.get_by_role("dialog", name=f"Serve notice on {contract.reference}")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("The whole contract")).to_be_checked()
    dialog.get_by_label("Received by the provider on").fill(f"{served:%Y-%m-%d}")
    dialog.get_by_label("Received by the provider on").dispatch_event("change")
    preview = dialog.get_by_test_id("notice-preview")
    expect(preview.get_by_test_id("preview-exit-date")).to_have_text(short_date(exit_date))
    dialog.get_by_label("Recipient").fill("Northwind contracts desk")
    shoot(page, "exit-serve-notice-dialog")
    dialog.get_by_role("button", name="Serve notice").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Notice on {contract.reference} recorded")

    notice = ExitNotice.objects.get(contract=contract)
    assert notice.served_on == served
    card = page.locator("#deliverables")
    expect(card).to_contain_text(f"Notice received {short_date(served)}")
    expect(card).to_contain_text(
        f"Exit {short_date(exit_date)} · assistance until {short_date(assistance_end)}"
    )
    rows = page.get_by_test_id(f"deliverables-{notice.pk}").locator("tbody tr")
    expect(rows).to_have_count(len(due))
    for title, day in due.items():
        expect(rows.filter(has_text=title)).to_contain_text(short_date(day))
    exit_information = rows.filter(has_text="Exit information")
    expect(exit_information).to_contain_text("Overdue")
    expect(exit_information).to_contain_text("Requested")
    expect(card).to_contain_text("overdue")
    shoot(page, "exit-contract-deliverables")

    page.goto(workspace)
    assistance = page.locator("#termination-assistance")
    expect(assistance).to_contain_text(
        f"exit {short_date(exit_date)} · assistance until {short_date(assistance_end)}"
    )
    process_rows = assistance.locator("tbody tr")
    expect(process_rows).to_have_count(len(due))
    expect(process_rows.filter(has_text="Data deletion certificate")).to_contain_text(
        short_date(assistance_end)
    )
    expect(process_rows.filter(has_text="Register of assets")).to_contain_text(
        short_date(served + timedelta(days=20))
    )
    shoot(page, "exit-process-deliverables")

    # 2. The exit information arrived two days ago: recorded received, with its evidence.
    received_on = today - timedelta(days=2)
    assistance.get_by_role("link", name="Exit information").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exit information")
    expect(page.get_by_test_id("deliverable-fields")).to_contain_text(
        short_date(due["Exit information"])
    )
    record = page.locator("form", has=page.get_by_role("button", name="Record"))
    record.get_by_label("Status").select_option(label="Received")
    record.get_by_label("Received on").fill(f"{received_on:%Y-%m-%d}")
    record.get_by_label("Evidence").set_input_files(
        {"name": "exit-information.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    record.get_by_label("Note").fill("Volumes, staff list and asset list for 2026.")
    shoot(page, "exit-deliverable-record-form")
    record.get_by_role("button", name="Record").click()
    fields = page.get_by_test_id("deliverable-fields")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Received")
    expect(fields).to_contain_text(short_date(received_on))
    evidence = fields.get_by_role("link", name="Download")
    expect(evidence).to_be_visible()
    expect(page.get_by_test_id("deliverable-history")).to_contain_text("Received")
    shoot(page, "exit-deliverable-received")
    download = page.request.get(f"{live_server.url}{evidence.get_attribute('href')}")
    assert download.status == 200
    assert download.body() == PDF
    deliverable = Deliverable.objects.get(exit_notice=notice, title="Exit information")
    assert deliverable.status == Deliverable.Status.RECEIVED
    assert deliverable.received_on == received_on

    page.goto(contract_url)
    row = page.get_by_test_id(f"deliverables-{notice.pk}").locator(
        "tbody tr", has_text="Exit information"
    )
    expect(row).to_contain_text("Received")
    expect(row.get_by_label("evidence attached")).to_have_count(1)

    # 3. A rehearsal of the exit plan fails; its finding gets a remediation action.
    page.goto(workspace)
    exit_card = page.get_by_test_id("exit-plan-card")
    expect(exit_card).to_contain_text("Never tested")
    exit_card.get_by_role("link", name="Record a rehearsal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Record a rehearsal of the exit plan of Order fulfilment"
    )
    expect(page.get_by_label("Held on")).to_have_value(f"{today:%Y-%m-%d}")
    page.get_by_label("Scenario").fill("Northwind's warehouse system is down for five days.")
    page.get_by_label("Participants").fill("Olivia Hart, Liam Byrne, warehouse shift leads")
    page.get_by_label("Fail").check()
    page.get_by_label("Findings").fill("Nobody in-house could run the pick-list export.")
    shoot(page, "exit-rehearsal-form")
    page.get_by_role("button", name="Save rehearsal").click()
    expect(page.get_by_test_id("rehearsal-outcome")).to_have_text("Fail")
    rehearsal = Rehearsal.objects.get(process=process)
    expect(main).to_contain_text(f"next test due {short_date(rehearsal.next_test_due)}")

    action_due = today + timedelta(days=21)
    actions = page.locator("#actions")
    actions.get_by_label("Title").fill("Train two planners on the pick-list export")
    actions.get_by_label("Owner").select_option(label="Liam Byrne")
    actions.get_by_label("Due date").fill(f"{action_due:%Y-%m-%d}")
    actions.get_by_role("button", name="Add action").click()
    action = page.get_by_test_id("remediation-action")
    expect(action).to_contain_text("Train two planners on the pick-list export")
    expect(action).to_contain_text(f"Liam Byrne · due {short_date(action_due)}")
    expect(action).to_contain_text("Open")
    shoot(page, "exit-rehearsal-failed-with-action")
    assert RemediationAction.objects.get(rehearsal=rehearsal).owner.username == "liam"

    page.goto(workspace)
    summary = page.get_by_test_id("exit-plan-summary")
    expect(summary).to_contain_text(f"tested {short_date(today)} (fail)")
    expect(summary).to_contain_text(f"next test due {short_date(rehearsal.next_test_due)}")
    expect(page.get_by_test_id("exit-plan-actions")).to_contain_text("1 open remediation action")
    expect(page.get_by_test_id("exit-plan-card")).not_to_contain_text("Never tested")
    shoot(page, "exit-process-exit-plan-tested")
    sign_out(page)

    # 4. Liam starts the transition and enters the scorecard week by week.
    this_week = today - timedelta(days=today.weekday())
    weeks = [
        this_week - timedelta(days=21),
        this_week - timedelta(days=14),
        this_week - timedelta(days=7),
    ]
    sign_in(page, "liam")
    page.goto(workspace)
    page.get_by_role("button", name="Start transition").click()
    start = page.get_by_role("dialog", name="Start transition")
    start.get_by_role("button", name="Start transition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Transition")

    milestone = page.locator("#milestones tr", has_text="Run both warehouses in parallel").first
    milestone.get_by_role("button", name="Done").click()
    expect(milestone.locator(".badge")).to_contain_text("Done")

    page.reload()
    complete = page.locator('[data-transition="complete"]')
    expect(complete.get_by_role("button", name="Complete")).to_be_disabled()
    for name in (ORDERS, PAYROLL):
        expect(complete).to_contain_text(
            f"“{name}” met its target 0 of the last 2 weeks (needs 2 in a row): "
            f"no actual is recorded for the week of {short_date(weeks[2])}."
        )

    def enter_week(start, orders: str, payroll: str) -> None:
        page.goto(workspace)
        page.get_by_test_id("scorecard-card").get_by_role("link", name="Open").click()
        page.get_by_role("link", name="Enter a week for all KPIs").click()
        page.get_by_label("Period starting").fill(f"{start:%Y-%m-%d}")
        page.get_by_label(f"{ORDERS} (%)").fill(orders)
        page.get_by_label(f"{PAYROLL} (errors)").fill(payroll)
        page.get_by_role("button", name="Record the period").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Parallel-run scorecard")

    # The first week of the parallel run misses both targets, though it beats the provider.
    enter_week(weeks[0], "97.1", "3")
    kpis = {kpi.name: kpi for kpi in Kpi.objects.filter(process=process)}
    for name in (ORDERS, PAYROLL):
        expect(page.get_by_test_id(f"kpi-rag-{kpis[name].pk}")).to_have_text("Near")
        expect(page.get_by_test_id(f"kpi-streak-{kpis[name].pk}")).to_have_text("0 / 2")
    shoot(page, "exit-scorecard-first-week")

    enter_week(weeks[1], "98.4", "1")
    page.goto(workspace)
    expect(complete.get_by_role("button", name="Complete")).to_be_disabled()
    expect(complete).to_contain_text(
        f"“{ORDERS}” met its target 1 of the last 2 weeks (needs 2 in a row): "
        f"no actual is recorded for the week of {short_date(weeks[2])}."
    )
    shoot(page, "exit-workspace-gate-blocked")

    # The last completed week meets both targets too: two in a row, the gate opens.
    enter_week(weeks[2], "98.9", "0")
    for name in (ORDERS, PAYROLL):
        expect(page.get_by_test_id(f"kpi-rag-{kpis[name].pk}")).to_have_text("Met")
        expect(page.get_by_test_id(f"kpi-streak-{kpis[name].pk}")).to_have_text("2 / 2")
    shoot(page, "exit-scorecard-gate-met")

    page.goto(workspace)
    expect(complete.get_by_role("button", name="Complete")).to_be_enabled()
    expect(complete).not_to_contain_text("met its target")
    shoot(page, "exit-workspace-complete-enabled")
    page.get_by_role("button", name="Complete").click()
    finish = page.get_by_role("dialog", name="Complete")
    finish.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In-house")

    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.IN_HOUSE
    assert page_log.errors == []
    assert page_log.failed == []
    assert page_log.offsite(live_server.url) == []
