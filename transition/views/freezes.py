"""Change-freeze pages of a programme: add, edit and delete (operations managers).

Everyone signed in sees a programme's freezes on its page (`partials/schedule_freezes.html`)
and on its timeline.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from core.views import ServiceDeleteView, ServiceFormMixin

from .. import services
from ..forms import FreezeForm
from ..models import ChangeFreeze, Programme
from ..services.freezes import EDIT_FREEZE


class FreezeCreateView(ServiceFormMixin, CreateView):
    model = ChangeFreeze
    form_class = FreezeForm
    template_name = "transition/freeze_form.html"
    permission_required = EDIT_FREEZE
    success_message = _("Change freeze “%(object)s” was added.")

    def dispatch(self, request, *args, **kwargs):
        self.programme = get_object_or_404(Programme, pk=kwargs["programme_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = self.programme
        return context

    def save(self, form):
        return services.freeze_create(
            actor=self.request.user, programme=self.programme, **form.cleaned_data
        )

    def get_success_url(self):
        return self.programme.get_absolute_url() + "#freezes"


class FreezeUpdateView(ServiceFormMixin, UpdateView):
    model = ChangeFreeze
    form_class = FreezeForm
    template_name = "transition/freeze_form.html"
    permission_required = EDIT_FREEZE
    success_message = _("Change freeze “%(object)s” was saved.")

    def get_queryset(self):
        return ChangeFreeze.objects.select_related("programme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = self.object.programme
        return context

    def save(self, form):
        return services.freeze_update(
            freeze=self.object, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return self.object.programme.get_absolute_url() + "#freezes"


class FreezeDeleteView(ServiceDeleteView):
    model = ChangeFreeze
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_FREEZE

    def get_queryset(self):
        return ChangeFreeze.objects.select_related("programme")

    def delete_object(self):
        services.freeze_delete(freeze=self.object, actor=self.request.user)

    def get_success_url(self):
        return self.object.programme.get_absolute_url() + "#freezes"
