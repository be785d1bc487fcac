"""Helpers every app's services share: permission checks, validated saves, safe deletes."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from .types import User

M = TypeVar("M", bound=models.Model)


def require_perm(actor: User | None, perm: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` (on `obj` when given)."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def validated_save(
    instance: M,
    *,
    actor: User | None,
    perm: str,
    perm_obj: models.Model | None = None,
    **fields: object,
) -> M:
    """Assign fields, validate the whole instance (messages name the field), and save."""
    require_perm(actor, perm, perm_obj)
    for name, value in fields.items():
        setattr(instance, name, value)
    # A protected FSM state cannot be re-assigned by clean_fields(); it never comes from input.
    protected: set[str] = getattr(instance, "_get_protected_fsm_fields", set)()
    instance.full_clean(exclude=protected)
    if hasattr(instance, "history"):
        instance._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    instance.save()
    return instance


@transaction.atomic
def safe_delete(
    instance: models.Model,
    *,
    actor: User | None,
    perm: str,
    perm_obj: models.Model | None = None,
) -> None:
    """Delete, or refuse with a message naming what still refers to the object."""
    require_perm(actor, perm, perm_obj)
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        # ProtectedError lists `protected_objects`, RestrictedError `restricted_objects`.
        referrers = (
            error.protected_objects
            if isinstance(error, ProtectedError)
            else error.restricted_objects
        )
        blockers = sorted({str(obj._meta.verbose_name_plural) for obj in referrers})
        raise ValidationError(
            _("“%(name)s” cannot be deleted while %(others)s refer to it.")
            % {"name": instance, "others": get_text_list(blockers, _("and"))}
        ) from error
