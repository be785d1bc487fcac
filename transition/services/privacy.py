"""The retention purge of staff personal data (docs/operations.md, "Privacy: staff personal
data and audit history").

A purge that leaves the old values in the history is not a purge: the person's history
rows go, and so does the name the admin's change log kept. What the programme still needs
(how many people came over, by which route, in which role, FTE, status and dates) stays.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from core.signals import personal_data_purged
from core.types import AuthUser

from ..models import StaffMember, StaffPurge
from ..selectors.privacy import staff_due_for_purge, staff_purge_cutoff

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    """What one run purged: the log row it wrote and the records' ids."""

    log: StaffPurge
    staff_ids: list[int]


def anonymous_name_label() -> str:
    """The start of a purged record's name; its id follows ("Staff member 42")."""
    return _("Staff member")


@transaction.atomic
def staff_purge_expired(
    *, today: date, trigger: str = StaffPurge.Trigger.SCHEDULE, actor: AuthUser | None = None
) -> PurgeResult:
    """Anonymise every staff record past retention on `today`, delete its history, and log
    the run. Idempotent: a purged record is never selected again, so a second run on the
    same day purges nothing (and logs that it found nothing)."""
    # Locks the staff rows only: the process rows they join stay free for the workflow.
    staff_ids = list(
        staff_due_for_purge(today).select_for_update(of=("self",)).values_list("pk", flat=True)
    )
    if staff_ids:
        purged = StaffMember.objects.filter(pk__in=staff_ids)
        # update() writes no history row: the anonymised values are the only ones left.
        purged.update(
            name=Concat(Value(f"{anonymous_name_label()} "), Cast(F("pk"), CharField())),
            annual_cost=Decimal(0),
            training_needed="",
            training_completed_on=None,
            personal_data_purged_on=today,
        )
        StaffMember.history.filter(id__in=staff_ids).delete()
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(StaffMember),
            object_id__in=[str(pk) for pk in staff_ids],
        ).update(object_repr=Concat(Value(f"{anonymous_name_label()} "), F("object_id")))
        personal_data_purged.send(sender=StaffMember, ids=staff_ids)
    log = StaffPurge.objects.create(
        today=today,
        retention_days=settings.STAFF_DATA_RETENTION_DAYS,
        cutoff=staff_purge_cutoff(today),
        purged_count=len(staff_ids),
        staff_ids=staff_ids,
        trigger=trigger,
        actor=actor,
    )
    logger.info(
        "Staff personal data purged: %d record(s), in-house on or before %s",
        len(staff_ids),
        log.cutoff.isoformat(),
        extra={"staff_purge_id": log.pk, "staff_ids": staff_ids, "trigger": trigger},
    )
    return PurgeResult(log=log, staff_ids=staff_ids)
