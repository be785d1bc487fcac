"""Anonymise staff personal data past retention now: `manage.py purge_staff_data [--dry-run]`."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.clock import local_today
from transition.models import StaffPurge
from transition.selectors.privacy import staff_due_for_purge, staff_purge_cutoff
from transition.services.privacy import staff_purge_expired


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of staff whose process came in-house more than "
        "STAFF_DATA_RETENTION_DAYS ago, delete their history and log the run "
        "(docs/operations.md, 'Privacy: staff personal data and audit history'). "
        "Beat runs the same purge daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print how many records and which ids would be purged; write nothing.",
        )
        parser.add_argument("--today", help="Purge as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else local_today()
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}.") from None
        cutoff = staff_purge_cutoff(day)
        if dry_run:
            ids = list(staff_due_for_purge(day).values_list("pk", flat=True))
            verb = "Would purge"
        else:
            ids = staff_purge_expired(today=day, trigger=StaffPurge.Trigger.COMMAND).staff_ids
            verb = "Purged"
        self.stdout.write(
            f"{verb} {len(ids)} staff record(s) whose process came in-house on or before "
            f"{cutoff.isoformat()} (retention {settings.STAFF_DATA_RETENTION_DAYS} days)."
        )
        if ids:
            self.stdout.write("Ids: " + ", ".join(str(pk) for pk in ids))
