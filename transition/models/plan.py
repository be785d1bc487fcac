"""The transition plan of a process: milestones, assets, staff and readiness."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from contracts.models import CURRENCY, MONEY
from core.text import PlainTextModel

from ..schedule.model import Finding
from .process import OutsourcedProcess

ELI_LEAD_DAYS = 28  # TUPE reg. 11: employee liability information at least 28 days before transfer


def predecessors_pending_message(pending) -> str:
    """Why a milestone cannot be done yet, naming the predecessors still open."""
    names = ", ".join(f"“{m}”" for m in pending)
    return ngettext(
        "Cannot be done while %(names)s is not done.",
        "Cannot be done while %(names)s are not done.",
        len(pending),
    ) % {"names": names}


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    """Milestones by progress; `Milestone.objects.open()` is what reminders and the RAG chase."""

    def open(self) -> MilestoneQuerySet:
        """Milestones not done yet (planned, in progress or blocked)."""
        return self.exclude(status=self.model.Status.DONE)

    def done(self) -> MilestoneQuerySet:
        """Milestones marked done."""
        return self.filter(status=self.model.Status.DONE)


class Milestone(PlainTextModel):
    """A dated step of a transition; finish-to-start dependencies within its process."""

    class Kind(models.TextChoices):
        PLANNING = "planning", _("Planning")
        KNOWLEDGE_TRANSFER = "knowledge_transfer", _("Knowledge transfer")
        ASSET_TRANSFER = "asset_transfer", _("Asset transfer")
        STAFF_TRANSFER = "staff_transfer", _("Staff transfer")
        SYSTEMS_DATA = "systems_data", _("Systems & data")
        PARALLEL_RUN = "parallel_run", _("Parallel run")
        CUT_OVER = "cut_over", _("Cut-over")
        GO_LIVE = "go_live", _("Go-live")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "process",
        "title",
        "kind",
        "owner",
        "start_date",
        "due_date",
        "status",
        "completed_on",
        "depends_on",
    )

    process = models.ForeignKey(
        OutsourcedProcess, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_milestones",
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
        help_text=_("Milestones of the same process that must be done first."),
    )

    # A go-live, cut-over or parallel run inside a change freeze needs an operations
    # manager's override with a reason (docs/plan.md, "Change freezes"); who and when is kept.
    freeze_override_reason = models.TextField(_("freeze override reason"), blank=True)
    freeze_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("freeze overridden by"),
    )
    freeze_overridden_at = models.DateTimeField(_("freeze overridden at"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    # The schedule findings a save flagged but allowed (transition.services.plan); set on the
    # instance the service returns, never stored.
    schedule_warnings: list[Finding]

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        indexes = [
            # Reminder sweeps and dashboards scan open milestones by due date.
            models.Index(
                fields=["due_date"], condition=~Q(status="done"), name="milestone_open_due_idx"
            ),
            # The milestone list's order: its first page is read from the index, not sorted
            # out of every milestone (docs/performance.md, "Indexes the pages read").
            models.Index(fields=["due_date", "id"], name="milestone_due_idx"),
            # "My open milestones" on the dashboard, soonest first.
            models.Index(
                fields=["owner", "due_date", "id"],
                condition=~Q(status="done"),
                name="milestone_open_owner_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=models.F("start_date")),
                name="milestone_due_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="milestone_done_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("transition:milestone_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = _("The due date cannot be before the start date.")
        if self.status == self.Status.DONE and self.pk:
            pending = self.pending_predecessors()
            if pending:
                errors["status"] = predecessors_pending_message(pending)
        if errors:
            raise ValidationError(errors)

    def pending_predecessors(self) -> list[Milestone]:
        return list(self.depends_on.open())

    def dependency_errors(self, predecessors) -> list[str]:
        """Why these predecessors are not allowed: other process, itself, or a cycle."""
        errors = []
        for predecessor in predecessors:
            if predecessor.process_id != self.process_id:
                errors.append(
                    _("“%(name)s” belongs to another process; dependencies stay within one.")
                    % {"name": predecessor}
                )
            elif predecessor.pk == self.pk:
                errors.append(_("A milestone cannot depend on itself."))
            elif self.pk and self._reaches(predecessor):
                errors.append(
                    _("“%(name)s” already depends on this milestone: that would be a cycle.")
                    % {"name": predecessor}
                )
        return errors

    def _reaches(self, other) -> bool:
        """Whether `other` depends, directly or through others, on this milestone."""
        through = Milestone.depends_on.through
        edges = through.objects.filter(from_milestone__process_id=self.process_id).values_list(
            "from_milestone_id", "to_milestone_id"
        )
        successors = {}
        for source, target in edges:
            successors.setdefault(target, set()).add(source)
        seen, frontier = set(), [self.pk]
        while frontier:
            node = frontier.pop()
            for nxt in successors.get(node, ()):
                if nxt == other.pk:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        return False


class InProcessCurrency(PlainTextModel):
    """A row whose money counts in its process's currency unless it names its own."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.take_process_currency()

    def save(self, *args, **kwargs):
        self.take_process_currency()
        super().save(*args, **kwargs)

    def take_process_currency(self) -> None:
        if not self.currency and self.process_id:
            self.currency = self.process.currency


