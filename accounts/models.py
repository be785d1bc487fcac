"""Named, expiring API tokens (docs/security.md, "API tokens"), saved views of the lists
(docs/saved-views.md) and each person's preferences (docs/reminders.md, "Time zones")."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.text import PlainTextModel

from .tokens import password_fingerprint
from .zones import validate_time_zone

# `?all=1`: the whole list, even for someone whose default view would open instead.
ALL_ROWS = "all"
ALL_ROWS_QUERY = f"{ALL_ROWS}=1"


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


class SavedView(PlainTextModel):
    """A list's filters, search and sort kept under a name (docs/saved-views.md).

    `list_key` is the list's URL name ("transition:milestone_list"); `query` is the list's
    own parameters as a normalised query string (accounts/saved_views.py), stored as data and
    only ever re-encoded, never pasted into a URL. A shared view is visible to everyone signed
    in, read-only; the default view opens when its owner opens the list with no query.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    list_key = models.CharField(_("list"), max_length=100)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000)
    shared = models.BooleanField(
        _("shared"), default=False, help_text=_("Everyone signed in can open it.")
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Opens when you open the list.")
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["list_key", "name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "owner",
                "list_key",
                name="savedview_name_unique_per_owner_and_list",
                violation_error_message=_("You already have a view of this list with this name."),
            ),
            models.UniqueConstraint(
                fields=["owner", "list_key"],
                condition=Q(is_default=True),
                name="savedview_one_default_per_owner_and_list",
                violation_error_message=_("You already have a default view of this list."),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "list_key"], name="savedview_owner_list"),
            models.Index(fields=["shared", "list_key"], name="savedview_shared_list"),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def url(self) -> str:
        """The list with this view's filters, the query re-encoded rather than pasted; empty
        when the list no longer exists."""
        try:
            path = reverse(self.list_key)
        except NoReverseMatch:
            return ""
        return f"{path}?{QueryDict(self.query).urlencode() or ALL_ROWS_QUERY}"


class OidcIdentity(models.Model):
    """A person's account at the single sign-on provider, named by the provider's issuer and
    its never-reassigned subject (`sub`). Single sign-on signs in the user linked here and
    never one matched by e-mail, so a provider account cannot take over a local one
    (docs/security.md, "Single sign-on")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identity",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="oidcidentity_one_user_per_subject"
            ),
        ]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class Preferences(models.Model):
    """A person's own settings: the time zone their pages show moments in and their reminder
    e-mails arrive by. A person without a row, or with an empty zone, has the site's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
        verbose_name=_("user"),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Times are shown in it, and reminder e-mails arrive on their day in it. Empty: "
            "the site's zone. Deadlines and due dates are calendar days of the contract, the "
            "same in every zone."
        ),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return str(_("Preferences of %(user)s") % {"user": self.user})
