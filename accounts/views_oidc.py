"""The provider's return to us (docs/operations.md, "Single sign-on (OpenID Connect)"):
mozilla-django-oidc's callback, with every failure sent back to our sign-in page saying why."""

import logging

import jwt
import requests
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .oidc import REFUSAL_ATTRIBUTE

logger = logging.getLogger(__name__)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            # A provider that is down, a replayed or expired code, a token that fails its
            # checks: the person is not signed in, and is told so rather than shown an error.
            logger.warning("Single sign-on failed: %s", error)
            return self.login_failure()

    def login_failure(self):
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None) or _(
            "Single sign-on did not sign you in. Try again, or ask an administrator."
        )
        messages.error(self.request, reason)
        return redirect("login")
