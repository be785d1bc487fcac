"""Building blocks of every register page: lists with filter/search/sort/export, forms that
save through a service, and deletes that explain a refusal (docs/architecture.md)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.http import HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import DeleteView
from django_filters.views import FilterView
from rules import has_perm as rules_has_perm
from rules.contrib.views import PermissionRequiredMixin

from core.clock import local_today
from core.resources import NaturalKeyResource
from core.spreadsheets import column_kinds, rows_response
from core.text import without_control_characters

EXPORT_FORMATS = ("csv", "xlsx")

# Builds a large export in the background: `(view, format) -> response`. The imports app
# connects it in its AppConfig.ready(), as a higher layer reacts to a lower one
# (docs/architecture.md); without it every export is streamed.
BackgroundExport = Callable[["RegisterListView", str], HttpResponseBase]
_background_export: BackgroundExport | None = None


def connect_background_export(build: BackgroundExport | None) -> None:
    global _background_export  # noqa: PLW0603 - one hook, set once at start-up
    _background_export = build


# Runs as a list opens, before it is shown: `(view) -> response or None`; a response is
# returned instead of the list. The accounts app connects it to open a user's default saved
# view (docs/saved-views.md); without it the list is shown as asked.
ListOpened = Callable[["RegisterListView"], HttpResponseBase | None]
_list_opened: ListOpened | None = None


def connect_list_opened(hook: ListOpened | None) -> None:
    global _list_opened  # noqa: PLW0603 - one hook, set once at start-up
    _list_opened = hook


class RegisterListView(LoginRequiredMixin, FilterView):
    """A filterable, searchable, sortable, paginated list that exports what it shows.

    Subclasses set `title`, `filterset_class`, `search_fields`, `sort_fields` (public key →
    ORM ordering), `default_sort`, `resource_class` (django-import-export), `add_permission`
    (the rule that offers "New") and return a selector from `get_base_queryset()`.
    `?export=csv|xlsx` returns every filtered row, not one page.
    """

    paginate_by = 25
    title = ""
    add_permission = ""
    search_fields: tuple[str, ...] = ()
    sort_fields: dict[str, str] = {}
    default_sort = ""
    resource_class: type[NaturalKeyResource] | None = None
    export_name = ""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.get_base_queryset()
        term = self.search_term()
        if term and self.search_fields:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset.order_by(*self.get_ordering_fields())

    def search_term(self) -> str:
        # Typed into a search box, never stored: a NUL byte (which PostgreSQL refuses) or
        # another control character is dropped rather than refused (core/text.py).
        return without_control_characters(self.request.GET.get("q", "")).strip()

    def get_ordering_fields(self) -> list[OrderBy | str]:
        """The chosen column, then the key; empty values last whichever the direction (a
        contract with no deadline left is never "the soonest")."""
        key = self.request.GET.get("sort") or self.default_sort
        descending = key.startswith("-")
        field = self.sort_fields.get(key.lstrip("-"))
        if field is None:
            field = self.sort_fields.get(self.default_sort.lstrip("-"), "pk")
            descending = self.default_sort.startswith("-")
        column = F(field)
        return [column.desc(nulls_last=True) if descending else column.asc(nulls_last=True), "pk"]

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS and self.resource_class is not None:
            return self.export(export_format)
        if _list_opened is not None and (response := _list_opened(self)) is not None:
            return response
        return super().get(request, *args, **kwargs)

    def export_queryset(self):
        """Every row the list shows with the request's filter, search and sort, unpaginated."""
        filterset = self.get_filterset(self.get_filterset_class())
        # Unbound (no query string at all, as a background export may be): every row.
        valid = not filterset.is_bound or filterset.is_valid()
        return filterset.qs if valid else filterset.queryset.none()

    def export_resource(self) -> NaturalKeyResource:
        if self.resource_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no resource_class")
        return self.resource_class()

    def export_file_name(self) -> str:
        return f"{self.export_name or self.model._meta.model_name}-{local_today():%Y-%m-%d}"

    def export(self, export_format: str) -> HttpResponseBase:
        """The rows as a download, streamed; past EXPORT_BACKGROUND_ROWS, built in the
        background and announced by a notification (docs/import-export.md)."""
        rows = self.export_queryset()
        limit = settings.EXPORT_BACKGROUND_ROWS
        if _background_export is not None and rows[: limit + 1].count() > limit:
            return _background_export(self, export_format)
        resource = self.export_resource()
        headers, values = resource.export_headers_and_rows(rows)
        return rows_response(
            export_format, headers, values, self.export_file_name(), **self.export_layout(resource)
        )

    def export_layout(self, resource: NaturalKeyResource) -> dict:
        """How the file is laid out (core/spreadsheets.py): the XLSX sheet named after the
        list, its cells typed by the resource's columns; with `?bom=1`, a CSV for Excel."""
        title = str(self.title) or capfirst(str(self.model._meta.verbose_name_plural))
        return {
            "title": title,
            "kinds": column_kinds(resource),
            "bom": self.request.GET.get("bom") == "1",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["can_add"] = self.can_add()
        context["search"] = self.search_term()
        context["export_formats"] = list(EXPORT_FORMATS) if self.resource_class else []
        return context

    def can_add(self) -> bool:
        """Whether to offer "New"; asks the rule directly, as the `can` template tag does."""
        return bool(self.add_permission) and rules_has_perm(self.add_permission, self.request.user)


def add_validation_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


class ServiceFormMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A create/update view whose `save(form)` calls a service; errors land on the form."""

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())


class ServiceDeleteView(LoginRequiredMixin, PermissionRequiredMixin, DeleteView):
    """Confirm, then delete through a service; a refused delete explains itself."""

    def delete_object(self):
        raise NotImplementedError

    def get_refused_url(self):
        """Where a refused delete goes back to, its reasons shown: the object's page."""
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name"] = self.object._meta.verbose_name
        return context

    def form_valid(self, form):
        name = str(self.object)
        try:
            self.delete_object()
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.get_refused_url())
        messages.success(self.request, _("“%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(self.get_success_url())
