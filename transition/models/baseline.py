"""Baselines: a named copy of a process's or a programme's plan to measure slippage against."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formats import short_date
from core.text import PlainTextModel

from .plan import Milestone
from .process import OutsourcedProcess, Programme


class Baseline(PlainTextModel):
    """A plan as it stood when saved: of one process, or of every process of a programme.

    Exactly one of `process` and `programme` is set; names are unique within it. The
    milestones' dates are copied into `BaselineMilestone` rows (docs/plan.md, "Baselines").
    """

    process = models.ForeignKey(
        OutsourcedProcess,
        on_delete=models.CASCADE,
        related_name="baselines",
        null=True,
        blank=True,
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="baselines", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("baseline")
        constraints = [
            models.CheckConstraint(
                condition=(Q(process__isnull=False) & Q(programme__isnull=True))
                | (Q(process__isnull=True) & Q(programme__isnull=False)),
                name="baseline_of_process_or_programme",
            ),
            models.UniqueConstraint(
                fields=["process", "name"],
                condition=Q(process__isnull=False),
                name="baseline_name_unique_per_process",
                violation_error_message=_("This process already has a baseline of that name."),
            ),
            models.UniqueConstraint(
                fields=["programme", "name"],
                condition=Q(programme__isnull=False),
                name="baseline_name_unique_per_programme",
                violation_error_message=_("This programme already has a baseline of that name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("transition:baseline_detail", args=[self.pk])

    @property
    def subject(self):
        """The process or the programme this baseline is of."""
        return self.process or self.programme


class BaselineMilestone(models.Model):
    """One milestone's dates as they stood in a baseline.

    `milestone` is the live row it was copied from (null once that milestone is deleted:
    then it counts as removed); title, kind and process name are copied so a removed one
    still reads as it was.
    """

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="entries")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    process = models.ForeignKey(
        OutsourcedProcess, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    process_name = models.CharField(_("process"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Milestone.Kind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("baseline milestone")
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "milestone"],
                condition=Q(milestone__isnull=False),
                name="baseline_milestone_once",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({short_date(self.due_date)})"
