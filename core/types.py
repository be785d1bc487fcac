"""Type names shared by services and selectors (mypy with django-stubs, docs/architecture.md)."""

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import User as _DjangoUser

# Whoever acts: a signed-in person (the project uses Django's user model).
User: TypeAlias = AbstractUser
# A user as a row stores or looks it up: django-stubs types every foreign key to
# AUTH_USER_MODEL (Django's own, unswapped) with that model, which AbstractUser is not.
AuthUser: TypeAlias = _DjangoUser
