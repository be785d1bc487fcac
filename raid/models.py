"""The RAID log: risks, assumptions, issues and decisions of a process or a programme.

One table for the four kinds keeps the list, the forms, the API and the import one thing
each; the fields only some kinds use are checked in `RaidItem.clean()` and, where the
database can hold the rule, in a `CheckConstraint` (docs: raid.md).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import PlainTextModel
from transition.models import OutsourcedProcess, Programme

# Probability and impact are each rated 1 (lowest) to 5 (highest).
SCALE = range(1, 6)
# A risk is "high" when probability × impact reaches this: the red band of the 5 × 5 heat
# map (15, 16, 20 and 25), what the dashboard and the reminders chase first.
HIGH_RISK_SCORE = 15
# Scores from this up to HIGH_RISK_SCORE are amber; below, green.
MEDIUM_RISK_SCORE = 6


def rating_validators(message) -> list:
    """1 to 5, refused with `message` (naming the rating; `%(show_value)s` is the value)."""
    return [MinValueValidator(SCALE[0], message=message), MaxValueValidator(SCALE[-1], message)]


def score_band(score: int | None) -> str:
    """ "high", "medium" or "low" for a probability × impact score ("" for none)."""
    if score is None:
        return ""
    if score >= HIGH_RISK_SCORE:
        return "high"
    if score >= MEDIUM_RISK_SCORE:
        return "medium"
    return "low"


class RaidItemQuerySet(models.QuerySet["RaidItem"]):
    """The status tests every page, the API, the dashboard and the reminders share."""

    def open(self) -> RaidItemQuerySet:
        """Items still to act on: open or in progress (not closed)."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def risks(self) -> RaidItemQuerySet:
        return self.filter(kind=self.model.Kind.RISK)

    def with_score(self) -> RaidItemQuerySet:
        """Each row with `score` = probability × impact (null for all but risks)."""
        if "score" in self.query.annotations:
            return self
        return self.annotate(score=F("probability") * F("impact"))

    def high(self) -> RaidItemQuerySet:
        """Risks scoring HIGH_RISK_SCORE or more."""
        return self.risks().with_score().filter(score__gte=HIGH_RISK_SCORE)

    def overdue(self, today: date) -> RaidItemQuerySet:
        """Open items of any kind whose due date is before `today`."""
        return self.open().filter(due_date__lt=today)

    def of_programme(self, programme: Programme | int) -> RaidItemQuerySet:
        """The programme's own items and those of its processes."""
        pk = programme.pk if isinstance(programme, Programme) else programme
        return self.filter(Q(programme_id=pk) | Q(process__programme_id=pk))


class RaidItem(PlainTextModel):
    """A risk, assumption, issue or decision of exactly one process or one programme."""

    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        ASSUMPTION = "assumption", _("Assumption")
        ISSUE = "issue", _("Issue")
        DECISION = "decision", _("Decision")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    # What people enter (forms, API, import).
    INPUT_FIELDS = (
        "process",
        "programme",
        "kind",
        "title",
        "description",
        "owner",
        "status",
        "due_date",
        "probability",
        "impact",
        "mitigation",
        "severity",
        "decision_date",
        "made_by",
        "rationale",
    )

    process = models.ForeignKey(
        OutsourcedProcess,
        on_delete=models.CASCADE,
        related_name="raid_items",
        null=True,
        blank=True,
        verbose_name=_("process"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="raid_items",
        null=True,
        blank=True,
        verbose_name=_("programme"),
        help_text=_("For an item of the whole programme; leave empty when a process is given."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_raid_items",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("When the next action (mitigation, fix, validation, decision) is due."),
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"),
        null=True,
        blank=True,
        validators=rating_validators(
            _("Probability is rated from 1 to 5; %(show_value)s is out of range.")
        ),
        help_text=_("Risks only: 1 (rare) to 5 (almost certain)."),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"),
        null=True,
        blank=True,
        validators=rating_validators(
            _("Impact is rated from 1 to 5; %(show_value)s is out of range.")
        ),
        help_text=_("Risks only: 1 (negligible) to 5 (severe)."),
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=Severity.choices,
        blank=True,
        help_text=_("Issues only."),
    )
    decision_date = models.DateField(
        _("decision date"), null=True, blank=True, help_text=_("Decisions only: when it was made.")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("made by"),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RaidItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("RAID item")
        verbose_name_plural = _("RAID items")
        indexes = [
            # The dashboard and the reminders scan open items by due date.
            models.Index(
                fields=["due_date"], condition=~Q(status="closed"), name="raid_open_due_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(process__isnull=False) & Q(programme__isnull=True))
                | (Q(process__isnull=True) & Q(programme__isnull=False)),
                name="raid_item_of_process_or_programme",
            ),
            models.CheckConstraint(
                condition=(Q(probability__isnull=True) | Q(probability__gte=1, probability__lte=5))
                & (Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5)),
                name="raid_probability_impact_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(kind="risk") | Q(probability__isnull=False, impact__isnull=False),
                name="raid_risk_rated",
            ),
            models.CheckConstraint(
                condition=Q(kind="risk") | Q(probability__isnull=True, impact__isnull=True),
                name="raid_only_risks_rated",
            ),
            models.UniqueConstraint(
                fields=["process", "kind", "title"],
                condition=Q(process__isnull=False),
                name="raid_title_unique_per_process",
                violation_error_message=_(
                    "This process already has an item of that kind and title."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "title"],
                condition=Q(programme__isnull=False),
                name="raid_title_unique_per_programme",
                violation_error_message=_(
                    "This programme already has an item of that kind and title."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("raid:item_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors: dict[str, list[str]] = {}

        def refuse(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.process_id and self.programme_id:
            refuse(
                "programme",
                _(
                    "Give a process or a programme, not both: a process's item belongs "
                    "to its programme."
                ),
            )
        elif not self.process_id and not self.programme_id:
            refuse("process", _("Give the process or the programme this item belongs to."))
        ratings = {"probability": _("probability"), "impact": _("impact")}
        for field, label in ratings.items():
            value = getattr(self, field)
            if self.kind == self.Kind.RISK and value is None:
                refuse(field, _("Rate the risk's %(field)s from 1 to 5.") % {"field": label})
            elif self.kind and self.kind != self.Kind.RISK and value is not None:
                refuse(field, _("Only risks have a %(field)s.") % {"field": label})
        if self.kind == self.Kind.ISSUE and not self.severity:
            refuse("severity", _("Give the issue's severity."))
        if self.kind != self.Kind.ISSUE and self.severity:
            refuse("severity", _("Only issues have a severity."))
        if self.kind == self.Kind.DECISION:
            if self.status == self.Status.CLOSED and self.decision_date is None:
                refuse("decision_date", _("Give the date a closed (made) decision was made."))
        else:
            if self.decision_date is not None:
                refuse("decision_date", _("Only decisions have a decision date."))
            if self.made_by_id is not None:
                refuse("made_by", _("Only decisions are made by someone."))
        if errors:
            raise ValidationError(errors)

    @property
    def subject(self) -> OutsourcedProcess | Programme | None:
        """The process or the programme this item belongs to."""
        return self.process if self.process_id else self.programme

    @property
    def subject_programme_id(self) -> int | None:
        return self.process.programme_id if self.process_id else self.programme_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def rating(self) -> int | None:
        """Probability × impact (the `score` annotation where a selector added it)."""
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact

    @property
    def band(self) -> str:
        return score_band(self.rating)

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today
