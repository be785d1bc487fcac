"""Change-freeze periods of a programme: no go-live, cut-over or parallel run inside one."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formats import short_date
from core.text import PlainTextModel

from .process import Programme


class ChangeFreeze(PlainTextModel):
    """Days (both included) when the business cannot take a change: peak trading, year-end
    close, an audit. The schedule checks refuse go-lives, cut-overs and parallel runs due
    inside one unless an operations manager overrides (docs/plan.md, "Change freezes")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="freezes")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("change freeze")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="freeze_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%d %b %Y} – {self.ends_on:%d %b %Y})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _("The freeze ends on %(end)s, before it starts on %(start)s.")
                    % {"end": short_date(self.ends_on), "start": short_date(self.starts_on)}
                }
            )

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
