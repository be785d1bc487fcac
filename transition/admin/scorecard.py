"""Admin for the parallel-run scorecard: KPIs with their actuals, and their history.

An actual saved here passes the same period and window rules as the pages, the API and
the import (transition.selectors.scorecard.actual_problems).
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.clock import local_today

from ..models import Kpi, KpiActual
from ..selectors.scorecard import actual_problems


class KpiActualAdminForm(forms.ModelForm):
    class Meta:
        model = KpiActual
        fields = ("kpi", "period_start", "value", "note")

    def clean(self):
        cleaned = super().clean()
        kpi = cleaned.get("kpi") or getattr(self.instance, "kpi", None)
        start = cleaned.get("period_start")
        if kpi is not None and start is not None:
            for field, message in actual_problems(
                kpi=kpi, period_start=start, today=local_today()
            ).items():
                self.add_error(field, message)
        return cleaned


class KpiActualInline(admin.TabularInline):
    model = KpiActual
    form = KpiActualAdminForm
    fields = ("period_start", "value", "note")
    extra = 0
    ordering = ("period_start",)


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ("name", "process", "direction", "period", "baseline", "target")
    list_select_related = ("process",)
    list_filter = ("period", "direction")
    search_fields = ("name", "process__name", "process__programme__name")
    autocomplete_fields = ("process",)
    fields = ("process", "name", "unit", "direction", "period", "baseline", "target")
    inlines = [KpiActualInline]


@admin.register(KpiActual)
class KpiActualAdmin(SimpleHistoryAdmin):
    form = KpiActualAdminForm
    list_display = ("kpi", "period_start", "value", "updated_at")
    list_select_related = ("kpi__process",)
    search_fields = ("kpi__name", "kpi__process__name")
    date_hierarchy = "period_start"
    autocomplete_fields = ("kpi",)
