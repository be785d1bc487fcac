"""Service providers and the outsourcing contracts we hold with them."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.clock import local_today
from core.formats import short_date
from core.text import PlainTextModel

from .. import dates
from ..codes import (
    validate_country_code,
    validate_currency_code,
    validate_holiday_country_code,
    validate_holiday_subdivision_code,
)
from .notice_state import ContractQuerySet, NoticeState, notice_state_of
from .stored_dates import NOTICE_DATE_FIELDS, notice_dates

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
# The ISO 4217 code an amount is in (docs/money.md): every model with money has one.
CURRENCY = {"max_length": 3, "validators": [validate_currency_code]}
# A yearly growth rate in percent (indexation, labour costs): 0 to 100.
GROWTH_PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "default": Decimal(0),
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
NOTICE_WINDOW_MONTHS = (1, 120)
NOTICE_TRANSIT_DAYS = (0, 60)


class ServiceProvider(PlainTextModel):
    """A company we outsource to; its name is unique."""

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "name",
        "legal_name",
        "country",
        "address",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "notes",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    country = models.CharField(
        _("country"), max_length=2, validators=[validate_country_code], help_text=_("ISO 3166")
    )
    address = models.TextField(
        _("address"), blank=True, help_text=_("Postal address for formal notices.")
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contracts:provider_detail", args=[self.pk])


@dataclasses.dataclass(frozen=True)
class MissedNotice:
    """The cost of missing a contract's next notice deadline (`Contract.missed_notice()`)."""

    missed: dates.MissedDeadline
    value: Decimal  # of the extra service, in `currency`, at the current annual value
    currency: str


