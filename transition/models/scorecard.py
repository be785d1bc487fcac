"""The parallel-run (hypercare) scorecard of a process in transition: KPIs, the provider's
baseline, the exit criterion, and our actuals per period (docs/exit-management.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formats import short_date
from core.text import PlainTextModel

from .process import OutsourcedProcess


class Kpi(PlainTextModel):
    """A measure the in-house service must meet before the provider is switched off."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Period(models.TextChoices):
        WEEK = "week", _("Weekly")
        MONTH = "month", _("Monthly")

    INPUT_FIELDS = ("process", "name", "unit", "direction", "period", "baseline", "target")

    process = models.ForeignKey(OutsourcedProcess, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. %, hours"))
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    period = models.CharField(
        _("period"), max_length=5, choices=Period.choices, default=Period.WEEK
    )
    baseline = models.DecimalField(
        _("provider's baseline"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(_("target (exit criterion)"), max_digits=14, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "name"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="kpi_name_unique_per_process")
        ]

    def __str__(self):
        return self.name

    def meets(self, value) -> bool:
        """Whether one actual meets the exit criterion."""
        if self.direction == self.Direction.HIGHER:
            return value >= self.target
        return value <= self.target


class KpiActual(PlainTextModel):
    """What the in-house service achieved on a KPI in one period (a week from Monday, or a
    calendar month from the 1st)."""

    INPUT_FIELDS = ("kpi", "period_start", "value", "note")

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    period_start = models.DateField(_("period starting"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kpi", "period_start"]
        verbose_name = _("KPI actual")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_start"], name="kpi_actual_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.kpi}: {self.value} ({short_date(self.period_start)})"
