"""The "Views" menu of a register list (docs/saved-views.md): the list's saved views with the
active one marked, "Save this view…", default and delete. templates/core/register_list.html
names the tag; core never imports accounts (docs/architecture.md)."""

from django import template

from accounts.forms_saved_views import SavedViewCreateForm
from accounts.list_hooks import list_key_of, views_of_this_list
from accounts.models import ALL_ROWS_QUERY
from accounts.saved_views import current_query
from accounts.saved_views import list_title as title_of_list

register = template.Library()


@register.inclusion_tag("accounts/partials/_saved_views_bar.html", takes_context=True)
def saved_views_bar(context):
    """Reads the views the list's opening already loaded (accounts/list_hooks.py): at most
    one query, whatever the number of views."""
    request = context.get("request")
    filterset = context.get("filter")
    user = getattr(request, "user", None)
    if filterset is None or user is None or not user.is_authenticated:
        return {"show": False}
    views = views_of_this_list(request)
    current = current_query(request, filterset)
    active = next((v for v in views if v.query == current), None) if current else None
    list_key = list_key_of(request)
    form = SavedViewCreateForm(
        initial={"list_key": list_key, "query": current}, auto_id="saved-view-%s"
    )
    return {
        "show": True,
        "request": request,
        "user": user,
        "views": views,
        "active": active,
        "current": current,
        "form": form,
        "all_rows_url": f"{request.path}?{ALL_ROWS_QUERY}",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def list_title(list_key: str) -> str:
    """The title of the list a view belongs to ("Milestones")."""
    return title_of_list(list_key)
