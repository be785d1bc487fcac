"""Programmes, the outsourced processes they bring back, and the workflow's event log."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from contracts.models import CURRENCY, MONEY, Contract, ExitNotice
from core.clock import local_today
from core.formats import short_date
from core.text import PlainTextModel

from .. import guards, money
from ..schedule.critical_path import analyse
from ..schedule.model import Finding, Plan, PlanMilestone

if TYPE_CHECKING:
    from .plan import Milestone

AMBER_HORIZON_DAYS = 14

# What rag_on() reads besides the row and its contract: two annotations and two prefetches
# (the readiness, and the milestones with their dependency edges for the forecast), which
# transition.selectors.with_rag_inputs() adds to a queryset.
RAG_INPUTS = (
    "next_milestone_due",
    "next_asset_due",
    "readiness_latest",
    "schedule_milestone_rows",
    # The earliest open termination-assistance deliverable of the process's notice.
    "open_deliverable_due",
    "open_deliverable_title",
    "open_deliverable_status",
)


def plan_milestone(row, depends_on=()) -> PlanMilestone:
    """One milestone row as the schedule sees it (saved or about to be; key 0 when unsaved)."""
    return PlanMilestone(
        key=row.pk or 0,
        title=row.title,
        kind=row.kind,
        due=row.due_date,
        start=row.start_date,
        done=row.status == "done",
        completed_on=row.completed_on,
        depends_on=tuple(sorted(set(depends_on))),
        freeze_override=bool(row.freeze_override_by_id and row.freeze_override_reason),
    )


def plan_milestones_of(rows) -> tuple[PlanMilestone, ...]:
    """Milestone rows as the schedule sees them, in the order given.

    A row carries its predecessors either as `.predecessors` (`process_milestones()`) or as
    one row per dependency edge annotated `predecessor_id` (the RAG's prefetch, `plans_for()`).
    """
    firsts: dict[int, object] = {}
    depends: dict[int, set[int]] = {}
    for row in rows:
        firsts.setdefault(row.pk, row)
        edges = depends.setdefault(row.pk, set())
        if hasattr(row, "predecessors"):
            edges.update(predecessor.pk for predecessor in row.predecessors)
        elif getattr(row, "predecessor_id", None) is not None:
            edges.add(row.predecessor_id)
    return tuple(plan_milestone(row, depends[pk]) for pk, row in firsts.items())


class RagInputsNotLoaded(LookupError):
    """rag_on() ran on a process loaded without its RAG inputs (a programming error)."""


class Programme(PlainTextModel):
    """A backsourcing programme grouping the processes brought back together."""

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "name",
        "description",
        "sponsor",
        "start_date",
        "target_date",
        "budget",
        "currency",
        "case_horizon_years",
        "discount_rate",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sponsored_programmes",
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("start date"))
    target_date = models.DateField(_("target date"))
    budget = models.DecimalField(_("budget"), default=Decimal(0), **MONEY)
    currency = models.CharField(
        _("currency"),
        default=settings.REPORTING_CURRENCY,
        help_text=_("The currency of the budget."),
        **CURRENCY,
    )
    # The business case of its processes (docs/business-case.md).
    case_horizon_years = models.PositiveSmallIntegerField(
        _("business case horizon (years)"),
        default=settings.BUSINESS_CASE_HORIZON_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("How many years the business cases of its processes look ahead (1–30)."),
    )
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Discounts its business cases; empty uses the company's default rate."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gte=models.F("start_date")),
                name="programme_target_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="programme_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(case_horizon_years__gte=1, case_horizon_years__lte=30),
                name="programme_case_horizon_1_to_30_years",
            ),
            models.CheckConstraint(
                condition=Q(discount_rate__isnull=True)
                | Q(discount_rate__gte=0, discount_rate__lte=100),
                name="programme_discount_rate_0_to_100",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("transition:programme_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start_date and self.target_date and self.target_date < self.start_date:
            raise ValidationError({"target_date": _("The target date cannot be before the start.")})


def _may(permission: str):
    """FSM permission callable that always passes the process, so object rules apply."""

    def check(process, user) -> bool:
        return user.has_perm(permission, process)

    check.permission = permission
    return check


class OutsourcedProcess(ConcurrentTransitionMixin, PlainTextModel):
    """A process we outsource, moving outsourced → exit notice → transition → in-house."""

    class State(models.TextChoices):
        OUTSOURCED = "outsourced", _("Outsourced")
        EXIT_NOTICE = "exit_notice", _("Exit notice")
        TRANSITION = "transition", _("Transition")
        IN_HOUSE = "in_house", _("In-house")

    class Category(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        FULFILMENT = "fulfilment", _("Fulfilment & logistics")
        IT = "it", _("IT")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        FINANCE = "finance", _("Finance & back office")
        FACILITIES = "facilities", _("Facilities")
        OTHER = "other", _("Other")

    class Criticality(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Rag(models.TextChoices):
        RED = "red", _("Red")
        AMBER = "amber", _("Amber")
        GREEN = "green", _("Green")

    COST_FIELDS = (
        "annual_outsourced_cost",
        "projected_inhouse_annual_cost",
        "one_off_transition_cost",
    )

    # What people enter (forms, API, import); the workflow fields are never inputs.
    INPUT_FIELDS = (
        "programme",
        "contract",
        "name",
        "description",
        "category",
        "criticality",
        "owner",
        "lead",
        "currency",
        *COST_FIELDS,
        "target_in_house_date",
    )

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="processes")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="processes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_processes",
        help_text=_("The operations manager accountable for this process."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_processes",
        null=True,
        blank=True,
        help_text=_("The project lead running the transition (required to start it)."),
    )
    currency = models.CharField(
        _("currency"),
        blank=True,
        help_text=_("The currency of its cost figures; empty takes the contract's."),
        **CURRENCY,
    )
    annual_outsourced_cost = models.DecimalField(
        _("annual outsourced cost"), null=True, blank=True, **MONEY
    )
    projected_inhouse_annual_cost = models.DecimalField(
        _("projected in-house annual cost"), null=True, blank=True, **MONEY
    )
    one_off_transition_cost = models.DecimalField(
        _("one-off transition cost"), null=True, blank=True, **MONEY
    )
    target_in_house_date = models.DateField(_("target in-house date"), null=True, blank=True)
    state = FSMField(
        _("state"), max_length=20, choices=State.choices, default=State.OUTSOURCED, protected=True
    )
    notice_served_on = models.DateField(_("notice served on"), null=True, blank=True)
    # The contract's notice this process is in the scope of (docs/domain.md, "Exit notice");
    # set and cleared only by the workflow, with notice_served_on and exit_date.
    exit_notice = models.ForeignKey(
        "contracts.ExitNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("exit notice"),
    )
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    in_house_on = models.DateField(_("in-house on"), null=True, blank=True)
    scorecard_gate_periods = models.PositiveSmallIntegerField(
        _("periods every KPI must meet before completing"),
        default=0,
        validators=[MaxValueValidator(52)],
        help_text=_(
            "Complete only after every KPI of the parallel-run scorecard met its exit "
            "criterion for this many consecutive periods; 0 turns the gate off."
        ),
    )
    early_completion_reason = models.TextField(
        _("reason for completing before the exit date"),
        blank=True,
        help_text=_("Why the process came in-house before the provider's exit date."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # Set on the instance, never stored: the milestones the RAG's forecast reads, one row per
    # dependency edge (transition.selectors.with_rag_inputs(), present only when loaded), and
    # the schedule findings a transition flagged but allowed (transition.services.workflow).
    schedule_milestone_rows: "list[Milestone]"
    schedule_warnings: list[Finding]

    class Meta:
        ordering = ["programme__name", "name"]
        verbose_name = _("outsourced process")
        verbose_name_plural = _("outsourced processes")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="process_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(annual_outsourced_cost__gte=0)
                & Q(projected_inhouse_annual_cost__gte=0)
                & Q(one_off_transition_cost__gte=0),
                name="process_costs_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["state"], name="process_state_idx"),
            models.Index(fields=["exit_date"], name="process_exit_date_idx"),
            # The process list's order (name, then key): its first page comes off the index.
            models.Index(fields=["name", "id"], name="process_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("transition:process_detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.take_contract_currency()

    def save(self, *args, **kwargs):
        self.take_contract_currency()
        super().save(*args, **kwargs)

    def take_contract_currency(self) -> None:
        """A process without a currency of its own counts in its contract's."""
        if not self.currency and self.contract_id:
            self.currency = self.contract.currency

    # Workflow: transition methods change in-memory fields only; services save them.

    @transition(
        field=state,
        source=State.OUTSOURCED,
        target=State.EXIT_NOTICE,
        conditions=[guards.contract_not_expired, guards.readiness_assessed, guards.costs_entered],
        permission=_may("transition.serve_exit_notice"),
        custom={"label": _("Serve exit notice"), "params": ("served_on",)},
    )
    def serve_exit_notice(self, *, served_on: date, notice: ExitNotice):
        # The workflow service finds or records the contract's notice first (one way in).
        self.exit_notice = notice
        self.notice_served_on = served_on
        self.exit_date = notice.exit_date

    @transition(
        field=state,
        source=State.EXIT_NOTICE,
        target=State.OUTSOURCED,
        permission=_may("transition.withdraw_notice"),
        custom={"label": _("Withdraw notice"), "params": ("reason",)},
    )
    def withdraw_notice(self, *, reason: str):
        self.exit_notice = None
        self.notice_served_on = None
        self.exit_date = None

    @transition(
        field=state,
        source=State.EXIT_NOTICE,
        target=State.TRANSITION,
        conditions=[guards.lead_assigned, guards.milestones_planned],
        permission=_may("transition.run_transition"),
        custom={"label": _("Start transition"), "params": ()},
    )
    def start_transition(self):
        pass

    @transition(
        field=state,
        source=State.TRANSITION,
        target=State.IN_HOUSE,
        conditions=[
            guards.milestones_done,
            guards.assets_settled,
            guards.staff_settled,
            guards.scorecard_met,
        ],
        permission=_may("transition.run_transition"),
        custom={"label": _("Complete"), "params": ("in_house_on", "early_completion_reason")},
    )
    def complete(self, *, in_house_on: date, early_completion_reason: str | None = None):
        # Before the exit date the schedule checks ask why (docs/plan.md); kept with the row.
        self.in_house_on = in_house_on
        self.early_completion_reason = (early_completion_reason or "").strip()

    # Derived figures

    @property
    def annual_saving(self) -> Decimal | None:
        return money.annual_saving(self.annual_outsourced_cost, self.projected_inhouse_annual_cost)

    @property
    def payback_months(self) -> Decimal | None:
        return money.payback_months(self.one_off_transition_cost, self.annual_saving)

    @property
    def latest_readiness(self):
        # Selectors prefetch the assessments newest first into `readiness_latest`.
        if hasattr(self, "readiness_latest"):
            return self.readiness_latest[0] if self.readiness_latest else None
        return self.readiness_assessments.order_by("-assessed_on", "-pk").first()

    @property
    def rag_inputs_loaded(self) -> bool:
        """Whether the RAG can be shown: false for a bare instance or a history snapshot."""
        return all(hasattr(self, name) for name in RAG_INPUTS)

    @property
    def rag(self) -> str:
        return self.rag_on(local_today())

    @property
    def rag_reason(self) -> str:
        return self.rag_explained_on(local_today())[1]

    def rag_on(self, on: date) -> str:
        """Red: overdue milestone, still outsourced after the decision date, or forecast
        ready after the exit date; amber: due within 14 days, the latest readiness is not
        green, or forecast ready less than 14 days before the exit date.

        Reads the RAG_INPUTS a selector loaded (`with_rag_inputs()`, `process_list()`), so
        a list costs the same queries for any length; without them it raises rather than
        querying once per row.
        """
        return self.rag_explained_on(on)[0]

    def rag_explained_on(self, on: date) -> tuple[str, str]:
        """The RAG on `on` and why, in words naming the dates ("" when green)."""
        missing = [name for name in RAG_INPUTS if not hasattr(self, name)]
        if missing:
            raise RagInputsNotLoaded(
                f"Process {self.pk} was loaded without {', '.join(missing)}; "
                "read it through transition.selectors (with_rag_inputs) to show its RAG."
            )
        if self.state == self.State.IN_HOUSE:
            return self.Rag.GREEN, ""
        next_due = self.next_milestone_due
        if next_due is not None and next_due < on:
            return self.Rag.RED, _("A milestone due on %(date)s is overdue.") % {
                "date": short_date(next_due)
            }
        deliverable = self._open_deliverable()
        if deliverable is not None and self.exit_date is not None:
            assistance_end = self.contract.assistance_end(self.exit_date)
            if assistance_end < on:
                return self.Rag.RED, _(
                    "“%(title)s” (due %(due)s) is still open after termination assistance "
                    "ended on %(end)s."
                ) % {
                    "title": deliverable[1],
                    "due": short_date(deliverable[0]),
                    "end": short_date(assistance_end),
                }
        outsourced = self.state == self.State.OUTSOURCED
        if outsourced and self._decision_passed(on):
            return self.Rag.RED, _("Still outsourced after the decision date for notice.")
        margin = self.forecast_margin_on(on)
        if margin is not None and margin[1] < 0:
            ready, days = margin
            return self.Rag.RED, _(
                "Forecast ready on %(ready)s, %(days)d days after the exit date %(exit)s."
            ) % {"ready": short_date(ready), "days": -days, "exit": short_date(self.exit_date)}
        if deliverable is not None and deliverable[0] < on:
            if self.open_deliverable_status == "received":
                # Delivered: the provider did its part; our acceptance is what is late.
                wording = _("“%(title)s” was received and awaits our acceptance (due %(due)s).")
            elif self.open_deliverable_status == "rejected":
                wording = _("“%(title)s” was rejected and is owed again (due %(due)s).")
            else:
                wording = _("“%(title)s” from the provider is overdue (due %(due)s).")
            return self.Rag.AMBER, wording % {
                "title": deliverable[1],
                "due": short_date(deliverable[0]),
            }
        decision = self.contract.decision_date(on) if outsourced else None
        soon = on + timedelta(days=AMBER_HORIZON_DAYS)
        for day, reason in (
            (next_due, _("A milestone is due on %(date)s, within 14 days.")),
            (decision, _("The decision date for notice, %(date)s, is within 14 days.")),
            (self.next_asset_due, _("An asset transfer is due on %(date)s, within 14 days.")),
        ):
            if day is not None and day <= soon:
                return self.Rag.AMBER, reason % {"date": short_date(day)}
        readiness = self.readiness_latest[0] if self.readiness_latest else None
        # A red readiness is not in the design's red rule, but it is never "all well".
        if readiness and readiness.rag != self.Rag.GREEN:
            return self.Rag.AMBER, _("The latest readiness assessment (%(date)s) is %(rag)s.") % {
                "date": short_date(readiness.assessed_on),
                "rag": self.Rag(readiness.rag).label.lower(),
            }
        if margin is not None and margin[1] < AMBER_HORIZON_DAYS:
            ready, days = margin
            return self.Rag.AMBER, _(
                "Forecast ready on %(ready)s, only %(days)d days before the exit date %(exit)s."
            ) % {"ready": short_date(ready), "days": days, "exit": short_date(self.exit_date)}
        return self.Rag.GREEN, ""

    def _open_deliverable(self) -> tuple[date, str] | None:
        """(due date, title) of the earliest open deliverable of the notice, if any."""
        if self.exit_notice_id is None or self.open_deliverable_due is None:
            return None
        return self.open_deliverable_due, self.open_deliverable_title

    def forecast_margin_on(self, on: date) -> tuple[date, int] | None:
        """(forecast ready date, days from it to the exit date) from the loaded milestones;
        None without an exit date or milestones (docs/plan.md, "Critical path")."""
        rows = self.schedule_milestone_rows
        if self.exit_date is None or not rows:
            return None
        analysis = analyse(Plan(milestones=plan_milestones_of(rows), exit_date=self.exit_date), on)
        if analysis.forecast_ready_date is None or analysis.ready_margin_days is None:
            return None
        return analysis.forecast_ready_date, analysis.ready_margin_days

    def _decision_passed(self, on: date) -> bool:
        deadline = self.contract.next_notice_deadline(on)
        if deadline is None:
            # No deadline left: the contract ends (or has ended) without our decision.
            return not self.contract.is_expired(on)
        decision = self.contract.decision_date(on)
        return decision is not None and decision < on


class ProcessEvent(PlainTextModel):
    """One row per successful workflow transition: who moved the process, when, and why."""

    process = models.ForeignKey(OutsourcedProcess, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=20, choices=OutsourcedProcess.State.choices)
    target = models.CharField(_("to"), max_length=20, choices=OutsourcedProcess.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="process_events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    # The exit notice a serve or withdraw event belongs to.
    notice = models.ForeignKey(
        "contracts.ExitNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("exit notice"),
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("process event")
        indexes = [models.Index(fields=["process", "-at"], name="event_process_at_idx")]

    def __str__(self):
        return f"{self.process}: {self.source} → {self.target}"
