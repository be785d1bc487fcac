"""Named, expiring API tokens (docs/security.md, "API tokens")."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import PlainTextModel

from .tokens import password_fingerprint


class ApiToken(PlainTextModel):
    """One of a user's API tokens, kept as a digest of its key. It authenticates until it
    expires, while its user is active and still has the password it was issued under."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    password_fingerprint = models.CharField(
        _("password fingerprint"), max_length=64, editable=False
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__gt=F("created")), name="apitoken_expires_after_created"
            ),
        ]

    def __str__(self):
        return self.name

    def is_expired(self, *, now: datetime) -> bool:
        return self.expires <= now

    @property
    def password_changed(self) -> bool:
        """The user's password was set again after this token was issued."""
        return self.password_fingerprint != password_fingerprint(self.user.password)

    def refusal(self, *, now: datetime) -> str | None:
        """Why this token no longer authenticates, or None while it does."""
        if not self.user.is_active:
            return str(_("User inactive or deleted."))
        if self.password_changed:
            return str(_("Token revoked: the password was changed after it was issued."))
        if self.is_expired(now=now):
            return str(_("Token has expired."))
        return None