class Contract(PlainTextModel):
    """An outsourcing contract whose terms feed the date engine; invalid terms never save."""

    class Renewal(models.TextChoices):
        NONE = dates.RENEWAL_NONE, _("No renewal")
        AUTOMATIC = dates.RENEWAL_AUTOMATIC, _("Automatic renewal")

    class NoticeUnit(models.TextChoices):
        DAYS = dates.NOTICE_DAYS, _("days")
        MONTHS = dates.NOTICE_MONTHS, _("months")

    class NoticeMethod(models.TextChoices):
        REGISTERED_POST = "registered_post", _("Registered post")
        COURIER = "courier", _("Courier")
        HAND_DELIVERY = "hand_delivery", _("Hand delivery")
        EMAIL = "email", _("E-mail")
        PROVIDER_PORTAL = "provider_portal", _("Provider portal")

    # The fields the date engine reads: load only these to compute dates over many rows.
    TERM_FIELDS = tuple(field.name for field in dataclasses.fields(dates.Terms))

    # What people enter (forms, API, import); everything else is derived or automatic.
    INPUT_FIELDS = (
        "reference",
        "title",
        "provider",
        "owner",
        "start_date",
        "end_date",
        "renewal",
        "renewal_term_months",
        "notice_period",
        "notice_unit",
        "notice_window_months",
        "notice_method",
        "notice_transit_days",
        "termination_for_convenience",
        "termination_clause",
        "governing_country",
        "governing_subdivision",
        "annual_value",
        "currency",
        "termination_fee",
        "annual_indexation",
        "exit_assistance_months",
        "decision_lead_days",
    )

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contracts",
        help_text=_("The person responsible for this contract and its deadlines."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), help_text=_("Last day of the initial term."))
    renewal = models.CharField(
        _("renewal"), max_length=10, choices=Renewal.choices, default=Renewal.NONE
    )
    renewal_term_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"), null=True, blank=True
    )
    notice_period = models.PositiveIntegerField(_("notice period"), default=0)
    notice_unit = models.CharField(
        _("notice unit"), max_length=6, choices=NoticeUnit.choices, default=NoticeUnit.MONTHS
    )
    notice_window_months = models.PositiveSmallIntegerField(
        _("notice window (months)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(NOTICE_WINDOW_MONTHS[0]),
            MaxValueValidator(NOTICE_WINDOW_MONTHS[1]),
        ],
        help_text=_(
            "Notice received more than this many months before the term end is void. "
            "Empty: no limit."
        ),
    )
    notice_method = models.CharField(
        _("notice method"),
        max_length=20,
        choices=NoticeMethod.choices,
        blank=True,
        help_text=_("How the contract requires notice to be given."),
    )
    notice_transit_days = models.PositiveSmallIntegerField(
        _("notice transit (business days)"),
        default=0,
        validators=[
            MinValueValidator(NOTICE_TRANSIT_DAYS[0]),
            MaxValueValidator(NOTICE_TRANSIT_DAYS[1]),
        ],
        help_text=_("Business days the notice method takes to arrive."),
    )
    termination_for_convenience = models.BooleanField(
        _("termination for convenience"),
        default=False,
        help_text=_("Notice may be served at any time and ends the service after the period."),
    )
    termination_clause = models.CharField(
        _("termination clause"),
        max_length=100,
        blank=True,
        help_text=_("Where the contract provides for termination, e.g. “clause 18.2”."),
    )
    governing_country = models.CharField(
        _("governing country"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country_code],
        help_text=_("Its public holidays are not business days for notice deadlines."),
    )
    governing_subdivision = models.CharField(
        _("governing subdivision"),
        max_length=6,
        blank=True,
        help_text=_(
            "ISO 3166-2 region of the governing country, e.g. GB-SCT: only its public "
            "holidays and the national ones count. Empty: every region's holidays count."
        ),
    )
    annual_value = models.DecimalField(_("annual value"), default=Decimal(0), **MONEY)
    currency = models.CharField(_("currency"), default=settings.DEFAULT_CURRENCY, **CURRENCY)
    termination_fee = models.DecimalField(_("termination fee"), default=Decimal(0), **MONEY)
    annual_indexation = models.DecimalField(
        _("annual indexation (%)"),
        help_text=_("How much the provider's price rises each year under the contract."),
        **GROWTH_PERCENT,
    )
    exit_assistance_months = models.PositiveSmallIntegerField(
        _("exit assistance (months)"),
        default=0,
        help_text=_("Termination assistance the provider owes after exit."),
    )
    decision_lead_days = models.PositiveSmallIntegerField(
        _("decision lead (days)"),
        default=90,
        help_text=_("How long before the notice deadline the decision must be made."),
    )
    # The engine's next notice dates as of `notice_dates_as_of`, kept for SQL to sort and
    # cut by (contracts/models/stored_dates.py); never entered, never in the history.
    stored_notice_term_end = models.DateField(null=True, blank=True, editable=False)
    stored_next_notice_deadline = models.DateField(null=True, blank=True, editable=False)
    stored_decision_date = models.DateField(null=True, blank=True, editable=False)
    stored_dispatch_by = models.DateField(null=True, blank=True, editable=False)
    notice_dates_as_of = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=list(NOTICE_DATE_FIELDS))

    class Meta:
        ordering = ["reference"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            models.Index(fields=["end_date"], name="contract_end_date_idx"),
            models.Index(
                fields=["stored_next_notice_deadline"], name="contract_notice_deadline_idx"
            ),
            models.Index(fields=["stored_decision_date"], name="contract_decision_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(renewal=dates.RENEWAL_NONE)
                # NULL > 0 is unknown, which a CHECK lets through: test for NULL explicitly.
                | Q(
                    renewal=dates.RENEWAL_AUTOMATIC,
                    renewal_term_months__isnull=False,
                    renewal_term_months__gt=0,
                ),
                name="contract_automatic_renewal_has_term",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0) & Q(termination_fee__gte=0),
                name="contract_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(notice_window_months__isnull=True)
                | Q(
                    notice_window_months__gte=NOTICE_WINDOW_MONTHS[0],
                    notice_window_months__lte=NOTICE_WINDOW_MONTHS[1],
                ),
                name="contract_notice_window_in_range",
            ),
            # Against notice in days the window's length depends on the calendar, which
            # clean() knows and a CHECK does not; months compare directly.
            models.CheckConstraint(
                condition=Q(notice_window_months__isnull=True)
                | ~Q(notice_unit=dates.NOTICE_MONTHS)
                | Q(notice_window_months__gt=models.F("notice_period")),
                name="contract_notice_window_longer_than_notice",
            ),
            models.CheckConstraint(
                condition=Q(
                    notice_transit_days__gte=NOTICE_TRANSIT_DAYS[0],
                    notice_transit_days__lte=NOTICE_TRANSIT_DAYS[1],
                ),
                name="contract_notice_transit_in_range",
            ),
            models.CheckConstraint(
                condition=Q(governing_subdivision="")
                | Q(
                    governing_subdivision__startswith=Concat(
                        "governing_country", Value("-"), output_field=models.CharField()
                    )
                ),
                name="contract_subdivision_of_governing_country",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"

    def save(self, *args, **kwargs):
        # Terms may have changed: store the engine's dates for today again. Terms the engine
        # refuses are left to clean() and the constraints to report.
        with contextlib.suppress(ValueError):
            self.store_notice_dates(local_today())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *NOTICE_DATE_FIELDS}
        super().save(*args, **kwargs)

    def store_notice_dates(self, on: date) -> None:
        """Set the stored next notice dates to the engine's as of `on` (not saved)."""
        for name, value in notice_dates(self.terms, on).items():
            setattr(self, name, value)

    def get_absolute_url(self):
        return reverse("contracts:contract_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.renewal == self.Renewal.AUTOMATIC and not self.renewal_term_months:
            errors["renewal_term_months"] = _(
                "Automatic renewal needs a renewal term of at least one month."
            )
        if self.renewal == self.Renewal.NONE:
            self.renewal_term_months = None
        if (
            "end_date" not in errors
            and self.start_date
            and self.end_date
            and self.notice_period is not None
            # An unknown unit is already reported by clean_fields(); the engine cannot use it.
            and self.notice_unit in self.NoticeUnit.values
            and self._notice_exceeds_initial_term()
        ):
            errors["notice_period"] = _(
                "The notice period cannot be longer than the initial term (%(start)s to %(end)s)."
            ) % {"start": short_date(self.start_date), "end": short_date(self.end_date)}
        if (
            self.notice_window_months is not None
            # Out of range is already reported by clean_fields(), and far out of range
            # would take the calendar arithmetic past year 1.
            and NOTICE_WINDOW_MONTHS[0] <= self.notice_window_months <= NOTICE_WINDOW_MONTHS[1]
            and self.notice_period is not None
            and self.notice_unit in self.NoticeUnit.values
            and dates.window_closes_before_it_opens(self.terms)
        ):
            errors["notice_window_months"] = _(
                "A notice window of %(window)s months is not longer than the notice period "
                "of %(notice)s: the window would close before it opens."
            ) % {"window": self.notice_window_months, "notice": self.notice_period_display}
        self.governing_subdivision = (self.governing_subdivision or "").strip().upper()
        try:
            validate_holiday_subdivision_code(
                self.governing_subdivision, (self.governing_country or "").strip().upper()
            )
        except ValidationError as error:
            errors["governing_subdivision"] = error.messages
        if errors:
            raise ValidationError(errors)

    def _notice_exceeds_initial_term(self) -> bool:
        first_day_after_term = self.end_date.toordinal() + 1
        return (
            dates.notice_date_from(self.terms, self.start_date).toordinal() > first_day_after_term
        )

    @property
    def terms(self) -> dates.Terms:
        return dates.Terms(**{name: getattr(self, name) for name in self.TERM_FIELDS})

    @property
    def notice_period_display(self) -> str:
        return f"{self.notice_period} {self.get_notice_unit_display()}"

    def current_term_end(self, on: date | None = None) -> date:
        return dates.current_term_end(self.terms, on or local_today())

    def next_notice_deadline(self, on: date | None = None) -> date | None:
        return dates.next_notice_deadline(self.terms, on or local_today())

    def decision_date(self, on: date | None = None) -> date | None:
        return dates.decision_date(self.terms, on or local_today())

    def notice_window(self, on: date | None = None) -> tuple[date | None, date] | None:
        """(opens, closes) for the term of the next notice deadline; None when none is left."""
        end = dates.next_notice_term_end(self.terms, on or local_today())
        return None if end is None else dates.notice_window(self.terms, end)

    def dispatch_by(self, on: date | None = None) -> date | None:
        """The last day to send notice so it arrives by the next notice deadline."""
        end = dates.next_notice_term_end(self.terms, on or local_today())
        return None if end is None else dates.dispatch_by(self.terms, end)

    def missed_notice(self, on: date | None = None) -> MissedNotice | None:
        """What missing the next notice deadline commits: the later exit and the value of
        the extra service at today's annual value (None when no deadline is left)."""
        deadline = self.next_notice_deadline(on)
        if deadline is None:
            return None
        missed = dates.if_deadline_missed(self.terms, deadline)
        value = (self.annual_value * missed.years_committed).quantize(Decimal("0.01"))
        return MissedNotice(missed=missed, value=value, currency=self.currency)

    def notice_window_reason(self, served_on: date | None = None) -> str | None:
        return dates.notice_window_reason(self.terms, served_on or local_today())

    def exit_date_if_served(self, served_on: date | None = None) -> date:
        return dates.exit_date_if_served(self.terms, served_on or local_today())

    def assistance_end(self, exit_date: date) -> date:
        return dates.assistance_end(self.terms, exit_date)

    def term_status(self, on: date | None = None) -> str:
        """What the date engine alone says of the terms on `on` (notice aside)."""
        return dates.status(self.terms, on or local_today())

    @property
    def notice_state(self) -> NoticeState:
        """The notices in force and how many processes they cover.

        Lists load it for every row at once (`Contract.objects.with_notice_state()`); a
        single contract's page reads it with two small queries.
        """
        if not hasattr(self, "_notice_state"):
            if hasattr(self, "notice_process_count"):
                self._notice_state = NoticeState(
                    process_count=self.notice_process_count or 0,
                    noticed_count=self.notice_noticed_count or 0,
                    whole=bool(self.notice_whole),
                    exit_date=self.notice_exit_date,
                )
            else:
                self._notice_state = notice_state_of(self)
        return self._notice_state

    def status(self, on: date | None = None) -> str:
        """The one status of the contract on `on` (docs/domain.md, "Contract status"): under
        notice when every process is in the scope of a notice in force (or the whole contract
        is and it has none), partly when some are; otherwise the engine's."""
        on = on or local_today()
        term = self.term_status(on)
        notice = self.notice_state
        if notice.wholly:
            return dates.STATUS_EXPIRED if notice.ended_by(on) else dates.STATUS_UNDER_NOTICE
        if notice.partly and term != dates.STATUS_EXPIRED:
            return dates.STATUS_PARTLY_UNDER_NOTICE
        return term

    def get_status_display(self, on: date | None = None) -> str:
        status = self.status(on)
        if status == dates.STATUS_UNDER_NOTICE and self.notice_state.exit_date:
            return _("Under notice — ends %(date)s") % {
                "date": short_date(self.notice_state.exit_date)
            }
        return str(dates.STATUS_LABELS[status])

    def is_expired(self, on: date | None = None) -> bool:
        """Whether its terms have run out (no term left to give notice on), notices aside."""
        return self.term_status(on) == dates.STATUS_EXPIRED
