"""Reads for the privacy of staff records: who is past retention, and one person's data
as a subject access request returns it (docs/operations.md, "Privacy: staff personal data
and audit history")."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from ..models import StaffMember

# django-simple-history's record types, as an export names them.
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def staff_purge_cutoff(today: date) -> date:
    """The last in-house day whose staff are past retention on `today`."""
    return today - timedelta(days=settings.STAFF_DATA_RETENTION_DAYS)


def staff_due_for_purge(today: date) -> QuerySet[StaffMember]:
    """Staff records whose personal data must be anonymised on `today`, oldest id first."""
    return StaffMember.objects.purge_due(staff_purge_cutoff(today)).order_by("pk")


def staff_personal_data(member: StaffMember, *, exported_at: str) -> dict[str, Any]:
    """Every personal field of `member`, the process and contract it belongs to, and its full
    field history (who changed what, when). Values stay as stored (ISO dates, decimal text),
    so an auditor can compare them with the database."""
    process = member.process
    return {
        "exported_at": exported_at,
        "staff_member": {
            "id": member.pk,
            **{name: getattr(member, name) for name in StaffMember.PERSONAL_FIELDS},
            "role": member.role,
            "route": member.route,
            "fte": member.fte,
            "currency": member.currency,
            "key_person": member.key_person,
            "status": member.status,
            "planned_start": member.planned_start,
            "employee_liability_information_due": member.eli_due_date,
        },
        "process": {
            "id": process.pk,
            "name": process.name,
            "state": process.state,
            "in_house_on": process.in_house_on,
            "programme": process.programme.name,
        },
        "contract": {
            "id": process.contract.pk,
            "reference": process.contract.reference,
            "title": process.contract.title,
        },
        "history": staff_history(member),
    }


def staff_history(member: StaffMember) -> list[dict[str, Any]]:
    """Each history record of `member`, oldest first, with the fields it changed."""
    records = list(
        member.history.select_related("history_user").order_by("history_date", "history_id")
    )
    tracked = [field.attname for field in StaffMember.history.model.tracked_fields]
    entries = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                {"field": name, "old": None, "new": getattr(record, name)}
                for name in tracked
                if name != "id"
            ]
        else:
            changes = [
                {"field": change.field, "old": change.old, "new": change.new}
                for change in record.diff_against(previous).changes
            ]
        user = record.history_user
        entries.append(
            {
                "at": record.history_date,
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "by": user.get_username() if user else None,
                "reason": record.history_change_reason,
                "changes": changes,
            }
        )
        previous = record
    return entries
