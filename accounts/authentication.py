"""DRF authentication by API token (docs/security.md, "API tokens")."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import services
from .models import ApiToken
from .tokens import key_digest


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>` scheme over ApiToken.

    The key is found by its digest and refused once expired, once its user is inactive,
    and once the user's password has been set again by any means after it was issued:
    checked here, on every request, so no code path that changes a password or deactivates
    a user can leave a token working.
    """

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        refusal = token.refusal(now=now)
        if refusal is not None:
            raise AuthenticationFailed(refusal)
        services.token_mark_used(token=token, now=now)
        return (token.user, token)
