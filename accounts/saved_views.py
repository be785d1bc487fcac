"""The lists a view can be saved on, and a view's query string: only the list's own filter,
search and sort parameters, parsed, checked as the list would read them, and re-encoded
(docs/saved-views.md). Never `page`, `export` or anything else a URL may carry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.text import without_control_characters
from core.views import RegisterListView

from .models import SavedView

SEARCH = "q"
SORT = "sort"
# Longer than any set of filters a person picks; a column of the model holds it.
MAX_QUERY_LENGTH = SavedView._meta.get_field("query").max_length or 2000


def list_view_class(list_key: str) -> type[RegisterListView] | None:
    """The register list named `list_key` ("transition:milestone_list"), or None."""
    try:
        path = reverse(list_key)
    except NoReverseMatch:
        return None
    match = resolve(path)
    view_class = getattr(match.func, "view_class", None)
    if match.view_name != list_key or not (
        isinstance(view_class, type) and issubclass(view_class, RegisterListView)
    ):
        return None
    return view_class


def list_title(list_key: str) -> str:
    view_class = list_view_class(list_key)
    return str(view_class.title) if view_class is not None else list_key


def parameter_names(filterset) -> set[str]:
    """The query parameters the list reads: search, sort and each filter's (a range filter
    reads one per part of its widget, e.g. `due_min` and `due_max`)."""
    names = {SEARCH, SORT}
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "widgets_names", None)
        if suffixes:
            names.update(f"{name}{suffix}" for suffix in suffixes)
        else:
            names.add(name)
    return names


def normalise(params: QueryDict, names: set[str]) -> str:
    """The parameters among `names` with a value, keys in order, as a query string: two
    ways of writing the same filters give the same string (the active view is found so)."""
    pairs = []
    for key in sorted(key for key in params if key in names):
        for value in params.getlist(key):
            cleaned = without_control_characters(value).strip()
            if cleaned:
                pairs.append((key, cleaned))
    return urlencode(pairs)


def current_query(request: HttpRequest, filterset) -> str:
    """The list's own parameters of this request, normalised."""
    return normalise(request.GET, parameter_names(filterset))


def _list_view(view_class: type[RegisterListView], params: QueryDict, user) -> RegisterListView:
    request = HttpRequest()
    request.method = "GET"
    request.GET = params
    request.user = user
    view = view_class()
    view.setup(request)
    return view


def validated_query(*, list_key: str, query: str, user) -> str:
    """`query` reduced to the list's own parameters and normalised, after checking that the
    list accepts every value; a refusal names the filter. Raises ValidationError."""
    view_class = list_view_class(list_key)
    if view_class is None:
        raise ValidationError({"list_key": _("Views can be saved only on a register list.")})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError({"query": _("These filters are too long to save as a view.")})
    view = _list_view(view_class, QueryDict(query), user)
    filterset = view.get_filterset(view.get_filterset_class())
    normalised = normalise(QueryDict(query), parameter_names(filterset))
    if not normalised:
        raise ValidationError(
            {"query": _("Filter, search or sort the list first: this view would show it all.")}
        )
    view = _list_view(view_class, QueryDict(normalised), user)
    filterset = view.get_filterset(view.get_filterset_class())
    fields = filterset.form.fields
    problems = [
        f"{fields[name].label or name}: {message}" if name in fields else message
        for name, messages in filterset.form.errors.items()
        for message in messages
    ]
    sort = QueryDict(normalised).get(SORT, "")
    if sort and sort.removeprefix("-") not in view_class.sort_fields:
        problems.append(_("Sort: the list cannot be sorted by “%(key)s”.") % {"key": sort})
    if problems:
        raise ValidationError({"query": problems})
    if len(normalised) > MAX_QUERY_LENGTH:
        raise ValidationError({"query": _("These filters are too long to save as a view.")})
    return normalised
