"""Deadline reminders, the in-app notifications they produce, and private calendar feeds."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .send_days import latest_send_day


class ReminderQuerySet(models.QuerySet["Reminder"]):
    """The one definition of a reminder in trouble, shared by the admin's "Problem" filter and
    the metrics (docs/operations.md, "Logs, metrics and errors")."""

    @staticmethod
    def failing_q() -> Q:
        """Failing: a pending row that failed at least once and waits for its next attempt,
        or a row that used up its attempts."""
        return Q(status="pending", attempts__gt=0) | Q(status="failed")

    @classmethod
    def stuck_q(cls, now: datetime) -> Q:
        """Stuck: a pending row claimed by a batch longer than REMINDER_CLAIM_TIMEOUT_SECONDS
        (its worker died), or due for more than REMINDER_STUCK_AFTER_MINUTES without being
        sent (no sweep ran): its send day began in the site's zone (send_days.py) and its
        next attempt, if any, came that long ago."""
        claim_expired = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
        overdue = now - timedelta(minutes=settings.REMINDER_STUCK_AFTER_MINUTES)
        due_long_ago = Q(send_on__lte=latest_send_day(overdue, timezone.get_default_timezone())) & (
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=overdue)
        )
        return Q(status="pending") & (Q(claimed_at__lte=claim_expired) | due_long_ago)

    def failing(self) -> "ReminderQuerySet":
        return self.filter(self.failing_q())

    def stuck(self, now: datetime) -> "ReminderQuerySet":
        return self.filter(self.stuck_q(now))

    def with_problems(self, now: datetime) -> "ReminderQuerySet":
        """Failing or stuck."""
        return self.filter(self.failing_q() | self.stuck_q(now))


class Reminder(models.Model):
    """One reminder of one deadline: at most one live row per (kind, object, due date, offset).

    A row is sent at most once: the sweep claims it under a row lock and marks it sent in the
    same transaction that records the notifications. Dropped rows (the due date moved away)
    leave the key free, so moving the date back plans the reminder again.
    """

    class Kind(models.TextChoices):
        NOTICE_DEADLINE = "notice_deadline", _("Notice deadline")
        DISPATCH_BY = "dispatch_by", _("Send notice by")
        DECISION_DATE = "decision_date", _("Decision date")
        MILESTONE_DUE = "milestone_due", _("Milestone due")
        ASSET_TRANSFER_DUE = "asset_transfer_due", _("Asset transfer due")
        ELI_DUE = "eli_due", _("TUPE employee liability information due")
        EXIT_DATE = "exit_date", _("Exit date")
        ASSISTANCE_END = "assistance_end", _("End of termination assistance")
        RAID_ITEM_DUE = "raid_item_due", _("RAID item due")
        DELIVERABLE_DUE = "deliverable_due", _("Deliverable due")
        EXIT_PLAN_REVIEW_DUE = "exit_plan_review_due", _("Exit plan review due")
        EXIT_PLAN_TEST_DUE = "exit_plan_test_due", _("Exit plan test due")
        REMEDIATION_ACTION_DUE = "remediation_action_due", _("Remediation action due")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Dropped")
        SUPERSEDED = "superseded", _("Superseded")
        MISSED = "missed", _("Missed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    due_date = models.DateField(_("due date"))
    offset_days = models.SmallIntegerField(
        _("days before due"), help_text=_("Negative: days after the due date (overdue).")
    )
    send_on = models.DateField(_("send on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Set when a sweep hands the row to a batch task, cleared once the batch has tried it;
    # a claim older than REMINDER_CLAIM_TIMEOUT_SECONDS (a worker that died) is taken again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=200, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reminders_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-send_on", "-pk"]
        verbose_name = _("reminder")
        constraints = [
            # The idempotency key: however often or wherever the sweep runs, one live row.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_date", "offset_days"],
                condition=~Q(status="dropped"),
                name="reminder_one_live_row_per_key",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # The sweep's claim scans only pending rows by send date.
            models.Index(
                fields=["send_on", "next_attempt_at"],
                condition=Q(status="pending"),
                name="reminder_pending_idx",
            ),
            models.Index(fields=["content_type", "object_id"], name="reminder_target_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date} ({self.offset_label})"

    @property
    def is_overdue_reminder(self) -> bool:
        return self.offset_days < 0

    @property
    def offset_label(self) -> str:
        if self.offset_days > 0:
            return _("%(days)s days before") % {"days": self.offset_days}
        if self.offset_days == 0:
            return str(_("on the day"))
        return _("%(days)s days overdue") % {"days": -self.offset_days}


class Notification(models.Model):
    """An in-app message to one user; a reminder notifies each recipient exactly once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    reminder = models.ForeignKey(
        Reminder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user"],
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder_and_user",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private iCalendar feed; the token in its URL is the only credential."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self):
        return str(_("Calendar feed of %(user)s") % {"user": self.user})

    def get_absolute_url(self):
        return reverse("reminders:calendar_feed", args=[self.token])

    def absolute_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()


class PlanChange(models.Model):
    """A row whose change may have moved deadlines, written in the same transaction as the
    change; the next sweep plans the deadlines it concerns and deletes it (docs/reminders.md,
    "Planning only what changed"). No object id: any row of the model changed (an import)."""

    # The model's label ("transition.milestone"): recorded without a content-type lookup.
    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changed row to re-plan")

    def __str__(self):
        return f"{self.model} {self.object_id or 'any'}"
