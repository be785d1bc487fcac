"""Shaped reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet

from core.types import AuthUser

from .models import ApiToken
from .tokens import password_fingerprint


def tokens_for(*, user: AuthUser) -> QuerySet[ApiToken]:
    """The user's tokens issued under their current password, newest first.

    Expired tokens are included (the page marks them); those a password change revoked are
    not, as they can never authenticate again.
    """
    return ApiToken.objects.filter(
        user=user, password_fingerprint=password_fingerprint(user.password)
    ).order_by("-created", "-pk")
