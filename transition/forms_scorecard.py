"""Forms of the parallel-run scorecard; their views save through transition.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT
from .models import Kpi, KpiActual


class KpiForm(forms.ModelForm):
    """A KPI of a process's scorecard (the process comes from the page)."""

    class Meta:
        model = Kpi
        fields = ("name", "unit", "direction", "period", "baseline", "target")
        help_texts = {
            "name": _("Orders shipped on time, tickets resolved in SLA, payroll accuracy…"),
            "baseline": _("What the provider achieves today, for comparison."),
            "target": _("The exit criterion the in-house service must meet."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class KpiActualForm(forms.ModelForm):
    """The value of one KPI for one period (the KPI comes from the page)."""

    class Meta:
        model = KpiActual
        fields = ("period_start", "value", "note")
        widgets = {"period_start": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, kpi: Kpi | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kpi is not None:
            self.fields["period_start"].help_text = (
                _("The 1st of the month.")
                if kpi.period == Kpi.Period.MONTH
                else _("The Monday the week starts.")
            )


class PeriodActualsForm(forms.Form):
    """One period's values of every KPI of a process measured that often (blank: skipped)."""

    period_start = forms.DateField(label=_("Period starting"), widget=DATE_INPUT)

    def __init__(self, *args, kpis=(), period: str = Kpi.Period.WEEK, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        self.fields["period_start"].help_text = (
            _("The 1st of the month.") if period == Kpi.Period.MONTH else _("A Monday.")
        )
        for kpi in self.kpis:
            label = f"{kpi.name} ({kpi.unit})" if kpi.unit else kpi.name
            self.fields[f"kpi-{kpi.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=14, decimal_places=4
            )
            self.fields[f"note-{kpi.pk}"] = forms.CharField(
                label=_("Note on %(kpi)s") % {"kpi": kpi.name}, required=False
            )

    def rows(self):
        """(KPI, value field, note field) for the template."""
        return [(kpi, self[f"kpi-{kpi.pk}"], self[f"note-{kpi.pk}"]) for kpi in self.kpis]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.values():
            raise forms.ValidationError(_("Enter the value of at least one KPI."))
        return cleaned

    def values(self):
        """{KPI: (value, note)} of the KPIs given a value."""
        return {
            kpi: (value, self.cleaned_data.get(f"note-{kpi.pk}") or "")
            for kpi in self.kpis
            if (value := self.cleaned_data.get(f"kpi-{kpi.pk}")) is not None
        }
