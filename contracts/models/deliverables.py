"""Termination assistance the provider owes after notice (docs/exit-management.md).

A checklist of `DeliverableTemplate` rows (edited in the admin) is applied to an exit
notice when it is served: one `Deliverable` per active template, due a number of days
after the notice, the exit date or the end of the assistance period. The UK Model Services
Contract Schedule 8.5 is the reference for the default checklist.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import PlainTextModel
from core.uploads import FileTypeValidator

from .documents import validate_document_size
from .notices import ExitNotice
from .register import Contract

EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "docx", "xlsx", "odt", "txt"]


class DeliverableCategory(models.TextChoices):
    EXIT_INFORMATION = "exit_information", _("Exit information")
    ASSET_REGISTER = "asset_register", _("Register of assets")
    IP_REGISTER = "ip_register", _("Register of intellectual property")
    SUBCONTRACT_REGISTER = "subcontract_register", _("Register of sub-contracts")
    DATA_RETURN = "data_return", _("Data return")
    DELETION_CERTIFICATE = "deletion_certificate", _("Data deletion certificate")
    KNOWLEDGE_TRANSFER = "knowledge_transfer", _("Knowledge transfer")
    NOVATION = "novation", _("Novation of contracts")
    ACCESS_REVOCATION = "access_revocation", _("Access revocation")
    OTHER = "other", _("Other")


class DueAnchor(models.TextChoices):
    SERVED = "served", _("after notice is served")
    EXIT = "exit", _("after the exit date")
    ASSISTANCE_END = "assistance_end", _("after the end of termination assistance")


class DeliverableTemplate(PlainTextModel):
    """One line of the default termination-assistance checklist."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=24, choices=DeliverableCategory.choices)
    anchor = models.CharField(
        _("due"), max_length=16, choices=DueAnchor.choices, default=DueAnchor.SERVED
    )
    offset_days = models.SmallIntegerField(
        _("days"),
        default=30,
        help_text=_("Days after the anchor date (negative: before it)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("deliverable template")

    def __str__(self):
        return self.title


class DeliverableQuerySet(models.QuerySet["Deliverable"]):
    def open(self) -> DeliverableQuerySet:
        """Still owed: requested, or received and not yet accepted or rejected."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def overdue(self, today) -> DeliverableQuerySet:
        return self.open().filter(due_date__lt=today)


def evidence_path(instance: Deliverable, filename: str) -> str:
    return f"contracts/{instance.contract_id}/deliverables/{filename}"


class Deliverable(PlainTextModel):
    """Something the provider owes under termination assistance for one exit notice."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAIVED = "waived", _("Waived")

    # Rejected means "send it again": it is still owed.
    OPEN_STATUSES = (Status.REQUESTED, Status.RECEIVED, Status.REJECTED)
    Category = DeliverableCategory

    INPUT_FIELDS = (
        "exit_notice",
        "title",
        "description",
        "category",
        "due_date",
        "owner",
        "status",
        "received_on",
        "acceptance_note",
    )

    exit_notice = models.ForeignKey(
        ExitNotice, on_delete=models.PROTECT, related_name="deliverables"
    )
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="deliverables")
    template = models.ForeignKey(
        DeliverableTemplate,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"),
        max_length=24,
        choices=DeliverableCategory.choices,
        default=DeliverableCategory.OTHER,
    )
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_deliverables",
        null=True,
        blank=True,
        verbose_name=_("owner (our side)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        validators=[FileTypeValidator(EVIDENCE_EXTENSIONS), validate_document_size],
    )
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("accepted or rejected by"),
    )
    decided_on = models.DateField(_("accepted or rejected on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliverableQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("deliverable")
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=["requested", "received", "rejected"]),
                name="deliverable_open_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["exit_notice", "title"],
                name="deliverable_title_unique_per_notice",
                violation_error_message=_("This exit already has a deliverable of that title."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["received", "accepted"]) | Q(received_on__isnull=False),
                name="deliverable_received_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contracts:deliverable_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
