"""RAID log pages: the list (of a process, a programme or everything), an item with its
history, and the create, edit and delete forms."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView
from rules import has_perm as rules_has_perm

from core.bulk import BulkActionsMixin, delete_action, owner_action
from core.clock import local_today
from core.views import RegisterListView, ServiceDeleteView, ServiceFormMixin
from transition.filters import UserChoiceField
from transition.models import OutsourcedProcess, Programme
from transition.selectors import active_users, editable_processes

from . import selectors, services
from .filters import RaidItemFilter
from .forms import EDIT_PROGRAMME, RaidItemForm
from .models import HIGH_RISK_SCORE, RaidItem
from .resources import RaidItemResource
from .rules import EDIT_RAID


def _pk(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class RaidListView(BulkActionsMixin, RegisterListView):
    """The RAID log; `?process=` or `?programme=` narrows it to one log, and the heat map's
    cells link here with `probability`, `impact` and `open`."""

    title = _("RAID log")
    model = RaidItem
    filterset_class = RaidItemFilter
    template_name = "raid/raiditem_list.html"
    search_fields = ("title", "description", "process__name", "programme__name")
    sort_fields = {
        "title": "title",
        "kind": "kind",
        "owner": "owner__last_name",
        "status": "status",
        "due": "due_date",
        "score": "score",
        "updated": "updated_at",
    }
    default_sort = "due"
    resource_class = RaidItemResource
    export_name = "raid"
    # As the edit form's owner choices and the delete (docs/bulk-actions.md).
    bulk_actions = (
        owner_action(
            services.raid_item_save,
            "item",
            EDIT_RAID,
            lambda view: UserChoiceField(label=_("New owner"), queryset=active_users()),
        ),
        delete_action(services.raid_item_delete, "item", EDIT_RAID),
    )

    def get_base_queryset(self):
        return selectors.raid_list()

    def can_add(self) -> bool:
        user = self.request.user
        return rules_has_perm(EDIT_PROGRAMME, user) or editable_processes(user).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = local_today()
        context["high_score"] = HIGH_RISK_SCORE
        form = context["filter"].form
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        context["scope_process"] = cleaned.get("process")
        context["scope_programme"] = cleaned.get("programme")
        return context


class RaidItemDetailView(LoginRequiredMixin, DetailView):
    """An item and every version of it (who changed what, when)."""

    template_name = "raid/raiditem_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return selectors.raid_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = local_today()
        context["can_edit"] = self.request.user.has_perm(EDIT_RAID, self.object)
        context["history"] = selectors.item_history(self.object)
        return context


class RaidItemCreateView(ServiceFormMixin, CreateView):
    """New item; `?process=<id>` or `?programme=<id>` says whose log it goes into."""

    model = RaidItem
    form_class = RaidItemForm
    template_name = "raid/raiditem_form.html"
    permission_required = EDIT_RAID
    success_message = _("“%(object)s” was added to the RAID log.")

    def get_subject(self) -> OutsourcedProcess | Programme | None:
        if not hasattr(self, "_subject"):
            params = self.request.GET
            process, programme = _pk(params.get("process")), _pk(params.get("programme"))
            if process:
                self._subject = get_object_or_404(OutsourcedProcess, pk=process)
            elif programme:
                self._subject = get_object_or_404(Programme, pk=programme)
            else:
                self._subject = None
        return self._subject

    def has_permission(self):
        user = self.request.user
        subject = self.get_subject()
        if isinstance(subject, OutsourcedProcess):
            return user.has_perm(EDIT_RAID, subject)
        if isinstance(subject, Programme):
            return user.has_perm(EDIT_PROGRAMME)
        return user.has_perm(EDIT_PROGRAMME) or editable_processes(user).exists()

    def get_initial(self):
        initial = super().get_initial()
        subject = self.get_subject()
        if isinstance(subject, OutsourcedProcess):
            initial["process"] = subject
        elif isinstance(subject, Programme):
            initial["programme"] = subject
        kind = self.request.GET.get("kind")
        if kind in RaidItem.Kind.values:
            initial["kind"] = kind
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.get_subject()
        return context

    def save(self, form):
        return services.raid_item_save(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class RaidItemUpdateView(ServiceFormMixin, UpdateView):
    model = RaidItem
    form_class = RaidItemForm
    template_name = "raid/raiditem_form.html"
    permission_required = EDIT_RAID
    success_message = _("“%(object)s” was saved.")

    def get_queryset(self):
        return RaidItem.objects.select_related("process__programme", "programme")

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.object.subject
        return context

    def save(self, form):
        # Process and programme are disabled on edit: the item stays in its log.
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("process", "programme")
        }
        return services.raid_item_save(actor=self.request.user, item=self.object, **fields)

    def get_success_url(self):
        return self.object.get_absolute_url()


class RaidItemDeleteView(ServiceDeleteView):
    model = RaidItem
    permission_required = EDIT_RAID
    template_name = "core/confirm_delete.html"

    def get_queryset(self):
        return RaidItem.objects.select_related("process__programme", "programme")

    def delete_object(self):
        services.raid_item_delete(item=self.object, actor=self.request.user)

    def get_success_url(self):
        item = self.object
        key = f"process={item.process_id}" if item.process_id else f"programme={item.programme_id}"
        return f"{reverse('raid:item_list')}?{key}"
