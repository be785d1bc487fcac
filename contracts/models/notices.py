"""Exit notice: the legal act that ends a contract, in whole or for named processes.

Notice is given by the company to the provider on a *contract*; it counts from the day the
provider receives it (`served_on`). The record is kept for good: a withdrawal is written
on it (when, why, whether the provider agreed), never a deletion. Which processes are in
its scope is recorded on each process (`OutsourcedProcess.exit_notice`, in the app above
this one) and in the workflow events linked to it (docs/domain.md, "Exit notice").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import PlainTextModel
from core.uploads import FileTypeValidator

from .documents import validate_document_size
from .register import Contract

# What proof of service looks like: a signed letter, a courier receipt, a portal screenshot.
PROOF_EXTENSIONS = ["pdf", "png", "jpg", "docx", "txt"]


def notice_proof_path(instance: ExitNotice, filename: str) -> str:
    return f"contracts/{instance.contract_id}/notices/{filename}"


class ExitNoticeQuerySet(models.QuerySet["ExitNotice"]):
    def active(self) -> ExitNoticeQuerySet:
        """Notices in force: served and not withdrawn."""
        return self.filter(withdrawn_on__isnull=True)


class ExitNotice(PlainTextModel):
    """Notice served on a contract (whole or partial); withdrawals are recorded, not deleted."""

    class Scope(models.TextChoices):
        WHOLE = "whole", _("The whole contract")
        PROCESSES = "processes", _("Named processes")

    Method = Contract.NoticeMethod

    # What people enter when serving (dialog, API, import) and what a withdrawal writes;
    # scope, exit date and who recorded it are worked out by the service.
    INPUT_FIELDS = ("served_on", "dispatched_on", "method", "recipient", "signed_by", "note")
    WITHDRAWAL_FIELDS = ("withdrawn_on", "withdrawal_reason", "provider_agreed")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="exit_notices")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    served_on = models.DateField(
        _("received by the provider on"),
        help_text=_("The day the provider receives the notice: what counts legally."),
    )
    dispatched_on = models.DateField(_("dispatched on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    recipient = models.CharField(
        _("recipient"), max_length=200, blank=True, help_text=_("As the contract names it.")
    )
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    exit_date = models.DateField(
        _("exit date"), help_text=_("The last day of service, from the date engine.")
    )
    proof = models.FileField(
        _("proof of service"),
        upload_to=notice_proof_path,
        blank=True,
        validators=[FileTypeValidator(PROOF_EXTENSIONS), validate_document_size],
        help_text=_("Signed letter, courier receipt or portal screenshot."),
    )
    note = models.TextField(_("note"), blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,  # notices carried over from before this record existed
        blank=True,
        related_name="exit_notices_served",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    provider_agreed = models.BooleanField(
        _("provider agreed to the withdrawal"), null=True, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exit_notices_withdrawn",
        verbose_name=_("withdrawn by"),
    )

    objects = ExitNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = _("exit notice")
        constraints = [
            models.CheckConstraint(
                condition=Q(dispatched_on__isnull=True) | Q(dispatched_on__lte=F("served_on")),
                name="exit_notice_dispatched_before_received",
                violation_error_message=_("Notice cannot be dispatched after it is received."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | ~Q(withdrawal_reason=""),
                name="exit_notice_withdrawal_has_reason",
                violation_error_message=_("A withdrawal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("served_on")),
                name="exit_notice_withdrawn_after_served",
                violation_error_message=_("Notice cannot be withdrawn before it was served."),
            ),
        ]
        indexes = [models.Index(fields=["contract", "withdrawn_on"])]

    def __str__(self) -> str:
        return _("Notice on %(contract)s received %(date)s") % {
            "contract": self.contract.reference,
            "date": self.served_on.isoformat(),
        }

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.contract_id]) + f"#notice-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def assistance_end(self):
        return self.contract.assistance_end(self.exit_date)
