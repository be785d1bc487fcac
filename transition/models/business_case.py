"""What a process's business case assumes beyond its cost figures (docs/business-case.md)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import GROWTH_PERCENT, MONEY

from .process import OutsourcedProcess


class BusinessCaseInputs(models.Model):
    """One process's assumptions; a process without a row uses the defaults below.

    Amounts are in the process's currency.
    """

    INPUT_FIELDS = (
        "labour_cost_growth",
        "renegotiation_change",
        "go_live_month",
        "dual_running_months",
        "termination_fee",
        "exit_assistance_cost",
        "tupe_cost",
        "stranded_cost",
    )
    MONEY_FIELDS = ("termination_fee", "exit_assistance_cost", "tupe_cost", "stranded_cost")

    process = models.OneToOneField(
        OutsourcedProcess, on_delete=models.CASCADE, primary_key=True, related_name="case_inputs"
    )
    labour_cost_growth = models.DecimalField(
        _("labour-cost growth (%)"),
        **{**GROWTH_PERCENT, "default": settings.BUSINESS_CASE_LABOUR_GROWTH},
        help_text=_("How much the in-house run-rate grows each year (pay rises)."),
    )
    renegotiation_change = models.DecimalField(
        _("renegotiated price change (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(-10),
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(100))],
        help_text=_("The price change expected if the contract is renegotiated (−10 = 10% less)."),
    )
    go_live_month = models.PositiveSmallIntegerField(
        _("in-house from month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(360)],
        help_text=_(
            "Month of the case (1 = the programme's start month) the in-house team takes over; "
            "empty: the month of the target in-house date."
        ),
    )
    dual_running_months = models.PositiveSmallIntegerField(
        _("dual-running months"),
        default=0,
        validators=[MaxValueValidator(36)],
        help_text=_("Months the provider is still paid after the in-house team takes over."),
    )
    termination_fee = models.DecimalField(
        _("termination fee"),
        default=Decimal(0),
        help_text=_("This process's share of the contract's fee for ending early."),
        **MONEY,
    )
    exit_assistance_cost = models.DecimalField(
        _("exit-assistance cost"),
        default=Decimal(0),
        help_text=_("What the provider charges for termination assistance."),
        **MONEY,
    )
    tupe_cost = models.DecimalField(
        _("TUPE one-off costs"),
        default=Decimal(0),
        help_text=_("Consultation, harmonisation and legal costs of transferring staff."),
        **MONEY,
    )
    stranded_cost = models.DecimalField(
        _("stranded cost"),
        default=Decimal(0),
        help_text=_("Costs left behind when the provider goes: write-offs, unused licences."),
        **MONEY,
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business case inputs")
        verbose_name_plural = _("business case inputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(termination_fee__gte=0)
                & Q(exit_assistance_cost__gte=0)
                & Q(tupe_cost__gte=0)
                & Q(stranded_cost__gte=0),
                name="case_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(labour_cost_growth__gte=0, labour_cost_growth__lte=100),
                name="case_labour_growth_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(renegotiation_change__gte=-100, renegotiation_change__lte=100),
                name="case_renegotiation_within_100",
            ),
        ]

    def __str__(self):
        return str(_("Business case of %(process)s") % {"process": self.process})
