"""Writes of saved views: save, change, delete, make default (docs/saved-views.md).

Every interface (the list's "Views" menu, the /views/ page, the admin) calls these, so the
rules hold once: a name is unique per owner and list ignoring case, a user has at most one
default view per list, and the query string is only ever the list's own parameters,
validated (accounts/saved_views.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import require_perm, validated_save
from core.types import User

from .models import SavedView
from .rules import CHANGE_SAVED_VIEW, DELETE_SAVED_VIEW, SAVE_VIEW
from .saved_views import validated_query


def refuse_repeated_name(*, owner_id: int, list_key: str, name: str, pk: int | None) -> None:
    """A clear message, naming the field, before the database constraint would refuse."""
    taken = SavedView.objects.filter(owner_id=owner_id, list_key=list_key, name__iexact=name)
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise ValidationError(
            {
                "name": _(
                    "You already have a view of this list named “%(name)s”. Choose another "
                    "name, or change that view on the Views page."
                )
                % {"name": name}
            }
        )


def _clear_default(*, owner_id: int, list_key: str, keep: int | None) -> None:
    defaults = SavedView.objects.filter(owner_id=owner_id, list_key=list_key, is_default=True)
    if keep is not None:
        defaults = defaults.exclude(pk=keep)
    defaults.update(is_default=False)


@transaction.atomic
def saved_view_create(
    *,
    user: User,
    list_key: str,
    name: str,
    query: str,
    shared: bool = False,
    is_default: bool = False,
) -> SavedView:
    """Save the list's current filters, search and sort under `name`; as the user's default
    view of the list, the previous default (if any) stops being one."""
    require_perm(user, SAVE_VIEW)
    name = name.strip()
    normalised = validated_query(list_key=list_key, query=query, user=user)
    refuse_repeated_name(owner_id=user.pk, list_key=list_key, name=name, pk=None)
    if is_default:
        _clear_default(owner_id=user.pk, list_key=list_key, keep=None)
    view = SavedView(owner_id=user.pk, list_key=list_key)
    return validated_save(
        view,
        actor=user,
        perm=SAVE_VIEW,
        name=name,
        query=normalised,
        shared=shared,
        is_default=is_default,
    )


@transaction.atomic
def saved_view_update(
    *, user: User, view: SavedView, name: str, shared: bool, is_default: bool
) -> SavedView:
    """Rename, share or unshare, make or stop being the default: the owner only."""
    require_perm(user, CHANGE_SAVED_VIEW, view)
    name = name.strip()
    refuse_repeated_name(owner_id=view.owner_id, list_key=view.list_key, name=name, pk=view.pk)
    if is_default:
        _clear_default(owner_id=view.owner_id, list_key=view.list_key, keep=view.pk)
    return validated_save(
        view,
        actor=user,
        perm=CHANGE_SAVED_VIEW,
        perm_obj=view,
        name=name,
        shared=shared,
        is_default=is_default,
    )


@transaction.atomic
def saved_view_set_default(*, user: User, view: SavedView, is_default: bool = True) -> SavedView:
    """Make the view the owner's default of its list (or stop it being the default)."""
    return saved_view_update(
        user=user, view=view, name=view.name, shared=view.shared, is_default=is_default
    )


@transaction.atomic
def saved_view_delete(*, user: User, view: SavedView) -> None:
    """The owner's, or an administrator's; the list no longer opens it by default."""
    require_perm(user, DELETE_SAVED_VIEW, view)
    SavedView.objects.filter(pk=view.pk).delete()
