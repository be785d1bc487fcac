"""Reads of saved views: those of one list for its "Views" menu, and those of every list
for the navigation and the /views/ page; one query each (docs/saved-views.md)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from core.types import AuthUser, User

from .models import SavedView

# The navigation lists this many; the /views/ page lists them all.
MENU_LIMIT = 15
# A list's menu: a person's own views all fit, and a few dozen shared ones.
LIST_LIMIT = 50


def _mine_first(user: AuthUser | User) -> Case:
    return Case(
        When(owner_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def _visible(user: AuthUser | User) -> QuerySet[SavedView]:
    return SavedView.objects.filter(Q(owner_id=user.pk) | Q(shared=True)).select_related("owner")


def visible_saved_views(*, user: AuthUser | User) -> QuerySet[SavedView]:
    """The user's own views, then the views others share, each by list and name."""
    return _visible(user).order_by(_mine_first(user), "list_key", Lower("name"), "pk")


def saved_views_of_list(*, user: AuthUser | User, list_key: str) -> list[SavedView]:
    """The views of one list the user may open, own first and the default first of them
    (so that no limit cuts it off): one query."""
    views = _visible(user).filter(list_key=list_key)
    ordered = views.order_by(_mine_first(user), "-is_default", Lower("name"), "pk")
    return list(ordered[:LIST_LIMIT])


def saved_views_menu(*, user: AuthUser | User) -> list[SavedView]:
    """The first MENU_LIMIT views of every list for the navigation, and one more to tell
    whether there are more: one query."""
    return list(visible_saved_views(user=user)[: MENU_LIMIT + 1])
