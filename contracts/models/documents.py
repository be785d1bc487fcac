"""Files of the register: documents attached to contracts, and the notice letter template."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.text import PlainTextModel
from core.uploads import FileTypeValidator

from ..letters import validate_letter_template
from .register import Contract


def contract_document_path(instance, filename):
    return f"contracts/{instance.contract_id}/{filename}"


def validate_document_size(file):
    limit = settings.CONTRACT_DOCUMENT_MAX_BYTES
    if file.size > limit:
        # Human units: a whole-MB division would announce a limit under 1 MB as "0 MB".
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


class ContractDocument(PlainTextModel):
    """A file attached to a contract, of an accepted type and size."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=contract_document_path,
        validators=[
            FileTypeValidator(settings.CONTRACT_DOCUMENT_EXTENSIONS),
            validate_document_size,
        ],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("contract document")

    def __str__(self):
        return self.title


class NoticeLetterTemplate(PlainTextModel):
    """A .docx notice letter template that fills cleanly; at most one is active at a time."""

    file = models.FileField(
        _("file"), upload_to="notice-letter-templates/", validators=[validate_letter_template]
    )
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("notice letter template")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_notice_letter_template",
                violation_error_message=_("Another notice letter template is active."),
            )
        ]

    def __str__(self):
        return self.note or PurePath(self.file.name).name
