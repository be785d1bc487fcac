"""Exit notice on a contract: serve it (with a preview of its dates) and withdraw it.

Each is a dialog on the contract page (`{% serve_notice_button %}`, `{% contract_notices %}`
in transition/templatetags) whose form htmx posts and, when the service refuses, swaps back
with the errors beside the fields; without JavaScript the same form is a page of its own.
Both call `transition.services` (docs/domain.md, "Exit notice").
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect
from rules.contrib.views import PermissionRequiredMixin

from contracts.models import Contract, ExitNotice
from core.formats import short_date
from core.views import add_validation_errors

from .. import services
from ..forms import NoticeServeForm, NoticeWithdrawForm
from ..services.notices import SERVE_NOTICE, WITHDRAW_NOTICE


def after_notice(request, notice: ExitNotice):
    """Back to the contract page at the notice. htmx is sent to the page itself: a URL that
    differs from the open one by its #fragment alone would only scroll, not reload."""
    if request.htmx:
        return HttpResponseClientRedirect(notice.contract.get_absolute_url())
    return HttpResponseRedirect(notice.get_absolute_url())


def served_message(notice: ExitNotice) -> str:
    return _("Notice on %(contract)s recorded: received %(served)s, the service ends %(end)s.") % {
        "contract": notice.contract.reference,
        "served": short_date(notice.served_on),
        "end": short_date(notice.exit_date),
    }


class ContractNoticeMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def contract_of(self, pk: int) -> Contract:
        return get_object_or_404(Contract.objects.select_related("provider"), pk=pk)


class NoticeServeView(ContractNoticeMixin, View):
    """Serve exit notice on a contract through `notice_serve`.

    GET: the form as a page (what the dialog's button links to without JavaScript).
    POST: serve, then back to the contract page; refused, the form again with what was
    typed and why (htmx gets just the dialog's fields). `preview` in the POST only
    recalculates the dates, for browsers without JavaScript.
    """

    permission_required = SERVE_NOTICE
    template_name = "transition/notice_serve.html"
    fields_template = "transition/partials/_notice_serve_fields.html"

    def get(self, request, pk: int):
        contract = self.contract_of(pk)
        data = request.GET if "served_on" in request.GET else None
        form = NoticeServeForm(data, contract=contract, user=request.user)
        form.is_valid()
        return self.render(contract, form, form.preview())

    def post(self, request, pk: int):
        contract = self.contract_of(pk)
        form = NoticeServeForm(request.POST, request.FILES, contract=contract, user=request.user)
        valid = form.is_valid()
        # Before the service's errors land on the form, which drops the fields they name.
        preview = form.preview()
        if "preview" in request.POST:
            return self.render(contract, form, preview)
        blocked: list[str] = []
        if valid and not form.errors:
            try:
                notice = services.notice_serve(
                    actor=request.user, contract=contract, **form.service_kwargs()
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            except services.TransitionBlocked as refused:
                blocked = list(refused.reasons)
            else:
                messages.success(request, served_message(notice))
                return after_notice(request, notice)
        return self.render(contract, form, preview, blocked=blocked, status=400)

    def render(self, contract, form, preview, *, blocked=(), status=200):
        context = {"contract": contract, "form": form, "blocked": blocked, "preview": preview}
        if self.request.htmx:
            # htmx swaps 2xx answers only: the refused form comes back as 200.
            return TemplateResponse(self.request, self.fields_template, context)
        return TemplateResponse(self.request, self.template_name, context, status=status)


class NoticePreviewView(ContractNoticeMixin, View):
    """The serve dialog's dates for the day typed (htmx); without htmx, the serve page."""

    permission_required = SERVE_NOTICE

    def get(self, request, pk: int):
        if not request.htmx:
            url = reverse("transition:notice_serve", args=[pk])
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
        contract = self.contract_of(pk)
        form = NoticeServeForm(request.GET, contract=contract)
        form.is_valid()
        return TemplateResponse(
            request,
            "transition/partials/_notice_preview.html",
            {"contract": contract, "form": form, "preview": form.preview()},
        )


class NoticeWithdrawView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Withdraw a notice in force through `notice_withdraw`: the record stays, its processes
    go back to outsourced. GET is the form as a page, for browsers without JavaScript."""

    permission_required = WITHDRAW_NOTICE
    template_name = "transition/notice_withdraw.html"
    fields_template = "transition/partials/_notice_withdraw_fields.html"

    def notice_of(self, pk: int, notice_pk: int) -> ExitNotice:
        return get_object_or_404(
            ExitNotice.objects.select_related("contract", "contract__provider"),
            pk=notice_pk,
            contract_id=pk,
        )

    def get(self, request, pk: int, notice_pk: int):
        notice = self.notice_of(pk, notice_pk)
        return self.render(notice, NoticeWithdrawForm.for_notice(notice))

    def post(self, request, pk: int, notice_pk: int):
        notice = self.notice_of(pk, notice_pk)
        form = NoticeWithdrawForm.for_notice(notice, request.POST)
        blocked: list[str] = []
        if form.is_valid():
            try:
                services.notice_withdraw(actor=request.user, notice=notice, **form.service_kwargs())
            except ValidationError as error:
                add_validation_errors(form, error)
            except services.TransitionBlocked as refused:
                blocked = list(refused.reasons)
            else:
                messages.success(
                    request,
                    _("The notice received %(date)s on %(contract)s was withdrawn.")
                    % {"date": short_date(notice.served_on), "contract": notice.contract.reference},
                )
                return after_notice(request, notice)
        return self.render(notice, form, blocked=blocked, status=400)

    def render(self, notice, form, *, blocked=(), status=200):
        context = {"notice": notice, "contract": notice.contract, "form": form, "blocked": blocked}
        if self.request.htmx:
            return TemplateResponse(self.request, self.fields_template, context)
        return TemplateResponse(self.request, self.template_name, context, status=status)
