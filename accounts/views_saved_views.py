"""Saved view pages (docs/saved-views.md): save the list as shown, the /views/ page of every
view one may open, change, make default, delete, and the navigation's "Views" menu.

Writes go through accounts/services_saved_views.py; refusals come back on the form, next to
the field they name, with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.services import require_perm
from core.views import add_validation_errors

from . import services_saved_views as services
from .forms_saved_views import SavedViewChangeForm, SavedViewCreateForm
from .models import SavedView
from .rules import CHANGE_SAVED_VIEW, DELETE_SAVED_VIEW
from .saved_views import list_title
from .selectors_saved_views import MENU_LIMIT, saved_views_menu, visible_saved_views


def _visible(request, pk) -> SavedView:
    """A view the user may open; any other is "not found", whoever owns it."""
    return get_object_or_404(
        SavedView.objects.select_related("owner"),
        Q(owner_id=request.user.pk) | Q(shared=True),
        pk=pk,
    )


def _owned(request, pk) -> SavedView:
    view = _visible(request, pk)
    if not request.user.has_perm(CHANGE_SAVED_VIEW, view):
        raise PermissionDenied(_("Only its owner can change a saved view."))
    return view


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _filters_named(error: ValidationError) -> ValidationError:
    """The list and its filters travel in hidden fields: their refusals are shown above the
    form, saying that they are about the filters."""
    if not hasattr(error, "error_dict"):
        return error
    shown: dict[str, list[str]] = {}
    for field, messages_ in error.message_dict.items():
        if field in ("list_key", "query"):
            shown.setdefault(NON_FIELD_ERRORS, []).extend(
                _("Filters: %(problem)s") % {"problem": message} for message in messages_
            )
        else:
            shown.setdefault(field, []).extend(messages_)
    return ValidationError(shown)


def group_by_list(views) -> list[tuple[str, list[SavedView]]]:
    """Views grouped under their list's title, lists in the order first met."""
    groups: dict[str, list[SavedView]] = {}
    for view in views:
        groups.setdefault(list_title(view.list_key), []).append(view)
    return list(groups.items())


class SavedViewListView(LoginRequiredMixin, TemplateView):
    """Every view the user may open: their own to change, the shared ones to open."""

    template_name = "accounts/saved_view_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        views = list(visible_saved_views(user=self.request.user))
        user_pk = self.request.user.pk
        context["mine"] = group_by_list(v for v in views if v.owner_id == user_pk)
        context["shared"] = group_by_list(v for v in views if v.owner_id != user_pk)
        return context


class SavedViewCreateView(LoginRequiredMixin, TemplateView):
    """Save the list's filters as a view. The list page posts here from its "Views" menu;
    a refused save shows this page's form with the reasons and what was typed."""

    template_name = "accounts/saved_view_form.html"

    def get(self, request, *args, **kwargs):
        form = SavedViewCreateForm(
            initial={"list_key": request.GET.get("list", ""), "query": request.GET.get("query", "")}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = SavedViewCreateForm(request.POST)
        if form.is_valid():
            try:
                view = services.saved_view_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, _filters_named(error))
            else:
                messages.success(request, _("The view “%(name)s” was saved.") % {"name": view})
                return HttpResponseRedirect(view.url)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        list_key = form["list_key"].value() or ""
        context["list_title"] = list_title(list_key)
        return context


class SavedViewChangeView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/saved_view_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.saved_view = _owned(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        view = self.saved_view
        form = SavedViewChangeForm(
            initial={"name": view.name, "shared": view.shared, "is_default": view.is_default}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = SavedViewChangeForm(request.POST)
        if form.is_valid():
            try:
                view = services.saved_view_update(
                    user=request.user, view=self.saved_view, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("The view “%(name)s” was saved.") % {"name": view})
                return HttpResponseRedirect(reverse("saved_views:list"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["saved_view"] = self.saved_view
        context["list_title"] = list_title(self.saved_view.list_key)
        return context


class SavedViewDefaultView(LoginRequiredMixin, View):
    """Make a view the default of its list (`default=1`) or stop it being one."""

    http_method_names = ["post"]

    def post(self, request, pk):
        view = _owned(request, pk)
        is_default = request.POST.get("default") == "1"
        services.saved_view_set_default(user=request.user, view=view, is_default=is_default)
        if is_default:
            message = _("“%(name)s” now opens when you open %(list)s.")
        else:
            message = _("“%(name)s” no longer opens when you open %(list)s.")
        messages.success(request, message % {"name": view, "list": list_title(view.list_key)})
        return HttpResponseRedirect(_next_url(request, reverse("saved_views:list")))


class SavedViewDeleteView(LoginRequiredMixin, TemplateView):
    """Confirm, then delete: the owner's view, or any for an administrator."""

    template_name = "accounts/saved_view_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.saved_view = _visible(request, kwargs["pk"])
            require_perm(request.user, DELETE_SAVED_VIEW, self.saved_view)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["saved_view"] = self.saved_view
        context["list_title"] = list_title(self.saved_view.list_key)
        context["next"] = _next_url(self.request, reverse("saved_views:list"))
        return context

    def post(self, request, pk):
        services.saved_view_delete(user=request.user, view=self.saved_view)
        messages.success(request, _("The view “%(name)s” was deleted.") % {"name": self.saved_view})
        return HttpResponseRedirect(_next_url(request, reverse("saved_views:list")))


class SavedViewMenuView(LoginRequiredMixin, TemplateView):
    """The navigation's "Views" menu, fetched when it is first opened, so that no other page
    pays its query (docs/saved-views.md)."""

    template_name = "accounts/partials/_saved_views_menu.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        views = saved_views_menu(user=self.request.user)
        shown = [view for view in views[:MENU_LIMIT] if view.url]
        context["mine"] = [view for view in shown if view.owner_id == self.request.user.pk]
        context["shared"] = [view for view in shown if view.owner_id != self.request.user.pk]
        context["more"] = len(views) > MENU_LIMIT
        return context
