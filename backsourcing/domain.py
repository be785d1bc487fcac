"""Helpers every app's services share: permission checks, validated saves, safe deletes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def require_perm(actor, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` (on `obj` when given)."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def validated_save(instance: models.Model, *, actor, perm: str, perm_obj=None, **fields):
    """Assign fields, validate the whole instance (messages name the field), and save."""
    require_perm(actor, perm, perm_obj)
    for name, value in fields.items():
        setattr(instance, name, value)
    # A protected FSM state cannot be re-assigned by clean_fields(); it never comes from input.
    protected = getattr(instance, "_get_protected_fsm_fields", set)()
    instance.full_clean(exclude=protected)
    if hasattr(instance, "history"):
        instance._history_user = actor
    instance.save()
    return instance


@transaction.atomic
def safe_delete(instance: models.Model, *, actor, perm: str, perm_obj=None) -> None:
    """Delete, or refuse with a message naming what still refers to the object."""
    require_perm(actor, perm, perm_obj)
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        # ProtectedError lists `protected_objects`, RestrictedError `restricted_objects`.
        referrers = getattr(error, "protected_objects", None) or error.restricted_objects
        blockers = sorted({str(obj._meta.verbose_name_plural) for obj in referrers})
        raise ValidationError(
            _("“%(name)s” cannot be deleted while %(others)s refer to it.")
            % {"name": instance, "others": get_text_list(blockers, _("and"))}
        ) from error
