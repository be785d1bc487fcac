"""How the dashboard shows a deadline: an icon and a tone for each kind of trigger.

Which deadlines exist, their dates and their words all come from `reminders.triggers`, the
one home of those rules; this module only styles them. A kind missing from the table still
shows, with a plain calendar icon, so a new deadline kind needs only its trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