class AssetQuerySet(models.QuerySet["Asset"]):
    """Assets by where their transfer stands."""

    def open(self) -> AssetQuerySet:
        """Transfers still to happen: to transfer or in progress, and the asset is needed.

        What the reminders chase and the RAG's next asset date reads; an asset whose method
        is "not needed" has nothing to transfer even before its status says so.
        """
        return self.filter(status__in=self.model.OPEN_STATUSES).exclude(
            transfer_method=self.model.TransferMethod.NOT_NEEDED
        )

    def unsettled(self) -> AssetQuerySet:
        """Neither transferred nor marked not needed: these block completing the process."""
        return self.exclude(status__in=self.model.SETTLED_STATUSES)


class Asset(InProcessCurrency):
    """Something the provider holds that must come back, be bought, or be let go."""

    class Category(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        SOFTWARE_LICENCE = "software_licence", _("Software licence")
        DATA = "data", _("Data")
        IP = "ip", _("Intellectual property")
        FACILITY = "facility", _("Facility")
        INVENTORY = "inventory", _("Inventory")
        SUBCONTRACT = "subcontract", _("Sub-contract")

    class TransferMethod(models.TextChoices):
        BUY_OUT = "buy_out", _("Buy-out")
        RETURN = "return", _("Return")
        NOVATION = "novation", _("Novation")
        NEW_PURCHASE = "new_purchase", _("New purchase")
        NOT_NEEDED = "not_needed", _("Not needed")

    class Status(models.TextChoices):
        TO_TRANSFER = "to_transfer", _("To transfer")
        IN_PROGRESS = "in_progress", _("In progress")
        TRANSFERRED = "transferred", _("Transferred")
        NOT_NEEDED = "not_needed", _("Not needed")

    # A status either still needs work or settles the asset for completing the process.
    OPEN_STATUSES = (Status.TO_TRANSFER, Status.IN_PROGRESS)
    SETTLED_STATUSES = (Status.TRANSFERRED, Status.NOT_NEEDED)

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "process",
        "name",
        "tag",
        "category",
        "transfer_method",
        "book_value",
        "currency",
        "transfer_due",
        "status",
        "transferred_on",
    )

    process = models.ForeignKey(OutsourcedProcess, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(_("name"), max_length=200)
    tag = models.CharField(_("tag"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    transfer_method = models.CharField(
        _("transfer method"), max_length=20, choices=TransferMethod.choices
    )
    book_value = models.DecimalField(_("book value"), default=Decimal(0), **MONEY)
    currency = models.CharField(
        _("currency"),
        blank=True,
        help_text=_("The currency of the book value; empty takes the process's."),
        **CURRENCY,
    )
    transfer_due = models.DateField(_("transfer due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.TO_TRANSFER
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    # The schedule findings a save flagged but allowed (transition.services.plan); set on the
    # instance the service returns, never stored.
    schedule_warnings: list[Finding]

    class Meta:
        ordering = ["process", "name"]
        verbose_name = _("asset")
        indexes = [
            models.Index(
                fields=["transfer_due"],
                condition=Q(status__in=["to_transfer", "in_progress"]),
                name="asset_open_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(book_value__gte=0), name="asset_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="transferred") | Q(transferred_on__isnull=False),
                name="asset_transferred_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.tag})" if self.tag else self.name

    def get_absolute_url(self):
        return reverse("transition:asset_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.status == self.Status.TRANSFERRED and not self.transferred_on:
            raise ValidationError({"transferred_on": _("Give the date the asset transferred.")})


class StaffMemberQuerySet(models.QuerySet["StaffMember"]):
    """Staff by where their move in-house stands."""

    def unsettled(self) -> StaffMemberQuerySet:
        """Not yet onboarded, declined or withdrawn: these block completing the process."""
        return self.exclude(status__in=self.model.SETTLED_STATUSES)

    def eli_pending(self) -> StaffMemberQuerySet:
        """TUPE transfers with a planned start whose employee liability information is
        still owed: identified, offered or accepted (what the ELI reminder counts)."""
        return self.filter(
            route=self.model.Route.TUPE,
            planned_start__isnull=False,
            status__in=self.model.ELI_PENDING_STATUSES,
        )

    def purge_due(self, cutoff: date) -> StaffMemberQuerySet:
        """Records whose personal data is past retention: not purged yet, and their process
        came in-house on or before `cutoff` (docs/operations.md, "Privacy: staff personal
        data and audit history"). A process that never comes in-house keeps its staff."""
        return self.filter(
            personal_data_purged_on__isnull=True,
            process__state=OutsourcedProcess.State.IN_HOUSE,
            process__in_house_on__lte=cutoff,
        )


class StaffMember(InProcessCurrency):
    """A person joining the in-house team, by TUPE transfer, hire, redeployment or contract."""

    class Route(models.TextChoices):
        TUPE = "tupe", _("TUPE transfer from the provider")
        NEW_HIRE = "new_hire", _("New hire")
        REDEPLOYMENT = "redeployment", _("Internal redeployment")
        CONTRACTOR = "contractor", _("Contractor")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        ONBOARDED = "onboarded", _("Onboarded")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Settled staff no longer block completion; pending ones still move in (ELI is owed).
    SETTLED_STATUSES = (Status.ONBOARDED, Status.DECLINED, Status.WITHDRAWN)
    ELI_PENDING_STATUSES = (Status.IDENTIFIED, Status.OFFERED, Status.ACCEPTED)

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "process",
        "name",
        "role",
        "route",
        "fte",
        "annual_cost",
        "currency",
        "key_person",
        "status",
        "planned_start",
        "training_needed",
        "training_completed_on",
    )
    # Personal data of the person (GDPR): exported on request, anonymised after retention.
    # Role, route, FTE, key person, status and dates stay: the programme's facts, not a person.
    PERSONAL_FIELDS = ("name", "annual_cost", "training_needed", "training_completed_on")

    process = models.ForeignKey(OutsourcedProcess, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    fte = models.DecimalField(
        _("FTE"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.5"))],
    )
    annual_cost = models.DecimalField(_("annual cost"), default=Decimal(0), **MONEY)
    currency = models.CharField(
        _("currency"),
        blank=True,
        help_text=_("The currency of the annual cost; empty takes the process's."),
        **CURRENCY,
    )
    key_person = models.BooleanField(_("key person"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDENTIFIED
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    training_needed = models.TextField(_("training needed"), blank=True)
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    # Set only by transition.services.privacy.staff_purge_expired; the record then stays
    # anonymised and can be neither edited nor exported.
    personal_data_purged_on = models.DateField(
        _("personal data purged on"), null=True, blank=True, editable=False
    )

    objects = StaffMemberQuerySet.as_manager()
    # Who changed what when, exported with the person's data; scrubbed by the purge.
    history = HistoricalRecords()

    # The schedule findings a save flagged but allowed (transition.services.plan); set on the
    # instance the service returns, never stored.
    schedule_warnings: list[Finding]

    class Meta:
        ordering = ["process", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["planned_start"], name="staff_planned_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(annual_cost__gte=0), name="staff_fte_cost_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("transition:staff_detail", args=[self.pk])

    @property
    def eli_due_date(self):
        """Employee liability information is due 28 days before a TUPE transfer."""
        if self.route != self.Route.TUPE or self.planned_start is None:
            return None
        return self.planned_start - timedelta(days=ELI_LEAD_DAYS)


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class ReadinessAssessment(PlainTextModel):
    """Scores 1–5 of how ready we are to run the process; the lowest score is the overall."""

    SCORE_FIELDS = (
        "expertise",
        "workforce",
        "infrastructure",
        "systems_data",
        "processes_controls",
    )

    process = models.ForeignKey(
        OutsourcedProcess, on_delete=models.CASCADE, related_name="readiness_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="readiness_assessments"
    )
    expertise = models.PositiveSmallIntegerField(_("expertise"), validators=SCORE)
    workforce = models.PositiveSmallIntegerField(_("workforce"), validators=SCORE)
    infrastructure = models.PositiveSmallIntegerField(_("infrastructure"), validators=SCORE)
    systems_data = models.PositiveSmallIntegerField(_("systems & data"), validators=SCORE)
    processes_controls = models.PositiveSmallIntegerField(
        _("processes & controls"), validators=SCORE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]
        verbose_name = _("readiness assessment")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    expertise__range=(1, 5),
                    workforce__range=(1, 5),
                    infrastructure__range=(1, 5),
                    systems_data__range=(1, 5),
                    processes_controls__range=(1, 5),
                ),
                name="readiness_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.process} readiness {self.assessed_on}"

    @property
    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.SCORE_FIELDS}

    @property
    def overall(self) -> int:
        return min(self.scores.values())

    @property
    def rag(self) -> str:
        overall = self.overall
        if overall < 3:
            return OutsourcedProcess.Rag.RED
        if overall == 3:
            return OutsourcedProcess.Rag.AMBER
        return OutsourcedProcess.Rag.GREEN
