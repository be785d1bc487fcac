"""Builders of objects with one deadline each, for the reminder tests."""

from datetime import date

from contracts.models import Contract, Deliverable, ExitNotice
from tests.contracts.factories import ContractFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import (
    ExitPlan,
    OutsourcedProcess,
    Rehearsal,
    RemediationAction,
    StaffMember,
)

DUE = date(2027, 3, 31)  # a Wednesday, not a holiday


def fixed_term_contract(**fields) -> Contract:
    """Ends 2027-09-30 without renewal, three months' notice: the deadline is 2027-06-30."""
    return ContractFactory(
        **{
            "end_date": date(2027, 9, 30),
            "renewal": Contract.Renewal.NONE,
            "renewal_term_months": None,
            "governing_country": "",
            **fields,
        }
    )


def with_notice_deadline():
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    return process.contract, date(2027, 6, 30)


def with_decision_date():
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    return process, date(2027, 4, 1)  # 90 days before the deadline


def with_milestone_due():
    return MilestoneFactory(due_date=DUE), DUE


def with_asset_transfer_due():
    return AssetFactory(transfer_due=DUE), DUE


def with_eli_due():
    return StaffMemberFactory(route=StaffMember.Route.TUPE, planned_start=date(2027, 4, 28)), DUE


def in_exit_notice(**fields):
    return OutsourcedProcessFactory(
        state=OutsourcedProcess.State.EXIT_NOTICE, notice_served_on=date(2026, 9, 1), **fields
    )


def with_exit_date():
    return in_exit_notice(exit_date=DUE), DUE


def with_assistance_end():
    contract = fixed_term_contract(exit_assistance_months=3)
    return in_exit_notice(contract=contract, exit_date=date(2026, 12, 31)), DUE


def with_raid_item_due():
    return RaidItemFactory(due_date=DUE), DUE


# Exit management (issue 15): plain rows, not the services (reminders/triggers/exit.py).


def exit_notice(contract: Contract | None = None, **fields) -> ExitNotice:
    """Whole-contract notice served on 2026-09-01 for an exit on 2027-09-30."""
    return ExitNotice.objects.create(
        **{
            "contract": contract or fixed_term_contract(),
            "scope": ExitNotice.Scope.WHOLE,
            "served_on": date(2026, 9, 1),
            "exit_date": date(2027, 9, 30),
            **fields,
        }
    )


def deliverable(notice: ExitNotice | None = None, **fields) -> Deliverable:
    notice = notice or exit_notice()
    return Deliverable.objects.create(
        **{
            "exit_notice": notice,
            "contract": notice.contract,
            "title": f"Data return {Deliverable.objects.count() + 1}",
            "category": Deliverable.Category.DATA_RETURN,
            "due_date": DUE,
            **fields,
        }
    )


def exit_plan(process: OutsourcedProcess | None = None, **fields) -> ExitPlan:
    """An approved version of a process's exit plan (owned by the process owner)."""
    process = process or OutsourcedProcessFactory()
    fields.setdefault("status", ExitPlan.Status.APPROVED)
    fields.setdefault("version", process.exit_plans.count() + 1)
    if fields["status"] == ExitPlan.Status.APPROVED:
        fields.setdefault("owner", process.owner)
        fields.setdefault("approved_on", date(2026, 10, 1))
    return ExitPlan.objects.create(process=process, **fields)


def rehearsal(plan: ExitPlan | None = None, **fields) -> Rehearsal:
    plan = plan or exit_plan()
    return Rehearsal.objects.create(
        **{
            "exit_plan": plan,
            "process": plan.process,
            "held_on": date(2026, 11, 2),
            "scenario": "Provider insolvent overnight",
            "outcome": Rehearsal.Outcome.PARTIAL,
            **fields,
        }
    )


def remediation_action(test: Rehearsal | None = None, **fields) -> RemediationAction:
    return RemediationAction.objects.create(
        **{
            "rehearsal": test or rehearsal(),
            "title": "Document the payroll cut-over",
            "due_date": DUE,
            **fields,
        }
    )


def with_deliverable_due():
    return deliverable(due_date=DUE), DUE


def with_exit_plan_review_due():
    return exit_plan(next_review_due=DUE), DUE


def with_exit_plan_test_due():
    plan = exit_plan()
    rehearsal(plan, held_on=date(2026, 3, 2), next_test_due=date(2026, 10, 1))
    rehearsal(plan, held_on=date(2026, 11, 2), next_test_due=DUE)  # the latest counts
    return plan, DUE


def with_remediation_action_due():
    return remediation_action(due_date=DUE), DUE


BUILDERS = {
    "notice_deadline": with_notice_deadline,
    "decision_date": with_decision_date,
    "milestone_due": with_milestone_due,
    "asset_transfer_due": with_asset_transfer_due,
    "eli_due": with_eli_due,
    "exit_date": with_exit_date,
    "assistance_end": with_assistance_end,
    "raid_item_due": with_raid_item_due,
    "deliverable_due": with_deliverable_due,
    "exit_plan_review_due": with_exit_plan_review_due,
    "exit_plan_test_due": with_exit_plan_test_due,
    "remediation_action_due": with_remediation_action_due,
}
