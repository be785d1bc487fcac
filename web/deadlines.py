"""How the dashboard shows a deadline: an icon and a tone for each kind of trigger.

Which deadlines exist, their dates and their words all come from `reminders.triggers`, the
one home of those rules; this module only styles them. A kind missing from the table still
shows, with a plain calendar icon, so a new deadline kind needs only its trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode

from reminders.models import Reminder
from reminders.triggers import Deadline

Kind = Reminder.Kind

# Kind → (Bootstrap icon, Bootstrap tone of the kind label).
DEADLINE_STYLE: dict[str, tuple[str, str]] = {
    Kind.NOTICE_DEADLINE: ("bi-envelope-exclamation", "danger"),
    Kind.DISPATCH_BY: ("bi-send", "danger"),
    Kind.DECISION_DATE: ("bi-signpost-split", "warning"),
    Kind.MILESTONE_DUE: ("bi-flag", "secondary"),
    Kind.ASSET_TRANSFER_DUE: ("bi-box-seam", "secondary"),
    Kind.ELI_DUE: ("bi-person-vcard", "info"),
    Kind.EXIT_DATE: ("bi-box-arrow-right", "primary"),
    Kind.ASSISTANCE_END: ("bi-life-preserver", "info"),
    Kind.RAID_ITEM_DUE: ("bi-exclamation-diamond", "warning"),
    Kind.DELIVERABLE_DUE: ("bi-clipboard-check", "info"),
    Kind.EXIT_PLAN_REVIEW_DUE: ("bi-journal-check", "warning"),
    Kind.EXIT_PLAN_TEST_DUE: ("bi-clipboard2-pulse", "warning"),
    Kind.REMEDIATION_ACTION_DUE: ("bi-tools", "secondary"),
}
DEFAULT_STYLE = ("bi-calendar-event", "secondary")
# Whatever its kind, a deadline passed while still owed keeps its icon and turns red.
OVERDUE_TONE = "danger"


@dataclass(frozen=True)
class DeadlineItem:
    """One dated line of the dashboard, made from one trigger deadline."""

    on: date
    kind: str
    icon: str
    title: str
    detail: str
    url: str
    tone: str
    overdue: bool
    deadline: Deadline


def deadline_item(deadline: Deadline, today: date) -> DeadlineItem:
    """The dashboard line of `deadline` as of `today`, worded by its trigger."""
    icon, tone = DEADLINE_STYLE.get(deadline.kind, DEFAULT_STYLE)
    overdue = deadline.is_overdue(today)
    return DeadlineItem(
        on=deadline.due,
        kind=deadline.short_label(today),
        icon=icon,
        title=deadline.short_title,
        detail=deadline.summary(),
        url=deadline.path(),
        tone=OVERDUE_TONE if overdue else tone,
        overdue=overdue,
        deadline=deadline,
    )


# Kind → (the register listing its objects, its filters for "open", the filters of a date range).
# Only kinds whose register can show exactly the deadlines the dashboard counts, but for the
# notice deadline: the contract list also shows contracts with nothing left outsourced.
# (RAID items: the RAID list has no due-date filters yet, so each item links to its page; the
# same for deliverables, exit plans and remediation actions, issue 15.)
KIND_LISTS: dict[str, tuple[str, dict[str, str], tuple[str, str]]] = {
    Kind.MILESTONE_DUE: (
        "transition:milestone_list",
        {"open": "true"},
        ("due_after", "due_before"),
    ),
    Kind.ASSET_TRANSFER_DUE: (
        "transition:asset_list",
        {"open": "true"},
        ("due_after", "due_before"),
    ),
    Kind.EXIT_DATE: ("transition:process_list", {}, ("exit_after", "exit_before")),
    Kind.NOTICE_DEADLINE: ("contracts:contract_list", {}, ("", "notice_before")),
}


def kind_list_url(kind: str, start: date | None, end: date | None, **filters: str | int) -> str:
    """The register filtered to the deadlines of `kind` due from `start` to `end` (either may
    be None: open-ended) and to `filters`, or "" when no register lists them."""
    if kind not in KIND_LISTS:
        return ""
    name, params, (after, before) = KIND_LISTS[kind]
    query: dict[str, str | int] = {**params, **filters}
    if start is not None and after:
        query[after] = start.isoformat()
    if end is not None and before:
        query[before] = end.isoformat()
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)
