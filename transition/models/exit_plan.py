"""Exit plans of a process, their rehearsals and the remediation the tests found.

Regulated firms keep a documented exit plan for each critical outsourced function and
test it (EBA GL on outsourcing, section 15; DORA Art. 28(8)); see docs/exit-management.md.
An exit plan is versioned: approving a new version supersedes the one in force, which stays
readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import PlainTextModel

from .process import OutsourcedProcess


class ExitPlanQuerySet(models.QuerySet["ExitPlan"]):
    def approved(self) -> ExitPlanQuerySet:
        """The versions in force: one per process at most."""
        return self.filter(status=self.model.Status.APPROVED)


class ExitPlan(PlainTextModel):
    """One version of a process's exit plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    class Route(models.TextChoices):
        IN_HOUSE = "in_house", _("Reintegration in-house")
        ALTERNATIVE_PROVIDER = "alternative_provider", _("Transfer to an alternative provider")

    class Trigger(models.TextChoices):
        TERMINATION = "termination", _("Termination of the contract")
        PROVIDER_FAILURE = "provider_failure", _("Provider failure or insolvency")
        SERVICE_DEGRADATION = "service_degradation", _("Service degradation")
        REGULATORY = "regulatory", _("Regulatory or supervisory demand")

    class Substitutability(models.TextChoices):
        EASY = "easy", _("Easy")
        DIFFICULT = "difficult", _("Difficult")
        IMPOSSIBLE = "impossible", _("Impossible")

    class Reintegration(models.TextChoices):
        EASY = "easy", _("Easy")
        DIFFICULT = "difficult", _("Difficult")
        HIGHLY_COMPLEX = "highly_complex", _("Highly complex")

    # The plan's content: what a new draft copies from the version in force.
    CONTENT_FIELDS = (
        "objectives",
        "triggers",
        "route",
        "alternatives",
        "business_impact",
        "roles",
        "resources",
        "success_criteria",
        "substitutability",
        "reintegration",
        "owner",
    )
    INPUT_FIELDS = ("process", *CONTENT_FIELDS, "last_review_on", "next_review_due")

    process = models.ForeignKey(
        OutsourcedProcess, on_delete=models.CASCADE, related_name="exit_plans"
    )
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    objectives = models.TextField(_("objectives"), blank=True)
    triggers = models.JSONField(
        _("exit triggers"),
        default=list,
        blank=True,
        help_text=_("Any of: termination, provider_failure, service_degradation, regulatory."),
    )
    route = models.CharField(
        _("exit route"), max_length=24, choices=Route.choices, default=Route.IN_HOUSE
    )
    alternatives = models.TextField(
        _("alternatives"), blank=True, help_text=_("Alternative providers or solutions, named.")
    )
    business_impact = models.TextField(_("business-impact summary"), blank=True)
    roles = models.TextField(_("roles"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    success_criteria = models.TextField(_("success criteria"), blank=True)
    substitutability = models.CharField(
        _("substitutability"), max_length=12, choices=Substitutability.choices, blank=True
    )
    reintegration = models.CharField(
        _("reintegration possibility"), max_length=16, choices=Reintegration.choices, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_exit_plans",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    last_review_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Empty: a year after approval (the EXIT_PLAN_REVIEW_MONTHS setting)."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExitPlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["process", "-version"]
        verbose_name = _("exit plan")
        constraints = [
            models.UniqueConstraint(fields=["process", "version"], name="exit_plan_version_unique"),
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(status="approved"),
                name="exit_plan_one_approved_per_process",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(owner__isnull=False),
                name="exit_plan_approved_has_owner",
            ),
        ]

    def __str__(self):
        return f"{self.process} – exit plan v{self.version}"

    def get_absolute_url(self):
        return reverse("transition:exit_plan_detail", args=[self.pk])


class Rehearsal(PlainTextModel):
    """A test of an exit plan: a scenario played through, and what it showed."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        PARTIAL = "partial", _("Partial")
        FAIL = "fail", _("Fail")

    INPUT_FIELDS = (
        "exit_plan",
        "held_on",
        "scenario",
        "participants",
        "outcome",
        "findings",
        "next_test_due",
    )

    exit_plan = models.ForeignKey(ExitPlan, on_delete=models.PROTECT, related_name="rehearsals")
    process = models.ForeignKey(
        OutsourcedProcess, on_delete=models.CASCADE, related_name="rehearsals", editable=False
    )
    held_on = models.DateField(_("held on"))
    scenario = models.TextField(_("scenario"))
    participants = models.TextField(_("participants"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    findings = models.TextField(_("findings"), blank=True)
    next_test_due = models.DateField(_("next test due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("exit-plan rehearsal")

    def __str__(self):
        return f"{self.process} – rehearsal of {self.held_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("transition:rehearsal_detail", args=[self.pk])


class RemediationActionQuerySet(models.QuerySet["RemediationAction"]):
    def open(self) -> RemediationActionQuerySet:
        return self.filter(status=self.model.Status.OPEN)


class RemediationAction(PlainTextModel):
    """Something a rehearsal showed must be fixed, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    INPUT_FIELDS = ("rehearsal", "title", "owner", "due_date", "status", "closed_on", "note")

    rehearsal = models.ForeignKey(Rehearsal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_remediation_actions",
        null=True,
        blank=True,
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RemediationActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("remediation action")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="remediation_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.title
