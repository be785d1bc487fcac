"""Run the reminder sweep by hand: `manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`."""

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.selectors import reminders_due_preview
from reminders.services import reminders_sweep


def _as_of(day: date | None) -> datetime:
    """Now, or the current time of day on `day` in TIME_ZONE."""
    now = timezone.localtime()
    if day is None:
        return now
    return now.replace(year=day.year, month=day.month, day=day.day)


class Command(BaseCommand):
    help = (
        "Plan and send the deadline reminders due now (or on --date), printing each one; "
        "with --dry-run, print what would go out without sending or saving anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--dry-run", action="store_true", help="Only print what would be sent.")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = datetime.strptime(date, "%Y-%m-%d").date() if date else None  # noqa: DTZ007
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from None
        now = _as_of(day)
        if dry_run:
            self._preview(now)
        else:
            self._sweep(now)

    def _preview(self, now):
        due = reminders_due_preview(now)
        for item in due:
            people = ", ".join(user.email or user.get_username() for user in item.recipients)
            self.stdout.write(
                f"would send  {item.deadline.label}: {item.deadline.title} "
                f"(due {item.deadline.due}, offset {item.offset}) → {people or 'nobody'}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Dry run for {timezone.localdate(now)}: {len(due)} reminder(s) would be sent."
            )
        )

    def _sweep(self, now):
        report = reminders_sweep(now=now)
        for outcome in report.outcomes:
            if outcome.error:
                self.stdout.write(
                    self.style.ERROR(f"failed      {outcome.description}: {outcome.error}")
                )
            elif outcome.status == "sent":
                self.stdout.write(
                    f"sent        {outcome.description} → {', '.join(outcome.recipients)}"
                )
            else:
                self.stdout.write(f"{outcome.status:<11} {outcome.description}")
        self.stdout.write(self.style.SUCCESS(f"Sweep for {report.today}: {report.summary()}."))
