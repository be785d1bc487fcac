"""What saved views do to a register list as it opens (docs/saved-views.md): the user's
default view opens in place of the bare list, and the list's "Views" menu reads the views
the same request has already loaded: one query for both.

core.views calls `open_default_view` through the hook the accounts app connects in its
AppConfig.ready(), as a lower layer lets a higher one react (docs/architecture.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect

from .models import SavedView
from .selectors_saved_views import saved_views_of_list

_CACHE = "_saved_views_of_list"


def list_key_of(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else ""


def views_of_this_list(request: HttpRequest) -> list[SavedView]:
    """The views of the list this request shows that the user may open, loaded once."""
    cache = request.__dict__.setdefault(_CACHE, {})
    list_key = list_key_of(request)
    if list_key not in cache:
        cache[list_key] = saved_views_of_list(user=request.user, list_key=list_key)
    return cache[list_key]


def default_view(request: HttpRequest) -> SavedView | None:
    return next(
        (v for v in views_of_this_list(request) if v.is_default and v.owner_id == request.user.pk),
        None,
    )


def open_default_view(view) -> HttpResponseRedirect | None:
    """The user's default view of the list when the list is opened with no query string at
    all; `?all=1` (or any filter) shows the list as asked."""
    request = view.request
    if request.GET or getattr(request, "htmx", False):
        return None
    chosen = default_view(request)
    if chosen is None or not chosen.url:
        return None
    return HttpResponseRedirect(chosen.url)
