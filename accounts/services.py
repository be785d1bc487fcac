"""Writes of the accounts app: API tokens issued, used and revoked (docs/security.md), and
people's preferences (docs/reminders.md, "Time zones")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.types import AuthUser

from .models import ApiToken, Preferences
from .tokens import key_digest, new_key, password_fingerprint
from .zones import validate_time_zone

# `last_used` is a hint for people, not an audit log: writing it at most once a minute keeps
# a busy client from turning every API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


@transaction.atomic
def token_create(*, user: AuthUser, name: str) -> tuple[ApiToken, str]:
    """Issue a token to an active user, valid for API_TOKEN_TTL_DAYS. Returns the row and
    the key: only its digest is stored, so the key cannot be shown again."""
    if not user.is_active:
        raise ValidationError(_("An inactive user cannot be given an API token."))
    now = timezone.now()
    # Tokens that can never authenticate again are dropped here rather than by a sweep: the
    # user's list stays short and nothing has to be scheduled.
    ApiToken.objects.filter(user=user).filter(
        Q(expires__lte=now) | ~Q(password_fingerprint=password_fingerprint(user.password))
    ).delete()
    key = new_key()
    token = ApiToken(
        user=user,
        name=name.strip(),
        digest=key_digest(key),
        password_fingerprint=password_fingerprint(user.password),
        created=now,
        expires=now + _token_lifetime(),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """The token stops authenticating at once."""
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def token_revoke_all(*, user: AuthUser) -> int:
    """Every token of the user stops authenticating; returns how many there were."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def token_mark_used(*, token: ApiToken, now: datetime) -> None:
    """Record that the token authenticated a request, to the minute."""
    if token.last_used is not None and now - token.last_used < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.last_used = now


@transaction.atomic
def preferences_update(*, user: AuthUser, time_zone: str) -> Preferences:
    """Set the user's time zone ("" for the site's), refusing a name the zone database does
    not hold with a message that says so."""
    time_zone = time_zone.strip()
    validate_time_zone(time_zone)
    preferences, _created = Preferences.objects.update_or_create(
        user=user, defaults={"time_zone": time_zone}
    )
    return preferences
