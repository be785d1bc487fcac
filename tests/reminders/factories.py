"""Builders of objects with one deadline each, for the reminder tests."""

from datetime import date

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess, StaffMember

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


BUILDERS = {
    "notice_deadline": with_notice_deadline,
    "decision_date": with_decision_date,
    "milestone_due": with_milestone_due,
    "asset_transfer_due": with_asset_transfer_due,
    "eli_due": with_eli_due,
    "exit_date": with_exit_date,
    "assistance_end": with_assistance_end,
    "raid_item_due": with_raid_item_due,
}
