"""The log of staff personal-data purges (docs/operations.md, "Privacy: staff personal data
and audit history")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffPurge(models.Model):
    """One run of the retention purge: when, for which cut-off, how many records, by whom.

    Holds no personal data: the purged records are named by id only, and those ids now point
    at anonymised rows. A run that found nothing is logged too, as evidence the purge ran.
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Daily schedule")
        COMMAND = "command", _("Management command")

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    today = models.DateField(_("run for the day"))
    retention_days = models.PositiveIntegerField(_("retention (days)"))
    cutoff = models.DateField(
        _("cut-off"), help_text=_("Processes in-house on or before this day were purged.")
    )
    purged_count = models.PositiveIntegerField(_("records purged"))
    staff_ids = models.JSONField(_("staff record ids"), default=list, blank=True)
    trigger = models.CharField(_("run by"), max_length=10, choices=Trigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("staff data purge")
        verbose_name_plural = _("staff data purges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cutoff__lte=models.F("today")), name="staff_purge_cutoff_past"
            ),
        ]

    def __str__(self):
        return f"{self.today}: {self.purged_count}"
